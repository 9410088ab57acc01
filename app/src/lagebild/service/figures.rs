//! A Lagebild and the per-service figures of one area, from the rollups.

use crate::error::AppError;
use crate::lagebild::model::{AreaFigures, Lagebild, ServiceFigures, Slice};
use sea_orm::ConnectionTrait;
use std::collections::{BTreeMap, HashMap, HashSet};
use super::*;

/// The figures of each OZG-Leistung of the catalogue in one area (suppressed cells as such).
#[tracing::instrument(skip_all)]
pub async fn services_of(db: &impl ConnectionTrait, cache: &CellCache, area_key: &str, threshold: i64, full: bool) -> Result<(Area, Vec<ServiceFigures>), AppError> {
    use crate::core::entities::ozg_service;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let area = areas(db, &[area_key.to_string()], None).await?.into_iter().next().ok_or(AppError::NotFound)?;
    let t = threshold.max(1);
    let catalogue = slice_services(db, &Slice::default()).await?;
    let (siblings, parent) = siblings_of(db, &area).await?;
    let involved: Vec<&Area> = siblings.iter().chain(parent.iter()).chain(std::iter::once(&area)).collect();
    let all = cells(db, cache, &involved).await?;
    let seeds = if full { Seeds::new() } else { group_seeds(db, cache, &involved, &catalogue, t).await? };
    let mut hidden = own_hidden(&area, &siblings, parent.as_ref(), &catalogue, &all, t, full, &seeds);
    if !full {
        hidden.extend(above_hidden(db, cache, &area, &catalogue, t).await?);
    }
    let names: HashMap<String, (String, String)> = ozg_service::Entity::find()
        .filter(ozg_service::Column::InCatalogue.eq(true))
        .order_by_asc(ozg_service::Column::OzgId)
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.ozg_id, (s.name, s.themenfeld)))
        .collect();
    let mine = all.get(&area.key);
    let rows = catalogue
        .iter()
        .map(|(ozg, _)| {
            let (name, themenfeld) = names.get(ozg).cloned().unwrap_or_default();
            let suppressed = !full && (area.kommunen < t || hidden.contains(ozg));
            let f = figures(&area, &[(ozg.clone(), themenfeld.clone())], mine, &HashSet::new(), t, true);
            let keep = |v: Option<i64>| if suppressed { None } else { v };
            ServiceFigures {
                ozg_id: ozg.clone(),
                name,
                themenfeld,
                suppressed,
                responsible: keep(f.responsible),
                online: keep(f.online),
                flaechendeckend: if suppressed { None } else { f.flaechendeckend.map(|n| n > 0) },
                reifegrad_2: keep(f.reifegrad_2),
                reifegrad_3: keep(f.reifegrad_3),
                efa: keep(f.efa),
                population_responsible: keep(f.population_responsible),
                population_online: keep(f.population_online),
            }
        })
        .collect();
    Ok((area, rows))
}

/// The Lagebild of an area (Land or Kreis) for a slice: its figures, those of its parts and of
/// each Themenfeld. `full`: no suppression (the Land's advisors and administrators).
#[tracing::instrument(skip_all)]
pub async fn lagebild(db: &impl ConnectionTrait, cache: &CellCache, area_key: &str, slice: &Slice, threshold: i64, full: bool) -> Result<Lagebild, AppError> {
    let area = areas(db, &[area_key.to_string()], None).await?.into_iter().next().ok_or(AppError::NotFound)?;
    if area.level == "vg" && !full && !area.key.contains(':') {
        // Verbandsgemeinden are areas for the Land and the associations only (see `area_for`).
        return Err(AppError::NotFound);
    }
    let services = slice_services(db, slice).await?;
    let catalogue = slice_services(db, &Slice { ozg_id: None, ..slice.clone() }).await?;
    let t = threshold.max(1);
    // The area's own cells are suppressed in the context of its siblings (a Kreis among the
    // Kreise of its Land), so that one area's figures agree with the table of parts.
    let (siblings, parent) = siblings_of(db, &area).await?;
    // Parts: the Kreise of a Land, the Verbandsgemeinden of a Kreis (for the Land and the
    // associations; the public has no Verbandsgemeinden).
    let grouped = area.key.contains(':');
    let parts = if area.level == "land" || (area.level == "kreis" && (full || grouped)) { areas(db, &[], Some(&area.key)).await? } else { Vec::new() };
    let involved: Vec<&Area> = siblings.iter().chain(parts.iter()).chain(parent.iter()).chain(std::iter::once(&area)).collect();
    let all = cells(db, cache, &involved).await?;
    let none = HashSet::new();
    let seeds = if full { Seeds::new() } else { group_seeds(db, cache, &involved, &catalogue, t).await? };
    let mut own_hidden = own_hidden(&area, &siblings, parent.as_ref(), &catalogue, &all, t, full, &seeds);
    let mut parts_hidden = HashMap::new();
    if !full {
        // What an area above leaves out stays out here and in the parts (see `inherit_hidden`).
        own_hidden.extend(above_hidden(db, cache, &area, &catalogue, t).await?);
        parts_hidden = hidden_among_parts(&parts, &catalogue, &all, t, &seeds, Some(&area));
        for h in parts_hidden.values_mut() {
            h.extend(own_hidden.iter().cloned());
        }
    }
    // Reporting gaps: Kommunen without a change for GAP_DAYS (counts of Kommunen, no cells).
    let since = crate::core::time::now() - chrono::Duration::days(crate::lagebild::model::GAP_DAYS);
    let land = crate::lagebild::model::base_key(&area.key).get(..2).unwrap_or("").to_string();
    let grouped = area.key.contains(':');
    let mut active = crate::rollups::active_kommunen(db, &area.level, grouped, &land, since).await?;
    if !parts.is_empty() {
        active.extend(crate::rollups::active_kommunen(db, "kreis", grouped, &land, since).await?);
    }
    let stale = |a: &Area, f: &mut AreaFigures| {
        if !f.suppressed {
            f.stale_kommunen = Some(a.kommunen - active.get(&a.key).copied().unwrap_or(0));
        }
    };
    let parts_figures = parts
        .iter()
        .map(|p| {
            let mut f = figures(p, &services, all.get(&p.key), parts_hidden.get(&p.key).unwrap_or(&none), t, full);
            stale(p, &mut f);
            f
        })
        .collect();
    let themenfeld_options = themenfelder(db).await?;
    let lage_options = lagen(db).await?;
    let mut by_tf: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
    for s in &catalogue {
        by_tf.entry(s.1.as_str()).or_default().push(s.clone());
    }
    let tf = by_tf.iter().map(|(name, svc)| (name.to_string(), figures(&area, svc, all.get(&area.key), &own_hidden, t, full))).collect();
    let mut own = figures(&area, &services, all.get(&area.key), &own_hidden, t, full);
    stale(&area, &mut own);
    Ok(Lagebild {
        area: own,
        parent: parent.map(|p| (p.key, p.name)),
        parts: parts_figures,
        themenfelder: tf,
        slice: slice.clone(),
        themenfeld_options,
        lage_options,
        threshold: t,
    })
}
