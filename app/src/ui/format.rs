//! Formatting for people: dates as `TT.MM.JJJJ`; amounts (from the vocabulary's money).

/// `JJJJ-MM-TT…` (an ISO date or timestamp) as `TT.MM.JJJJ`.
pub fn format_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.get(..10).unwrap_or(iso).split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

/// Percent-encodes a query value.
pub fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub use crate::vocabulary::money::{euro, parse_euro};

