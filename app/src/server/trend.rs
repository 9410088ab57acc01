//! Lagebild trend: the figures of the Land's areas at the end of each of the last twelve months,
//! replayed from the register's history (every change is kept there) by a job, with its time as
//! the "Stand". For everyone but the Land the same cells are left out in every month as in the
//! current figures, so no month's value can be set against today's to isolate a cell.

use super::lagebild::{self, Area, CellCache};
use super::rollup::{Cell, Facts};
use crate::model::AppError;
use crate::model::lagebild::{Slice, TrendPoint};
use chrono::{DateTime, Utc};
use super::rollup::stmt;
use sea_orm::{ConnectionTrait, DatabaseConnection, Value};
use std::collections::{HashMap, HashSet};

/// Months of the trend (the current one included).
pub const MONTHS: usize = 12;
/// The job replays the history at most this often.
pub const REFRESH_MINUTES: i64 = 60;

/// The slices the trend is kept for: all, the Fokusleistungen, each Themenfeld.
pub fn slice_key(slice: &Slice) -> Option<String> {
    match (&slice.themenfeld, &slice.lage, slice.focus, &slice.ozg_id) {
        (None, None, false, None) => Some("all".into()),
        (None, None, true, None) => Some("focus".into()),
        (Some(t), None, false, None) => Some(format!("tf:{t}")),
        _ => None,
    }
}

/// Applies one history entry's field changes to the facts the figures use.
fn apply(f: &mut Facts, changes: &[crate::model::register::FieldChange]) {
    for c in changes {
        match c.field.as_str() {
            "responsibility" => f.other = c.new.as_deref() == Some("other"),
            "stage" => f.stage = c.new.clone().unwrap_or_else(|| "not_started".into()),
            "maturity_model" => f.model = c.new.clone(),
            "maturity_level" => f.level = c.new.as_deref().and_then(|l| l.parse().ok()),
            "solution_kind" => f.efa = c.new.as_deref() == Some("efa"),
            _ => {}
        }
    }
}

/// Replays the history of the Land `land` into month-end counters: month → area → OZG-ID → cell.
async fn replay(db: &impl ConnectionTrait, land: &str, areas_of_org: &HashMap<String, (Vec<String>, i64)>, ends: &[DateTime<Utc>]) -> Result<Vec<HashMap<String, HashMap<String, Cell>>>, AppError> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(stmt(
            backend,
            "SELECT h.organisation_id, h.ozg_id, h.changed_at, h.changes FROM service_record_history h JOIN organisation o ON o.id = h.organisation_id \
             WHERE substr(o.kreis_key, 1, 2) = ? AND h.changed_at < ? ORDER BY h.organisation_id, h.ozg_id, h.changed_at, h.version",
            vec![land.into(), ends.last().copied().unwrap_or_else(Utc::now).into()],
        ))
        .await?;
    let mut out: Vec<HashMap<String, HashMap<String, Cell>>> = vec![HashMap::new(); ends.len()];
    let mut i = 0;
    while i < rows.len() {
        let org: String = rows[i].try_get_by_index(0)?;
        let ozg: String = rows[i].try_get_by_index(1)?;
        let mut j = i;
        let mut facts = Facts { stage: "not_started".into(), ..Default::default() };
        let Some((areas, population)) = areas_of_org.get(&org) else {
            while j < rows.len() && rows[j].try_get_by_index::<String>(0)? == org && rows[j].try_get_by_index::<String>(1)? == ozg {
                j += 1;
            }
            i = j;
            continue;
        };
        for (m, end) in ends.iter().enumerate() {
            while j < rows.len() && rows[j].try_get_by_index::<String>(0)? == org && rows[j].try_get_by_index::<String>(1)? == ozg {
                let at: DateTime<Utc> = rows[j].try_get_by_index(2)?;
                if at >= *end {
                    break;
                }
                let changes: Vec<crate::model::register::FieldChange> = serde_json::from_str(&rows[j].try_get_by_index::<String>(3)?).unwrap_or_default();
                apply(&mut facts, &changes);
                j += 1;
            }
            let c = facts.contribution(*population);
            if c.iter().any(|v| *v != 0) {
                for a in areas {
                    let cell = out[m].entry(a.clone()).or_default().entry(ozg.clone()).or_insert([0; 22]);
                    for (k, v) in c.iter().enumerate() {
                        cell[k] += v;
                    }
                }
            }
        }
        while j < rows.len() && rows[j].try_get_by_index::<String>(0)? == org && rows[j].try_get_by_index::<String>(1)? == ozg {
            j += 1;
        }
        i = j;
    }
    Ok(out)
}

/// Recomputes the trend of the Land `land` unless younger than [`REFRESH_MINUTES`] (or `force`).
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
    let months = super::progress::month_list(now.with_timezone(&chrono_tz::Europe::Berlin).date_naive(), MONTHS);
    // Month ends; the current month ends now.
    let mut ends: Vec<DateTime<Utc>> = months.iter().map(|(y, m)| super::progress::month_end(*y, *m)).collect();
    if let Some(last) = ends.last_mut() {
        *last = now + chrono::Duration::microseconds(1);
    }
    // Kommunen of the Land with their areas (Land, Kreis, Verbandsgemeinde, member group).
    let org_rows = db
        .query_all_raw(stmt(
            backend,
            &format!("SELECT o.id FROM organisation o WHERE substr(o.kreis_key, 1, 2) = ? AND o.kind IN {}", super::rollup::KOMMUNE_KINDS),
            vec![land.into()],
        ))
        .await?;
    let mut areas_of_org = HashMap::new();
    for r in org_rows {
        let id: String = r.try_get_by_index(0)?;
        let areas = super::rollup::areas_of(db, &id).await?;
        areas_of_org.insert(id, areas);
    }
    let per_month = replay(db, land, &areas_of_org, &ends).await?;
    // The areas shown with a trend: the Land and its Kreise, all Kommunen and each member group.
    let mut shown: Vec<Area> = Vec::new();
    for key in [land.to_string(), format!("{land}:{}", super::rollup::GEMEINDEN), format!("{land}:{}", super::rollup::LANDKREISE)] {
        shown.extend(lagebild::areas(db, &[key.clone()], None).await?);
        shown.extend(lagebild::areas(db, &[], Some(&key)).await?);
    }
    let catalogue = lagebild::slice_services(db, &Slice::default()).await?;
    let focus: HashSet<String> = lagebild::slice_services(db, &Slice { focus: true, ..Default::default() }).await?.into_iter().map(|(o, _)| o).collect();
    let mut slices: Vec<(String, Vec<(String, String)>)> = vec![("all".into(), catalogue.clone()), ("focus".into(), catalogue.iter().filter(|(o, _)| focus.contains(o)).cloned().collect())];
    let mut by_tf: std::collections::BTreeMap<String, Vec<(String, String)>> = std::collections::BTreeMap::new();
    for s in &catalogue {
        by_tf.entry(s.1.clone()).or_default().push(s.clone());
    }
    slices.extend(by_tf.into_iter().map(|(k, v)| (format!("tf:{k}"), v)));
    // Today's left-out cells, for everyone but the Land (see the module comment).
    let hidden = lagebild::hidden_for_areas(db, cache, &shown, t).await?;
    let none = HashSet::new();
    let txn = super::db::begin_write(db).await?;
    txn.execute_raw(stmt(backend, "DELETE FROM agg_trend WHERE area_key = ? OR area_key LIKE ?", vec![land.into(), format!("{land}%").into()])).await?;
    let insert = "INSERT INTO agg_trend (area_key, slice, month, variant, responsible, online, reifegrad_3, flaechendeckend, population_responsible, population_online) \
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    for area in &shown {
        for (slice, services) in &slices {
            for (m, (y, mo)) in months.iter().enumerate() {
                let cells = per_month[m].get(&area.key).map(|c| std::sync::Arc::new(c.clone()));
                for (variant, hide) in [("full", &none), ("protected", hidden.get(&area.key).unwrap_or(&none))] {
                    let f = lagebild::figures(area, services, cells.as_ref(), hide, t, true);
                    let values: Vec<Value> = vec![
                        area.key.clone().into(),
                        slice.clone().into(),
                        format!("{y:04}-{mo:02}").into(),
                        variant.into(),
                        f.responsible.unwrap_or(0).into(),
                        f.online.unwrap_or(0).into(),
                        f.reifegrad_3.unwrap_or(0).into(),
                        f.flaechendeckend.unwrap_or(0).into(),
                        f.population_responsible.unwrap_or(0).into(),
                        f.population_online.unwrap_or(0).into(),
                    ];
                    txn.execute_raw(stmt(backend, insert, values)).await?;
                }
            }
        }
    }
    txn.execute_raw(stmt(backend, "DELETE FROM agg_trend_stand WHERE land = ?", vec![land.into()])).await?;
    txn.execute_raw(stmt(backend, "INSERT INTO agg_trend_stand (land, computed_at, threshold) VALUES (?, ?, ?)", vec![land.into(), now.into(), threshold.into()])).await?;
    txn.commit().await?;
    Ok(true)
}

/// The trend of an area for a slice (`None` where none is kept: other slices, other Länder).
pub async fn points(db: &impl ConnectionTrait, area: &Area, slice: &Slice, full: bool, threshold: i64) -> Result<Option<(String, Vec<TrendPoint>)>, AppError> {
    let Some(key) = slice_key(slice) else { return Ok(None) };
    if !full && area.kommunen < threshold.max(1) {
        return Ok(None);
    }
    let backend = db.get_database_backend();
    let land = crate::model::lagebild::base_key(&area.key).get(..2).unwrap_or("").to_string();
    let Some(stand) = db.query_one_raw(stmt(backend, "SELECT computed_at FROM agg_trend_stand WHERE land = ?", vec![land.into()])).await? else {
        return Ok(None);
    };
    let stand: DateTime<Utc> = stand.try_get_by_index(0)?;
    let rows = db
        .query_all_raw(stmt(
            backend,
            "SELECT month, responsible, online, reifegrad_3, flaechendeckend, population_responsible, population_online FROM agg_trend \
             WHERE area_key = ? AND slice = ? AND variant = ? ORDER BY month",
            vec![area.key.clone().into(), key.into(), if full { "full" } else { "protected" }.into()],
        ))
        .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let pts = rows
        .into_iter()
        .map(|r| {
            Ok(TrendPoint {
                month: r.try_get_by_index(0)?,
                responsible: r.try_get_by_index(1)?,
                online: r.try_get_by_index(2)?,
                reifegrad_3: r.try_get_by_index(3)?,
                flaechendeckend: r.try_get_by_index(4)?,
                population_responsible: r.try_get_by_index(5)?,
                population_online: r.try_get_by_index(6)?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(Some((stand.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), pts)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::register::FieldChange;
    use crate::server::rollup::ix;

    #[test]
    fn history_entries_move_the_facts() {
        let mut f = Facts { stage: "not_started".into(), ..Default::default() };
        let ch = |field: &str, new: Option<&str>| FieldChange { field: field.into(), old: None, new: new.map(str::to_string) };
        apply(&mut f, &[ch("stage", Some("online")), ch("maturity_model", Some("1.1")), ch("maturity_level", Some("3")), ch("solution_kind", Some("efa"))]);
        assert_eq!(f.contribution(10)[ix::ONLINE], 1);
        assert_eq!(f.contribution(10)[ix::M11 + 3], 1);
        apply(&mut f, &[ch("responsibility", Some("other"))]);
        assert_eq!(f.contribution(10)[ix::OTHER_N], 1);
        assert_eq!(f.contribution(10)[ix::ONLINE], 0);
    }

    #[test]
    fn trends_exist_for_whole_catalogue_focus_and_themenfelder_only() {
        assert_eq!(slice_key(&Slice::default()).as_deref(), Some("all"));
        assert_eq!(slice_key(&Slice { focus: true, ..Default::default() }).as_deref(), Some("focus"));
        assert_eq!(slice_key(&Slice { themenfeld: Some("Bildung".into()), ..Default::default() }).as_deref(), Some("tf:Bildung"));
        assert_eq!(slice_key(&Slice { ozg_id: Some("10000".into()), ..Default::default() }), None);
    }
}
