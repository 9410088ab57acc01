//! What the start pages show: the figures and lines of each role.

use serde::{Deserialize, Serialize};

/// `part` of `whole` in percent; `None` when withheld or nothing to count.
pub fn share(part: Option<i64>, whole: Option<i64>) -> Option<f64> {
    match (part, whole) {
        (Some(p), Some(w)) if w > 0 => Some(100.0 * p as f64 / w as f64),
        _ => None,
    }
}

/// A percentage as German text ("12,5 %"), or "–".
pub fn percent_text(v: Option<f64>) -> String {
    v.map(crate::ui::format::percent).unwrap_or_else(|| "–".into())
}

/// The Land's area in the Lagebild (its ARS).
pub const LAND_AREA: &str = "15";

/// What the start page shows besides the user's organisations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// (German label, count) of the organisations the role looks after.
    pub organisations: Vec<(String, u64)>,
    /// Inhabitants covered by those organisations, where meaningful.
    pub population: Option<i64>,
    pub ozg_services: u64,
    pub leika_services: u64,
    pub focus_services: u64,
    /// Active accounts (administrators only).
    pub active_users: Option<u64>,
    /// A clerk's Kommunen: progress, what needs them, comparison.
    pub kommunen: Vec<KommuneStart>,
    /// What needs an advisor or administrator, each with its link.
    pub needs: Vec<Need>,
    /// The Land's key figures (advisors, administrators: all Kommunen; associations: members).
    pub area: Option<AreaStart>,
    /// The background jobs' last runs (administrators).
    pub jobs: Vec<JobLine>,
    /// The Land's unread announcements to a clerk's Kommunen.
    pub announcements: Vec<crate::announcements::model::AnnouncementItem>,
    /// The open surveys a clerk's Kommunen are asked in, with their answers' progress.
    #[serde(default)]
    pub surveys: Vec<crate::surveys::answers::OpenSurvey>,
    /// The open tasks of Gremien the person owns (themselves or through an organisation).
    #[serde(default)]
    pub tasks: crate::gremien::work::OwnTasks,
    /// The Gremien the person belongs to: (id, name, role).
    #[serde(default)]
    pub bodies: Vec<(i64, String, crate::gremien::model::MemberRole)>,
    /// The EfA services of a clerk's Kommunen that do not run normally.
    #[serde(default)]
    pub service_states: Vec<crate::rollout::model::ServiceStatus>,
    /// The open faults of the EfA services a clerk's Kommunen are connected to.
    #[serde(default)]
    pub open_faults: Vec<crate::faults::model::ReportItem>,
    /// The EfA services a partner's organisation operates, with their connections' progress.
    #[serde(default)]
    pub operated: Vec<crate::rollout::model::OperatedService>,
}

/// A background job's last run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobLine {
    pub label: String,
    /// `TT.MM.JJJJ HH:MM:SS` (Europe/Berlin).
    pub last_run: String,
    pub millis: i32,
    pub ok: bool,
    pub runs: i64,
    pub failures: i64,
    /// When and why it last failed.
    pub last_failure: Option<String>,
}

/// One key figure with its change over the last month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFigure {
    pub label: String,
    pub value: String,
    pub change: Option<String>,
}

/// The key figures of an area of the Lagebild.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaStart {
    pub name: String,
    /// Whose Kommunen are counted.
    pub whose: String,
    pub figures: Vec<KeyFigure>,
    /// The month (`JJJJ-MM`) the changes are measured from.
    pub compared_with: Option<String>,
    pub href: String,
}

/// Something that needs the user, with where it is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub label: String,
    pub count: u64,
    pub href: String,
}

/// A recent annotation of the Land's advisors on one of the Kommune's services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub service: String,
    pub body: String,
    /// `TT.MM.JJJJ`.
    pub date: String,
    pub href: String,
}

/// Shares of an area, in percent (`None`: withheld or nothing to count).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub name: String,
    pub online_share: Option<f64>,
    pub compliant_share: Option<f64>,
}

/// A case with an answer of the Land its Kommune's clerk has not read yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewReply {
    pub case_id: i64,
    pub subject: String,
    /// When the answer came (TT.MM.JJJJ HH:MM, Berlin).
    pub at: String,
}

/// One Kommune on a clerk's start page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KommuneStart {
    pub key: String,
    pub name: String,
    /// OZG-Leistungen of the catalogue, online ones, OZG-compliant ones (Reifegrad ≥ 3, 1.1).
    pub catalogue: usize,
    pub online: usize,
    pub compliant: usize,
    pub focus: usize,
    pub focus_online: usize,
    pub progress: crate::register::model::Progress,
    pub needs: Vec<Need>,
    pub notes: Vec<Note>,
    /// Cases of the Kommune with an answer of the Land the person has not read yet, newest first.
    #[serde(default)]
    pub new_replies: Vec<NewReply>,
    /// The Kommune itself, its Kreis (unless a kreisfreie Stadt) and the Land.
    pub comparison: Vec<Comparison>,
    /// Its most used online services over the last twelve reported months, beside Kreis and Land.
    #[serde(default)]
    pub usage: Option<crate::usage::model::StartUsage>,
}

