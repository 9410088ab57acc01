//! The usage figures as the browser and the open data see them.

use serde::{Deserialize, Serialize};

pub use crate::vocabulary::usage::{UsageArea, UsageSource};

/// One OZG-Leistung over the period: transactions in the Land (withheld when too few Kommunen
/// contributed), per 1,000 inhabitants, the change against the twelve months before, and how many
/// Kommunen offer it online.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceUsage {
    pub ozg_id: String,
    pub name: String,
    /// Transactions over the period; `null` when withheld.
    pub transactions: Option<i64>,
    pub per_1000: Option<f64>,
    /// Change against the same months a year before, in percent; `null` without a base.
    pub change_percent: Option<f64>,
    /// Kommunen with the Leistung online in the register.
    pub online: u64,
    /// Of them, those without any counted use in the period (for the Land only; `null` otherwise).
    pub online_unused: Option<u64>,
}

/// One Kreis for the chosen Leistung over the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KreisUsage {
    pub key: String,
    pub name: String,
    pub population: i64,
    pub transactions: Option<i64>,
    pub per_1000: Option<f64>,
}

/// One month for the chosen Leistung: the Land and (when chosen) one Kreis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonthUsage {
    /// `JJJJ-MM`.
    pub month: String,
    pub land: Option<i64>,
    pub land_per_1000: Option<f64>,
    pub kreis: Option<i64>,
    pub kreis_per_1000: Option<f64>,
}

/// The page `/lagebild/nutzung` and the open data `/api/v1/public/usage`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UsageFigures {
    /// The months counted (`JJJJ-MM`), oldest first: the twelve up to the newest reported.
    pub months: Vec<String>,
    pub services: Vec<ServiceUsage>,
    /// The Leistung chosen (`leistung`), with its Kreise and months.
    pub selected: Option<String>,
    pub selected_name: String,
    pub kreise: Vec<KreisUsage>,
    /// The Kreis chosen for the months (`kreis`), or empty.
    pub kreis: String,
    pub kreis_name: String,
    pub trend: Vec<MonthUsage>,
    /// Kommunen with the chosen Leistung online and no counted use in the period (the Land only).
    pub unused: Option<Vec<String>>,
    /// Whether small cells are withheld for this reader.
    pub suppressed: bool,
    pub threshold: i64,
    /// Every Kreis (key, name), for the choice.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Vec<String>>))]
    pub all_kreise: Vec<(String, String)>,
    /// Whether the reader may import figures (the Land).
    pub may_import: bool,
}

/// A Kommune's own view of its figures: per Leistung and month, ZSK and its own entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnUsage {
    pub key: String,
    pub name: String,
    pub months: Vec<String>,
    pub rows: Vec<OwnRow>,
    /// Whether the caller may enter figures for this Kommune.
    pub may_enter: bool,
    /// The Leistungen to choose from for an own entry: (OZG-ID, name), those online first.
    pub services: Vec<(String, String)>,
}

/// One Leistung of a Kommune: the count per month of `OwnUsage::months`, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnRow {
    pub ozg_id: String,
    pub name: String,
    pub counts: Vec<Option<i64>>,
    pub source: UsageSource,
}

/// A clerk's figures on the start page: per Leistung over twelve months, per 1,000 inhabitants
/// beside the Kreis and the Land.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartUsage {
    pub period: String,
    pub rows: Vec<StartUsageRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartUsageRow {
    pub ozg_id: String,
    pub name: String,
    pub own: i64,
    pub own_per_1000: Option<f64>,
    pub kreis_per_1000: Option<f64>,
    pub land_per_1000: Option<f64>,
}

/// A Kommune's own monthly figure, as submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OwnEntryForm {
    pub kommune: String,
    pub leistung: String,
    /// `JJJJ-MM`.
    pub monat: String,
    pub anzahl: String,
}

/// An own entry, checked.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnEntry {
    pub kommune: String,
    pub ozg_id: String,
    pub month: chrono::NaiveDate,
    pub transactions: i64,
}

#[cfg(feature = "ssr")]
impl TryFrom<OwnEntryForm> for OwnEntry {
    type Error = crate::error::AppError;

    fn try_from(f: OwnEntryForm) -> Result<Self, Self::Error> {
        let mut e: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
        let mut add = |field: &str, message: &str| e.entry(field.to_string()).or_default().push(message.to_string());
        let month = crate::usage::service::import::parse_month(&f.monat);
        if month.is_none() {
            add("monat", "Bitte geben Sie einen Monat an (JJJJ-MM).");
        }
        let count = crate::usage::service::import::parse_count(&f.anzahl);
        match count {
            None => add("anzahl", "Bitte geben Sie die Zahl der Vorgänge als ganze Zahl an."),
            Some(n) if n < 0 => add("anzahl", "Die Zahl der Vorgänge kann nicht negativ sein."),
            Some(n) if n > 10_000_000 => add("anzahl", "Mehr als 10 Millionen Vorgänge in einem Monat sind nicht plausibel."),
            Some(_) => {}
        }
        if f.leistung.trim().is_empty() {
            add("leistung", "Bitte wählen Sie die OZG-Leistung.");
        }
        match (month, count) {
            (Some(month), Some(transactions)) if e.is_empty() && (0..=10_000_000).contains(&transactions) => {
                Ok(OwnEntry { kommune: f.kommune.trim().to_string(), ozg_id: f.leistung.trim().to_string(), month, transactions })
            }
            _ => Err(crate::error::AppError::Validation(e)),
        }
    }
}
