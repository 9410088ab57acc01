//! Funding as pages and the API show it.

use serde::{Deserialize, Serialize};

/// Rows of the cost plan in the application form (the first `COST_ROWS_SHOWN` open, the rest
/// behind "Weitere Positionen").
pub const COST_ROWS: usize = 10;
pub const COST_ROWS_SHOWN: usize = 5;

pub use crate::vocabulary::funding::{Action, Status};
pub use crate::vocabulary::money::Cents;

/// A position of a cost plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CostPosition {
    pub what: String,
    pub cents: Cents,
}

/// A funding programme with the state of its budget (amounts in cents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Programme {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub budget_cents: Cents,
    pub rate_percent: i32,
    pub max_cents: Cents,
    /// `JJJJ-MM-TT`.
    pub opens_on: String,
    pub closes_on: String,
    pub committed_cents: Cents,
    pub disbursed_cents: Cents,
    /// Whether the sums may be shown: always for the Land; for everyone else only once a
    /// release has published them (`false`: no release yet, the sums read "•").
    pub sums_shown: bool,
    pub active: bool,
    /// Whether applications are taken today.
    pub open_now: bool,
    pub version: i32,
}

/// An application in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApplicationItem {
    pub id: i64,
    pub title: String,
    pub kommune: String,
    pub programme: String,
    pub status: Status,
    pub requested_cents: Cents,
    pub approved_cents: Option<Cents>,
    /// `TT.MM.JJJJ`.
    pub received: String,
}

/// The programmes and the applications the caller may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FundingPage {
    pub programmes: Vec<Programme>,
    pub applications: Vec<ApplicationItem>,
    pub may_apply: bool,
    pub may_edit_programmes: bool,
    pub sees_applications: bool,
}

/// A step of an application's workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FundingStep {
    pub action: Action,
    pub status: Status,
    pub amount_cents: Option<Cents>,
    pub note: Option<String>,
    pub at: String,
    pub by: String,
}

/// One application on its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApplicationView {
    pub item: ApplicationItem,
    pub programme_id: i64,
    pub description: String,
    pub cost_plan: Vec<CostPosition>,
    pub total_cents: Cents,
    pub disbursed_cents: Cents,
    pub reason: Option<String>,
    pub report: Option<String>,
    /// When the Verwendungsnachweis is due (DD.MM.YYYY), once granted.
    #[serde(default)]
    pub proof_due_on: Option<String>,
    /// (OZG-ID, name).
    pub leistungen: Vec<(String, String)>,
    pub steps: Vec<FundingStep>,
    /// The steps the caller may take now.
    pub actions: Vec<Action>,
    pub version: i32,
}

/// The application form: the programme and a fresh idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationForm {
    pub programme: Programme,
    /// The caller's Kommunen (key, name).
    pub kommunen: Vec<(String, String)>,
    pub idempotency_key: String,
}

/// A programme in the Lagebild.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProgrammeFigures {
    pub id: i64,
    pub name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = i64))]
    pub budget_cents: Cents,
    /// `null` when fewer Kommunen than the threshold were granted funds (public view).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>))]
    pub committed_cents: Option<Cents>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>))]
    pub disbursed_cents: Option<Cents>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>))]
    pub free_cents: Option<Cents>,
    pub applications: i64,
    pub approved: i64,
}

/// Funding in one Kreis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KreisFunding {
    pub kreis: String,
    pub name: String,
    /// Applications and the sum granted; `null` when suppressed.
    pub applications: Option<i64>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>))]
    pub approved_cents: Option<Cents>,
}

/// Applications received and granted per month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FundingMonth {
    /// `JJJJ-MM`.
    pub month: String,
    pub received: i64,
    pub approved: i64,
}

/// Funding in the Lagebild.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FundingFigures {
    pub suppressed: bool,
    pub threshold: i64,
    /// Whose figures these are when not every Kommune's: an association's members.
    #[serde(default)]
    pub counted: Option<String>,
    pub programmes: Vec<ProgrammeFigures>,
    pub kreise: Vec<KreisFunding>,
    pub trend: Vec<FundingMonth>,
    /// (term, definition).
    pub definitions: Vec<(String, String)>,
}

/// A programme as the administrators' form sends it: text only. `ProgrammeInput::try_from`
/// reads it once, with a German message beside each field it cannot read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub budget: String,
    #[serde(default)]
    pub rate: String,
    #[serde(default)]
    pub max: String,
    #[serde(default)]
    pub opens_on: String,
    #[serde(default)]
    pub closes_on: String,
    /// `ja` when the checkbox is ticked.
    #[serde(default)]
    pub active: String,
    #[serde(default)]
    pub version: String,
}

/// A checked programme.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeInput {
    pub name: String,
    pub description: String,
    pub budget: Cents,
    pub rate: i32,
    pub max: Cents,
    pub opens: chrono::NaiveDate,
    pub closes: chrono::NaiveDate,
    pub active: bool,
    /// The version the change is based on; 0 for a new programme.
    pub version: i32,
}

#[cfg(feature = "ssr")]
impl TryFrom<ProgrammeForm> for ProgrammeInput {
    type Error = crate::error::AppError;

    fn try_from(f: ProgrammeForm) -> Result<Self, Self::Error> {
        let mut e: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
        let mut err = |f: &str, m: &str| e.entry(f.to_string()).or_default().push(m.to_string());
        let name = f.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() || name.chars().count() > 200 {
            err("name", "Bitte geben Sie den Namen des Programms an (höchstens 200 Zeichen).");
        }
        if f.description.chars().count() > 20_000 {
            err("description", "Die Beschreibung hat höchstens 20.000 Zeichen.");
        }
        let budget = Cents::parse(&f.budget).filter(|b| b.0 > 0);
        if budget.is_none() {
            err("budget", "Das Budget ist ein Euro-Betrag größer null wie 7.500.000,00.");
        }
        let rate = f.rate.trim().trim_end_matches('%').trim().parse::<i32>().ok().filter(|r| (1..=100).contains(r));
        if rate.is_none() {
            err("rate", "Die Förderquote ist eine ganze Zahl von 1 bis 100 (Prozent).");
        }
        let max = Cents::parse(&f.max).filter(|m| m.0 > 0);
        if max.is_none() {
            err("max", "Der Höchstbetrag je Vorhaben ist ein Euro-Betrag größer null.");
        }
        let opens = crate::core::time::parse_day(&f.opens_on);
        let closes = crate::core::time::parse_day(&f.closes_on);
        if opens.is_none() {
            err("opens_on", "Der Beginn der Antragsfrist ist ein Datum (TT.MM.JJJJ).");
        }
        match (opens, closes) {
            (_, None) => err("closes_on", "Das Ende der Antragsfrist ist ein Datum (TT.MM.JJJJ)."),
            (Some(o), Some(c)) if c < o => err("closes_on", "Das Ende der Antragsfrist liegt vor ihrem Beginn."),
            _ => {}
        }
        match (budget, rate, max, opens, closes) {
            (Some(budget), Some(rate), Some(max), Some(opens), Some(closes)) if e.is_empty() => Ok(ProgrammeInput {
                name,
                description: f.description.trim().to_string(),
                budget,
                rate,
                max,
                opens,
                closes,
                active: f.active == "ja",
                version: f.version.trim().parse().unwrap_or(0),
            }),
            _ => Err(crate::error::AppError::Validation(e)),
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
// Test code only: a failing `expect` is the test failing, with its message.
mod tests {
    use super::*;
    use crate::error::AppError;

    #[test]
    fn a_programme_form_is_read_once_with_every_bad_field_named() {
        let form = ProgrammeForm { name: "  Digital   2027 ".into(), budget: "7.500.000,00".into(), rate: "80 %".into(), max: "50.000".into(), opens_on: "2027-01-01".into(), closes_on: "2027-06-30".into(), active: "ja".into(), version: "3".into(), ..Default::default() };
        let p = match ProgrammeInput::try_from(form.clone()) {
            Ok(p) => p,
            Err(e) => panic!("a valid programme form was refused: {e:?}"),
        };
        assert_eq!((p.name.as_str(), p.budget, p.rate, p.max, p.active, p.version), ("Digital 2027", Cents(750_000_000), 80, Cents(5_000_000), true, 3));
        let bad = ProgrammeForm { budget: "viel".into(), rate: "120".into(), closes_on: "2026-12-31".into(), ..form };
        let Err(AppError::Validation(e)) = ProgrammeInput::try_from(bad) else { panic!("refused") };
        assert_eq!(e.keys().map(String::as_str).collect::<Vec<_>>(), ["budget", "closes_on", "rate"]);
        assert!(e["closes_on"][0].contains("vor ihrem Beginn"));
    }
}
