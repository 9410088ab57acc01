//! Time helpers: everything is stored in UTC and shown in Europe/Berlin as `TT.MM.JJJJ`.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Berlin;

/// Now, in UTC, truncated to whole microseconds so values round-trip through every database.
pub fn now() -> DateTime<Utc> {
    let n = Utc::now();
    DateTime::from_timestamp_micros(n.timestamp_micros()).unwrap_or(n)
}

/// RFC 3339 in UTC to the second, as the API and the pages exchange times.
pub fn rfc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `TT.MM.JJJJ HH:MM` in Europe/Berlin.
pub fn format_berlin(t: DateTime<Utc>) -> String {
    t.with_timezone(&Berlin).format("%d.%m.%Y %H:%M").to_string()
}

/// `TT.MM.JJJJ` in Europe/Berlin.
pub fn berlin_date(t: DateTime<Utc>) -> String {
    t.with_timezone(&Berlin).format("%d.%m.%Y").to_string()
}

/// A local time in Europe/Berlin as UTC (in the autumn's doubled hour, the first).
pub fn berlin_to_utc(local: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(local.trim(), "%Y-%m-%dT%H:%M").ok()?;
    Berlin.from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc))
}

/// A UTC instant as the value of `<input type="datetime-local">` in Europe/Berlin.
pub fn utc_to_local_input(t: DateTime<Utc>) -> String {
    t.with_timezone(&Berlin).format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
// Test code only: a failing `expect` is the test failing, with its message.
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn berlin_time_accounts_for_summer_time() {
        let summer = Utc.with_ymd_and_hms(2025, 7, 1, 10, 0, 0).single().expect("valid date");
        assert_eq!(format_berlin(summer), "01.07.2025 12:00");
        let winter = Utc.with_ymd_and_hms(2025, 12, 24, 10, 0, 0).single().expect("valid date");
        assert_eq!(format_berlin(winter), "24.12.2025 11:00");
    }
}

/// A day as people type it or a date field sends it: `TT.MM.JJJJ` (how the portal writes days)
/// or `JJJJ-MM-TT` (what a browser's date field sends).
pub fn parse_day(text: &str) -> Option<chrono::NaiveDate> {
    let t = text.trim();
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").or_else(|_| chrono::NaiveDate::parse_from_str(t, "%d.%m.%Y")).ok()
}
