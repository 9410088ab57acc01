//! The roll-out as pages and the API show it: the overview per OZG-Leistung, a service's
//! connections, one connection with its steps, checklist and costs, and the figures.

use serde::{Deserialize, Serialize};

mod operating;
pub use operating::*;

pub use crate::vocabulary::rollout::{Bearer, ConnectionState, CostKind, ItemState, Model, Phase};

/// The Land's priorities as (value, label).
pub const PRIORITIES: [(i32, &str); 4] = [(1, "1 – hoch"), (2, "2 – mittel"), (3, "3 – niedrig"), (4, "4 – kein Bedarf")];

/// The label of a priority.
pub fn priority_label(p: i32) -> &'static str {
    PRIORITIES.iter().find(|(v, _)| *v == p).map(|(_, l)| *l).unwrap_or("unbekannt")
}

/// An EfA service of the Land's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EfaInfo {
    pub id: String,
    pub name: String,
    /// The Land that provides it.
    pub provider: Option<String>,
    pub operator: Option<String>,
    /// Its offer on the Marktplatz für EfA-Leistungen.
    pub marketplace_url: Option<String>,
}

/// One row of the Nachnutzungsübersicht.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlanRow {
    pub ozg_id: String,
    pub name: String,
    pub themenfeld: String,
    pub focus: bool,
    pub model: Model,
    pub efa: Option<EfaInfo>,
    /// 1 hoch … 4 kein Bedarf.
    pub priority: i32,
    pub phase: Phase,
    /// Whether the Land pays the re-use costs (not shown to the public).
    pub land_pays: Option<bool>,
    /// The connection prerequisites, one item each.
    pub checklist: Vec<String>,
    pub version: i32,
}

/// The overview with what the caller may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub rows: Vec<PlanRow>,
    /// Rows of the catalogue in total (before the filter).
    pub total: usize,
    /// Rows that match the filter (on every page).
    pub matching: usize,
    /// This page (from 1) and the number of pages.
    pub page: usize,
    pub pages: usize,
    pub may_edit: bool,
    /// The connections of the caller's Kommunen (clerks).
    pub mine: Vec<ConnectionItem>,
    /// Whether the caller may open a service's page (not associations or the public).
    pub sees_connections: bool,
}

/// The editor of one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanEditor {
    pub row: PlanRow,
    pub services: Vec<EfaInfo>,
}

/// A connection in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConnectionItem {
    pub id: i64,
    pub kommune: String,
    pub kommune_key: String,
    pub service: String,
    pub state: ConnectionState,
    /// `TT.MM.JJJJ` of the last step.
    pub since: String,
}

/// An EfA service with its OZG-Leistungen and the connections the caller may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePage {
    pub efa: EfaInfo,
    /// (OZG-ID, name) of the OZG-Leistungen the overview assigns to it.
    pub leistungen: Vec<(String, String)>,
    pub connections: Vec<ConnectionItem>,
    /// The caller's Kommunen without a connection yet: (key, name).
    pub may_declare: Vec<(String, String)>,
    /// Kommunen per step over all the caller may see.
    pub counts: Vec<(ConnectionState, i64)>,
    pub advisor: bool,
    /// The partner organisations that operate the service: (key, name).
    #[serde(default)]
    pub operators: Vec<(String, String)>,
    /// The partner organisations an administrator may choose from: (key, name); empty for
    /// everyone else.
    #[serde(default)]
    pub partner_choices: Vec<(String, String)>,
    /// Whether the caller chooses the operators (administrators).
    #[serde(default)]
    pub may_set_operators: bool,
    /// Whether the caller sees the service as its operator.
    #[serde(default)]
    pub as_operator: bool,
    /// How the service runs now.
    pub status: ServiceStatus,
    /// Whether the caller sets the operating state (the Land's advisors, the operator).
    #[serde(default)]
    pub may_set_state: bool,
}

/// An EfA service its operator looks after, on the operator's start page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatedService {
    pub id: String,
    pub name: String,
    /// Connections in preparation, in test, live.
    pub preparing: i64,
    pub testing: i64,
    pub live: i64,
    /// Items of the checklist blocked on its connections.
    pub blocked: i64,
}

/// A step taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StepEntry {
    pub state: ConnectionState,
    pub at: String,
    pub by: String,
    pub note: Option<String>,
}

/// An item of the connection checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChecklistEntry {
    pub position: i32,
    pub label: String,
    pub status: ItemState,
    pub note: Option<String>,
    pub case_id: Option<i64>,
    /// Whether the service's operator does it.
    #[serde(default)]
    pub operator: bool,
    /// Whether the caller may set it.
    #[serde(default)]
    pub may_edit: bool,
}

/// A cost of a connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CostEntry {
    pub id: i64,
    pub kind: CostKind,
    pub year: i32,
    pub amount_cents: i64,
    pub bearer: Bearer,
    pub note: Option<String>,
}

/// One connection on its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConnectionView {
    pub id: i64,
    pub kommune: String,
    pub kommune_key: String,
    pub efa: EfaInfo,
    pub state: ConnectionState,
    /// Where a paused connection stood.
    pub paused_from: Option<ConnectionState>,
    pub reason: Option<String>,
    pub version: i32,
    pub steps: Vec<StepEntry>,
    pub checklist: Vec<ChecklistEntry>,
    pub costs: Vec<CostEntry>,
    /// The steps the caller may take now.
    pub next: Vec<ConnectionState>,
    pub may_edit_checklist: bool,
    /// Whether the caller may open a case from a blocked item (a clerk of the Kommune).
    pub may_file_case: bool,
    pub may_edit_costs: bool,
    /// Whether going live needs the Land's confirmation.
    pub live_by_land: bool,
    /// The OZG-Leistungen the Land implements with this service, as (OZG-ID, name): their
    /// records in the Kommune's register.
    pub leistungen: Vec<(String, String)>,
    /// The names of the service's operators.
    #[serde(default)]
    pub operators: Vec<String>,
    /// The dates the operator proposes (`JJJJ-MM-TT`).
    #[serde(default)]
    pub planned_test: Option<String>,
    #[serde(default)]
    pub planned_live: Option<String>,
    /// Whether the caller may propose the dates (the operator and the Land).
    #[serde(default)]
    pub may_propose_dates: bool,
    /// Whether the caller sees the connection as the service's operator.
    #[serde(default)]
    pub as_operator: bool,
}


/// Totals of costs in cents: one-off and yearly, by who bears them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CostTotal {
    pub label: String,
    pub one_off: i64,
    pub yearly: i64,
    pub land: i64,
    pub kommune: i64,
    pub other: i64,
}

/// Cost totals per Kommune, Kreis, service and year (advisors).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CostReport {
    pub by_kommune: Vec<CostTotal>,
    pub by_kreis: Vec<CostTotal>,
    pub by_service: Vec<CostTotal>,
    pub by_year: Vec<CostTotal>,
    pub all: CostTotal,
}

/// The roll-out of one EfA service across the Land.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceFunnel {
    pub id: String,
    pub name: String,
    /// Kommunen per step, in the order of `steps` of the figures.
    pub counts: Vec<i64>,
    /// Kommunen that could connect (Landkreise, kreisfreie Städte, Einheits- and Verbandsgemeinden).
    pub kommunen: i64,
    /// Kommunen without a live connection.
    pub without: i64,
    /// Median days from interest to live; `null` when suppressed or nobody is live yet.
    pub median_days: Option<i64>,
}

/// One Kreis in the roll-out of a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KreisFunnel {
    pub kreis: String,
    pub name: String,
    pub kommunen: i64,
    /// Kommunen per step; `null` when suppressed.
    pub counts: Option<Vec<i64>>,
}

/// Steps reached per month (cumulative, end of month).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonthPoint {
    /// `JJJJ-MM`.
    pub month: String,
    pub interest: i64,
    pub live: i64,
}

/// The roll-out in the Lagebild.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RolloutFigures {
    /// Whether small cells are suppressed (public and associations).
    pub suppressed: bool,
    pub threshold: i64,
    /// Whose figures these are when not every Kommune's: an association's members.
    #[serde(default)]
    pub counted: Option<String>,
    /// The steps in the order of the counts.
    pub steps: Vec<ConnectionState>,
    pub services: Vec<ServiceFunnel>,
    /// The selected service (else the first).
    pub selected: Option<String>,
    pub kreise: Vec<KreisFunnel>,
    pub trend: Vec<MonthPoint>,
    /// The Kommunen still without the selected service (the Land's view only).
    pub without: Option<Vec<String>>,
    /// (term, definition).
    pub definitions: Vec<(String, String)>,
}

/// A cost as the advisors' form sends it: text only. `CostInput::try_from` reads it once, with a
/// German message beside each field it cannot read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub bearer: String,
    #[serde(default)]
    pub note: String,
}

/// A checked cost of a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostInput {
    pub kind: CostKind,
    pub year: i32,
    pub amount: crate::vocabulary::money::Cents,
    pub bearer: Bearer,
    pub note: Option<String>,
}

impl TryFrom<CostForm> for CostInput {
    type Error = crate::error::AppError;

    fn try_from(f: CostForm) -> Result<Self, Self::Error> {
        let mut e: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
        let mut err = |f: &str, m: &str| e.entry(f.to_string()).or_default().push(m.to_string());
        let kind = CostKind::from_code(f.kind.trim());
        if kind.is_none() {
            err("kind", "Bitte wählen Sie »einmalig« oder »jährlich«.");
        }
        let year = f.year.trim().parse::<i32>().ok().filter(|y| (2000..=2100).contains(y));
        if year.is_none() {
            err("year", "Das Jahr ist eine Jahreszahl wie 2027.");
        }
        let amount = crate::vocabulary::money::Cents::parse(&f.amount).filter(|a| a.0 > 0);
        if amount.is_none() {
            err("amount", "Der Betrag ist ein Euro-Betrag größer null wie 1.250,00.");
        }
        let bearer = Bearer::from_code(f.bearer.trim());
        if bearer.is_none() {
            err("bearer", "Bitte wählen Sie, wer die Kosten trägt.");
        }
        let note = Some(f.note.trim().to_string()).filter(|n| !n.is_empty());
        if note.as_ref().is_some_and(|n| n.chars().count() > 300) {
            err("note", "Die Bemerkung hat höchstens 300 Zeichen.");
        }
        match (kind, year, amount, bearer) {
            (Some(kind), Some(year), Some(amount), Some(bearer)) if e.is_empty() => Ok(CostInput { kind, year, amount, bearer, note }),
            _ => Err(crate::error::AppError::Validation(e)),
        }
    }
}

#[cfg(test)]
// Test code only: a failing `expect` is the test failing, with its message.
mod cost_form_tests {
    use super::*;

    #[test]
    fn a_cost_form_is_read_once_with_every_bad_field_named() {
        let form = CostForm { kind: "einmalig".into(), year: "2027".into(), amount: "1.250,00".into(), bearer: "land".into(), note: "  ".into() };
        let c = CostInput::try_from(form.clone()).expect("valid");
        assert_eq!((c.kind, c.year, c.amount.0, c.bearer, c.note), (CostKind::Once, 2027, 125_000, Bearer::Land, None));
        let Err(crate::error::AppError::Validation(e)) = CostInput::try_from(CostForm { year: "27".into(), amount: "-5".into(), ..form }) else { panic!("refused") };
        assert_eq!(e.keys().map(String::as_str).collect::<Vec<_>>(), ["amount", "year"]);
    }
}
