//! Reading areas (Land, Kreise, Kommunen), the catalogue slice's services and the areas' rollup cells.

use crate::rollups::Cell;
use crate::error::AppError;
use crate::lagebild::model::Slice;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use std::collections::HashMap;
use std::sync::Arc;
use super::*;

pub(super) const CACHE_AREAS: usize = 256;

pub(super) fn placeholders(backend: DbBackend, from: usize, n: usize) -> String {
    (0..n).map(|i| if backend == DbBackend::Postgres { format!("${}", from + i) } else { "?".to_string() }).collect::<Vec<_>>().join(", ")
}

/// Areas by key or by parent.
#[tracing::instrument(skip_all)]
pub async fn areas(db: &impl ConnectionTrait, keys: &[String], parent: Option<&str>) -> Result<Vec<Area>, AppError> {
    let backend = db.get_database_backend();
    let (cond, values): (String, Vec<Value>) = match parent {
        Some(p) => (format!("parent_key = {}", placeholders(backend, 1, 1)), vec![p.into()]),
        None if keys.is_empty() => return Ok(Vec::new()),
        None => (format!("area_key IN ({})", placeholders(backend, 1, keys.len())), keys.iter().map(|k| Value::from(k.as_str())).collect()),
    };
    let sql = format!("SELECT area_key, level, name, parent_key, kommunen, population, updated_at, version FROM agg_area WHERE {cond} ORDER BY name");
    let rows = db.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    rows.into_iter()
        .map(|r| {
            Ok(Area {
                key: r.try_get_by_index(0)?,
                level: r.try_get_by_index(1)?,
                name: r.try_get_by_index(2)?,
                parent: r.try_get_by_index(3)?,
                kommunen: i64::from(r.try_get_by_index::<i32>(4)?),
                population: r.try_get_by_index(5)?,
                updated_at: r.try_get_by_index::<chrono::DateTime<chrono::Utc>>(6)?.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                version: r.try_get_by_index(7)?,
            })
        })
        .collect()
}

/// Every area of a Land (the Land, its Kreise and Verbandsgemeinden, each also per member group).
#[tracing::instrument(skip_all)]
pub async fn land_areas(db: &impl ConnectionTrait, land: &str) -> Result<Vec<Area>, AppError> {
    let backend = db.get_database_backend();
    let keys: Vec<String> = db
        .query_all_raw(crate::rollups::stmt(backend, "SELECT area_key FROM agg_area WHERE substr(area_key, 1, 2) = ?", vec![land.into()]))
        .await?
        .into_iter()
        .map(|r| r.try_get_by_index(0))
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(500) {
        out.extend(areas(db, chunk, None).await?);
    }
    Ok(out)
}

/// The OZG-Leistungen of a slice (catalogue services only) with their Themenfeld.
#[tracing::instrument(skip_all)]
pub async fn slice_services(db: &impl ConnectionTrait, slice: &Slice) -> Result<Vec<(String, String)>, AppError> {
    use crate::core::entities::ozg_service;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let mut q = ozg_service::Entity::find().filter(ozg_service::Column::InCatalogue.eq(true));
    if let Some(t) = &slice.themenfeld {
        q = q.filter(ozg_service::Column::Themenfeld.eq(t.as_str()));
    }
    if let Some(l) = &slice.lage {
        q = q.filter(ozg_service::Column::Lebenslage.eq(l.as_str()));
    }
    if slice.focus {
        q = q.filter(ozg_service::Column::Focus.eq(true));
    }
    if let Some(o) = &slice.ozg_id {
        q = q.filter(ozg_service::Column::OzgId.eq(o.as_str()));
    }
    Ok(q.select_only()
        .column(ozg_service::Column::OzgId)
        .column(ozg_service::Column::Themenfeld)
        .order_by_asc(ozg_service::Column::OzgId)
        .into_tuple()
        .all(db)
        .await?)
}

/// The Themenfelder of the catalogue.
#[tracing::instrument(skip_all)]
pub async fn themenfelder(db: &impl ConnectionTrait) -> Result<Vec<String>, AppError> {
    use crate::core::entities::ozg_service;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    Ok(ozg_service::Entity::find()
        .filter(ozg_service::Column::InCatalogue.eq(true))
        .select_only()
        .column(ozg_service::Column::Themenfeld)
        .distinct()
        .order_by_asc(ozg_service::Column::Themenfeld)
        .into_tuple()
        .all(db)
        .await?)
}

/// The Lebens- und Unternehmenslagen of the catalogue.
#[tracing::instrument(skip_all)]
pub async fn lagen(db: &impl ConnectionTrait) -> Result<Vec<String>, AppError> {
    use crate::core::entities::ozg_service;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    Ok(ozg_service::Entity::find()
        .filter(ozg_service::Column::InCatalogue.eq(true))
        .filter(ozg_service::Column::Lebenslage.ne(""))
        .select_only()
        .column(ozg_service::Column::Lebenslage)
        .distinct()
        .order_by_asc(ozg_service::Column::Lebenslage)
        .into_tuple()
        .all(db)
        .await?)
}

/// The stored counters of some areas: area → OZG-ID → counters (from the cache while current).
#[tracing::instrument(skip_all)]
pub async fn cells(db: &impl ConnectionTrait, cache: &CellCache, areas: &[&Area]) -> Result<HashMap<String, AreaCells>, AppError> {
    let mut out: HashMap<String, AreaCells> = HashMap::new();
    let mut missing: Vec<&Area> = Vec::new();
    if let Ok(c) = cache.areas.lock() {
        for a in areas {
            match c.get(&a.key) {
                Some((v, at, cells)) if *v == a.version && *at == a.updated_at => {
                    out.insert(a.key.clone(), cells.clone());
                }
                _ => missing.push(a),
            }
        }
    } else {
        missing = areas.to_vec();
    }
    missing.sort_by(|a, b| a.key.cmp(&b.key));
    missing.dedup_by(|a, b| a.key == b.key);
    if missing.is_empty() {
        return Ok(out);
    }
    let backend = db.get_database_backend();
    let sql = format!(
        "SELECT area_key, ozg_id, {} FROM agg_service_area WHERE area_key IN ({})",
        crate::rollups::COUNTERS.join(", "),
        placeholders(backend, 1, missing.len())
    );
    let rows = db.query_all_raw(Statement::from_sql_and_values(backend, sql, missing.iter().map(|a| Value::from(a.key.as_str())))).await?;
    let mut read: HashMap<String, HashMap<String, Cell>> = missing.iter().map(|a| (a.key.clone(), HashMap::new())).collect();
    for r in rows {
        let area: String = r.try_get_by_index(0)?;
        let ozg: String = r.try_get_by_index(1)?;
        let mut c = [0; 22];
        for (i, v) in c.iter_mut().enumerate() {
            *v = r.try_get_by_index(2 + i)?;
        }
        read.entry(area).or_default().insert(ozg, c);
    }
    let mut c = cache.areas.lock().ok();
    for a in missing {
        let cells: AreaCells = Arc::new(read.remove(&a.key).unwrap_or_default());
        if let Some(c) = c.as_mut() {
            if c.len() >= CACHE_AREAS {
                c.clear();
            }
            c.insert(a.key.clone(), (a.version, a.updated_at.clone(), cells.clone()));
        }
        out.insert(a.key.clone(), cells);
    }
    Ok(out)
}
