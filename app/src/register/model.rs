//! The Leistungsregister as the browser and the API see it: codes, records, changes.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::vocabulary::register::{MaturityModel, Responsibility, SolutionKind, Stage};
pub use crate::catalogue::model::MaturityCriterion;

/// What a clerk submits for one Kommune × OZG-Leistung (`PUT …/services/{ozg_id}`).
/// Dates are ISO `JJJJ-MM-TT`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceRecordInput {
    pub offered: bool,
    pub responsibility: Responsibility,
    #[serde(default)]
    pub responsibility_note: Option<String>,
    pub stage: Stage,
    #[serde(default)]
    pub stage_dates: BTreeMap<Stage, String>,
    #[serde(default)]
    pub planned_go_live: Option<String>,
    #[serde(default)]
    pub maturity_model: Option<MaturityModel>,
    #[serde(default)]
    pub maturity_level: Option<i16>,
    /// Optional assessment per criterion of the model (criterion code → level, `null` = "nicht
    /// erforderlich"). When any criterion is rated, the lowest rated one sets `maturity_level`.
    #[serde(default)]
    pub maturity_criteria: BTreeMap<String, Option<i16>>,
    #[serde(default)]
    pub solution_kind: Option<SolutionKind>,
    #[serde(default)]
    pub solution_name: Option<String>,
    #[serde(default)]
    pub solution_provider: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// The version this change is based on; 0 for a service without a record yet.
    pub version: i32,
}

/// A record as stored, with who entered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceRecord {
    pub municipality: String,
    pub ozg_id: String,
    pub service_name: String,
    #[serde(flatten)]
    pub data: ServiceRecordInput,
    /// When and by whom the last change was made (`None`: never recorded).
    pub updated_at: Option<String>,
    pub updated_by: Option<String>,
    /// The organisation the change was made for or by (a Verbandsgemeinde acting for a member).
    pub acting_organisation: Option<String>,
}

/// One field's change in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// One entry of a record's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub version: i32,
    /// ISO 8601 UTC.
    pub changed_at: String,
    pub user: Option<String>,
    pub acting_organisation: Option<String>,
    pub changes: Vec<FieldChange>,
}

/// The German name of a record field (API field name → label), used on pages and in CSV messages.
pub fn field_label(field: &str) -> &'static str {
    match field {
        "offered" => "Angeboten",
        "responsibility" => "Zuständigkeit",
        "responsibility_note" => "Begründung",
        "stage" => "Umsetzungsstand",
        "stage_dates" => "Daten der Stände",
        "planned_go_live" => "Geplanter Start",
        "maturity_model" => "Reifegradmodell",
        "maturity_level" => "Reifegrad",
        "maturity_criteria" => "Kriterienbewertung",
        "solution_kind" => "Lösung",
        "solution_name" => "Name der Lösung",
        "solution_provider" => "Anbieter bzw. Land",
        "url" => "Online-Adresse",
        "contact" => "Ansprechstelle",
        "note" => "Notiz",
        "version" => "Version",
        "ozg_id" | "ozg_ids" => "OZG-ID",
        _ => "Feld",
    }
}

/// An advisor's note on a Kommune's register entry; the Kommune sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Annotation {
    pub author: String,
    /// ISO 8601 UTC.
    pub created_at: String,
    pub body: String,
}

/// How an assessment is written in the CSV file and shown in the history:
/// `code=3, code2=ne` (`ne` = nicht erforderlich), in the criteria's order of codes.
pub fn criteria_to_text(criteria: &BTreeMap<String, Option<i16>>) -> String {
    criteria
        .iter()
        .map(|(code, level)| match level {
            Some(l) => format!("{code}={l}"),
            None => format!("{code}=ne"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads the CSV form back; `Err` names the part that is not `code=Zahl` or `code=ne`.
pub fn criteria_from_text(text: &str) -> Result<BTreeMap<String, Option<i16>>, String> {
    let mut out = BTreeMap::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((code, value)) = part.split_once('=') else {
            return Err(format!("»{part}« hat nicht die Form Kriterium=Stufe."));
        };
        let (code, value) = (code.trim(), value.trim());
        let level = if value.eq_ignore_ascii_case("ne") {
            None
        } else {
            Some(value.parse::<i16>().map_err(|_| format!("»{value}« ist keine Stufe (Zahl oder »ne«)."))?)
        };
        if out.insert(code.to_string(), level).is_some() {
            return Err(format!("Das Kriterium »{code}« ist doppelt angegeben."));
        }
    }
    Ok(out)
}

/// One month of a Kommune's digitalisation progress: the state at the end of the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonthFigure {
    /// `JJJJ-MM`.
    pub month: String,
    /// Services with Umsetzungsstand "online".
    pub online: usize,
    /// Services rated OZG-compliant: Reifegrad ≥ 3 in model 1.1.
    pub compliant: usize,
}

/// The progress of a Kommune month by month, computed from the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Progress {
    /// OZG-Leistungen in the catalogue (the 100 % of the shares).
    pub catalogue: usize,
    pub months: Vec<MonthFigure>,
}

/// A Kommune in the index of registers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KommuneEntry {
    pub key: String,
    pub name: String,
    pub kind: String,
    pub kreis: String,
}
