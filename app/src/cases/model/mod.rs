//! Beratungsfälle as the browser and the API see them: workflow states, priorities, cases,
//! messages, timers. A Kommune's view of a case is built from the same types with the
//! advisors' private fields left empty; internal notes never reach it.

use serde::{Deserialize, Serialize};

/// The typed workflow of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    New,
    Triage,
    InProgress,
    Waiting,
    Solved,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 6] =
        [CaseStatus::New, CaseStatus::Triage, CaseStatus::InProgress, CaseStatus::Waiting, CaseStatus::Solved, CaseStatus::Closed];

    pub fn code(self) -> &'static str {
        match self {
            CaseStatus::New => "new",
            CaseStatus::Triage => "triage",
            CaseStatus::InProgress => "in_progress",
            CaseStatus::Waiting => "waiting",
            CaseStatus::Solved => "solved",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::New => "Neu",
            CaseStatus::Triage => "In Prüfung",
            CaseStatus::InProgress => "In Bearbeitung",
            CaseStatus::Waiting => "Wartet auf Kommune",
            CaseStatus::Solved => "Gelöst",
            CaseStatus::Closed => "Geschlossen",
        }
    }

    /// Open means an advisor still has something to do or the Kommune may still answer.
    pub fn is_open(self) -> bool {
        !matches!(self, CaseStatus::Closed)
    }

    /// The transitions an advisor may make by hand. Closing a solved case also happens
    /// automatically after 14 days; a Kommune's reply moves "Wartet auf Kommune" and "Gelöst"
    /// back to "In Bearbeitung".
    pub fn next(self) -> &'static [CaseStatus] {
        match self {
            CaseStatus::New => &[CaseStatus::Triage],
            CaseStatus::Triage => &[CaseStatus::InProgress],
            CaseStatus::InProgress => &[CaseStatus::Waiting, CaseStatus::Solved],
            CaseStatus::Waiting => &[CaseStatus::InProgress, CaseStatus::Solved],
            CaseStatus::Solved => &[CaseStatus::InProgress, CaseStatus::Closed],
            CaseStatus::Closed => &[],
        }
    }

    pub fn may_become(self, to: CaseStatus) -> bool {
        self.next().contains(&to)
    }
}

/// How urgent a case is; sets the service-level targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Priority::Low, Priority::Normal, Priority::High, Priority::Urgent];

    pub fn code(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    pub fn from_code(code: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Priority::Low => "niedrig",
            Priority::Normal => "normal",
            Priority::High => "hoch",
            Priority::Urgent => "dringend",
        }
    }
}

/// One service-level timer of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SlaTimer {
    /// `first_response`, `followup` (the answer owed once the Kommune wrote again after the
    /// Land's answer) or `resolution`.
    pub kind: String,
    /// German name of the timer.
    pub label: String,
    /// The deadline (RFC 3339, UTC) as it stands now; while paused it moves on resume.
    pub due_at: String,
    /// `running`, `paused`, `met` or `breached`.
    pub state: String,
    /// Business minutes left (negative when overdue); `None` once the timer has stopped.
    pub remaining_minutes: Option<i64>,
    /// When the timer stopped (the public reply it waited for, or the solution), RFC 3339.
    pub stopped_at: Option<String>,
    /// Deadline passed (while running, or it stopped too late).
    pub breached: bool,
}

/// A case as listed (inbox row) and as read (with `description`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Case {
    pub id: i64,
    pub subject: String,
    /// Category code.
    pub category: String,
    pub category_label: String,
    pub description: String,
    pub ozg_ids: Vec<String>,
    /// The OZG-Leistungen as (OZG-ID, name), in the order of `ozg_ids`.
    #[serde(default)]
    pub ozg_services: Vec<(String, String)>,
    /// AGS (or Verbandsschlüssel) of the Kommune the case was filed for.
    pub municipality: String,
    pub municipality_name: String,
    pub status: CaseStatus,
    pub desired_date: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: String,
    pub version: i32,
    /// The case this one continues in, when marked as duplicate.
    pub duplicate_of: Option<i64>,
    /// Advisors' fields: `None`/empty in a Kommune's view.
    pub priority: Option<Priority>,
    pub team: Option<String>,
    pub team_name: Option<String>,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub tags: Vec<String>,
    pub sla: Vec<SlaTimer>,
    /// New activity since the caller last opened the case.
    pub unread: bool,
}

/// A public reply or an internal note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Message {
    pub id: String,
    pub body: String,
    pub internal: bool,
    pub author: String,
    /// `kommune`, `land` or `system`.
    pub author_side: String,
    pub created_at: String,
}

/// An uploaded file of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AttachmentInfo {
    pub id: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: String,
    pub uploaded_by: String,
}

/// One entry of a case's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseEvent {
    pub at: String,
    pub actor: String,
    /// `created`, `status`, `owner`, `team`, `priority`, `tags`, `sla`, `message`, `note`,
    /// `link`, `duplicate`, `attachment`.
    pub kind: String,
    /// German sentence describing the change.
    pub text: String,
}

/// A link to another case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseLink {
    pub case_id: i64,
    pub subject: String,
    pub status: CaseStatus,
    /// `related`, `duplicate_of` (this case continues there) or `duplicate` (that one continues here).
    pub kind: String,
}

/// A case with its conversation, history and links, as the caller may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseDetail {
    pub case: Case,
    pub messages: Vec<Message>,
    pub events: Vec<CaseEvent>,
    pub links: Vec<CaseLink>,
    pub attachments: Vec<AttachmentInfo>,
    /// The caller works for the Land and sees advisors' fields.
    pub advisor_view: bool,
    /// The caller is the partner organisation the case is shared with: answers as the Land
    /// does, reads internal notes, never the advisors' own fields.
    #[serde(default)]
    pub partner_view: bool,
    /// The partner organisation (an EfA service's operator) the case is shared with.
    #[serde(default)]
    pub partner: Option<String>,
    /// Status changes the caller may make now.
    pub transitions: Vec<CaseStatus>,
    /// The Kommune may still reopen the case by replying (solved, within 14 days).
    pub may_reply: bool,
    /// The Kommune's rating of the help, once given.
    #[serde(default)]
    pub rating: Option<Rating>,
    /// The caller may rate (or change the rating): a clerk of the Kommune, case solved, or
    /// closed with a solution and not yet rated.
    #[serde(default)]
    pub may_rate: bool,
}

/// A configurable category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Category {
    pub code: String,
    pub label: String,
    pub active: bool,
    pub position: i32,
}

/// A configurable team of advisors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Team {
    pub id: String,
    pub name: String,
    pub lead_id: Option<String>,
    pub lead_name: Option<String>,
    pub active: bool,
}

/// Service-level targets of one priority, in business minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SlaTarget {
    pub priority: Priority,
    pub first_response_minutes: i32,
    pub resolution_minutes: i32,
    /// The answer owed once the Kommune wrote again after the Land's answer.
    pub followup_minutes: i32,
}

/// Input for a new case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewCase {
    pub subject: String,
    pub category: String,
    pub description: String,
    #[serde(default)]
    pub ozg_ids: Vec<String>,
    /// AGS (or Verbandsschlüssel) the case is filed for; defaults to the clerk's own Kommune.
    #[serde(default)]
    pub municipality: Option<String>,
    /// `JJJJ-MM-TT`.
    #[serde(default)]
    pub desired_date: Option<String>,
    /// A random key from the form: a repeated submit with the same key creates nothing new.
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

/// A change to a case's advisors' fields and status, based on a version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CasePatch {
    pub version: i32,
    #[serde(default)]
    pub status: Option<CaseStatus>,
    /// `Some("")` removes the owner.
    #[serde(default)]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub priority: Option<Priority>,
    /// `Some("")` removes the team.
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
}

/// Inbox filters (all optional). The same names serve the page's query string and the API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct CaseFilter {
    /// A saved view: `mine`, `unassigned`, `overdue`, `due_soon`, `waiting`, `open` (default),
    /// `all`.
    #[serde(default)]
    pub view: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    /// Kreis key (5 digits) — every Kommune in it.
    #[serde(default)]
    pub kreis: Option<String>,
    /// AGS or Verbandsschlüssel.
    #[serde(default)]
    pub municipality: Option<String>,
    #[serde(default)]
    pub ozg_id: Option<String>,
    #[serde(default)]
    pub tag: Option<String>,
    /// Created on or after (`JJJJ-MM-TT`).
    #[serde(default)]
    pub from: Option<String>,
    /// Created on or before (`JJJJ-MM-TT`).
    #[serde(default)]
    pub to: Option<String>,
    /// `last_sign_in`: created since the caller's sign-in before the current one (new to them).
    #[serde(default)]
    pub since: Option<String>,
    /// Full text over subject, description, replies and (for advisors) internal notes.
    #[serde(default)]
    pub q: Option<String>,
    /// `updated` (default; with a search: `created`), `created` (newest first), `due`, `priority`.
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub page: Option<u32>,
}

/// One page of the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CasePage {
    pub cases: Vec<Case>,
    /// Cases matching; with a full-text search counted up to `SEARCH_COUNT_LIMIT` only.
    pub total: u64,
    /// `total` is a lower bound: the search matches more cases than were counted.
    #[serde(default)]
    pub total_capped: bool,
    pub page: u32,
    pub pages: u32,
    pub per_page: u32,
}

/// A full-text search counts its matches up to this number ("mehr als 200"); beyond it a
/// search is too broad to page through and should be narrowed.
pub const SEARCH_COUNT_LIMIT: u64 = 200;

pub use crate::vocabulary::cases::PresetView;

mod ratings;
pub use ratings::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_round_trips_through_its_code() {
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::from_code(s.code()), Some(s));
        }
        for p in Priority::ALL {
            assert_eq!(Priority::from_code(p.code()), Some(p));
        }
    }

    #[test]
    fn the_workflow_allows_only_its_transitions() {
        use CaseStatus::*;
        assert!(New.may_become(Triage));
        assert!(!New.may_become(Solved));
        assert!(!New.may_become(InProgress));
        assert!(Triage.may_become(InProgress));
        assert!(InProgress.may_become(Waiting));
        assert!(Waiting.may_become(InProgress));
        assert!(Solved.may_become(InProgress), "reopen");
        assert!(Solved.may_become(Closed));
        assert!(!InProgress.may_become(Closed));
        assert!(Closed.next().is_empty());
    }
}
