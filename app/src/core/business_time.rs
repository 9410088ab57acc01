//! Business hours in Europe/Berlin with Sachsen-Anhalt's public holidays: the clock that
//! service-level timers run on. Pure functions over a configurable working day.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Berlin;

/// The longest span any calculation walks, so a misconfigured calendar cannot loop forever.
const MAX_DAYS: i64 = 3 * 366;

/// When advisors work: a daily window on the chosen weekdays, holidays excluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Minutes after local midnight the working day starts (default 08:00).
    pub start_minute: u32,
    /// Minutes after local midnight the working day ends (default 16:00).
    pub end_minute: u32,
    /// Working weekdays, Monday first.
    pub weekdays: [bool; 7],
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar { start_minute: 8 * 60, end_minute: 16 * 60, weekdays: [true, true, true, true, true, false, false] }
    }
}

/// Easter Sunday of a Gregorian year (anonymous Gregorian algorithm of Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or_default()
}

/// The statutory public holidays of Sachsen-Anhalt in a year, with their names.
pub fn holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let fixed = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).unwrap_or_default();
    let easter = easter_sunday(year);
    let mut list = vec![
        (fixed(1, 1), "Neujahr"),
        (fixed(1, 6), "Heilige Drei Könige"),
        (easter - Duration::days(2), "Karfreitag"),
        (easter + Duration::days(1), "Ostermontag"),
        (fixed(5, 1), "Tag der Arbeit"),
        (easter + Duration::days(39), "Christi Himmelfahrt"),
        (easter + Duration::days(50), "Pfingstmontag"),
        (fixed(10, 3), "Tag der Deutschen Einheit"),
        (fixed(10, 31), "Reformationstag"),
        (fixed(12, 25), "1. Weihnachtstag"),
        (fixed(12, 26), "2. Weihnachtstag"),
    ];
    list.sort();
    list
}

pub fn is_holiday(d: NaiveDate) -> bool {
    let easter = easter_sunday(d.year());
    let offset = (d - easter).num_days();
    matches!(offset, -2 | 1 | 39 | 50) || matches!((d.month(), d.day()), (1, 1) | (1, 6) | (5, 1) | (10, 3) | (10, 31) | (12, 25) | (12, 26))
}

/// The dates `is_holiday` answers yes for in a year, each once (Himmelfahrt can fall on 1 May).
fn holiday_dates(year: i32) -> Vec<NaiveDate> {
    let easter = easter_sunday(year);
    let mut dates: Vec<NaiveDate> = [-2, 1, 39, 50].into_iter().map(|o| easter + Duration::days(o)).collect();
    dates.extend([(1, 1), (1, 6), (5, 1), (10, 3), (10, 31), (12, 25), (12, 26)].into_iter().filter_map(|(m, d)| NaiveDate::from_ymd_opt(year, m, d)));
    dates.sort();
    dates.dedup();
    dates
}

fn weekday_index(w: Weekday) -> usize {
    w.num_days_from_monday() as usize
}

impl Calendar {
    /// Whether the calendar has any working time at all.
    pub fn is_valid(&self) -> bool {
        self.start_minute < self.end_minute && self.end_minute <= 24 * 60 && self.weekdays.iter().any(|w| *w)
    }

    pub fn is_workday(&self, d: NaiveDate) -> bool {
        self.weekdays[weekday_index(d.weekday())] && !is_holiday(d)
    }

    fn at(d: NaiveDate, minute: u32) -> DateTime<Utc> {
        let time = NaiveTime::from_num_seconds_from_midnight_opt(minute.min(24 * 60 - 1) * 60, 0).unwrap_or_default();
        let local = d.and_time(time);
        // Working hours never fall into the spring-forward gap; `earliest` covers the autumn overlap.
        Berlin.from_local_datetime(&local).earliest().map(|t| t.with_timezone(&Utc)).unwrap_or_else(|| Utc.from_utc_datetime(&local))
    }

    /// The working window of a day in UTC, or `None` on a day off.
    /// The working days from `from` to `to`, both included: whole weeks counted, holidays on
    /// working weekdays taken off.
    fn workdays(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let days = (to - from).num_days() + 1;
        let weeks = days / 7;
        let mut n = weeks * self.weekdays.iter().filter(|w| **w).count() as i64;
        let mut d = from + Duration::days(weeks * 7);
        while d <= to {
            n += i64::from(self.weekdays[weekday_index(d.weekday())]);
            d = d.succ_opt().unwrap_or(to + Duration::days(1));
        }
        for year in from.year()..=to.year() {
            n -= holiday_dates(year).into_iter().filter(|h| *h >= from && *h <= to && self.weekdays[weekday_index(h.weekday())]).count() as i64;
        }
        n
    }

    fn window(&self, d: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        self.is_workday(d).then(|| (Self::at(d, self.start_minute), Self::at(d, self.end_minute)))
    }

    /// The instant `minutes` business minutes after `start`.
    pub fn add_minutes(&self, start: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
        if minutes <= 0 || !self.is_valid() {
            return start;
        }
        let mut remaining = minutes * 60;
        let mut day = start.with_timezone(&Berlin).date_naive();
        let mut t = start;
        for _ in 0..MAX_DAYS {
            if let Some((ws, we)) = self.window(day) {
                if t < ws {
                    t = ws;
                }
                if t < we {
                    let available = (we - t).num_seconds();
                    if remaining <= available {
                        return t + Duration::seconds(remaining);
                    }
                    remaining -= available;
                }
            }
            day = day.succ_opt().unwrap_or(day);
            t = Self::at(day, 0).max(t);
        }
        t
    }

    /// Business minutes from `a` to `b` (negative when `b` is before `a`), rounded toward zero.
    pub fn minutes_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
        if b < a {
            return -self.minutes_between(b, a);
        }
        if !self.is_valid() {
            return 0;
        }
        let overlap = |day: NaiveDate| match self.window(day) {
            Some((ws, we)) => (we.min(b) - ws.max(a)).num_seconds().max(0),
            None => 0,
        };
        let first = a.with_timezone(&Berlin).date_naive();
        let last = b.with_timezone(&Berlin).date_naive();
        let end = last.min(first + Duration::days(MAX_DAYS - 1));
        let mut seconds = overlap(first);
        if end > first {
            // The days in between count whole. Counted rather than walked: a case opened a year
            // ago must not cost a year of calendar days on every page that shows its timers.
            let inner_to = if end == last { end - Duration::days(1) } else { end };
            let inner_from = first + Duration::days(1);
            if inner_from <= inner_to {
                if self.start_minute >= 3 * 60 {
                    // Windows after 03:00 are never touched by the clock changes at night.
                    let window = i64::from(self.end_minute.min(24 * 60 - 1) - self.start_minute) * 60;
                    seconds += self.workdays(inner_from, inner_to) * window;
                } else {
                    let mut day = inner_from;
                    while day <= inner_to {
                        seconds += overlap(day);
                        day = day.succ_opt().unwrap_or(inner_to + Duration::days(1));
                    }
                }
            }
            if end == last {
                seconds += overlap(last);
            }
        }
        seconds / 60
    }
}

/// "3 Std. 20 Min." (or "2 Arbeitstage 1 Std." for long spans of an 8-hour day), German.
pub fn format_minutes(minutes: i64, day_minutes: i64) -> String {
    let sign = if minutes < 0 { "−" } else { "" };
    let m = minutes.abs();
    let day_minutes = day_minutes.max(1);
    let days = m / day_minutes;
    let hours = (m % day_minutes) / 60;
    let mins = m % 60;
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(if days == 1 { "1 Arbeitstag".to_string() } else { format!("{days} Arbeitstage") });
    }
    if hours > 0 {
        parts.push(format!("{hours} Std."));
    }
    if mins > 0 || parts.is_empty() {
        parts.push(format!("{mins} Min."));
    }
    format!("{sign}{}", parts.join(" "))
}

#[cfg(test)]
// Test code only: a failing `expect` is the test failing, with its message.
mod tests {
    use super::*;

    fn berlin(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Berlin.with_ymd_and_hms(y, m, d, h, min, 0).single().expect("valid local time").with_timezone(&Utc)
    }

    #[test]
    fn easter_dates_match_the_calendar() {
        assert_eq!(easter_sunday(2024), NaiveDate::from_ymd_opt(2024, 3, 31).expect("date"));
        assert_eq!(easter_sunday(2025), NaiveDate::from_ymd_opt(2025, 4, 20).expect("date"));
        assert_eq!(easter_sunday(2026), NaiveDate::from_ymd_opt(2026, 4, 5).expect("date"));
        assert_eq!(easter_sunday(2027), NaiveDate::from_ymd_opt(2027, 3, 28).expect("date"));
        assert_eq!(easter_sunday(2038), NaiveDate::from_ymd_opt(2038, 4, 25).expect("date"));
    }

    #[test]
    fn sachsen_anhalt_has_eleven_holidays_including_epiphany_and_reformation_day() {
        let list = holidays(2026);
        assert_eq!(list.len(), 11);
        let names: Vec<&str> = list.iter().map(|(_, n)| *n).collect();
        assert!(names.contains(&"Heilige Drei Könige"));
        assert!(names.contains(&"Reformationstag"));
        assert!(!names.contains(&"Fronleichnam"), "Fronleichnam is no holiday in Sachsen-Anhalt");
        for (d, _) in &list {
            assert!(is_holiday(*d), "{d}");
        }
        assert!(is_holiday(NaiveDate::from_ymd_opt(2026, 4, 3).expect("date")), "Karfreitag 2026");
        assert!(is_holiday(NaiveDate::from_ymd_opt(2026, 5, 14).expect("date")), "Himmelfahrt 2026");
        assert!(is_holiday(NaiveDate::from_ymd_opt(2026, 5, 25).expect("date")), "Pfingstmontag 2026");
        assert!(!is_holiday(NaiveDate::from_ymd_opt(2026, 6, 4).expect("date")), "Fronleichnam 2026");
        assert!(!is_holiday(NaiveDate::from_ymd_opt(2026, 11, 18).expect("date")), "Buß- und Bettag only in Sachsen");
    }

    #[test]
    fn minutes_inside_one_working_day_add_up_directly() {
        let c = Calendar::default();
        let start = berlin(2026, 11, 24, 9, 0);
        assert_eq!(c.add_minutes(start, 120), berlin(2026, 11, 24, 11, 0));
        assert_eq!(c.minutes_between(start, berlin(2026, 11, 24, 11, 0)), 120);
    }

    #[test]
    fn time_after_hours_and_over_the_weekend_does_not_count() {
        let c = Calendar::default();
        // Friday 15:00 + 4 h → Monday 11:00.
        let friday = berlin(2026, 11, 27, 15, 0);
        assert_eq!(c.add_minutes(friday, 240), berlin(2026, 11, 30, 11, 0));
        assert_eq!(c.minutes_between(friday, berlin(2026, 11, 30, 11, 0)), 240);
        // Filed Saturday: the clock starts Monday 08:00.
        assert_eq!(c.add_minutes(berlin(2026, 11, 28, 10, 0), 60), berlin(2026, 11, 30, 9, 0));
        // Filed in the evening: starts next morning.
        assert_eq!(c.add_minutes(berlin(2026, 11, 24, 19, 30), 30), berlin(2026, 11, 25, 8, 30));
    }

    #[test]
    fn a_case_filed_on_maundy_thursday_afternoon_is_due_after_easter() {
        let c = Calendar::default();
        // Gründonnerstag 2026-04-02 14:00; Karfreitag, the weekend and Ostermontag are off.
        let filed = berlin(2026, 4, 2, 14, 0);
        assert_eq!(c.add_minutes(filed, 8 * 60), berlin(2026, 4, 7, 14, 0));
        assert_eq!(c.minutes_between(filed, berlin(2026, 4, 7, 8, 0)), 120);
    }

    #[test]
    fn epiphany_and_reformation_day_are_skipped() {
        let c = Calendar::default();
        // Monday 2025-01-05 is a Sunday; 2026-01-05 Monday 15:00 + 2 h skips Tuesday 6 January.
        assert_eq!(c.add_minutes(berlin(2026, 1, 5, 15, 0), 120), berlin(2026, 1, 7, 9, 0));
        // Friday 2025-10-31 (Reformationstag): Thursday 15:00 + 2 h → Monday 09:00.
        assert_eq!(c.add_minutes(berlin(2025, 10, 30, 15, 0), 120), berlin(2025, 11, 3, 9, 0));
    }

    #[test]
    fn daylight_saving_changes_do_not_shift_the_working_day() {
        let c = Calendar::default();
        // Clocks change on Sunday 2026-03-29; Friday 15:00 + 2 h → Monday 09:00 local.
        assert_eq!(c.add_minutes(berlin(2026, 3, 27, 15, 0), 120), berlin(2026, 3, 30, 9, 0));
        assert_eq!(c.add_minutes(berlin(2026, 10, 23, 15, 0), 120), berlin(2026, 10, 26, 9, 0));
    }

    #[test]
    fn adding_and_measuring_are_inverse() {
        let c = Calendar::default();
        let start = berlin(2026, 12, 22, 10, 17);
        for minutes in [1, 59, 480, 481, 2400, 9999] {
            let due = c.add_minutes(start, minutes);
            assert_eq!(c.minutes_between(start, due), minutes, "{minutes}");
            assert_eq!(c.minutes_between(due, start), -minutes);
        }
    }

    #[test]
    fn a_configured_calendar_is_respected() {
        let c = Calendar { start_minute: 7 * 60, end_minute: 19 * 60, weekdays: [true, true, true, true, true, true, false] };
        // Saturday counts here.
        assert_eq!(c.add_minutes(berlin(2026, 11, 28, 18, 0), 120), berlin(2026, 11, 30, 8, 0));
        let none = Calendar { weekdays: [false; 7], ..Calendar::default() };
        assert!(!none.is_valid());
        let start = berlin(2026, 11, 28, 18, 0);
        assert_eq!(none.add_minutes(start, 60), start, "an invalid calendar does not loop");
    }

    /// Day by day, as the count must agree with: every day's window cut to [a, b].
    fn walked(c: &Calendar, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
        if b < a {
            return -walked(c, b, a);
        }
        let mut seconds = 0;
        let mut day = a.with_timezone(&Berlin).date_naive();
        let last = b.with_timezone(&Berlin).date_naive();
        for _ in 0..MAX_DAYS {
            if day > last {
                break;
            }
            if let Some((ws, we)) = c.window(day) {
                seconds += (we.min(b) - ws.max(a)).num_seconds().max(0);
            }
            day = day.succ_opt().expect("day");
        }
        seconds / 60
    }

    #[test]
    fn long_spans_are_counted_exactly_as_walking_the_days_would() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let calendars = [
            Calendar::default(),
            Calendar { start_minute: 7 * 60 + 30, end_minute: 24 * 60, weekdays: [true, false, true, true, false, true, true] },
            Calendar { start_minute: 60, end_minute: 5 * 60, weekdays: [true; 7] },
        ];
        let base = berlin(2024, 1, 1, 0, 0);
        for c in &calendars {
            for _ in 0..400 {
                let a = base + Duration::minutes(rng.gen_range(0..3 * 366 * 24 * 60));
                let b = a + Duration::minutes(rng.gen_range(-500 * 24 * 60..1200 * 24 * 60));
                assert_eq!(c.minutes_between(a, b), walked(c, a, b), "{c:?} from {a} to {b}");
            }
        }
        // Himmelfahrt on 1 May (2008) is one holiday, not two.
        let c = Calendar::default();
        assert_eq!(c.minutes_between(berlin(2008, 4, 28, 8, 0), berlin(2008, 5, 5, 8, 0)), walked(&c, berlin(2008, 4, 28, 8, 0), berlin(2008, 5, 5, 8, 0)));
    }

    #[test]
    fn durations_read_in_german() {
        assert_eq!(format_minutes(200, 480), "3 Std. 20 Min.");
        assert_eq!(format_minutes(960 + 60, 480), "2 Arbeitstage 1 Std.");
        assert_eq!(format_minutes(-30, 480), "−30 Min.");
        assert_eq!(format_minutes(0, 480), "0 Min.");
    }
}
