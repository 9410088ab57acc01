//! Calendar entries (`.ics`, RFC 5545, built with the icalendar crate) for whatever has a time:
//! events and the Gremien's meetings. The `UID` is stable per thing and the `SEQUENCE` its
//! version, so a calendar updates the entry it has instead of adding a second one.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, EventLike};

/// One entry.
pub struct Entry<'a> {
    /// Unique within the portal (`termin-12`, `sitzung-3`); the host is added.
    pub uid: String,
    pub summary: &'a str,
    pub description: String,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    /// The page in the portal.
    pub url: String,
    pub location: Option<&'a str>,
    pub cancelled: bool,
    pub sequence: i32,
}

/// The host part of the portal's base address (for unique ids).
fn host(base_url: &str) -> &str {
    base_url.trim_end_matches('/').split("://").nth(1).unwrap_or("ozg-portal").split('/').next().unwrap_or("ozg-portal")
}

/// A calendar of the entries.
pub fn calendar(name: &str, base_url: &str, entries: Vec<Entry<'_>>) -> String {
    let host = host(base_url);
    let mut cal = Calendar::new();
    cal.name(name);
    for e in entries {
        let mut entry = icalendar::Event::new();
        entry
            .uid(&format!("{}@{host}", e.uid))
            .summary(e.summary)
            .description(&e.description)
            .starts(e.starts)
            .ends(e.ends)
            .url(&e.url)
            .status(if e.cancelled { icalendar::EventStatus::Cancelled } else { icalendar::EventStatus::Confirmed });
        entry.add_property("SEQUENCE", e.sequence.to_string());
        if let Some(l) = e.location {
            entry.location(l);
        }
        cal.push(entry.done());
    }
    cal.done().to_string()
}
