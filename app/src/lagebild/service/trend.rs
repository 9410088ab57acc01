//! Lagebild trend: every area's counters per OZG-Leistung at the end of each of the last twelve
//! months, replayed from the register's history (every change is kept there) by a job, with its
//! time as the "Stand". Any slice's figures of any month follow from them as today's follow from
//! the rollups, so the trend exists for every area (Land, Kreis, Verbandsgemeinde, each also per
//! member group) and every selection (catalogue, Themenfeld, Lage, Fokusleistungen, one
//! OZG-Leistung) with every figure of the page.
//!
//! Suppression: each month is suppressed on its own counters exactly as today's figures are on
//! today's (primary, among the parts of a parent, across the member groups), so within a month
//! no published figure can be set against another to isolate a Kommune; the cells left out at
//! the job's time are also left out in every earlier month.

use crate::lagebild::service as lagebild;
use crate::lagebild::service::{Area, AreaCells, CellCache, Seeds, TrendArea};
use crate::rollups::{Cell, Counted, stmt};
use crate::error::AppError;
use crate::lagebild::model::{Slice, TrendPoint};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, Value};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// Months of the trend (the current one included).
pub const MONTHS: usize = 12;
/// The job replays the history at most this often.
pub const REFRESH_MINUTES: i64 = 60;
/// Areas whose month-end counters are kept in the process.
const CACHE_AREAS: usize = 128;
/// Rows per INSERT statement (25 values each).
const CHUNK: usize = 200;

/// Applies one history entry's field changes to the facts the figures use.
fn apply(f: &mut Counted, changes: &[crate::register::model::FieldChange]) {
    for c in changes {
        match c.field.as_str() {
            "responsibility" => f.other = c.new.as_deref() == Some("other"),
            "stage" => f.stage = c.new.as_deref().and_then(Counted::stage_of),
            "maturity_model" => f.model = Counted::model_of(c.new.as_deref()),
            "maturity_level" => f.level = c.new.as_deref().and_then(|l| l.parse().ok()),
            "solution_kind" => f.efa = c.new.as_deref() == Some("efa"),
            _ => {}
        }
    }
}

/// `JJJJ-MM` of each month of the trend ending with the month of `at`.
fn month_keys(at: DateTime<Utc>) -> Vec<(i32, u32, String)> {
    crate::register::service::progress::month_list(at.with_timezone(&chrono_tz::Europe::Berlin).date_naive(), MONTHS)
        .into_iter()
        .map(|(y, m)| (y, m, format!("{y:04}-{m:02}")))
        .collect()
}

/// The cells left out for everyone but the Land in one month, per area shown to them.
fn month_hidden(all: &[Area], cells: &HashMap<String, AreaCells>, catalogue: &[(String, String)], t: i64) -> HashMap<String, HashSet<String>> {
    let by_key: HashMap<&str, &Area> = all.iter().map(|a| (a.key.as_str(), a)).collect();
    let mut children: HashMap<&str, Vec<Area>> = HashMap::new();
    for a in all {
        if let Some(p) = &a.parent {
            children.entry(p.as_str()).or_default().push(a.clone());
        }
    }
    // The complements of the grouped areas (the public − one association = the other).
    let seeds: Seeds = lagebild::seeds_from(&all.iter().collect::<Vec<_>>(), all, catalogue, cells, t);
    let mut out = HashMap::new();
    for area in all {
        // Areas that only the Land sees or that show nothing to anyone else.
        if area.kommunen < t || (area.level == "vg" && !area.key.contains(':')) {
            continue;
        }
        let parent = area.parent.as_deref().and_then(|p| by_key.get(p).copied());
        let siblings = match &area.parent {
            Some(p) => children.get(p.as_str()).cloned().unwrap_or_default(),
            None => vec![area.clone()],
        };
        out.insert(area.key.clone(), lagebild::own_hidden(area, &siblings, parent, catalogue, cells, t, false, &seeds));
    }
    lagebild::inherit_hidden(all, &mut out);
    out
}

/// Recomputes the trend of the Land `land` unless younger than [`REFRESH_MINUTES`] (or `force`).
#[tracing::instrument(skip_all)]
pub async fn refresh(db: &DatabaseConnection, cache: &CellCache, land: &str, threshold: i64, now: DateTime<Utc>, force: bool) -> Result<bool, AppError> {
    let backend = db.get_database_backend();
    if !force
        && let Some(row) = db.query_one_raw(stmt(backend, "SELECT computed_at, threshold FROM agg_trend_stand WHERE land = ?", vec![land.into()])).await?
    {
        let at: DateTime<Utc> = row.try_get_by_index(0)?;
        let t: i64 = row.try_get_by_index(1)?;
        if t == threshold && now - at < chrono::Duration::minutes(REFRESH_MINUTES) {
            return Ok(false);
        }
    }
    let t = threshold.max(1);
    let months = month_keys(now);
    // Month ends; the current month ends now.
    let mut ends: Vec<DateTime<Utc>> = months.iter().map(|(y, m, _)| crate::register::service::progress::month_end(*y, *m)).collect();
    if let Some(last) = ends.last_mut() {
        *last = now + chrono::Duration::microseconds(1);
    }
    let all = lagebild::land_areas(db, land).await?;
    let area_ix: HashMap<&str, usize> = all.iter().enumerate().map(|(i, a)| (a.key.as_str(), i)).collect();
    let catalogue = lagebild::slice_services(db, &Slice::default()).await?;
    let ozg_ix: HashMap<&str, u32> = catalogue.iter().enumerate().map(|(i, (o, _))| (o.as_str(), i as u32)).collect();
    // Kommunen of the Land with their areas (Land, Kreis, Verbandsgemeinde, member group).
    let org_rows = db
        .query_all_raw(stmt(
            backend,
            &format!("SELECT o.id FROM organisation o WHERE substr(o.kreis_key, 1, 2) = ? AND o.kind IN {}", crate::rollups::KOMMUNE_KINDS),
            vec![land.into()],
        ))
        .await?;
    // Organisation id → index into `org_list` (its areas' indices and its inhabitants).
    let mut orgs: HashMap<String, u32> = HashMap::new();
    let mut org_list: Vec<(Vec<usize>, i64)> = Vec::new();
    for r in org_rows {
        let id: String = r.try_get_by_index(0)?;
        let (keys, population) = crate::rollups::areas_of(db, &id).await?;
        orgs.insert(id, org_list.len() as u32);
        org_list.push((keys.iter().filter_map(|k| area_ix.get(k.as_str()).copied()).collect(), population));
    }
    // The history is streamed in time order (it may hold millions of entries), applied to the
    // facts of each record up to each month's end.
    use futures_util::StreamExt;
    use sea_orm::StreamTrait;
    let mut rows = db
        .stream_raw(stmt(
            backend,
            "SELECT h.organisation_id, h.ozg_id, h.changed_at, h.changes FROM service_record_history h JOIN organisation o ON o.id = h.organisation_id \
             WHERE substr(o.kreis_key, 1, 2) = ? AND h.changed_at < ? ORDER BY h.changed_at, h.id",
            vec![land.into(), ends.last().copied().unwrap_or(now).into()],
        ))
        .await?;
    let mut facts: HashMap<(u32, u32), Counted> = HashMap::new();
    let mut pending: Option<sea_orm::QueryResult> = None;
    let mut prev: Vec<HashMap<u32, Cell>> = vec![HashMap::new(); all.len()];
    let mut cell_rows: Vec<(usize, usize, u32, Cell)> = Vec::new();
    let mut hidden: Vec<HashMap<String, BTreeSet<u32>>> = Vec::with_capacity(months.len());
    for (m, end) in ends.iter().enumerate() {
        loop {
            let row = match pending.take() {
                Some(r) => r,
                None => match rows.next().await {
                    Some(r) => r?,
                    None => break,
                },
            };
            let at: DateTime<Utc> = row.try_get_by_index(2)?;
            if at >= *end {
                pending = Some(row);
                break;
            }
            let org: String = row.try_get_by_index(0)?;
            let ozg: String = row.try_get_by_index(1)?;
            if let (Some(o), Some(s)) = (orgs.get(&org), ozg_ix.get(ozg.as_str())) {
                let changes: Vec<crate::register::model::FieldChange> = serde_json::from_str(&row.try_get_by_index::<String>(3)?).unwrap_or_default();
                apply(facts.entry((*o, *s)).or_default(), &changes);
            }
        }
        let mut now_cells: Vec<HashMap<u32, Cell>> = vec![HashMap::new(); all.len()];
        for ((o, s), f) in &facts {
            let (areas, population) = &org_list[*o as usize];
            let c = f.contribution(*population);
            if c.iter().all(|v| *v == 0) {
                continue;
            }
            for a in areas {
                let cell = now_cells[*a].entry(*s).or_insert([0; 22]);
                for (k, v) in c.iter().enumerate() {
                    cell[k] += v;
                }
            }
        }
        // Rows only where a cell differs from the month before.
        for (a, cells) in now_cells.iter().enumerate() {
            for (s, c) in cells {
                if prev[a].get(s) != Some(c) {
                    cell_rows.push((a, m, *s, *c));
                }
            }
            for s in prev[a].keys() {
                if !cells.contains_key(s) {
                    cell_rows.push((a, m, *s, [0; 22]));
                }
            }
        }
        let keyed: HashMap<String, AreaCells> = now_cells
            .iter()
            .enumerate()
            .map(|(a, cells)| (all[a].key.clone(), Arc::new(cells.iter().map(|(s, c)| (catalogue[*s as usize].0.clone(), *c)).collect())))
            .collect();
        // Kept as catalogue indices (a few bytes per cell, not a string).
        hidden.push(
            month_hidden(&all, &keyed, &catalogue, t)
                .into_iter()
                .map(|(area, h)| (area, h.iter().filter_map(|o| ozg_ix.get(o.as_str()).copied()).collect::<BTreeSet<u32>>()))
                .collect(),
        );
        drop(keyed);
        prev = now_cells;
    }
    drop(rows);
    // What is left out at the job's time stays out in every month.
    if let Some(last) = hidden.last().cloned() {
        for month in hidden.iter_mut() {
            for (area, h) in &last {
                month.entry(area.clone()).or_default().extend(h.iter().cloned());
            }
        }
    }
    let txn = crate::core::db::begin_job_write(db, &format!("trend {land}")).await?;
    txn.execute_raw(stmt(backend, "DELETE FROM agg_trend_cell WHERE substr(area_key, 1, 2) = ?", vec![land.into()])).await?;
    txn.execute_raw(stmt(backend, "DELETE FROM agg_trend_hidden WHERE substr(area_key, 1, 2) = ?", vec![land.into()])).await?;
    let cols = crate::rollups::COUNTERS.join(", ");
    for chunk in cell_rows.chunks(CHUNK) {
        let one = format!("({})", vec!["?"; 25].join(", "));
        let sql = format!("INSERT INTO agg_trend_cell (area_key, month, ozg_id, {cols}) VALUES {}", vec![one; chunk.len()].join(", "));
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 25);
        for (a, m, s, c) in chunk {
            values.push(all[*a].key.clone().into());
            values.push(months[*m].2.clone().into());
            values.push(catalogue[*s as usize].0.clone().into());
            values.extend(c.iter().map(|v| Value::from(*v)));
        }
        txn.execute_raw(stmt(backend, &sql, values)).await?;
    }
    for (m, month) in hidden.iter().enumerate() {
        for (area, h) in month {
            let mut ids: Vec<&str> = h.iter().map(|i| catalogue[*i as usize].0.as_str()).collect();
            ids.sort_unstable();
            let list = ids.join(",");
            txn.execute_raw(stmt(backend, "INSERT INTO agg_trend_hidden (area_key, month, ozg_ids) VALUES (?, ?, ?)", vec![area.clone().into(), months[m].2.clone().into(), list.into()]))
                .await?;
        }
    }
    txn.execute_raw(stmt(backend, "DELETE FROM agg_trend_stand WHERE land = ?", vec![land.into()])).await?;
    txn.execute_raw(stmt(backend, "INSERT INTO agg_trend_stand (land, computed_at, threshold) VALUES (?, ?, ?)", vec![land.into(), now.into(), threshold.into()])).await?;
    txn.commit().await?;
    if let Ok(mut c) = cache.trend.lock() {
        c.clear();
    }
    Ok(true)
}

async fn load(db: &impl ConnectionTrait, area: &str, months: Vec<String>) -> Result<TrendArea, AppError> {
    let backend = db.get_database_backend();
    let month_ix: HashMap<&str, usize> = months.iter().enumerate().map(|(i, m)| (m.as_str(), i)).collect();
    let sql = format!("SELECT month, ozg_id, {} FROM agg_trend_cell WHERE area_key = ? ORDER BY ozg_id, month", crate::rollups::COUNTERS.join(", "));
    let mut cells: HashMap<String, Vec<(usize, Cell)>> = HashMap::new();
    for r in db.query_all_raw(stmt(backend, &sql, vec![area.into()])).await? {
        let month: String = r.try_get_by_index(0)?;
        let Some(m) = month_ix.get(month.as_str()) else { continue };
        let mut c = [0; 22];
        for (i, v) in c.iter_mut().enumerate() {
            *v = r.try_get_by_index(2 + i)?;
        }
        cells.entry(r.try_get_by_index(1)?).or_default().push((*m, c));
    }
    let mut hidden = vec![HashSet::new(); months.len()];
    for r in db.query_all_raw(stmt(backend, "SELECT month, ozg_ids FROM agg_trend_hidden WHERE area_key = ?", vec![area.into()])).await? {
        let month: String = r.try_get_by_index(0)?;
        let ids: String = r.try_get_by_index(1)?;
        if let Some(m) = month_ix.get(month.as_str()) {
            hidden[*m] = ids.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect();
        }
    }
    Ok(TrendArea { months, cells, hidden })
}

/// The trend of an area for a slice: every figure at the end of each month (`None` where no
/// trend is kept: a Land without a computation, an area shown to nobody but the Land).
#[tracing::instrument(skip_all)]
pub async fn points(db: &impl ConnectionTrait, cache: &CellCache, area: &Area, services: &[(String, String)], full: bool, threshold: i64) -> Result<Option<(String, Vec<TrendPoint>)>, AppError> {
    let t = threshold.max(1);
    if !full && area.kommunen < t {
        return Ok(None);
    }
    let backend = db.get_database_backend();
    let land = crate::lagebild::model::base_key(&area.key).get(..2).unwrap_or("").to_string();
    let Some(stand) = db.query_one_raw(stmt(backend, "SELECT computed_at, threshold FROM agg_trend_stand WHERE land = ?", vec![land.into()])).await? else {
        return Ok(None);
    };
    let computed: DateTime<Utc> = stand.try_get_by_index(0)?;
    // Left-out cells were computed for another threshold: none until the job has run again.
    if !full && stand.try_get_by_index::<i64>(1)? != threshold {
        return Ok(None);
    }
    let stamp = computed.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let cached = cache.trend.lock().ok().and_then(|c| c.get(&area.key).filter(|(s, _)| *s == stamp).map(|(_, a)| a.clone()));
    let ta = match cached {
        Some(a) => a,
        None => {
            let a = Arc::new(load(db, &area.key, month_keys(computed).into_iter().map(|(_, _, k)| k).collect()).await?);
            if let Ok(mut c) = cache.trend.lock() {
                if c.len() >= CACHE_AREAS {
                    c.clear();
                }
                c.insert(area.key.clone(), (stamp, a.clone()));
            }
            a
        }
    };
    let none = HashSet::new();
    let pts = ta
        .months
        .iter()
        .enumerate()
        .map(|(m, month)| {
            let hidden = if full { &none } else { &ta.hidden[m] };
            let f = lagebild::figures_by(area, services, |o| ta.cell(o, m), hidden, t, true);
            let suppressed = !full && !services.is_empty() && services.iter().all(|(o, _)| hidden.contains(o));
            TrendPoint::new(month.clone(), f, suppressed)
        })
        .collect();
    Ok(Some((computed.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), pts)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::register::model::FieldChange;
    use crate::rollups::ix;

    #[test]
    fn history_entries_move_the_facts() {
        let mut f = Counted::default();
        let ch = |field: &str, new: Option<&str>| FieldChange { field: field.into(), old: None, new: new.map(str::to_string) };
        apply(&mut f, &[ch("stage", Some("online")), ch("maturity_model", Some("1.1")), ch("maturity_level", Some("3")), ch("solution_kind", Some("efa"))]);
        assert_eq!(f.contribution(10)[ix::ONLINE], 1);
        assert_eq!(f.contribution(10)[ix::M11 + 3], 1);
        apply(&mut f, &[ch("responsibility", Some("other"))]);
        assert_eq!(f.contribution(10)[ix::OTHER_N], 1);
        assert_eq!(f.contribution(10)[ix::ONLINE], 0);
    }

    #[test]
    fn a_month_reads_the_last_change_up_to_it() {
        let mut c1 = [0; 22];
        c1[ix::ONLINE] = 1;
        let mut c2 = [0; 22];
        c2[ix::ONLINE] = 2;
        let ta = TrendArea { months: vec!["a".into(); 12], cells: HashMap::from([("10000".to_string(), vec![(2, c1), (7, c2)])]), hidden: vec![HashSet::new(); 12] };
        assert_eq!(ta.cell("10000", 1), None, "before its first entry");
        assert_eq!(ta.cell("10000", 2).map(|c| c[ix::ONLINE]), Some(1));
        assert_eq!(ta.cell("10000", 6).map(|c| c[ix::ONLINE]), Some(1));
        assert_eq!(ta.cell("10000", 11).map(|c| c[ix::ONLINE]), Some(2));
    }

    #[test]
    fn the_months_end_with_the_computations_month() {
        let at = DateTime::parse_from_rfc3339("2026-03-31T23:30:00Z").expect("time").with_timezone(&Utc);
        let m = month_keys(at);
        assert_eq!(m.len(), MONTHS);
        // 23:30 UTC on 31 March is already April in Berlin.
        assert_eq!(m.last().map(|x| x.2.as_str()), Some("2026-04"));
        assert_eq!(m.first().map(|x| x.2.as_str()), Some("2025-05"));
    }
}
