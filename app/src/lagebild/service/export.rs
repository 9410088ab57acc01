//! The Lagebild and its per-service rows as CSV (German headers, `;`, UTF-8 with BOM).

use crate::error::AppError;
use crate::lagebild::model::{AreaFigures, Lagebild, ServiceFigures};
use super::*;

/// Themenfelder as rows of one table, followed by the selection, the definitions and the source.
pub fn to_csv(
    lb: &Lagebild,
    counted: &str,
    trend: Option<&(String, Vec<crate::lagebild::model::TrendPoint>)>,
    cases: Option<&crate::lagebild::model::CaseStatsView>,
    efa: &[crate::lagebild::model::EfaRow],
) -> Result<String, AppError> {
    // Flexible: the notes after the table have two fields.
    let mut w = crate::core::csv_out::Writer::new(true);
    let fail = |e: csv::Error| {
        tracing::error!(error = %e, "CSV-Export des Lagebilds fehlgeschlagen");
        AppError::Internal
    };
    let t = lb.threshold;
    w.write_record([
        "Tabelle", "Gebiet oder Themenfeld", "Schlüssel", "Kommunen", "Leistungen", "davon nicht gezählt", "zuständige Kommune-Leistung-Paare", "davon online", "Online-Quote %",
        "flächendeckend online", "in mindestens einer Kommune online", "Einwohner zuständig", "Einwohner mit Online-Angebot", "Bevölkerungsabdeckung %",
        "Reifegrad ≥ 2 (1.1)", "Reifegrad ≥ 3 (1.1)", "EfA-Nachnutzungen", "Meldelücken (Kommunen)", "unterdrückt", "Datenstand",
    ])
    .map_err(fail)?;
    let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| crate::ui::format::WITHHELD.to_string());
    let p = |v: Option<f64>| v.map(|v| format!("{v:.1}").replace('.', ",")).unwrap_or_default();
    let row = |table: &str, name: &str, key: &str, f: &AreaFigures| -> Vec<String> {
        vec![
            table.to_string(),
            name.to_string(),
            key.to_string(),
            f.kommunen.to_string(),
            f.services.to_string(),
            f.withheld.to_string(),
            n(f.responsible),
            n(f.online),
            p(f.online_share()),
            n(f.flaechendeckend),
            n(f.mindestens_eine),
            n(f.population_responsible),
            n(f.population_online),
            p(f.population_share()),
            n(f.reifegrad_2),
            n(f.reifegrad_3),
            n(f.efa),
            match (&f.stale_kommunen, f.suppressed) {
                (Some(v), _) => v.to_string(),
                (None, true) => crate::ui::format::WITHHELD.to_string(),
                (None, false) => String::new(),
            },
            if f.suppressed { "ja" } else { "nein" }.to_string(),
            f.data_date.clone(),
        ]
    };
    let base = |k: &str| crate::lagebild::model::base_key(k).to_string();
    w.write_record(row("Gebiet", &lb.area.name, &base(&lb.area.area), &lb.area)).map_err(fail)?;
    for part in &lb.parts {
        w.write_record(row("Kreis", &part.name, &base(&part.area), part)).map_err(fail)?;
    }
    for (name, f) in &lb.themenfelder {
        w.write_record(row("Themenfeld", name, &base(&lb.area.area), f)).map_err(fail)?;
    }
    w.write_record([""; 19]).map_err(fail)?;
    // The distributions, the trend and the case statistics as further blocks.
    w.write_record(["Tabelle", "Gebiet", "Schlüssel", "Merkmal", "Anzahl"]).map_err(fail)?;
    let key = base(&lb.area.area);
    let mut block = |table: &str, label: String, v: Option<i64>| w.write_record([table, &lb.area.name, &key, &label, &n(v)]).map_err(fail);
    for (i, label) in crate::lagebild::model::stage_labels().enumerate() {
        block("Umsetzungsstand (Kommune-Leistung-Paare)", label.to_string(), lb.area.stages.as_ref().map(|v| v[i]))?;
    }
    for l in 0..5 {
        block("Reifegrad Modell 1.1 (Kommune-Leistung-Paare)", format!("Stufe {l}"), lb.area.model_11.as_ref().map(|v| v[l]))?;
    }
    for l in 0..8 {
        block("Reifegrad Modell 2.0 (Kommune-Leistung-Paare)", format!("Stufe {l}"), lb.area.model_20.as_ref().map(|v| v[l]))?;
    }
    if let Some((_, points)) = trend {
        for p in points {
            let m = || p.month.clone();
            block("Verlauf: zuständige Kommune-Leistung-Paare", m(), p.responsible)?;
            block("Verlauf: davon online", m(), p.online)?;
            block("Verlauf: flächendeckend online (Leistungen)", m(), p.flaechendeckend)?;
            block("Verlauf: in mindestens einer Kommune online (Leistungen)", m(), p.mindestens_eine)?;
            block("Verlauf: Einwohner zuständig", m(), p.population_responsible)?;
            block("Verlauf: Einwohner mit Online-Angebot", m(), p.population_online)?;
            block("Verlauf: Reifegrad ≥ 2 (1.1)", m(), p.reifegrad_2)?;
            block("Verlauf: Reifegrad ≥ 3 (1.1)", m(), p.reifegrad_3)?;
            block("Verlauf: EfA-Nachnutzungen", m(), p.efa)?;
            for (i, label) in crate::lagebild::model::stage_labels().enumerate() {
                block(&format!("Verlauf: Umsetzungsstand {label}"), m(), p.stages.as_ref().map(|v| v[i]))?;
            }
            for l in 0..5 {
                block(&format!("Verlauf: Reifegrad Modell 1.1 Stufe {l}"), m(), p.model_11.as_ref().map(|v| v[l]))?;
            }
            for l in 0..8 {
                block(&format!("Verlauf: Reifegrad Modell 2.0 Stufe {l}"), m(), p.model_20.as_ref().map(|v| v[l]))?;
            }
        }
    }
    if let Some(c) = cases {
        let rows = std::iter::once(("insgesamt", &c.total)).chain(c.months.iter().map(|r| ("Monat", r))).chain(c.categories.iter().map(|r| ("Kategorie", r))).chain(c.parts.iter().map(|r| ("Kreis", r)));
        for (kind, r) in rows {
            block(&format!("Beratungsfälle je {kind}: Fälle"), r.label.clone(), r.cases)?;
            block(&format!("Beratungsfälle je {kind}: Median erste Antwort (Minuten)"), r.label.clone(), r.median_response_hours.map(|h| (h * 60.0).round() as i64))?;
            block(&format!("Beratungsfälle je {kind}: Median Lösung (Minuten)"), r.label.clone(), r.median_solution_hours.map(|h| (h * 60.0).round() as i64))?;
            block(&format!("Beratungsfälle je {kind}: erste Antwort in Frist"), r.label.clone(), r.responded_in_time)?;
            block(&format!("Beratungsfälle je {kind}: Lösung in Frist"), r.label.clone(), r.solved_in_time)?;
        }
    }
    for e in efa {
        block(&format!("EfA-Nachnutzung: {} ({})", e.name, e.ozg_id), format!("{} – in: {}", e.service, e.kreise.join(", ")), e.kommunen)?;
    }
    w.write_record([""; 5]).map_err(fail)?;
    let mut meta = |a: &str, b: &str| w.write_record([a, b]).map_err(fail);
    meta("Auswahl", &lb.slice.label())?;
    meta("Gezählt über", counted)?;
    for (term, text) in crate::lagebild::model::Term::ALL.iter().map(|t| (t.label(), t.definition())) {
        meta(&format!("Definition: {term}"), &text.replace("weniger als 3 ", &format!("weniger als {t} ")))?;
    }
    meta("Quelle", "Leistungsregister des OZG-Portals Sachsen-Anhalt")?;
    w.flush().map_err(|e| {
        tracing::error!(error = %e, "CSV-Export des Lagebilds fehlgeschlagen");
        AppError::Internal
    })?;
    let bytes = w.into_inner().map_err(|_| AppError::Internal)?;
    Ok(format!("\u{feff}{}", String::from_utf8(bytes).map_err(|_| AppError::Internal)?))
}

/// Per-service rows as CSV (German headers, `;`, UTF-8 with BOM), with the data date.
pub fn services_csv(area: &Area, rows: &[ServiceFigures]) -> Result<String, AppError> {
    let mut w = crate::core::csv_out::Writer::new(false);
    let fail = |_| AppError::Internal;
    w.write_record([
        "OZG-ID", "Leistung", "Themenfeld", "Gebiet", "zuständige Kommunen", "online", "flächendeckend", "Reifegrad ≥ 2 (1.1)", "Reifegrad ≥ 3 (1.1)",
        "EfA-Nachnutzungen", "Einwohner zuständig", "Einwohner mit Online-Angebot", "unterdrückt", "Datenstand",
    ])
    .map_err(fail)?;
    let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| crate::ui::format::WITHHELD.to_string());
    for r in rows {
        w.write_record([
            r.ozg_id.clone(),
            r.name.clone(),
            r.themenfeld.clone(),
            crate::lagebild::model::base_key(&area.key).to_string(),
            n(r.responsible),
            n(r.online),
            r.flaechendeckend.map(|b| if b { "ja" } else { "nein" }.to_string()).unwrap_or_else(|| crate::ui::format::WITHHELD.to_string()),
            n(r.reifegrad_2),
            n(r.reifegrad_3),
            n(r.efa),
            n(r.population_responsible),
            n(r.population_online),
            if r.suppressed { "ja" } else { "nein" }.to_string(),
            area.updated_at.clone(),
        ])
        .map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|_| AppError::Internal)?;
    Ok(format!("\u{feff}{}", String::from_utf8(bytes).map_err(|_| AppError::Internal)?))
}
