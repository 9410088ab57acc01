//! Faults and requirements per EfA service and the service's operating state, as pages and the
//! API show them, and the forms read once into checked types.

#[cfg(feature = "ssr")]
use crate::error::AppError;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use std::collections::BTreeMap;

pub use crate::vocabulary::services::{Party, ReportKind, ReportStatus, Severity};

/// The most characters of a report's title, its description and an answer.
pub const MAX_TITLE: usize = 200;
pub const MAX_BODY: usize = 5_000;

/// A report in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReportItem {
    pub id: i64,
    pub service_id: String,
    pub service: String,
    pub kind: ReportKind,
    pub title: String,
    pub severity: Severity,
    pub status: ReportStatus,
    /// `TT.MM.JJJJ`.
    pub since: String,
    /// Kommunen concerned (the reporter and those that joined).
    pub joined: i32,
    /// The reporting Kommune, where the caller may read it.
    pub reporter: Option<String>,
    /// Whether one of the caller's Kommunen is concerned.
    pub ours: bool,
}

/// An answer as the report's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AnswerEntry {
    pub party: Party,
    pub body: String,
    pub status: Option<ReportStatus>,
    /// Berlin time `TT.MM.JJJJ HH:MM`.
    pub at: String,
}

/// One report with what the caller may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReportView {
    pub item: ReportItem,
    pub body: String,
    pub reason: Option<String>,
    pub version: i32,
    pub answers: Vec<AnswerEntry>,
    /// The caller's Kommunen that may still join: (key, name).
    pub may_join: Vec<(String, String)>,
    /// Whether the caller answers and sets the status (the Land's advisors, the operator).
    pub may_answer: bool,
}

/// A service's reports and state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReportsOfService {
    pub status: crate::rollout::model::ServiceStatus,
    pub open: Vec<ReportItem>,
    pub closed: Vec<ReportItem>,
    /// The caller's Kommunen connected to the service that may report: (key, name).
    pub may_report: Vec<(String, String)>,
    /// Whether the caller sets the operating state (the Land's advisors, the operator).
    pub may_set_state: bool,
}

/// A report as the Kommune's form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    pub dienst: String,
    #[serde(default)]
    pub kommune: String,
    #[serde(default)]
    pub art: String,
    #[serde(default)]
    pub titel: String,
    #[serde(default)]
    pub beschreibung: String,
    #[serde(default)]
    pub schwere: String,
    #[serde(default)]
    pub seit: String,
    /// `ja`: other Kommunen may read the reporting Kommune's name.
    #[serde(default)]
    pub namentlich: String,
}

#[cfg(feature = "ssr")]
/// A checked report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub service_id: String,
    pub kommune_key: String,
    pub kind: ReportKind,
    pub title: String,
    pub body: String,
    pub severity: Severity,
    pub since: chrono::NaiveDate,
    pub named: bool,
}

#[cfg(feature = "ssr")]
fn add(e: &mut BTreeMap<String, Vec<String>>, field: &str, message: &str) {
    e.entry(field.to_string()).or_default().push(message.to_string());
}

#[cfg(feature = "ssr")]
impl TryFrom<ReportForm> for NewReport {
    type Error = AppError;

    fn try_from(f: ReportForm) -> Result<Self, AppError> {
        let mut e = BTreeMap::new();
        let kind = ReportKind::from_code(f.art.trim());
        if kind.is_none() {
            add(&mut e, "art", "Bitte wählen Sie, ob Sie eine Störung oder eine Anforderung melden.");
        }
        let title = f.titel.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.chars().count() < 5 || title.chars().count() > MAX_TITLE {
            add(&mut e, "titel", &format!("Bitte geben Sie einen Titel mit 5 bis {MAX_TITLE} Zeichen an."));
        }
        let body = f.beschreibung.trim().to_string();
        if body.chars().count() < 10 || body.chars().count() > MAX_BODY {
            add(&mut e, "beschreibung", &format!("Bitte beschreiben Sie, was geschieht (10 bis {MAX_BODY} Zeichen)."));
        }
        let severity = Severity::from_code(f.schwere.trim());
        if severity.is_none() {
            add(&mut e, "schwere", "Bitte wählen Sie, wie schwer es Sie trifft.");
        }
        let since = crate::core::time::parse_day(&f.seit);
        match since {
            None => add(&mut e, "seit", "Bitte geben Sie an, seit wann (TT.MM.JJJJ)."),
            Some(d) if d > crate::core::time::now().with_timezone(&chrono_tz::Europe::Berlin).date_naive() => add(&mut e, "seit", "Das Datum liegt in der Zukunft."),
            Some(_) => {}
        }
        if f.kommune.trim().is_empty() {
            add(&mut e, "kommune", "Bitte wählen Sie die Kommune, für die Sie melden.");
        }
        match (kind, severity, since) {
            (Some(kind), Some(severity), Some(since)) if e.is_empty() => Ok(NewReport {
                service_id: f.dienst.trim().to_string(),
                kommune_key: f.kommune.trim().to_string(),
                kind,
                title,
                body,
                severity,
                since,
                named: f.namentlich == "ja",
            }),
            _ => Err(AppError::Validation(e)),
        }
    }
}

/// An answer or status change as the Land's or the operator's form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub antwort: String,
    /// The new status (empty: unchanged).
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub version: String,
}

#[cfg(feature = "ssr")]
/// A checked answer: a public text, a new status, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAnswer {
    pub report_id: i64,
    pub body: String,
    pub status: Option<ReportStatus>,
    pub version: Option<i32>,
}

#[cfg(feature = "ssr")]
impl TryFrom<AnswerForm> for NewAnswer {
    type Error = AppError;

    fn try_from(f: AnswerForm) -> Result<Self, AppError> {
        let report_id = f.id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
        let body = f.antwort.trim().to_string();
        let status = match f.status.trim() {
            "" => None,
            code => Some(ReportStatus::from_code(code).ok_or_else(|| AppError::field("status", "Diesen Status gibt es nicht."))?),
        };
        if body.chars().count() > MAX_BODY {
            return Err(AppError::field("antwort", format!("Die Antwort hat höchstens {MAX_BODY} Zeichen.")));
        }
        if body.is_empty() && status.is_none() {
            return Err(AppError::field("antwort", "Bitte schreiben Sie eine Antwort oder wählen Sie einen neuen Status."));
        }
        if status.is_some_and(ReportStatus::needs_reason) && body.chars().count() < 10 {
            return Err(AppError::field("antwort", "Eine Ablehnung braucht eine Begründung (mindestens 10 Zeichen), die die Kommunen lesen."));
        }
        Ok(NewAnswer { report_id, body, status, version: f.version.trim().parse().ok() })
    }
}

#[cfg(all(test, feature = "ssr"))]
// Test code only: a failing `expect` is the test failing, with its message.
mod tests {
    use super::*;

    fn form() -> ReportForm {
        ReportForm {
            dienst: "s".into(),
            kommune: "15003000".into(),
            art: "stoerung".into(),
            titel: "Antragsabruf bricht ab".into(),
            beschreibung: "Seit dem Update kommt beim Abruf ein Fehler 500.".into(),
            schwere: "hoch".into(),
            seit: "2026-12-01".into(),
            namentlich: String::new(),
        }
    }

    #[test]
    fn a_report_is_read_once_with_german_messages() {
        let r = NewReport::try_from(form());
        let Ok(r) = r else { panic!("a valid report is refused: {r:?}") };
        assert_eq!((r.kind, r.severity, r.named), (ReportKind::Fault, Severity::High, false));
        let mut f = form();
        f.art = "panne".into();
        f.titel = "kurz".into();
        f.seit = "2999-01-01".into();
        let Err(AppError::Validation(e)) = NewReport::try_from(f) else { panic!("invalid") };
        assert!(e.contains_key("art") && e.contains_key("titel") && e.contains_key("seit"));
    }

    #[test]
    fn a_rejection_needs_a_reason() {
        let a = AnswerForm { id: "1".into(), antwort: "nein".into(), status: "abgelehnt".into(), version: String::new() };
        assert!(NewAnswer::try_from(a).is_err());
        let a = AnswerForm { id: "1".into(), antwort: String::new(), status: "in_arbeit".into(), version: "2".into() };
        assert_eq!(NewAnswer::try_from(a).ok().and_then(|n| n.status), Some(ReportStatus::InProgress));
    }
}
