//! Reading rollup cells (stored, or computed live for checks) and the areas' activity.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Statement};
use std::collections::BTreeMap;
use super::*;

/// Kommunen with a register change since `since`, per area of one level within one Land
/// (`grouped`: per member group, as the association areas count).
#[tracing::instrument(skip_all)]
pub async fn active_kommunen(db: &impl ConnectionTrait, level: &str, grouped: bool, land: &str, since: DateTime<Utc>) -> Result<BTreeMap<String, i64>, AppError> {
    let base = area_expr(level);
    let (area, group_by) = if grouped { (format!("{base} || ':' || {GROUP_EXPR}"), format!("{base}, {GROUP_EXPR}")) } else { (base.to_string(), base.to_string()) };
    let sql = format!(
        "SELECT {area}, CAST(COUNT(*) AS BIGINT) FROM agg_kommune_activity a JOIN organisation o ON o.id = a.organisation_id \
         LEFT JOIN organisation v ON v.id = o.verband_id WHERE o.kind IN {KOMMUNE_KINDS} AND a.last_change_at >= ? \
         AND o.kreis_key >= ? AND o.kreis_key < ? AND {base} IS NOT NULL GROUP BY {group_by}"
    );
    // The Land's Kreise as a key range, so the Kommunen come from the index on `kreis_key`
    // (not from every Kommune that changed lately, nationwide).
    let next = land.parse::<u32>().map(|n| format!("{:02}", n + 1)).unwrap_or_else(|_| format!("{land}~"));
    let rows = db.query_all_raw(stmt(db.get_database_backend(), &sql, vec![since.into(), land.into(), next.into()])).await?;
    rows.into_iter().map(|r| Ok((r.try_get_by_index::<String>(0)?, r.try_get_by_index::<i64>(1)?))).collect()
}

/// Condition on Kommunen `o` (with `v` their Verbandsgemeinde) for membership in an area key;
/// the key is bound as the one parameter `?`.
pub fn member_condition(area: &str) -> Option<String> {
    let level = level_of(area)?;
    let base = area_expr(level);
    Some(if area.contains(':') { format!("{base} || ':' || {GROUP_EXPR} = ?") } else { format!("{base} = ?") })
}

/// Area expression and joins of one level, over Kommunen `o` (and their Verbandsgemeinde `v`).
pub(crate) fn area_expr(level: &str) -> &'static str {
    match level {
        "land" => "substr(o.kreis_key, 1, 2)",
        "kreis" => "o.kreis_key",
        _ => "CASE WHEN o.kind = 'verbandsgemeinde' THEN o.key ELSE v.key END",
    }
}

/// The counters computed from the register: `(area, ozg_id, counters…)` grouped by area and
/// OZG-Leistung, for one level (optionally one area of it).
pub(super) fn select_sql(level: &str, grouped: bool, one_area: bool) -> String {
    let resp = "r.responsibility <> 'other'";
    let pop = "COALESCE(o.population, 0)";
    let mut sums = vec![
        "SUM(CASE WHEN r.responsibility = 'other' THEN 1 ELSE 0 END)".to_string(),
        format!("SUM(CASE WHEN r.responsibility = 'other' THEN {pop} ELSE 0 END)"),
    ];
    for s in COUNTED_STAGES {
        sums.push(format!("SUM(CASE WHEN {resp} AND r.stage = '{}' THEN 1 ELSE 0 END)", s.code()));
    }
    sums.push(format!("SUM(CASE WHEN {resp} AND r.stage = '{}' THEN {pop} ELSE 0 END)", Stage::Online.code()));
    for l in 0..=4 {
        sums.push(format!("SUM(CASE WHEN {resp} AND r.maturity_model = '1.1' AND r.maturity_level = {l} THEN 1 ELSE 0 END)"));
    }
    for l in 0..=7 {
        sums.push(format!("SUM(CASE WHEN {resp} AND r.maturity_model = '2.0' AND r.maturity_level = {l} THEN 1 ELSE 0 END)"));
    }
    sums.push(format!("SUM(CASE WHEN {resp} AND r.solution_kind = 'efa' THEN 1 ELSE 0 END)"));
    let base = area_expr(level);
    let (area, group_by) = if grouped { (format!("{base} || ':' || {GROUP_EXPR}"), format!("{base}, {GROUP_EXPR}")) } else { (base.to_string(), base.to_string()) };
    let sums: Vec<String> = sums.into_iter().map(|s| format!("CAST({s} AS BIGINT)")).collect();
    format!(
        "SELECT {area} AS area, r.ozg_id, {} FROM service_record r JOIN organisation o ON o.id = r.organisation_id \
         LEFT JOIN organisation v ON v.id = o.verband_id WHERE o.kind IN {KOMMUNE_KINDS} AND {base} IS NOT NULL{} GROUP BY {group_by}, r.ozg_id",
        sums.join(", "),
        if one_area { format!(" AND {area} = ?") } else { String::new() }
    )
}

/// The EfA services reused, computed from the register: `(area, ozg_id, service, Kommunen)`.
pub(super) fn efa_sql(level: &str, grouped: bool, one_area: bool) -> String {
    let base = area_expr(level);
    let (area, group_by) = if grouped { (format!("{base} || ':' || {GROUP_EXPR}"), format!("{base}, {GROUP_EXPR}")) } else { (base.to_string(), base.to_string()) };
    format!(
        "SELECT {area} AS area, r.ozg_id, TRIM(r.solution_name), CAST(COUNT(*) AS BIGINT) FROM service_record r JOIN organisation o ON o.id = r.organisation_id \
         LEFT JOIN organisation v ON v.id = o.verband_id WHERE o.kind IN {KOMMUNE_KINDS} AND {base} IS NOT NULL AND r.responsibility <> 'other' \
         AND r.solution_kind = 'efa' AND r.solution_name IS NOT NULL AND TRIM(r.solution_name) <> ''{} GROUP BY {group_by}, r.ozg_id, TRIM(r.solution_name)",
        if one_area { format!(" AND {area} = ?") } else { String::new() }
    )
}

/// EfA services reused in one area, live from the register: (OZG-ID, service) → Kommunen.
#[tracing::instrument(skip_all)]
pub async fn efa_live(db: &impl ConnectionTrait, area: &str) -> Result<BTreeMap<(String, String), i64>, AppError> {
    let level = level_of(area).ok_or(AppError::NotFound)?;
    let rows = db.query_all_raw(stmt(db.get_database_backend(), &efa_sql(level, area.contains(':'), true), vec![area.into()])).await?;
    rows.into_iter().map(|r| Ok(((r.try_get_by_index(1)?, r.try_get_by_index(2)?), r.try_get_by_index(3)?))).collect()
}

/// EfA services reused in one area, as stored (rows that fell to zero left out).
#[tracing::instrument(skip_all)]
pub async fn efa_stored(db: &impl ConnectionTrait, area: &str) -> Result<BTreeMap<(String, String), i64>, AppError> {
    let rows = db.query_all_raw(stmt(db.get_database_backend(), "SELECT ozg_id, service, kommunen FROM agg_efa WHERE area_key = ? AND kommunen > 0", vec![area.into()])).await?;
    rows.into_iter().map(|r| Ok(((r.try_get_by_index(0)?, r.try_get_by_index(1)?), r.try_get_by_index(2)?))).collect()
}

/// Level of an area key: Land (2 digits), Kreis (5), Verbandsgemeinde (9), each optionally
/// with the suffix of a member group (`:lk`, `:gem`).
pub fn level_of(area: &str) -> Option<&'static str> {
    let (base, group) = match area.split_once(':') {
        Some((b, g)) => (b, Some(g)),
        None => (area, None),
    };
    if !base.bytes().all(|b| b.is_ascii_digit()) || group.is_some_and(|g| g != LANDKREISE && g != GEMEINDEN) {
        return None;
    }
    match base.len() {
        2 => Some("land"),
        5 => Some("kreis"),
        9 => Some("vg"),
        _ => None,
    }
}

pub(super) fn cells(rows: Vec<sea_orm::QueryResult>, first: usize) -> Result<BTreeMap<String, Cell>, AppError> {
    let mut out = BTreeMap::new();
    for row in rows {
        let ozg: String = row.try_get_by_index(first)?;
        let mut c = [0; 22];
        for (i, v) in c.iter_mut().enumerate() {
            *v = row.try_get_by_index::<i64>(first + 1 + i)?;
        }
        if c.iter().any(|v| *v != 0) {
            out.insert(ozg, c);
        }
    }
    Ok(out)
}

/// The live computation (a GROUP BY over the register) of one area's counters.
#[tracing::instrument(skip_all)]
pub async fn live(db: &impl ConnectionTrait, area: &str) -> Result<BTreeMap<String, Cell>, AppError> {
    let level = level_of(area).ok_or(AppError::NotFound)?;
    let rows = db.query_all_raw(stmt(db.get_database_backend(), &select_sql(level, area.contains(':'), true), vec![area.into()])).await?;
    cells(rows, 1)
}

/// The stored counters of one area (all-zero rows left out).
#[tracing::instrument(skip_all)]
pub async fn stored(db: &impl ConnectionTrait, area: &str) -> Result<BTreeMap<String, Cell>, AppError> {
    let sql = format!("SELECT ozg_id, {} FROM agg_service_area WHERE area_key = ?", COUNTERS.join(", "));
    let rows = db.query_all_raw(stmt(db.get_database_backend(), &sql, vec![area.into()])).await?;
    cells(rows, 0)
}

/// Every area key of the rollups.
#[tracing::instrument(skip_all)]
pub async fn area_keys(db: &impl ConnectionTrait) -> Result<Vec<String>, AppError> {
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT area_key FROM agg_area ORDER BY area_key")).await?;
    rows.into_iter().map(|r| r.try_get_by_index::<String>(0).map_err(AppError::from)).collect()
}
