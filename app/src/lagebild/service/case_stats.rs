//! Statistics of the Beratungsfälle for the Lagebild: per area (Land, Kreis; all Kommunen and
//! each Spitzenverband's members), month and category the cases filed, the median time to the
//! first response and to the solution in working hours, and the share within the service level;
//! and the OZG-Leistungen most asked about. Counts and durations only — never a case's content.
//!
//! A job computes them (at most every few minutes) into `agg_case_stats` with its time as the
//! "Stand", and marks the rows to withhold from everyone but the Land: a row behind which fewer
//! Kommunen stand than the threshold, and — within each partition of an area's total (its
//! months, its categories, the Kreise of a Land) — further rows until the withheld rows together
//! stand for at least that many distinct Kommunen, so that the total minus the published rows
//! never isolates a Kommune.

use crate::core::entities::{case_category, case_ozg, organisation, support_case};
use futures_util::TryStreamExt;
use crate::error::AppError;
use crate::lagebild::model::{CaseRow, CaseStatsView, RatingAverage};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use crate::rollups::stmt;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Statement, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Months the statistics cover (the current one included).
pub const MONTHS: usize = 12;
/// The job recomputes at most this often.
pub const REFRESH_MINUTES: i64 = 5;
/// Entries in the list of OZG-Leistungen most asked about.
pub const TOP_OZG: usize = 10;

#[derive(Default)]
struct Acc {
    cases: i64,
    /// The Kommunen by their number in `orgs` (four bytes each instead of their id's string).
    kommunen: BTreeSet<u32>,
    responded: i64,
    responded_in_time: i64,
    solved: i64,
    solved_in_time: i64,
    /// Business minutes, as `i32` (four thousand years of them): every case lands in sixteen
    /// accumulators, so a year of 100,000 cases keeps 3.2 million of these until the medians.
    response: Vec<i32>,
    solution: Vec<i32>,
}

fn median(v: &mut [i32]) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 { i64::from(v[n / 2]) } else { (i64::from(v[n / 2 - 1]) + i64::from(v[n / 2])) / 2 })
}

fn minutes(m: i64) -> i32 {
    i32::try_from(m).unwrap_or(if m < 0 { i32::MIN } else { i32::MAX })
}

fn month_key(t: DateTime<Utc>) -> String {
    let b = t.with_timezone(&chrono_tz::Europe::Berlin);
    format!("{:04}-{:02}", b.year(), b.month())
}

/// Marks the rows of one partition to withhold (see the module comment). `rows`: (distinct
/// Kommunen, withheld?).
pub fn protect<K: Ord>(rows: &mut [(&BTreeSet<K>, bool)], t: usize) {
    for r in rows.iter_mut() {
        if !r.0.is_empty() && r.0.len() < t {
            r.1 = true;
        }
    }
    loop {
        let hidden: BTreeSet<&K> = rows.iter().filter(|r| r.1).flat_map(|r| r.0.iter()).collect();
        if hidden.is_empty() || hidden.len() >= t {
            return;
        }
        let next = rows.iter().enumerate().filter(|(_, r)| !r.1 && !r.0.is_empty()).min_by_key(|(_, r)| r.0.len()).map(|(i, _)| i);
        match next {
            Some(i) => rows[i].1 = true,
            None => return,
        }
    }
}

/// Rows counted between two turns given back to the runtime (about a millisecond of work).
const YIELD_EVERY: usize = 256;

/// Recomputes the statistics unless they are younger than [`REFRESH_MINUTES`] (or `force`).
/// Returns whether it did.
#[tracing::instrument(skip_all)]
pub async fn refresh(db: &DatabaseConnection, threshold: i64, now: DateTime<Utc>, force: bool) -> Result<bool, AppError> {
    let backend = db.get_database_backend();
    if !force
        && let Some(row) = db.query_one_raw(Statement::from_string(backend, "SELECT computed_at, threshold FROM agg_case_stand WHERE id = 1")).await?
    {
        let at: DateTime<Utc> = row.try_get_by_index(0)?;
        let t: i64 = row.try_get_by_index(1)?;
        if t == threshold && now - at < chrono::Duration::minutes(REFRESH_MINUTES) {
            return Ok(false);
        }
    }
    let t = threshold.max(1) as usize;
    let calendar = crate::cases::service::sla::settings(db).await?.calendar;
    let months = crate::register::service::progress::month_list(now.with_timezone(&chrono_tz::Europe::Berlin).date_naive(), MONTHS);
    let (y0, m0) = months[0];
    let start = chrono_tz::Europe::Berlin
        .from_local_datetime(&NaiveDate::from_ymd_opt(y0, m0, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or_default())
        .earliest()
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or(now);
    let orgs: HashMap<String, (u32, Option<String>, String)> = organisation::Entity::find()
        .select_only()
        .columns([organisation::Column::Id, organisation::Column::KreisKey, organisation::Column::Kind])
        .into_tuple::<(String, Option<String>, String)>()
        .all(db)
        .await?
        .into_iter()
        .enumerate()
        .map(|(n, (id, k, kind))| (id, (n as u32, k, kind)))
        .collect();
    let categories: HashMap<String, String> = case_category::Entity::find().all(db).await?.into_iter().map(|c| (c.id, c.code)).collect();
    type Row = (i64, String, String, DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>, DateTime<Utc>, DateTime<Utc>, i32);
    // The cases of the period and their OZG-Leistungen are read as streams: a year of 100,000
    // cases never sits in memory at once, only the counters do.
    let recent = sea_orm::sea_query::Query::select()
        .column(support_case::Column::Id)
        .from(support_case::Entity)
        .and_where(support_case::Column::CreatedAt.gte(start))
        .to_owned();
    // The links as (case, OZG-Leistung by number), sorted by case: a few bytes each instead of a
    // map entry with its own strings per case.
    let mut ozg_ids: Vec<String> = Vec::new();
    let mut links_of: Vec<(i64, u32)> = Vec::new();
    {
        let mut number: HashMap<String, u32> = HashMap::new();
        let mut links = case_ozg::Entity::find()
            .select_only()
            .columns([case_ozg::Column::CaseId, case_ozg::Column::OzgId])
            .filter(case_ozg::Column::CaseId.in_subquery(recent))
            .into_tuple::<(i64, String)>()
            .stream(db)
            .await?;
        while let Some((case_id, ozg_id)) = links.try_next().await? {
            if links_of.len().is_multiple_of(YIELD_EVERY) {
                tokio::task::yield_now().await;
            }
            let n = *number.entry(ozg_id).or_insert_with_key(|id| {
                ozg_ids.push(id.clone());
                (ozg_ids.len() - 1) as u32
            });
            links_of.push((case_id, n));
        }
    }
    links_of.sort_unstable();
    let links_of_case = |case_id: i64| &links_of[links_of.partition_point(|l| l.0 < case_id)..links_of.partition_point(|l| l.0 <= case_id)];
    // (area, month or "", category or "") → figures; (area, ozg) → (cases, Kommunen).
    let mut acc: HashMap<(String, String, String), Acc> = HashMap::new();
    let mut ozg: HashMap<(String, String), (i64, BTreeSet<u32>)> = HashMap::new();
    let mut cases = support_case::Entity::find()
        .select_only()
        .columns([
            support_case::Column::Id,
            support_case::Column::OrganisationId,
            support_case::Column::CategoryId,
            support_case::Column::CreatedAt,
            support_case::Column::FirstResponseAt,
            support_case::Column::SolvedAt,
            support_case::Column::ResponseDueAt,
            support_case::Column::ResolutionDueAt,
            support_case::Column::PausedMinutes,
        ])
        .filter(support_case::Column::CreatedAt.gte(start))
        .into_tuple::<Row>()
        .stream(db)
        .await?;
    let mut read = 0usize;
    while let Some(row) = cases.try_next().await? {
        read += 1;
        if read.is_multiple_of(YIELD_EVERY) {
            // The rows arrive faster than they are counted, so the loop would otherwise keep the
            // runtime's thread for the whole year of cases (half a second to a second on 100,000): on a
            // portal with one core no request would be answered meanwhile.
            tokio::task::yield_now().await;
        }
        let (id, org, category, created, responded, solved, response_due, resolution_due, paused) = &row;
        let Some((number, Some(kreis), kind)) = orgs.get(org) else { continue };
        if kreis.len() < 2 || !crate::identity::OrgKind::from_code(kind).is_some_and(crate::identity::OrgKind::is_kommune) {
            continue;
        }
        let group = if kind == "landkreis" { crate::rollups::LANDKREISE } else { crate::rollups::GEMEINDEN };
        let areas = [kreis[..2].to_string(), kreis.clone(), format!("{}:{group}", &kreis[..2]), format!("{kreis}:{group}")];
        let month = month_key(*created);
        let cat = categories.get(category).cloned().unwrap_or_default();
        let case_links = links_of_case(*id);
        let response = responded.map(|r| minutes(calendar.minutes_between(*created, r)));
        let solution = solved.map(|s| minutes((calendar.minutes_between(*created, s) - i64::from(*paused)).max(0)));
        for area in &areas {
            for m in [month.as_str(), ""] {
                for c in [cat.as_str(), ""] {
                    let a = acc.entry((area.clone(), m.to_string(), c.to_string())).or_default();
                    a.cases += 1;
                    a.kommunen.insert(*number);
                    if let (Some(r), Some(at)) = (response, responded) {
                        a.responded += 1;
                        a.responded_in_time += i64::from(at <= response_due);
                        a.response.push(r);
                    }
                    if let (Some(s), Some(at)) = (solution, solved) {
                        a.solved += 1;
                        a.solved_in_time += i64::from(at <= resolution_due);
                        a.solution.push(s);
                    }
                }
            }
            for &(_, n) in case_links {
                let e = ozg.entry((area.clone(), ozg_ids[n as usize].clone())).or_default();
                e.0 += 1;
                e.1.insert(*number);
            }
        }
    }
    // Withheld rows, partition by partition.
    let mut hidden: BTreeSet<(String, String, String)> = BTreeSet::new();
    let areas: BTreeSet<String> = acc.keys().map(|k| k.0.clone()).collect();
    for area in &areas {
        for by_month in [true, false] {
            let keys: Vec<(String, String, String)> =
                acc.keys().filter(|k| &k.0 == area && if by_month { !k.1.is_empty() && k.2.is_empty() } else { k.1.is_empty() && !k.2.is_empty() }).cloned().collect();
            let mut rows: Vec<(&BTreeSet<u32>, bool)> = keys.iter().map(|k| (&acc[k].kommunen, false)).collect();
            protect(&mut rows, t);
            hidden.extend(keys.iter().zip(rows).filter(|(_, r)| r.1).map(|(k, _)| k.clone()));
        }
        let total = (area.clone(), String::new(), String::new());
        if acc.get(&total).is_some_and(|a| a.kommunen.len() < t) {
            hidden.insert(total);
        }
    }
    // The Kreise of each Land (per member group as well).
    let mut kreise_of: BTreeMap<(String, String), Vec<(String, String, String)>> = BTreeMap::new();
    for k in acc.keys().filter(|k| k.1.is_empty() && k.2.is_empty()) {
        let base = crate::lagebild::model::base_key(&k.0);
        if base.len() == 5 {
            let group = k.0.split_once(':').map(|(_, g)| g.to_string()).unwrap_or_default();
            kreise_of.entry((base[..2].to_string(), group)).or_default().push(k.clone());
        }
    }
    for keys in kreise_of.values() {
        let mut rows: Vec<(&BTreeSet<u32>, bool)> = keys.iter().map(|k| (&acc[k].kommunen, hidden.contains(k))).collect();
        protect(&mut rows, t);
        hidden.extend(keys.iter().zip(rows).filter(|(_, r)| r.1).map(|(k, _)| k.clone()));
    }
    let (ratings, rating_sum, rating_kommunen) = crate::cases::service::ratings::land_figures(db, start).await?;
    let txn = crate::core::db::begin_job_write(db, "case statistics").await?;
    txn.execute_unprepared("DELETE FROM agg_case_stats").await?;
    txn.execute_unprepared("DELETE FROM agg_case_ozg").await?;
    txn.execute_unprepared("DELETE FROM agg_case_stand").await?;
    let insert = "INSERT INTO agg_case_stats (area_key, month, category, cases, kommunen, responded, responded_in_time, solved, solved_in_time, \
                  median_response_minutes, median_solution_minutes, hidden) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    for (key, mut a) in acc {
        let is_hidden = hidden.contains(&key);
        let (area, month, category) = key;
        let values: Vec<Value> = vec![
            area.into(),
            month.into(),
            category.into(),
            a.cases.into(),
            (a.kommunen.len() as i64).into(),
            a.responded.into(),
            a.responded_in_time.into(),
            a.solved.into(),
            a.solved_in_time.into(),
            median(&mut a.response).into(),
            median(&mut a.solution).into(),
            is_hidden.into(),
        ];
        txn.execute_raw(stmt(backend, insert, values)).await?;
    }
    for ((area, ozg_id), (n, kommunen)) in ozg {
        txn.execute_raw(stmt(
            backend,
            "INSERT INTO agg_case_ozg (area_key, ozg_id, cases, kommunen) VALUES (?, ?, ?, ?)",
            vec![area.into(), ozg_id.into(), n.into(), (kommunen.len() as i64).into()],
        ))
        .await?;
    }
    txn.execute_raw(stmt(
        backend,
        "INSERT INTO agg_case_stand (id, computed_at, threshold, ratings, rating_sum, rating_kommunen) VALUES (1, ?, ?, ?, ?, ?)",
        vec![now.into(), threshold.into(), ratings.into(), rating_sum.into(), rating_kommunen.into()],
    ))
    .await?;
    txn.commit().await?;
    Ok(true)
}

fn row_of(r: &sea_orm::QueryResult, label: String, withhold: bool) -> Result<CaseRow, AppError> {
    let hidden = withhold && r.try_get_by_index::<bool>(11)?;
    let keep = |v: i64| (!hidden).then_some(v);
    let hours = |v: Option<i64>| if hidden { None } else { v.map(|m| (m as f64 / 6.0).round() / 10.0) };
    Ok(CaseRow {
        label,
        hidden,
        cases: keep(r.try_get_by_index(3)?),
        responded: keep(r.try_get_by_index(5)?),
        responded_in_time: keep(r.try_get_by_index(6)?),
        solved: keep(r.try_get_by_index(7)?),
        solved_in_time: keep(r.try_get_by_index(8)?),
        median_response_hours: hours(r.try_get_by_index(9)?),
        median_solution_hours: hours(r.try_get_by_index(10)?),
    })
}

/// The statistics of an area for a viewer: `full` (the Land) sees every row; the others see
/// withheld rows as such; `with_parts`: the Kreise of a Land as well.
#[tracing::instrument(skip_all)]
pub async fn view(db: &impl ConnectionTrait, area: &str, full: bool, with_parts: bool, kreis_names: &HashMap<String, String>) -> Result<Option<CaseStatsView>, AppError> {
    let backend = db.get_database_backend();
    let Some(stand) = db.query_one_raw(Statement::from_string(backend, "SELECT computed_at, threshold, ratings, rating_sum, rating_kommunen FROM agg_case_stand WHERE id = 1")).await? else {
        return Ok(None);
    };
    let (threshold, ratings, rating_sum, rating_kommunen): (i64, i64, i64, i64) = (stand.try_get_by_index(1)?, stand.try_get_by_index(2)?, stand.try_get_by_index(3)?, stand.try_get_by_index(4)?);
    // The Land's average of the Kommunen's ratings, on the Land's page only; for the public only
    // when enough Kommunen rated (as every other figure).
    let rating = (area.len() == 2 && ratings > 0 && (full || rating_kommunen >= threshold)).then(|| RatingAverage { ratings, average: rating_sum as f64 / ratings as f64 });
    let stand: DateTime<Utc> = stand.try_get_by_index(0)?;
    let cols = "area_key, month, category, cases, kommunen, responded, responded_in_time, solved, solved_in_time, median_response_minutes, median_solution_minutes, hidden";
    let rows = db.query_all_raw(stmt(backend, &format!("SELECT {cols} FROM agg_case_stats WHERE area_key = ? ORDER BY month, category"), vec![area.into()])).await?;
    let labels: HashMap<String, String> = case_category::Entity::find().all(db).await?.into_iter().map(|c| (c.code, c.label)).collect();
    let mut total = None;
    let mut months = Vec::new();
    let mut categories = Vec::new();
    for r in &rows {
        let (month, category): (String, String) = (r.try_get_by_index(1)?, r.try_get_by_index(2)?);
        match (month.is_empty(), category.is_empty()) {
            (true, true) => total = Some(row_of(r, "alle".into(), !full)?),
            (false, true) => months.push(row_of(r, month, !full)?),
            (true, false) => categories.push(row_of(r, labels.get(&category).cloned().unwrap_or(category), !full)?),
            _ => {}
        }
    }
    let Some(total) = total else { return Ok(None) };
    let mut parts = Vec::new();
    if with_parts {
        let (base, group) = match area.split_once(':') {
            Some((b, g)) => (b.to_string(), format!(":{g}")),
            None => (area.to_string(), String::new()),
        };
        let like = format!("{base}___{group}");
        let rows = db
            .query_all_raw(stmt(backend, &format!("SELECT {cols} FROM agg_case_stats WHERE area_key LIKE ? AND month = '' AND category = '' ORDER BY area_key"), vec![like.into()]))
            .await?;
        for r in &rows {
            let key: String = r.try_get_by_index(0)?;
            if key.len() != 5 + group.len() {
                continue;
            }
            let base = crate::lagebild::model::base_key(&key).to_string();
            parts.push(row_of(r, kreis_names.get(&base).cloned().unwrap_or(base), !full)?);
        }
    }
    let names: HashMap<String, String> = crate::core::entities::ozg_service::Entity::find().all(db).await?.into_iter().map(|s| (s.ozg_id, s.name)).collect();
    let t_rows = db
        .query_all_raw(stmt(backend, "SELECT ozg_id, cases, kommunen FROM agg_case_ozg WHERE area_key = ? ORDER BY cases DESC, ozg_id", vec![area.into()]))
        .await?;
    let mut top = Vec::new();
    for r in t_rows {
        let (ozg_id, n, k): (String, i64, i64) = (r.try_get_by_index(0)?, r.try_get_by_index(1)?, r.try_get_by_index(2)?);
        if !full && k < threshold {
            continue;
        }
        top.push((ozg_id.clone(), names.get(&ozg_id).cloned().unwrap_or_default(), n));
        if top.len() == TOP_OZG {
            break;
        }
    }
    Ok(Some(CaseStatsView { stand: stand.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), total, months, categories, parts, top_ozg: top, rating }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn one_kommune_alone_is_withheld_with_the_next_smallest_row() {
        let (a, b, c) = (set(&["x"]), set(&["y", "z"]), set(&["p", "q", "r", "s"]));
        let mut rows = vec![(&a, false), (&b, false), (&c, false)];
        protect(&mut rows, 3);
        assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), vec![true, true, false], "x and y, z together: three Kommunen");
    }

    #[test]
    fn the_same_kommune_in_two_withheld_rows_counts_once() {
        let (a, b, c, d) = (set(&["x"]), set(&["x"]), set(&["y", "z", "w"]), set(&["p", "q", "r", "s"]));
        let mut rows = vec![(&a, false), (&b, false), (&c, false), (&d, false)];
        protect(&mut rows, 3);
        assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), vec![true, true, true, false]);
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&mut [5, 1, 3]), Some(3));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2));
        assert_eq!(median(&mut []), None);
    }
}
