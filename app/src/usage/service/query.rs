//! The usage figures as the Lagebild shows them, read from the rollup: per OZG-Leistung over the
//! twelve months up to the newest reported, per Kreis and month for a chosen Leistung, per 1,000
//! inhabitants. For associations, partners and the public a cell that fewer Kommunen than the
//! threshold contributed to is withheld, and so is a second one wherever the rest of a total
//! would give it away (within a month across the Kreise, and over the period); the Land reads
//! every cell and which Kommunen offer a Leistung online without any counted use.

use crate::access::scope::Scope;
use crate::core::entities::{organisation, ozg_service, service_record, usage_figure, usage_rollup};
use crate::error::AppError;
use crate::identity::OrgKind;
use crate::usage::model::{KreisUsage, MonthUsage, ServiceUsage, UsageFigures};
use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The Land's key in the rollup.
pub const LAND: &str = "15";
/// Months of the period.
pub const PERIOD: u32 = 12;

/// The first day of the month `n` months before `m`.
pub fn months_before(m: NaiveDate, n: u32) -> NaiveDate {
    let total = m.year() * 12 + m.month0() as i32 - n as i32;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1).unwrap_or(m)
}

/// The Kreise of the Land: (five-digit key, name, inhabitants), by name.
pub async fn kreise(db: &impl ConnectionTrait) -> Result<Vec<(String, String, i64)>, AppError> {
    Ok(crate::catalogue::service::orgs::kreise_with_population(db).await?.into_iter().filter(|k| k.0.starts_with(LAND)).collect())
}

/// The newest month with figures, if any.
pub async fn newest(db: &impl ConnectionTrait) -> Result<Option<NaiveDate>, AppError> {
    Ok(usage_rollup::Entity::find()
        .select_only()
        .column(usage_rollup::Column::Month)
        .filter(usage_rollup::Column::AreaKey.eq(LAND))
        .order_by_desc(usage_rollup::Column::Month)
        .limit(1)
        .into_tuple::<NaiveDate>()
        .one(db)
        .await?)
}

/// A cell: transactions, contributors, shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    pub n: i64,
    pub contributors: i64,
    pub shown: bool,
}

/// Withholds the cells fewer than `t` contributed to (beside those already withheld), then more
/// of the parts of a whole until the withheld ones together stand for at least two parts and `t`
/// contributors (so that the whole minus the parts shown gives nothing away).
pub fn suppress(cells: &mut [Cell], t: i64) {
    for c in cells.iter_mut() {
        c.shown = c.shown && (c.n == 0 || c.contributors >= t);
    }
    loop {
        let hidden: Vec<&Cell> = cells.iter().filter(|c| !c.shown && c.n > 0).collect();
        let sum: i64 = hidden.iter().map(|c| c.contributors).sum();
        if hidden.is_empty() || (hidden.len() >= 2 && sum >= t) {
            return;
        }
        let next = cells.iter_mut().filter(|c| c.shown && c.n > 0).min_by_key(|c| (c.n, c.contributors));
        match next {
            Some(c) => c.shown = false,
            None => return,
        }
    }
}

fn per_1000(n: i64, population: i64) -> Option<f64> {
    (population > 0).then(|| (n as f64 * 1000.0 / population as f64 * 10.0).round() / 10.0)
}

/// The rollup rows of `areas` for the months from `from` to `to`, of one Leistung or all.
async fn rollup(db: &impl ConnectionTrait, areas: &[String], from: NaiveDate, to: NaiveDate, ozg: Option<&str>) -> Result<Vec<usage_rollup::Model>, AppError> {
    let mut q = usage_rollup::Entity::find()
        .filter(usage_rollup::Column::AreaKey.is_in(areas.iter().cloned()))
        .filter(usage_rollup::Column::Month.gte(from))
        .filter(usage_rollup::Column::Month.lte(to));
    if let Some(ozg) = ozg {
        q = q.filter(usage_rollup::Column::OzgId.eq(ozg));
    }
    Ok(q.all(db).await?)
}

/// The figures page for `leistung` (OZG-ID or empty) and `kreis` (key or empty).
#[tracing::instrument(skip_all)]
pub async fn figures(db: &impl ConnectionTrait, scope: &Scope, leistung: &str, kreis: &str, threshold: i64) -> Result<UsageFigures, AppError> {
    let land_view = matches!(scope, Scope::Land | Scope::Admin);
    let t = if land_view { 0 } else { threshold };
    let all_kreise = kreise(db).await?;
    let land_population: i64 = all_kreise.iter().map(|k| k.2).sum();
    let (leistung, kreis) = (leistung.trim(), kreis.trim());
    if !kreis.is_empty() && !all_kreise.iter().any(|k| k.0 == kreis) {
        return Err(AppError::field("kreis", "Diesen Kreis gibt es in Sachsen-Anhalt nicht."));
    }
    let mut out = UsageFigures {
        months: Vec::new(),
        services: Vec::new(),
        selected: None,
        selected_name: String::new(),
        kreise: Vec::new(),
        kreis: kreis.to_string(),
        kreis_name: all_kreise.iter().find(|k| k.0 == kreis).map(|k| k.1.clone()).unwrap_or_default(),
        trend: Vec::new(),
        unused: None,
        suppressed: !land_view,
        threshold,
        all_kreise: all_kreise.iter().map(|k| (k.0.clone(), k.1.clone())).collect(),
        may_import: land_view,
    };
    let Some(newest) = newest(db).await? else {
        if !leistung.is_empty() {
            return Err(AppError::field("leistung", "Zu dieser OZG-Leistung liegen keine Nutzungszahlen vor."));
        }
        return Ok(out);
    };
    let first = months_before(newest, PERIOD - 1);
    let months: Vec<NaiveDate> = (0..PERIOD).rev().map(|i| months_before(newest, i)).collect();
    out.months = months.iter().map(|m| m.format("%Y-%m").to_string()).collect();

    // Per Leistung in the Land: the period and the year before it.
    let land_rows = rollup(db, &[LAND.to_string()], months_before(first, PERIOD), newest, None).await?;
    let mut by_service: BTreeMap<String, (Vec<Cell>, Vec<Cell>)> = BTreeMap::new();
    for r in &land_rows {
        let entry = by_service.entry(r.ozg_id.clone()).or_default();
        let cell = Cell { n: r.transactions, contributors: i64::from(r.contributors), shown: true };
        if r.month >= first { entry.0.push(cell) } else { entry.1.push(cell) }
    }
    let names: HashMap<String, String> =
        ozg_service::Entity::find().filter(ozg_service::Column::OzgId.is_in(by_service.keys().cloned())).all(db).await?.into_iter().map(|s| (s.ozg_id, s.name)).collect();
    let online = crate::rollups::stored(db, LAND).await.unwrap_or_default();
    let total = |cells: &[Cell]| -> Option<i64> {
        let all_shown = cells.iter().all(|c| c.n == 0 || c.contributors >= t);
        (all_shown && !cells.is_empty()).then(|| cells.iter().map(|c| c.n).sum())
    };
    for (ozg, (now_cells, before)) in &by_service {
        let Some(name) = names.get(ozg) else { continue };
        let current = total(now_cells);
        // A change only against a whole year before: every month of it reported.
        let earlier = total(before).filter(|n| *n > 0 && before.len() == PERIOD as usize);
        out.services.push(ServiceUsage {
            ozg_id: ozg.clone(),
            name: name.clone(),
            transactions: current,
            per_1000: current.and_then(|n| per_1000(n, land_population)),
            change_percent: current.zip(earlier).map(|(c, e)| ((c - e) as f64 * 1000.0 / e as f64).round() / 10.0),
            online: online.get(ozg).map(|c| c[crate::rollups::ix::ONLINE].max(0) as u64).unwrap_or(0),
            online_unused: None,
        });
    }
    out.services.sort_by(|a, b| b.transactions.unwrap_or(-1).cmp(&a.transactions.unwrap_or(-1)).then_with(|| a.name.cmp(&b.name)));
    if leistung.is_empty() {
        return Ok(out);
    }
    let Some(name) = names.get(leistung).cloned() else {
        return Err(AppError::field("leistung", "Zu dieser OZG-Leistung liegen keine Nutzungszahlen vor."));
    };
    out.selected = Some(leistung.to_string());
    out.selected_name = name;

    // The chosen Leistung per Kreis and month: each month withheld across the Kreise as the
    // parts of the Land, then the period per Kreis likewise.
    let keys: Vec<String> = all_kreise.iter().map(|k| k.0.clone()).chain(std::iter::once(LAND.to_string())).collect();
    let rows = rollup(db, &keys, first, newest, Some(leistung)).await?;
    let at: HashMap<(&str, NaiveDate), &usage_rollup::Model> = rows.iter().map(|r| ((r.area_key.as_str(), r.month), r)).collect();
    let cell = |area: &str, m: NaiveDate| {
        at.get(&(area, m)).map_or(Cell { n: 0, contributors: 0, shown: true }, |r| Cell { n: r.transactions, contributors: i64::from(r.contributors), shown: true })
    };
    let mut grid: Vec<Vec<Cell>> = all_kreise.iter().map(|k| months.iter().map(|m| cell(&k.0, *m)).collect()).collect();
    for j in 0..months.len() {
        let mut column: Vec<Cell> = grid.iter().map(|row| row[j]).collect();
        suppress(&mut column, t);
        for (row, c) in grid.iter_mut().zip(column) {
            row[j] = c;
        }
    }
    let mut totals: Vec<Cell> = grid
        .iter()
        .map(|row| Cell { n: row.iter().map(|c| c.n).sum(), contributors: row.iter().map(|c| c.contributors).max().unwrap_or(0), shown: row.iter().all(|c| c.shown) })
        .collect();
    suppress(&mut totals, t);
    out.kreise = all_kreise
        .iter()
        .zip(&totals)
        .map(|((key, name, population), c)| KreisUsage {
            key: key.clone(),
            name: name.clone(),
            population: *population,
            transactions: c.shown.then_some(c.n),
            per_1000: if c.shown { per_1000(c.n, *population) } else { None },
        })
        .collect();
    let chosen = all_kreise.iter().position(|k| k.0 == kreis);
    out.trend = months
        .iter()
        .enumerate()
        .map(|(j, m)| {
            let land = cell(LAND, *m);
            let land_n = (land.n == 0 || land.contributors >= t).then_some(land.n);
            let k = chosen.map(|i| grid[i][j]).filter(|c| c.shown).map(|c| c.n);
            MonthUsage {
                month: m.format("%Y-%m").to_string(),
                land: land_n,
                land_per_1000: land_n.and_then(|n| per_1000(n, land_population)),
                kreis: k,
                kreis_per_1000: k.zip(chosen).and_then(|(n, i)| per_1000(n, all_kreise[i].2)),
            }
        })
        .collect();
    if land_view {
        out.unused = Some(unused(db, leistung, first, newest).await?);
        if let Some(s) = out.services.iter_mut().find(|s| s.ozg_id == leistung) {
            s.online_unused = out.unused.as_ref().map(|u| u.len() as u64);
        }
    }
    Ok(out)
}

/// The Kommunen of the Land with `ozg` online in the register and no figure of their own (nor
/// of their Verbandsgemeinde) in the period; where the Leistung is counted for a whole Kreis, its
/// Kommunen are left out (their use is in the Kreis's figure).
pub async fn unused(db: &impl ConnectionTrait, ozg: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<String>, AppError> {
    let used: Vec<(String, String)> = usage_figure::Entity::find()
        .select_only()
        .column(usage_figure::Column::OrganisationId)
        .column(usage_figure::Column::Area)
        .distinct()
        .filter(usage_figure::Column::OzgId.eq(ozg))
        .filter(usage_figure::Column::Month.gte(from))
        .filter(usage_figure::Column::Month.lte(to))
        .filter(usage_figure::Column::Transactions.gt(0))
        .into_tuple()
        .all(db)
        .await?;
    let used_orgs: BTreeSet<String> = used.iter().map(|(o, _)| o.clone()).collect();
    let orgs: Vec<organisation::Model> = organisation::Entity::find().filter(organisation::Column::Key.starts_with(LAND)).all(db).await?;
    let by_id: HashMap<&str, &organisation::Model> = orgs.iter().map(|o| (o.id.as_str(), o)).collect();
    let kreise_counted: BTreeSet<String> = used
        .iter()
        .filter(|(_, area)| area == crate::vocabulary::usage::UsageArea::Kreis.code())
        .filter_map(|(o, _)| by_id.get(o.as_str()).and_then(|o| o.kreis_key.clone()))
        .collect();
    let kommunen: Vec<&str> = orgs.iter().filter(|o| OrgKind::from_code(&o.kind).is_some_and(|k| k.is_kommune() && k != OrgKind::Landkreis)).map(|o| o.id.as_str()).collect();
    let online: Vec<String> = service_record::Entity::find()
        .select_only()
        .column(service_record::Column::OrganisationId)
        .filter(service_record::Column::OrganisationId.is_in(kommunen.iter().map(|s| s.to_string())))
        .filter(service_record::Column::OzgId.eq(ozg))
        .filter(service_record::Column::Stage.eq(crate::register::model::Stage::Online.code()))
        .into_tuple()
        .all(db)
        .await?;
    let mut names: Vec<String> = online
        .iter()
        .filter_map(|id| by_id.get(id.as_str()))
        .filter(|o| !used_orgs.contains(&o.id))
        .filter(|o| o.verband_id.as_ref().is_none_or(|v| !used_orgs.contains(v)))
        .filter(|o| o.kreis_key.as_ref().is_none_or(|k| !kreise_counted.contains(k)))
        .map(|o| o.name.clone())
        .collect();
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(n: i64, contributors: i64) -> Cell {
        Cell { n, contributors, shown: true }
    }

    #[test]
    fn a_lone_small_cell_takes_the_next_smallest_with_it() {
        let mut cells = vec![c(500, 10), c(7, 2), c(40, 5), c(0, 0), c(90, 6)];
        suppress(&mut cells, 3);
        let shown: Vec<bool> = cells.iter().map(|c| c.shown).collect();
        assert_eq!(shown, vec![true, false, false, true, true]);
    }

    #[test]
    fn two_small_cells_below_the_threshold_together_take_a_third() {
        let mut cells = vec![c(5, 1), c(6, 1), c(100, 4), c(200, 8)];
        suppress(&mut cells, 3);
        assert_eq!(cells.iter().filter(|c| !c.shown).count(), 3);
        let mut open = vec![c(100, 4), c(200, 8)];
        suppress(&mut open, 3);
        assert!(open.iter().all(|c| c.shown));
    }

    #[test]
    fn months_count_back_across_years() {
        let d = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default();
        assert_eq!(months_before(d(2026, 3), 4), d(2025, 11));
        assert_eq!(months_before(d(2026, 12), 11), d(2026, 1));
        assert_eq!(months_before(d(2026, 1), 12), d(2025, 1));
    }
}
