//! Formatting for people: dates as `TT.MM.JJJJ`.

/// `JJJJ-MM-TT…` (an ISO date or timestamp) as `TT.MM.JJJJ`.
pub fn format_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.get(..10).unwrap_or(iso).split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}
