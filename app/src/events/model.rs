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

/// An event as the advisors' editor sends it: text only (`tf[0]`, `tf[1]`, … the Themenfelder).
/// `EventInput::try_from` reads it once, with a German message beside each field it cannot read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// `JJJJ-MM-TTTHH:MM` in Europe/Berlin.
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub online_url: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub tf: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub version: String,
}

/// A checked event: one-line fields without control characters, times in UTC.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventInput {
    pub title: String,
    pub description: String,
    pub starts: chrono::DateTime<chrono::Utc>,
    pub ends: chrono::DateTime<chrono::Utc>,
    pub online_url: Option<String>,
    pub place: Option<String>,
    pub capacity: Option<i32>,
    pub audience: crate::vocabulary::knowledge::Audience,
    /// Sorted, each once.
    pub themenfelder: Vec<String>,
    /// The version the change is based on; 0 for a new event.
    pub version: i32,
}

#[cfg(feature = "ssr")]
impl TryFrom<EventForm> for EventInput {
    type Error = crate::error::AppError;

    fn try_from(i: EventForm) -> Result<Self, Self::Error> {
        use crate::core::time::berlin_to_utc;
        let mut errors: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
        let mut bad = |f: &str, m: &str| errors.entry(f.to_string()).or_default().push(m.to_string());
        // One-line fields lose every control character (a lone carriage return would start a new
        // line in the `.ics`, where a line is a property); runs of spaces become one.
        let one_line = |s: &str| s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
        let title = one_line(&i.title);
        let len = |s: &str| s.chars().count();
        if len(&title) < 3 || len(&title) > 200 {
            bad("title", "Der Titel muss 3 bis 200 Zeichen lang sein.");
        }
        let description = i.description.replace("\r\n", "\n");
        if description.trim().is_empty() || len(&description) > 20_000 {
            bad("description", "Bitte beschreiben Sie den Termin (höchstens 20.000 Zeichen).");
        }
        let starts = berlin_to_utc(&i.starts);
        let ends = berlin_to_utc(&i.ends);
        match (starts, ends) {
            (None, _) => bad("starts", "Bitte geben Sie den Beginn als Datum und Uhrzeit an."),
            (_, None) => bad("ends", "Bitte geben Sie das Ende als Datum und Uhrzeit an."),
            (Some(s), Some(e)) if e <= s => bad("ends", "Das Ende muss nach dem Beginn liegen."),
            _ => {}
        }
        let online_url = Some(i.online_url.trim().to_string()).filter(|u| !u.is_empty());
        if let Some(u) = &online_url
            && (!(u.starts_with("https://") || u.starts_with("http://")) || len(u) > 500 || u.contains(char::is_whitespace))
        {
            bad("online_url", "Der Link muss mit https:// beginnen und darf höchstens 500 Zeichen lang sein.");
        }
        let place = Some(one_line(&i.place)).filter(|p| !p.is_empty());
        if place.as_ref().is_some_and(|p| len(p) > 300) {
            bad("place", "Der Ort darf höchstens 300 Zeichen lang sein.");
        }
        if online_url.is_none() && place.is_none() {
            bad("place", "Bitte geben Sie einen Ort oder einen Link für die Teilnahme an.");
        }
        let capacity = match i.capacity.trim() {
            "" => None,
            c => match c.parse::<i32>() {
                Ok(n) if (1..=10_000).contains(&n) => Some(n),
                _ => {
                    bad("capacity", "Die Zahl der Plätze ist eine ganze Zahl von 1 bis 10.000 (leer: unbegrenzt).");
                    None
                }
            },
        };
        let audience = crate::vocabulary::knowledge::Audience::from_code(i.audience.trim());
        if audience.is_none() {
            bad("audience", "Bitte wählen Sie, für wen der Termin ist.");
        }
        let mut themenfelder: Vec<String> = i.tf.into_values().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
        themenfelder.sort();
        themenfelder.dedup();
        match (starts, ends, audience) {
            (Some(starts), Some(ends), Some(audience)) if errors.is_empty() => Ok(EventInput {
                title,
                description,
                starts,
                ends,
                online_url,
                place,
                capacity,
                audience,
                themenfelder,
                version: i.version.trim().parse().unwrap_or(0),
            }),
            _ => Err(crate::error::AppError::Validation(errors)),
        }
    }
}
