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

/// The record form as an HTML form sends it: text only. `ServiceRecordInput::try_from` reads it
/// once, with a German message beside each field it cannot read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordForm {
    pub version: String,
    pub stage: String,
    #[serde(default)]
    pub offered: Option<String>,
    #[serde(default)]
    pub responsibility: String,
    #[serde(default)]
    pub responsibility_note: Option<String>,
    #[serde(default)]
    pub date_planned: Option<String>,
    #[serde(default)]
    pub date_in_progress: Option<String>,
    #[serde(default)]
    pub date_pilot: Option<String>,
    #[serde(default)]
    pub date_online: Option<String>,
    #[serde(default)]
    pub date_discontinued: Option<String>,
    #[serde(default)]
    pub planned_go_live: Option<String>,
    /// `Modell:Stufe` (`1.1:3`), or `2.0:` for the model alone (its criteria set the level).
    #[serde(default)]
    pub maturity: Option<String>,
    /// `criteria[m11_<code>]` / `criteria[m20_<code>]` (a key may not start with a digit): a
    /// level, `ne` (nicht erforderlich) or nothing (not rated).
    #[serde(default)]
    pub criteria: BTreeMap<String, String>,
    #[serde(default)]
    pub solution_kind: Option<String>,
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
}

impl TryFrom<RecordForm> for ServiceRecordInput {
    type Error = crate::error::AppError;

    fn try_from(f: RecordForm) -> Result<Self, Self::Error> {
        let bad = |field: &str, m: &str| crate::error::AppError::field(field, m.to_string());
        let stage = Stage::from_code(&f.stage).ok_or_else(|| bad("stage", "Bitte wählen Sie einen Umsetzungsstand."))?;
        let version = f.version.parse::<i32>().map_err(|_| bad("version", "Die Version des Eintrags fehlt."))?;
        let responsibility = if f.responsibility == "other" { Responsibility::Other } else { Responsibility::Own };
        let (mut maturity_model, maturity_level) = match f.maturity.as_deref().filter(|m| !m.is_empty()) {
            None => (None, None),
            Some(m) => {
                let (model, level) = m.split_once(':').ok_or_else(|| bad("maturity", "Bitte wählen Sie einen Reifegrad aus der Liste."))?;
                let model = MaturityModel::from_code(model).ok_or_else(|| bad("maturity", "Unbekanntes Reifegradmodell."))?;
                let level = if level.is_empty() { None } else { Some(level.parse::<i16>().map_err(|_| bad("maturity", "Unbekannter Reifegrad."))?) };
                (Some(model), level)
            }
        };
        let mut rated: BTreeMap<MaturityModel, BTreeMap<String, Option<i16>>> = BTreeMap::new();
        for (name, value) in &f.criteria {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let (model, code) = match name.split_once('_') {
                Some(("m11", code)) => (MaturityModel::V1_1, code),
                Some(("m20", code)) => (MaturityModel::V2_0, code),
                _ => return Err(bad("maturity_criteria", "Unbekanntes Kriterium.")),
            };
            let level = if value == "ne" {
                None
            } else {
                Some(value.parse::<i16>().map_err(|_| bad("maturity_criteria", "Bitte wählen Sie die Stufe eines Kriteriums aus der Liste."))?)
            };
            rated.entry(model).or_default().insert(code.to_string(), level);
        }
        if maturity_model.is_none() && rated.len() == 1 {
            maturity_model = rated.keys().next().copied();
        }
        if let Some(other) = rated.keys().find(|m| Some(**m) != maturity_model) {
            return Err(bad(
                "maturity_criteria",
                &format!("Es sind Kriterien des Modells {} bewertet, der Reifegrad ist aber nach einem anderen Modell angegeben.", other.code()),
            ));
        }
        let maturity_criteria = maturity_model.and_then(|m| rated.remove(&m)).unwrap_or_default();
        let solution_kind = match f.solution_kind.as_deref().filter(|k| !k.is_empty()) {
            None => None,
            Some(k) => Some(SolutionKind::from_code(k).ok_or_else(|| bad("solution_kind", "Bitte wählen Sie eine Lösung aus der Liste."))?),
        };
        let stage_dates = [
            (Stage::Planned, f.date_planned),
            (Stage::InProgress, f.date_in_progress),
            (Stage::Pilot, f.date_pilot),
            (Stage::Online, f.date_online),
            (Stage::Discontinued, f.date_discontinued),
        ]
        .into_iter()
        .filter_map(|(s, d)| d.filter(|d| !d.trim().is_empty()).map(|d| (s, d)))
        .collect();
        Ok(ServiceRecordInput {
            offered: f.offered.is_some(),
            responsibility,
            responsibility_note: f.responsibility_note,
            stage,
            stage_dates,
            planned_go_live: f.planned_go_live,
            maturity_model,
            maturity_level,
            maturity_criteria,
            solution_kind,
            solution_name: f.solution_name,
            solution_provider: f.solution_provider,
            url: f.url,
            contact: f.contact,
            note: f.note,
            version,
        })
    }
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
    /// Where the change came from when not typed into the register (»Abfrage »…««).
    #[serde(default)]
    pub source: Option<String>,
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

/// A record whose online address the weekly check found broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokenLink {
    pub kommune_key: String,
    pub kommune: String,
    pub kreis: String,
    pub kreis_key: String,
    pub ozg_id: String,
    pub service: String,
    pub url: String,
    pub outcome: crate::vocabulary::register::LinkOutcome,
    pub detail: String,
    /// Since when it fails, `TT.MM.JJJJ`.
    pub since: String,
    /// The last check, `TT.MM.JJJJ`.
    pub checked: String,
}

/// The page of broken online addresses: the links the caller may read, and for the Land the
/// Kreise to choose from with how many each has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokenLinks {
    pub links: Vec<BrokenLink>,
    /// (key, name, broken records) of every Kreis, for the Land; empty for a clerk.
    pub kreise: Vec<(String, String, usize)>,
    /// The Kreis chosen (key), or empty.
    pub kreis: String,
}
