//! Service levels of cases: targets per priority, working hours, and the three timers (first
//! response, resolution, and the follow-up answer once the Kommune wrote again) with their
//! pauses while "Wartet auf Kommune" or "Gelöst".

use crate::core::business_time::{Calendar, format_minutes};
use crate::core::entities::{case_setting, sla_target, support_case};
use crate::cases::model::{CaseStatus, Priority, SlaTarget, SlaTimer};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use std::collections::HashMap;

/// Working hours and targets, read once per request.
#[derive(Debug, Clone)]
pub struct SlaSettings {
    pub calendar: Calendar,
    pub targets: HashMap<Priority, Targets>,
    /// Whether an advisor who answers an unassigned case takes it (setting `assign_on_reply`).
    pub assign_on_reply: bool,
}

/// The targets of one priority, in business minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    pub first: i64,
    pub resolution: i64,
    /// The answer owed once the Kommune wrote again after the Land's answer.
    pub followup: i64,
}

impl Targets {
    const fn of(first: i64, resolution: i64) -> Targets {
        Targets { first, resolution, followup: first }
    }
}

impl Default for SlaSettings {
    fn default() -> Self {
        let targets = [
            (Priority::Urgent, Targets::of(240, 960)),
            (Priority::High, Targets::of(480, 2400)),
            (Priority::Normal, Targets::of(960, 4800)),
            (Priority::Low, Targets::of(2400, 9600)),
        ]
        .into_iter()
        .collect();
        SlaSettings { calendar: Calendar::default(), targets, assign_on_reply: true }
    }
}

fn parse_hhmm(v: &str) -> Option<u32> {
    let (h, m) = v.trim().split_once(':')?;
    let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
    (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
}

/// Parses `1,2,3,4,5` (1 = Monday).
pub fn parse_days(v: &str) -> Option<[bool; 7]> {
    let mut days = [false; 7];
    for part in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let d = part.parse::<usize>().ok().filter(|d| (1..=7).contains(d))?;
        days[d - 1] = true;
    }
    days.iter().any(|d| *d).then_some(days)
}

pub async fn settings(db: &impl ConnectionTrait) -> Result<SlaSettings, DbErr> {
    let mut s = SlaSettings::default();
    for row in case_setting::Entity::find().all(db).await? {
        match row.key.as_str() {
            "work_start" => {
                if let Some(m) = parse_hhmm(&row.value) {
                    s.calendar.start_minute = m;
                }
            }
            "work_end" => {
                if let Some(m) = parse_hhmm(&row.value) {
                    s.calendar.end_minute = m;
                }
            }
            "work_days" => {
                if let Some(d) = parse_days(&row.value) {
                    s.calendar.weekdays = d;
                }
            }
            "assign_on_reply" => s.assign_on_reply = row.value != "nein",
            _ => {}
        }
    }
    if !s.calendar.is_valid() {
        tracing::error!("Arbeitszeiten der Beratungsfälle sind ungültig; es gilt Mo–Fr 08:00–16:00");
        s.calendar = Calendar::default();
    }
    for t in sla_target::Entity::find().all(db).await? {
        if let Some(p) = Priority::from_code(&t.priority) {
            let followup = if t.followup_minutes > 0 { t.followup_minutes } else { t.first_response_minutes };
            s.targets.insert(p, Targets { first: i64::from(t.first_response_minutes), resolution: i64::from(t.resolution_minutes), followup: i64::from(followup) });
        }
    }
    Ok(s)
}

impl SlaSettings {
    pub fn target(&self, p: Priority) -> Targets {
        self.targets.get(&p).copied().unwrap_or(Targets::of(960, 4800))
    }

    /// Deadlines of a case filed at `created` with `paused` business minutes of pause so far.
    pub fn due_dates(&self, p: Priority, created: DateTime<Utc>, paused: i64) -> (DateTime<Utc>, DateTime<Utc>) {
        let t = self.target(p);
        (self.calendar.add_minutes(created, t.first + paused), self.calendar.add_minutes(created, t.resolution + paused))
    }

    /// The deadline of a follow-up answer owed since `since`, with `paused` business minutes of
    /// pause since then.
    pub fn followup_due(&self, p: Priority, since: DateTime<Utc>, paused: i64) -> DateTime<Utc> {
        self.calendar.add_minutes(since, self.target(p).followup + paused)
    }

    pub fn day_minutes(&self) -> i64 {
        i64::from(self.calendar.end_minute.saturating_sub(self.calendar.start_minute))
    }

    pub fn target_list(&self) -> Vec<SlaTarget> {
        Priority::ALL
            .iter()
            .rev()
            .map(|p| {
                let t = self.target(*p);
                SlaTarget { priority: *p, first_response_minutes: t.first as i32, resolution_minutes: t.resolution as i32, followup_minutes: t.followup as i32 }
            })
            .collect()
    }
}

/// Whether the clock runs for a case in this status (it pauses while waiting for the Kommune,
/// and stops once solved or closed).
pub fn clock_runs(status: CaseStatus) -> bool {
    matches!(status, CaseStatus::New | CaseStatus::Triage | CaseStatus::InProgress)
}

fn rfc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The timers of a case at `now`: first response and resolution, and the follow-up answer
/// once the Kommune wrote again after the Land's answer.
pub fn timers(s: &SlaSettings, c: &support_case::Model, now: DateTime<Utc>) -> Vec<SlaTimer> {
    let status = CaseStatus::from_code(&c.status).unwrap_or(CaseStatus::New);
    let mut clocks = vec![
        ("first_response", "Erste Antwort", c.response_due_at, c.first_response_at),
        ("resolution", "Lösung", c.resolution_due_at, c.solved_at.or(c.closed_at)),
    ];
    if let Some(due) = c.followup_due_at {
        clocks.insert(1, ("followup", "Folgeantwort", due, c.followup_answered_at));
    }
    let mut out = Vec::with_capacity(clocks.len());
    for (kind, label, due, stopped) in clocks {
        let (state, remaining, breached) = if let Some(at) = stopped {
            let late = at > due;
            (if late { "breached" } else { "met" }, None, late)
        } else if status == CaseStatus::Closed {
            // Closed without solution (e.g. duplicate): the timer simply ends.
            ("met", None, false)
        } else if let Some(since) = c.paused_since.filter(|_| !clock_runs(status)) {
            let left = s.calendar.minutes_between(since, due);
            ("paused", Some(left), left < 0)
        } else {
            let left = s.calendar.minutes_between(now, due);
            (if left < 0 { "breached" } else { "running" }, Some(left), left < 0)
        };
        out.push(SlaTimer {
            kind: kind.into(),
            label: label.into(),
            due_at: rfc(due),
            state: state.into(),
            remaining_minutes: remaining,
            stopped_at: stopped.map(rfc),
            breached,
        });
    }
    out
}

/// A German line for one timer: "fällig 02.12.2026 10:00 – noch 3 Std. 20 Min." (working time).
pub fn describe(t: &SlaTimer, day_minutes: i64) -> String {
    let due = DateTime::parse_from_rfc3339(&t.due_at).map(|d| crate::core::time::format_berlin(d.with_timezone(&Utc))).unwrap_or_default();
    match (t.state.as_str(), t.remaining_minutes) {
        ("running", Some(m)) => format!("fällig {due} – noch {}", format_minutes(m, day_minutes)),
        ("paused", Some(m)) => format!("angehalten – Rest {}", format_minutes(m, day_minutes)),
        ("breached", Some(m)) => format!("überschritten um {} (fällig war {due})", format_minutes(-m, day_minutes)),
        ("breached", None) => format!("nicht eingehalten (fällig war {due})"),
        _ => format!("eingehalten (fällig war {due})"),
    }
}

/// A short duration for a badge: whole working days ("2 AT"), else hours, else minutes.
fn short_duration(minutes: i64, day_minutes: i64) -> String {
    let m = minutes.abs();
    let day = day_minutes.max(1);
    if m >= day {
        format!("{}\u{a0}AT", m / day)
    } else if m >= 60 {
        format!("{}\u{a0}Std.", m / 60)
    } else {
        format!("{m}\u{a0}Min.")
    }
}

/// The inbox's badge for a case: its most urgent running timer in a few words ("Antwort fällig
/// in 2 AT", "Lösung überfällig seit 3 Std."); `None` once no timer runs. The full lines are on
/// the case.
pub fn badge(timers: &[SlaTimer], day_minutes: i64) -> Option<String> {
    let t = timers.iter().filter(|t| t.remaining_minutes.is_some()).min_by_key(|t| t.remaining_minutes)?;
    let m = t.remaining_minutes?;
    let what = match t.kind.as_str() {
        "first_response" => "Antwort",
        "followup" => "Folgeantwort",
        _ => "Lösung",
    };
    let d = short_duration(m, day_minutes);
    Some(match t.state.as_str() {
        "paused" => format!("{what} angehalten"),
        _ if m < 0 => format!("{what} überfällig seit {d}"),
        _ => format!("{what} fällig in {d}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timer(kind: &str, state: &str, remaining: Option<i64>) -> SlaTimer {
        SlaTimer { kind: kind.into(), label: String::new(), due_at: String::new(), state: state.into(), remaining_minutes: remaining, stopped_at: None, breached: remaining.is_some_and(|m| m < 0) }
    }

    #[test]
    fn the_badge_names_the_most_urgent_running_timer_in_a_few_words() {
        let day = 8 * 60;
        let both = [timer("first_response", "running", Some(2 * day + 30)), timer("resolution", "running", Some(10 * day))];
        assert_eq!(badge(&both, day).as_deref(), Some("Antwort fällig in 2\u{a0}AT"));
        let late = [timer("first_response", "met", None), timer("resolution", "breached", Some(-150))];
        assert_eq!(badge(&late, day).as_deref(), Some("Lösung überfällig seit 2\u{a0}Std."));
        let waiting = [timer("first_response", "met", None), timer("resolution", "paused", Some(45))];
        assert_eq!(badge(&waiting, day).as_deref(), Some("Lösung angehalten"));
        let done = [timer("first_response", "met", None), timer("resolution", "met", None)];
        assert_eq!(badge(&done, day), None);
        let again = [timer("first_response", "met", None), timer("followup", "running", Some(90)), timer("resolution", "running", Some(3 * day))];
        assert_eq!(badge(&again, day).as_deref(), Some("Folgeantwort fällig in 1\u{a0}Std."));
    }

    #[test]
    fn working_days_parse_from_settings() {
        assert_eq!(parse_days("1,2,3,4,5"), Some([true, true, true, true, true, false, false]));
        assert_eq!(parse_days("8"), None);
        assert_eq!(parse_days(""), None);
        assert_eq!(parse_hhmm("08:00"), Some(480));
        assert_eq!(parse_hhmm("25:00"), None);
    }
}
