//! What the Lagebild page and its open-data answer show besides the figures: the case
//! statistics, the trend, each OZG-Leistung of a narrower slice and the EfA services reused.

use crate::lagebild::service::{CellCache, Viewer, areas, services_of, slice_services};
use crate::error::AppError;
use crate::lagebild::model::{AreaFigures, Lagebild, ServiceFigures, Slice};
use sea_orm::{ConnectionTrait, Value};
use std::collections::{HashMap, HashSet};

/// What the page and the open-data answer show besides the figures: the case statistics (the
/// Land all; associations their members'; the public the Land's, per Kreis only where the operator
/// allows it), the trend and, for a narrower slice, each OZG-Leistung.
pub async fn extras(
    db: &impl ConnectionTrait,
    cache: &CellCache,
    area_key: &str,
    lb: &Lagebild,
    viewer: &Viewer,
    config: &crate::core::config::Config,
) -> Result<(Option<crate::lagebild::model::CaseStatsView>, Option<(String, Vec<crate::lagebild::model::TrendPoint>)>, Vec<ServiceFigures>, Vec<crate::lagebild::model::EfaRow>), AppError> {
    let public = viewer.group.is_none() && !viewer.full;
    let kreis_level = lb.area.level != "land";
    let cases = if public && kreis_level && !config.public_case_stats_by_kreis {
        None
    } else {
        let names: HashMap<String, String> = lb.parts.iter().map(|p| (crate::lagebild::model::base_key(&p.area).to_string(), p.name.clone())).collect();
        let with_parts = !kreis_level && (!public || config.public_case_stats_by_kreis);
        crate::lagebild::service::case_stats::view(db, area_key, viewer.full, with_parts, &names).await?
    };
    let selected = slice_services(db, &lb.slice).await?;
    let trend = match areas(db, &[area_key.to_string()], None).await?.into_iter().next() {
        Some(a) => crate::lagebild::service::trend::points(db, cache, &a, &selected, viewer.full, config.suppression_threshold).await?,
        None => None,
    };
    let services = if lb.slice == Slice::default() {
        Vec::new()
    } else {
        let wanted: HashSet<&str> = selected.iter().map(|(o, _)| o.as_str()).collect();
        services_of(db, cache, area_key, config.suppression_threshold, viewer.full).await?.1.into_iter().filter(|s| wanted.contains(s.ozg_id.as_str())).collect()
    };
    let efa = efa_rows(db, area_key, &lb.parts, &lb.slice, &selected, config.suppression_threshold, viewer.full).await?;
    Ok((cases, trend, services, efa))
}

/// EfA services reused in an area for a slice (its OZG-Leistungen `selected`), with the parts
/// (Kreise) where they are reused.
pub async fn efa_rows(db: &impl ConnectionTrait, area_key: &str, parts: &[AreaFigures], slice: &Slice, selected: &[(String, String)], threshold: i64, full: bool) -> Result<Vec<crate::lagebild::model::EfaRow>, AppError> {
    use crate::rollups::stmt;
    let t = threshold.max(1);
    let backend = db.get_database_backend();
    let wanted: HashMap<String, String> = {
        use crate::core::entities::ozg_service;
        use sea_orm::EntityTrait;
        let names: HashMap<String, String> = ozg_service::Entity::find().all(db).await?.into_iter().map(|s| (s.ozg_id, s.name)).collect();
        selected.iter().map(|(o, _)| (o.clone(), names.get(o).cloned().unwrap_or_default())).collect()
    };
    let rows = db
        .query_all_raw(stmt(backend, "SELECT ozg_id, service, kommunen FROM agg_efa WHERE area_key = ? AND kommunen > 0 ORDER BY kommunen DESC, ozg_id, service", vec![area_key.into()]))
        .await?;
    // Where (the Kreise) for a narrower selection; for the whole catalogue each Kreis's own page
    // says what it reuses (listing every Kreis for every service would cost every request).
    let mut where_: HashMap<(String, String), Vec<String>> = HashMap::new();
    if !parts.is_empty() && *slice != Slice::default() && wanted.len() <= 200 {
        let names: HashMap<&str, &str> = parts.iter().map(|p| (p.area.as_str(), p.name.as_str())).collect();
        let marks = vec!["?"; parts.len()].join(", ");
        let ozg_marks = vec!["?"; wanted.len()].join(", ");
        let sql = format!("SELECT area_key, ozg_id, service, kommunen FROM agg_efa WHERE area_key IN ({marks}) AND ozg_id IN ({ozg_marks}) AND kommunen > 0");
        let mut values: Vec<Value> = parts.iter().map(|p| Value::from(p.area.as_str())).collect();
        values.extend(wanted.keys().map(|o| Value::from(o.as_str())));
        for r in db.query_all_raw(stmt(backend, &sql, values)).await? {
            let (a, o, sv, n): (String, String, String, i64) = (r.try_get_by_index(0)?, r.try_get_by_index(1)?, r.try_get_by_index(2)?, r.try_get_by_index(3)?);
            if full || n >= t {
                where_.entry((o, sv)).or_default().push(names.get(a.as_str()).map(|n| n.to_string()).unwrap_or(a));
            }
        }
    }
    // The public and the associations see only names from the Land's curated list, and only
    // where at least the threshold of Kommunen stands behind them: a name typed by one clerk
    // would otherwise be published word for word. The Land sees the names as entered.
    let curated = if full { HashMap::new() } else { crate::catalogue::service::efa::curated(db).await? };
    let mut out: Vec<crate::lagebild::model::EfaRow> = Vec::new();
    for r in rows {
        let (o, sv, n): (String, String, i64) = (r.try_get_by_index(0)?, r.try_get_by_index(1)?, r.try_get_by_index(2)?);
        let Some(name) = wanted.get(&o) else { continue };
        let kreise = where_.remove(&(o.clone(), sv.clone())).unwrap_or_default();
        let service = if full {
            sv
        } else {
            // Spellings of one listed service count together.
            match curated.get(&crate::catalogue::service::efa::name_key(&sv)) {
                Some(listed) => listed.clone(),
                None => continue,
            }
        };
        match out.iter_mut().find(|e| e.ozg_id == o && e.service == service) {
            Some(e) => {
                e.kommunen = Some(e.kommunen.unwrap_or(0) + n);
                e.kreise.extend(kreise);
            }
            None => out.push(crate::lagebild::model::EfaRow { ozg_id: o, name: name.clone(), service, kommunen: Some(n), kreise }),
        }
    }
    out.retain(|e| full || e.kommunen.unwrap_or(0) >= t);
    for e in &mut out {
        e.kreise.sort();
        e.kreise.dedup();
    }
    out.sort_by(|a, b| b.kommunen.cmp(&a.kommunen).then_with(|| a.ozg_id.cmp(&b.ozg_id)).then_with(|| a.service.cmp(&b.service)));
    Ok(out)
}
