//! CSV export and import of a Kommune's register: German headers, `;` as separator, UTF-8 with
//! BOM (Excel opens it as is), German values (labels, `TT.MM.JJJJ`, ja/nein). An import is
//! validated completely first and applied in one transaction: all rows or none, with line and
//! column of every problem; re-importing an unchanged export changes nothing.

use crate::core::entities::ozg_service;
use crate::register::service as register;
use crate::access::scope::Scope;
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::register::model::{MaturityModel, Responsibility, ServiceRecordInput, SolutionKind, Stage};
use sea_orm::{DatabaseConnection, EntityTrait};
use std::collections::BTreeMap;

/// Column headers, in order.
pub const HEADERS: [&str; 23] = [
    "OZG-ID",
    "Leistung",
    "Themenfeld",
    "Angeboten",
    "Zuständigkeit",
    "Begründung",
    "Umsetzungsstand",
    "Datum geplant",
    "Datum in Umsetzung",
    "Datum Pilotbetrieb",
    "Datum online",
    "Datum eingestellt",
    "Geplanter Start",
    "Reifegradmodell",
    "Reifegrad",
    "Kriterienbewertung",
    "Lösung",
    "Name der Lösung",
    "Anbieter bzw. Land",
    "Online-Adresse",
    "Ansprechstelle",
    "Notiz",
    "Version",
];

const DATE_STAGES: [(Stage, usize); 5] =
    [(Stage::Planned, 7), (Stage::InProgress, 8), (Stage::Pilot, 9), (Stage::Online, 10), (Stage::Discontinued, 11)];

fn iso_to_german(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_else(|_| iso.to_string())
}

fn german_to_iso(v: &str) -> Option<String> {
    chrono::NaiveDate::parse_from_str(v.trim(), "%d.%m.%Y").ok().map(|d| d.format("%Y-%m-%d").to_string())
}

/// The register as CSV (every OZG-Leistung of the catalogue, by OZG-ID).
#[tracing::instrument(skip_all, fields(key = %key))]
pub async fn export(db: &DatabaseConnection, scope: &Scope, key: &str) -> Result<String, AppError> {
    let org = register::kommune(db, key).await?;
    crate::access::policy::kommune_read(scope, &org.id)?;
    let (services, records) = register::catalogue_with_records(db, &org.id).await?;
    let mut w = crate::core::csv_out::Writer::new(false);
    let fail = |e: csv::Error| {
        tracing::error!(error = %e, "CSV-Export fehlgeschlagen");
        AppError::Internal
    };
    w.write_record(HEADERS).map_err(fail)?;
    for s in services {
        let d = records.get(&s.ozg_id).map(register::input_of).unwrap_or_else(register::default_input);
        let date = |st: Stage| d.stage_dates.get(&st).map(|v| iso_to_german(v)).unwrap_or_default();
        let row: [String; 23] = [
            s.ozg_id.clone(),
            s.name.clone(),
            s.themenfeld.clone(),
            if d.offered { "ja" } else { "nein" }.into(),
            if d.responsibility == Responsibility::Other { "nicht zuständig" } else { "zuständig" }.into(),
            d.responsibility_note.clone().unwrap_or_default(),
            d.stage.label().into(),
            date(Stage::Planned),
            date(Stage::InProgress),
            date(Stage::Pilot),
            date(Stage::Online),
            date(Stage::Discontinued),
            d.planned_go_live.as_deref().map(iso_to_german).unwrap_or_default(),
            d.maturity_model.map(|m| m.code().to_string()).unwrap_or_default(),
            d.maturity_level.map(|l| l.to_string()).unwrap_or_default(),
            crate::register::model::criteria_to_text(&d.maturity_criteria),
            d.solution_kind.map(|k| k.label().to_string()).unwrap_or_default(),
            d.solution_name.clone().unwrap_or_default(),
            d.solution_provider.clone().unwrap_or_default(),
            d.url.clone().unwrap_or_default(),
            d.contact.clone().unwrap_or_default(),
            d.note.clone().unwrap_or_default(),
            d.version.to_string(),
        ];
        w.write_record(&row).map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|_| AppError::Internal)?;
    let body = String::from_utf8(bytes).map_err(|_| AppError::Internal)?;
    Ok(format!("\u{feff}{body}"))
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub changed: usize,
    pub unchanged: usize,
}

/// The column a validation field is shown in (the dates have one column per stage).
fn column_of(field: &str) -> &'static str {
    match field {
        "stage_dates" => "Datum …",
        other => crate::register::model::field_label(other),
    }
}

fn parse_row(r: &csv::StringRecord, errors: &mut Vec<String>, line: u64) -> Option<(String, ServiceRecordInput)> {
    // Cells the export neutralised against spreadsheet formulas are read back as they were.
    let get = |i: usize| crate::core::csv_out::restore(r.get(i).unwrap_or_default().trim()).to_string();
    let mut err = |col: usize, m: String| errors.push(format!("Zeile {line}, Spalte »{}«: {m}", HEADERS[col]));
    let ozg_id = get(0);
    let offered = match get(3).to_lowercase().as_str() {
        "ja" => true,
        "nein" | "" => false,
        other => {
            err(3, format!("»{other}« – erwartet ja oder nein"));
            false
        }
    };
    let responsibility = match get(4).as_str() {
        "zuständig" | "" => Responsibility::Own,
        "nicht zuständig" => Responsibility::Other,
        other => {
            err(4, format!("»{other}« – erwartet zuständig oder nicht zuständig"));
            Responsibility::Own
        }
    };
    let stage_text = get(6);
    let stage = match Stage::ALL.into_iter().find(|s| s.label() == stage_text) {
        Some(s) => s,
        None if stage_text.is_empty() => Stage::NotStarted,
        None => {
            err(6, format!("»{stage_text}« – erwartet {}", Stage::ALL.map(|s| s.label()).join(", ")));
            Stage::NotStarted
        }
    };
    let mut stage_dates = BTreeMap::new();
    for (s, col) in DATE_STAGES {
        let v = get(col);
        if v.is_empty() {
            continue;
        }
        match german_to_iso(&v) {
            Some(iso) => {
                stage_dates.insert(s, iso);
            }
            None => err(col, format!("»{v}« ist kein Datum der Form TT.MM.JJJJ")),
        }
    }
    let planned_raw = get(12);
    let planned_go_live = if planned_raw.is_empty() {
        None
    } else {
        let iso = german_to_iso(&planned_raw);
        if iso.is_none() {
            err(12, format!("»{planned_raw}« ist kein Datum der Form TT.MM.JJJJ"));
        }
        iso
    };
    let model_raw = get(13);
    let maturity_model = if model_raw.is_empty() {
        None
    } else {
        let m = MaturityModel::from_code(&model_raw);
        if m.is_none() {
            err(13, format!("»{model_raw}« – erwartet 1.1 oder 2.0"));
        }
        m
    };
    let level_raw = get(14);
    let maturity_level = if level_raw.is_empty() {
        None
    } else {
        let l = level_raw.parse::<i16>().ok();
        if l.is_none() {
            err(14, format!("»{level_raw}« ist keine ganze Zahl"));
        }
        l
    };
    let criteria_raw = get(15);
    let maturity_criteria = match crate::register::model::criteria_from_text(&criteria_raw) {
        Ok(c) => c,
        Err(m) => {
            err(15, m);
            BTreeMap::new()
        }
    };
    let kind_raw = get(16);
    let solution_kind = if kind_raw.is_empty() {
        None
    } else {
        let k = SolutionKind::ALL.into_iter().find(|k| k.label() == kind_raw);
        if k.is_none() {
            err(16, format!("»{kind_raw}« – erwartet {}", SolutionKind::ALL.map(|k| k.label()).join(", ")));
        }
        k
    };
    let version = match get(22).parse::<i32>() {
        Ok(v) => v,
        Err(_) => {
            err(22, "die Version fehlt oder ist keine Zahl (Spalte aus dem Export übernehmen)".into());
            0
        }
    };
    let opt = |i: usize| Some(get(i)).filter(|v| !v.is_empty());
    Some((
        ozg_id,
        ServiceRecordInput {
            offered,
            responsibility,
            responsibility_note: opt(5),
            stage,
            stage_dates,
            planned_go_live,
            maturity_model,
            maturity_level,
            maturity_criteria,
            solution_kind,
            solution_name: opt(17),
            solution_provider: opt(18),
            url: opt(19),
            contact: opt(20),
            note: opt(21),
            version,
        },
    ))
}

/// At most this many problems are listed (the import fails at the first anyway).
const MAX_REPORTED: usize = 200;

/// Imports a CSV in the export's format for one Kommune.
#[tracing::instrument(skip_all, fields(key = %key))]
pub async fn import(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, key: &str, bytes: &[u8]) -> Result<ImportReport, AppError> {
    let org = register::kommune(db, key).await?;
    crate::access::policy::kommune_write(scope, &org.id)?;
    let invalid = |msgs: Vec<String>| {
        let mut map = BTreeMap::new();
        map.insert("datei".to_string(), msgs.into_iter().take(MAX_REPORTED).collect());
        AppError::Validation(map)
    };
    let text = std::str::from_utf8(bytes).map_err(|_| invalid(vec!["Die Datei ist nicht UTF-8-kodiert.".into()]))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = crate::core::sheet::lf(text);
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').has_headers(true).flexible(false).from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|_| invalid(vec!["Zeile 1: die Kopfzeile ist nicht lesbar.".into()]))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if header != HEADERS {
        return Err(invalid(vec![format!(
            "Zeile 1: die Kopfzeile muss der des Exports entsprechen ({}).",
            HEADERS.join(";")
        )]));
    }
    let criteria = crate::catalogue::service::criteria::known(db).await?;
    let known: std::collections::HashSet<String> =
        ozg_service::Entity::find().all(db).await?.into_iter().map(|s| s.ozg_id).collect();
    let mut errors = Vec::new();
    let mut rows: Vec<(u64, String, register::Valid)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for rec in reader.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                errors.push(format!("Zeile {line}: die Zeile hat nicht {} Spalten.", HEADERS.len()));
                continue;
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let Some((ozg_id, input)) = parse_row(&rec, &mut errors, line) else { continue };
        if !known.contains(&ozg_id) {
            errors.push(format!("Zeile {line}, Spalte »OZG-ID«: »{ozg_id}« ist nicht im Katalog."));
            continue;
        }
        if !seen.insert(ozg_id.clone()) {
            errors.push(format!("Zeile {line}, Spalte »OZG-ID«: »{ozg_id}« kommt mehrfach vor."));
            continue;
        }
        match register::validate(&input, &criteria) {
            Ok(valid) => rows.push((line, ozg_id, valid)),
            Err(AppError::Validation(map)) => {
                for (field, msgs) in map {
                    for m in msgs {
                        errors.push(format!("Zeile {line}, Spalte »{}«: {m}", column_of(&field)));
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let acting = register::acting_org(user, &org);
    let txn = crate::core::db::begin_write(db).await?;
    let items: Vec<(&str, &register::Valid)> = rows.iter().map(|(_, id, v)| (id.as_str(), v)).collect();
    match register::apply_all(&txn, &user.id, &acting, &org.id, &items).await? {
        Ok((changed, unchanged)) => {
            txn.commit().await?;
            Ok(ImportReport { changed, unchanged })
        }
        Err(i) => {
            txn.rollback().await?;
            let (line, ozg_id, _) = &rows[i];
            Err(AppError::Conflict(format!(
                "Zeile {line} (OZG-ID {ozg_id}): der Eintrag wurde nach dem Export geändert. Es wurde nichts importiert; bitte exportieren Sie erneut."
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_convert_between_german_and_iso() {
        assert_eq!(iso_to_german("2025-06-30"), "30.06.2025");
        assert_eq!(german_to_iso("30.06.2025").as_deref(), Some("2025-06-30"));
        assert_eq!(german_to_iso("2025-06-30"), None);
    }
}
