//! The whole Nachnutzungsübersicht as CSV (German headers, `;`, UTF-8 with BOM) and its import:
//! all rows or none, with line-numbered German errors.

use super::plan::{self, PlanInput};
use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::error::AppError;
use crate::rollout::model::{Model, Phase};
use sea_orm::DatabaseConnection;
use std::collections::{BTreeMap, HashMap, HashSet};

pub const HEADERS: [&str; 8] = ["OZG-ID", "Leistung", "Umsetzungsmodell", "EfA-Dienst", "Priorität", "Phase", "Land trägt Nachnutzungskosten", "Checkliste"];

/// Checklist items are separated by this in a cell.
const ITEM_SEPARATOR: &str = " | ";

/// The overview as a CSV file; the public's file has no column for who pays.
#[tracing::instrument(skip_all)]
pub async fn export(db: &DatabaseConnection, scope: &Scope) -> Result<Vec<u8>, AppError> {
    let rows = plan::overview(db, scope).await?;
    let mut w = crate::core::csv_out::Writer::new(false);
    let fail = |_| AppError::Internal;
    w.write_record(HEADERS).map_err(fail)?;
    for r in rows {
        w.write_record([
            r.ozg_id.clone(),
            r.name.clone(),
            r.model.label().to_string(),
            r.efa.as_ref().map(|e| e.name.clone()).unwrap_or_default(),
            r.priority.to_string(),
            r.phase.label().to_string(),
            match r.land_pays {
                Some(true) => "ja".into(),
                Some(false) => "nein".into(),
                None => String::new(),
            },
            r.checklist.join(ITEM_SEPARATOR),
        ])
        .map_err(fail)?;
    }
    let mut out = "\u{feff}".as_bytes().to_vec();
    out.extend(w.into_inner().map_err(|_| AppError::Internal)?);
    Ok(out)
}

/// Imports the overview (advisors): every row is checked first; one error and nothing changes.
/// Rows equal to the stored ones are left alone. Returns the number of rows changed.
#[tracing::instrument(skip_all)]
pub async fn import(db: &DatabaseConnection, scope: &Scope, actor: &str, bytes: &[u8]) -> Result<usize, AppError> {
    crate::access::policy::require_advisor(scope)?;
    let invalid = |msgs: Vec<String>| {
        let mut map = BTreeMap::new();
        map.insert("datei".to_string(), msgs.into_iter().take(200).collect());
        AppError::Validation(map)
    };
    let text = std::str::from_utf8(bytes).map_err(|_| invalid(vec!["Die Datei ist nicht UTF-8-kodiert.".into()]))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = crate::core::sheet::lf(text);
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').has_headers(true).flexible(false).from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().map_err(|_| invalid(vec!["Zeile 1: die Kopfzeile ist nicht lesbar.".into()]))?.iter().map(|h| h.trim().to_string()).collect();
    if header != HEADERS {
        return Err(invalid(vec![format!("Zeile 1: die Kopfzeile muss der des Exports entsprechen ({}).", HEADERS.join(";"))]));
    }
    let stored: HashMap<String, crate::rollout::model::PlanRow> = plan::overview(db, scope).await?.into_iter().map(|r| (r.ozg_id.clone(), r)).collect();
    let services = plan::services(db).await?;
    let by_name: HashMap<String, String> = services.iter().map(|s| (crate::catalogue::service::efa::name_key(&s.name), s.id.clone())).collect();
    let known: Vec<String> = services.iter().map(|s| s.id.clone()).collect();
    let mut errors = Vec::new();
    let mut valid = Vec::new();
    let mut seen = HashSet::new();
    for rec in reader.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("Zeile {}: die Zeile hat nicht {} Spalten.", e.position().map(|p| p.line()).unwrap_or(0), HEADERS.len()));
                continue;
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let cell = |i: usize| crate::core::csv_out::restore(rec.get(i).unwrap_or_default().trim()).to_string();
        let ozg_id = cell(0);
        let Some(current) = stored.get(&ozg_id) else {
            errors.push(format!("Zeile {line}, Spalte »OZG-ID«: »{ozg_id}« ist nicht im Katalog."));
            continue;
        };
        if !seen.insert(ozg_id.clone()) {
            errors.push(format!("Zeile {line}, Spalte »OZG-ID«: »{ozg_id}« kommt mehrfach vor."));
            continue;
        }
        let efa_name = cell(3);
        let efa_id = if efa_name.is_empty() {
            String::new()
        } else if let Some(id) = by_name.get(&crate::catalogue::service::efa::name_key(&efa_name)) {
            id.clone()
        } else {
            errors.push(format!("Zeile {line}, Spalte »EfA-Dienst«: »{efa_name}« steht nicht in der Liste des Landes."));
            continue;
        };
        let land_pays = match cell(6).to_lowercase().as_str() {
            "ja" => true,
            "nein" | "" => false,
            other => {
                errors.push(format!("Zeile {line}, Spalte »Land trägt Nachnutzungskosten«: »{other}« – erwartet ist »ja« oder »nein«."));
                continue;
            }
        };
        let input = PlanInput {
            model: Model::from_text(&cell(2)).map(Model::code).unwrap_or_default().to_string(),
            efa_service_id: efa_id,
            priority: cell(4),
            phase: Phase::from_text(&cell(5)).map(Phase::code).unwrap_or_default().to_string(),
            land_pays,
            checklist: cell(7).split(ITEM_SEPARATOR.trim()).map(str::trim).collect::<Vec<_>>().join("\n"),
            version: current.version,
        };
        match plan::validate(&input, &known) {
            Ok(v) => valid.push((ozg_id, v, current.clone())),
            Err(AppError::Validation(map)) => {
                for (field, msgs) in map {
                    let col = match field.as_str() {
                        "model" => "Umsetzungsmodell",
                        "efa_service_id" => "EfA-Dienst",
                        "priority" => "Priorität",
                        "phase" => "Phase",
                        _ => "Checkliste",
                    };
                    for m in msgs {
                        errors.push(format!("Zeile {line}, Spalte »{col}«: {m}"));
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let txn = crate::core::db::begin_write(db).await?;
    let mut changed = 0;
    for (ozg_id, v, current) in &valid {
        // An unrecorded row reads as the defaults: exporting and re-importing it records nothing.
        let same = current.model == v.model
            && current.efa.as_ref().map(|e| e.id.clone()) == v.efa_service_id
            && current.priority == v.priority
            && current.phase == v.phase
            && current.land_pays == Some(v.land_pays)
            && current.checklist == v.checklist;
        if same {
            continue;
        }
        if !plan::write(&txn, actor, ozg_id, v, current.version).await? {
            txn.rollback().await?;
            return Err(AppError::Conflict("Die Übersicht wurde während des Imports geändert; es wurde nichts übernommen. Bitte versuchen Sie es erneut.".into()));
        }
        changed += 1;
    }
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::RolloutPlanImported, detail: Some(format!("{changed} Zeilen geändert")), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(changed)
}
