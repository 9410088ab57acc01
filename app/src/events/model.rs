//! Events as pages and the API show them: the list, one event with the caller's registration,
//! the advisors' editor and the list of registrants.

use crate::ui::rich::RichText;
use serde::{Deserialize, Serialize};

/// Registration states as (code, label).
pub use crate::vocabulary::knowledge::{EventStatus, Registration};


/// An event in a list (and in the REST API).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventSummary {
    pub id: i64,
    pub title: String,
    /// Day and time in Europe/Berlin, e.g. "Dienstag, 12.01.2027, 10:00 bis 11:30 Uhr".
    pub when: String,
    /// Start and end, RFC 3339 (UTC).
    pub starts_at: String,
    pub ends_at: String,
    /// "online", the place, or both.
    pub location: String,
    pub audience: crate::vocabulary::knowledge::Audience,
    pub status: EventStatus,
    /// Free places (`None`: no limit).
    pub free: Option<i64>,
    pub themenfelder: Vec<String>,
    /// The caller's registration state, if any.
    pub mine: Option<Registration>,
}

/// An event on its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub summary: EventSummary,
    pub description: RichText,
    pub place: Option<String>,
    /// Only for those registered and for advisors.
    pub online_url: Option<String>,
    pub capacity: Option<i32>,
    pub registered: i64,
    pub waiting: i64,
    /// The caller's place on the waiting list.
    pub waiting_position: Option<i64>,
    /// The caller may register now (a clerk or association, the event ahead and not cancelled).
    pub may_register: bool,
    pub past: bool,
    pub materials: Option<RichText>,
    /// Advisors only.
    pub desk: Option<EventDesk>,
}

/// What advisors see of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDesk {
    /// (name, organisation, state, registered at)
    pub registrants: Vec<(String, String, String, String)>,
    pub materials_markdown: String,
}

/// The editor's content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDraft {
    pub id: Option<i64>,
    pub title: String,
    pub description: String,
    /// `JJJJ-MM-TTTHH:MM` in Europe/Berlin (as `<input type="datetime-local">` sends it).
    pub starts: String,
    pub ends: String,
    pub online_url: String,
    pub place: String,
    pub capacity: String,
    pub audience: crate::vocabulary::knowledge::Audience,
    pub themenfelder: Vec<String>,
    pub version: i32,
    pub all_themenfelder: Vec<String>,
}

/// Upcoming and past events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventList {
    pub upcoming: Vec<EventSummary>,
    pub past: Vec<EventSummary>,
    pub advisor: bool,
}
