//! Keeping the rollups current within the transaction of each register change.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Value};
use super::*;

/// The areas a Kommune belongs to (Land, Kreis, Verbandsgemeinde if any) and its inhabitants.
#[tracing::instrument(skip_all)]
pub async fn areas_of(db: &impl ConnectionTrait, org_id: &str) -> Result<(Vec<String>, i64), AppError> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(stmt(
            backend,
            "SELECT o.kind, o.key, o.kreis_key, v.key, o.population FROM organisation o LEFT JOIN organisation v ON v.id = o.verband_id WHERE o.id = ?",
            vec![org_id.into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?;
    let kind: String = row.try_get_by_index(0)?;
    let key: String = row.try_get_by_index(1)?;
    let kreis: Option<String> = row.try_get_by_index(2)?;
    let verband: Option<String> = row.try_get_by_index(3)?;
    let population: Option<i64> = row.try_get_by_index(4)?;
    let mut areas = Vec::new();
    if let Some(k) = kreis.filter(|k| k.len() >= 2) {
        areas.push(k[..2].to_string());
        areas.push(k);
    }
    if kind == "verbandsgemeinde" {
        areas.push(key);
    } else if let Some(v) = verband {
        areas.push(v);
    }
    // Each area also counts the members of each Spitzenverband on their own.
    let group = if kind == "landkreis" { LANDKREISE } else { GEMEINDEN };
    let grouped: Vec<String> = areas.iter().map(|a| format!("{a}:{group}")).collect();
    areas.extend(grouped);
    Ok((areas, population.unwrap_or(0)))
}

/// One register record's change as the rollups see it: its OZG-Leistung, the facts before (none
/// for a new record) and after.
pub struct Change {
    pub ozg_id: String,
    pub before: Option<Facts>,
    pub after: Facts,
}

/// Adjusts the rollups for changes of one Kommune's register, inside the caller's transaction:
/// the counters of each area and OZG-Leistung by the difference, the EfA services reused, the
/// Kommune's last change and each area's data date — the last two once, however many records
/// changed (a bulk edit writes as few rows as it can while it holds the write lock).
#[tracing::instrument(skip_all)]
pub async fn apply_changes(db: &impl ConnectionTrait, org_id: &str, changes: &[Change], now: DateTime<Utc>) -> Result<(), AppError> {
    if changes.is_empty() {
        return Ok(());
    }
    let (areas, population) = areas_of(db, org_id).await?;
    let backend = db.get_database_backend();
    let cols = COUNTERS.join(", ");
    let marks = vec!["?"; COUNTERS.len() + 2].join(", ");
    let sets = COUNTERS.iter().map(|c| format!("{c} = agg_service_area.{c} + excluded.{c}")).collect::<Vec<_>>().join(", ");
    let cell_sql = format!("INSERT INTO agg_service_area (area_key, ozg_id, {cols}) VALUES ({marks}) ON CONFLICT (area_key, ozg_id) DO UPDATE SET {sets}");
    let efa_sql = "INSERT INTO agg_efa (area_key, ozg_id, service, kommunen) VALUES (?, ?, ?, ?) \
                   ON CONFLICT (area_key, ozg_id, service) DO UPDATE SET kommunen = agg_efa.kommunen + excluded.kommunen";
    for c in changes {
        let old = c.before.as_ref().map(|f| f.contribution(population)).unwrap_or([0; 22]);
        let new = c.after.contribution(population);
        let delta: Vec<i64> = new.iter().zip(old.iter()).map(|(n, o)| n - o).collect();
        if delta.iter().any(|d| *d != 0) {
            for area in &areas {
                let mut values: Vec<Value> = vec![area.as_str().into(), c.ozg_id.as_str().into()];
                values.extend(delta.iter().map(|d| Value::from(*d)));
                db.execute_raw(stmt(backend, &cell_sql, values)).await?;
            }
        }
        // The EfA services reused, per area.
        let old_efa = c.before.as_ref().and_then(Facts::counted_efa);
        if old_efa != c.after.counted_efa() {
            for (service, d) in [(old_efa, -1i64), (c.after.counted_efa(), 1)] {
                if let Some(service) = service {
                    for area in &areas {
                        db.execute_raw(stmt(backend, efa_sql, vec![area.as_str().into(), c.ozg_id.as_str().into(), service.into(), d.into()])).await?;
                    }
                }
            }
        }
    }
    // The Kommune's last change, for the reporting gaps.
    let sql = "INSERT INTO agg_kommune_activity (organisation_id, last_change_at) VALUES (?, ?) \
               ON CONFLICT (organisation_id) DO UPDATE SET last_change_at = excluded.last_change_at";
    db.execute_raw(stmt(backend, sql, vec![org_id.into(), now.into()])).await?;
    // The data date of the area: the last register change within it.
    for area in &areas {
        db.execute_raw(stmt(backend, "UPDATE agg_area SET updated_at = ?, version = version + 1 WHERE area_key = ?", vec![now.into(), area.as_str().into()])).await?;
    }
    Ok(())
}
