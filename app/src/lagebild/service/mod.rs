//! Lagebild figures from the rollups: per area and catalogue slice, with suppression.
//!
//! Suppression (for everyone but the Land's advisors and administrators): a cell — one area ×
//! one OZG-Leistung — for which fewer Kommunen than the threshold are responsible is left out of
//! every figure of that area, so no sum over services can be taken apart by subtracting other
//! published sums. Among the Kreise of a Land the same holds across areas: when the cells left
//! out for one service together stand for fewer Kommunen than the threshold, further cells of
//! that service are left out (smallest first), so the Land's figure minus the published Kreise
//! never isolates a Kommune. An area with fewer Kommunen than the threshold shows no figures.

pub mod case_stats;
pub mod extras;
pub mod geo;
pub mod rollup;
pub mod trend;

use crate::lagebild::service::rollup::{COUNTED_STAGES, Cell, ix};
use crate::error::AppError;
use crate::lagebild::model::{AreaFigures, Lagebild, ServiceFigures, Slice};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// Whose Kommunen a viewer's figures count and whether they are suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    /// Member group of a Spitzenverband (`gem`, `lk`), or all Kommunen.
    pub group: Option<&'static str>,
    /// No suppression (the Land's advisors and administrators).
    pub full: bool,
    pub label: &'static str,
}

/// The viewer of Lagebild figures, from the session (or none: the public).
pub fn viewer(user: Option<&crate::core::session::CurrentUser>) -> Viewer {
    use crate::accounts::model::Role;
    let public = Viewer { group: None, full: false, label: "alle Kommunen Sachsen-Anhalts" };
    let Some(u) = user else { return public };
    match u.role {
        Role::Advisor | Role::Admin => Viewer { group: None, full: true, label: "alle Kommunen Sachsen-Anhalts" },
        Role::Association if u.organisations.iter().any(|o| o.key == crate::catalogue::service::orgs::LKT) => {
            Viewer { group: Some(crate::lagebild::service::rollup::LANDKREISE), full: false, label: "die Landkreise (Mitglieder des Landkreistags)" }
        }
        Role::Association => Viewer { group: Some(crate::lagebild::service::rollup::GEMEINDEN), full: false, label: "Städte, Gemeinden und Verbandsgemeinden (Mitglieder des Städte- und Gemeindebunds)" },
        Role::Clerk => public,
    }
}

/// The area key a viewer reads for a requested area (Land or Kreis key); `None` if malformed.
pub fn area_for(viewer: &Viewer, requested: &str) -> Option<String> {
    // Verbandsgemeinden (9 digits) for the Land and the associations, not for the public: their
    // rest in the Kreis is protected among the association's figures (see `hidden_among_parts`).
    let ok = requested.bytes().all(|b| b.is_ascii_digit()) && (requested.len() == 2 || requested.len() == 5 || (requested.len() == 9 && (viewer.full || viewer.group.is_some())));
    ok.then(|| match viewer.group {
        Some(g) => format!("{requested}:{g}"),
        None => requested.to_string(),
    })
}

/// An area of the rollups.
#[derive(Debug, Clone)]
pub struct Area {
    pub key: String,
    pub level: String,
    pub name: String,
    pub parent: Option<String>,
    pub kommunen: i64,
    pub population: i64,
    pub updated_at: String,
    /// Raised with every change in the area (see [`CellCache`]).
    pub version: i64,
}

/// Counters of one area: OZG-ID → counters.
pub type AreaCells = Arc<HashMap<String, Cell>>;

/// Counters read from `agg_service_area`, kept per area while the area's version and data date
/// stand (both are read with the area on every request, so a change by any instance is seen at
/// once). Bounded: when full, it starts afresh.
#[derive(Default)]
pub struct CellCache {
    areas: Mutex<HashMap<String, (i64, String, AreaCells)>>,
    /// Month-end counters of areas per trend computation (see `trend::points`).
    pub(crate) trend: Mutex<HashMap<String, (String, Arc<TrendArea>)>>,
}

const CACHE_AREAS: usize = 256;

fn placeholders(backend: DbBackend, from: usize, n: usize) -> String {
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
        .query_all_raw(crate::lagebild::service::rollup::stmt(backend, "SELECT area_key FROM agg_area WHERE substr(area_key, 1, 2) = ?", vec![land.into()]))
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
        crate::lagebild::service::rollup::COUNTERS.join(", "),
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

fn responsible(area: &Area, cell: Option<&Cell>) -> i64 {
    area.kommunen - cell.map(|c| c[ix::OTHER_N]).unwrap_or(0)
}

/// Cells left out because fewer than `t` Kommunen are responsible (primary suppression).
fn primary_hidden(area: &Area, services: &[(String, String)], cells: Option<&AreaCells>, t: i64) -> HashSet<String> {
    services
        .iter()
        .filter(|(ozg, _)| {
            let r = responsible(area, cells.and_then(|c| c.get(ozg)));
            r > 0 && r < t
        })
        .map(|(ozg, _)| ozg.clone())
        .collect()
}

/// Primary and secondary suppression across the parts of one parent (see the module comment).
pub fn hidden_among_parts(parts: &[Area], services: &[(String, String)], cells: &HashMap<String, AreaCells>, t: i64, seeds: &Seeds, whole: Option<&Area>) -> HashMap<String, HashSet<String>> {
    // Responsible Kommunen per part × service, read once; hidden flags beside them.
    let resp: Vec<Vec<i64>> = parts
        .iter()
        .map(|a| {
            let c = cells.get(&a.key);
            services.iter().map(|(ozg, _)| responsible(a, c.and_then(|c| c.get(ozg)))).collect()
        })
        .collect();
    let mut hidden: Vec<Vec<bool>> = parts
        .iter()
        .zip(&resp)
        .map(|(a, row)| {
            let seed = seeds.get(&a.key);
            row.iter().zip(services).map(|(r, (ozg, _))| (*r > 0 && *r < t) || seed.is_some_and(|s| s.contains(ozg))).collect()
        })
        .collect();
    let mut open: Vec<(i64, usize)> = Vec::with_capacity(parts.len());
    // Where the parts do not cover the whole (the Verbandsgemeinden of a Kreis), the rest is
    // never published: it counts as left out from the start.
    let rest: Vec<i64> = match whole {
        Some(w) => services
            .iter()
            .enumerate()
            .map(|(j, (ozg, _))| (responsible(w, cells.get(&w.key).and_then(|c| c.get(ozg))) - resp.iter().map(|r| r[j]).sum::<i64>()).max(0))
            .collect(),
        None => vec![0; services.len()],
    };
    for j in 0..services.len() {
        let mut hidden_sum: i64 = rest[j] + (0..parts.len()).filter(|&i| hidden[i][j]).map(|i| resp[i][j]).sum::<i64>();
        if hidden_sum == 0 || hidden_sum >= t {
            continue;
        }
        open.clear();
        open.extend((0..parts.len()).filter(|&i| resp[i][j] > 0 && !hidden[i][j]).map(|i| (resp[i][j], i)));
        open.sort_unstable();
        for &(r, i) in &open {
            if hidden_sum >= t {
                break;
            }
            hidden[i][j] = true;
            hidden_sum += r;
        }
    }
    parts
        .iter()
        .zip(hidden)
        .map(|(a, flags)| (a.key.clone(), services.iter().zip(flags).filter(|(_, h)| *h).map(|((ozg, _), _)| ozg.clone()).collect()))
        .collect()
}

/// The figures of one area over the services of a slice, leaving out the hidden cells.
pub fn figures(area: &Area, services: &[(String, String)], cells: Option<&AreaCells>, hidden: &HashSet<String>, t: i64, full: bool) -> AreaFigures {
    figures_by(area, services, |ozg| cells.and_then(|c| c.get(ozg)), hidden, t, full)
}

/// [`figures`] with the cells looked up by OZG-ID (today's or a month's).
pub fn figures_by<'c>(area: &Area, services: &[(String, String)], cell: impl Fn(&str) -> Option<&'c Cell>, hidden: &HashSet<String>, t: i64, full: bool) -> AreaFigures {
    let mut f = AreaFigures {
        area: area.key.clone(),
        name: area.name.clone(),
        level: area.level.clone(),
        kommunen: area.kommunen,
        population: area.population,
        suppressed: false,
        services: services.len() as i64,
        flaechendeckend: None,
        mindestens_eine: None,
        responsible: None,
        online: None,
        reifegrad_2: None,
        reifegrad_3: None,
        model_11: None,
        model_20: None,
        stages: None,
        efa: None,
        population_responsible: None,
        population_online: None,
        stale_kommunen: None,
        data_date: area.updated_at.clone(),
    };
    if !full && area.kommunen < t {
        f.suppressed = true;
        return f;
    }
    let (mut flaechendeckend, mut mindestens_eine, mut resp_sum, mut online, mut r2, mut r3, mut efa, mut pop_resp, mut pop_online) = (0, 0, 0, 0, 0, 0, 0, 0, 0);
    let mut m11 = vec![0; 5];
    let mut m20 = vec![0; 8];
    let mut stages = vec![0; 6];
    let zero = [0; 22];
    for (ozg, _) in services {
        if hidden.contains(ozg) {
            continue;
        }
        let c = cell(ozg).unwrap_or(&zero);
        let resp = area.kommunen - c[ix::OTHER_N];
        resp_sum += resp;
        online += c[ix::ONLINE];
        if resp > 0 && c[ix::ONLINE] == resp {
            flaechendeckend += 1;
        }
        if c[ix::ONLINE] > 0 {
            mindestens_eine += 1;
        }
        r2 += c[ix::M11 + 2] + c[ix::M11 + 3] + c[ix::M11 + 4];
        r3 += c[ix::M11 + 3] + c[ix::M11 + 4];
        for (i, m) in m11.iter_mut().enumerate() {
            *m += c[ix::M11 + i];
        }
        for (i, m) in m20.iter_mut().enumerate() {
            *m += c[ix::M20 + i];
        }
        let counted: i64 = (0..COUNTED_STAGES.len()).map(|i| c[ix::STAGES + i]).sum();
        stages[0] += resp - counted;
        for i in 0..COUNTED_STAGES.len() {
            stages[1 + i] += c[ix::STAGES + i];
        }
        efa += c[ix::EFA];
        pop_resp += area.population - c[ix::OTHER_POP];
        pop_online += c[ix::ONLINE_POP];
    }
    f.flaechendeckend = Some(flaechendeckend);
    f.mindestens_eine = Some(mindestens_eine);
    f.responsible = Some(resp_sum);
    f.online = Some(online);
    f.reifegrad_2 = Some(r2);
    f.reifegrad_3 = Some(r3);
    f.model_11 = Some(m11);
    f.model_20 = Some(m20);
    f.stages = Some(stages);
    f.efa = Some(efa);
    f.population_responsible = Some(pop_resp);
    f.population_online = Some(pop_online);
    f
}

/// The cells of an area left out for a viewer: in the context of its siblings when it has a parent.
pub(crate) fn own_hidden(area: &Area, siblings: &[Area], parent: Option<&Area>, catalogue: &[(String, String)], all: &HashMap<String, AreaCells>, t: i64, full: bool, seeds: &Seeds) -> HashSet<String> {
    if full {
        HashSet::new()
    } else if area.parent.is_some() {
        hidden_among_parts(siblings, catalogue, all, t, seeds, parent).remove(&area.key).unwrap_or_default()
    } else {
        let mut h = primary_hidden(area, catalogue, all.get(&area.key), t);
        h.extend(seeds.get(&area.key).into_iter().flatten().cloned());
        h
    }
}

/// Cells to leave out beyond the primary rule, per area.
pub type Seeds = HashMap<String, HashSet<String>>;

/// The member groups of one area add up to the whole: the public's figure minus one
/// association's is the other association's. So a group's cell is left out wherever the other
/// group's cell stands for fewer Kommunen than the threshold (but some).
#[tracing::instrument(skip_all)]
pub async fn group_seeds(db: &impl ConnectionTrait, cache: &CellCache, shown: &[&Area], services: &[(String, String)], t: i64) -> Result<Seeds, AppError> {
    let wanted: Vec<String> = shown.iter().filter_map(|a| complement(&a.key)).collect();
    if wanted.is_empty() {
        return Ok(Seeds::new());
    }
    let others = areas(db, &wanted, None).await?;
    let other_cells = cells(db, cache, &others.iter().collect::<Vec<_>>()).await?;
    Ok(seeds_from(shown, &others, services, &other_cells, t))
}

/// The other member group's area of a grouped area (`15083:gem` → `15083:lk`).
fn complement(key: &str) -> Option<String> {
    let (base, g) = key.split_once(':')?;
    Some(format!("{base}:{}", if g == crate::lagebild::service::rollup::GEMEINDEN { crate::lagebild::service::rollup::LANDKREISE } else { crate::lagebild::service::rollup::GEMEINDEN }))
}

/// [`group_seeds`] over given cells (`others`: the complements of the grouped areas shown).
pub(crate) fn seeds_from(shown: &[&Area], others: &[Area], services: &[(String, String)], other_cells: &HashMap<String, AreaCells>, t: i64) -> Seeds {
    let mut seeds = Seeds::new();
    for a in shown {
        let Some(ck) = complement(&a.key) else { continue };
        let Some(c) = others.iter().find(|o| o.key == ck) else { continue };
        let small = primary_hidden(c, services, other_cells.get(&ck), t);
        if !small.is_empty() {
            seeds.entry(a.key.clone()).or_default().extend(small);
        }
    }
    seeds
}

/// The areas beside one (sharing its parent) and the parent itself.
async fn siblings_of(db: &impl ConnectionTrait, area: &Area) -> Result<(Vec<Area>, Option<Area>), AppError> {
    Ok(match &area.parent {
        Some(p) => (areas(db, &[], Some(p)).await?, areas(db, &[p.clone()], None).await?.into_iter().next()),
        None => (vec![area.clone()], None),
    })
}

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
    let hidden = own_hidden(&area, &siblings, parent.as_ref(), &catalogue, &all, t, full, &seeds);
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
    let own_hidden = own_hidden(&area, &siblings, parent.as_ref(), &catalogue, &all, t, full, &seeds);
    let parts_hidden = if full { HashMap::new() } else { hidden_among_parts(&parts, &catalogue, &all, t, &seeds, Some(&area)) };
    // Reporting gaps: Kommunen without a change for GAP_DAYS (counts of Kommunen, no cells).
    let since = crate::core::time::now() - chrono::Duration::days(crate::lagebild::model::GAP_DAYS);
    let land = crate::lagebild::model::base_key(&area.key).get(..2).unwrap_or("").to_string();
    let grouped = area.key.contains(':');
    let mut active = crate::lagebild::service::rollup::active_kommunen(db, &area.level, grouped, &land, since).await?;
    if !parts.is_empty() {
        active.extend(crate::lagebild::service::rollup::active_kommunen(db, "kreis", grouped, &land, since).await?);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn area(key: &str, kommunen: i64) -> Area {
        Area { key: key.into(), level: "kreis".into(), name: key.into(), parent: Some("15".into()), kommunen, population: kommunen * 1000, updated_at: String::new(), version: 0 }
    }

    fn cell(other: i64, online: i64) -> Cell {
        let mut c = [0; 22];
        c[ix::OTHER_N] = other;
        c[ix::ONLINE] = online;
        c
    }

    #[test]
    fn a_lone_small_cell_pulls_the_smallest_other_cell_into_suppression() {
        let parts = vec![area("15001", 1), area("15081", 10), area("15082", 20)];
        let services = vec![("10000".to_string(), "Familie".to_string())];
        let mut cells = HashMap::new();
        cells.insert("15001".to_string(), Arc::new(HashMap::from([("10000".to_string(), cell(0, 1))])));
        cells.insert("15081".to_string(), Arc::new(HashMap::from([("10000".to_string(), cell(0, 4))])));
        cells.insert("15082".to_string(), Arc::new(HashMap::from([("10000".to_string(), cell(0, 7))])));
        let hidden = hidden_among_parts(&parts, &services, &cells, 3, &Seeds::new(), None);
        assert!(hidden["15001"].contains("10000"), "one Kommune alone");
        assert!(hidden["15081"].contains("10000"), "the next smallest joins it, else Land − rest = the one Kommune");
        assert!(!hidden["15082"].contains("10000"));
    }

    #[test]
    fn the_rest_of_a_kreis_beside_its_verbandsgemeinden_is_protected_too() {
        // A Kreis of 20 Kommunen: two VGs with 10 and 8, so two Kommunen outside any VG.
        let kreis = area("15083", 20);
        let parts = vec![area("150835051", 10), area("150835052", 8)];
        let services = vec![("10000".to_string(), "Familie".to_string())];
        let hidden = hidden_among_parts(&parts, &services, &HashMap::new(), 3, &Seeds::new(), Some(&kreis));
        assert!(hidden["150835052"].contains("10000"), "Kreis − VGs would isolate two Kommunen: the smaller VG joins them");
        assert!(!hidden["150835051"].contains("10000"));
    }

    #[test]
    fn three_small_cells_together_protect_each_other() {
        let parts = vec![area("15001", 1), area("15002", 1), area("15003", 1), area("15081", 10)];
        let services = vec![("10000".to_string(), "Familie".to_string())];
        let hidden = hidden_among_parts(&parts, &services, &HashMap::new(), 3, &Seeds::new(), None);
        assert!(hidden["15001"].contains("10000") && hidden["15002"].contains("10000") && hidden["15003"].contains("10000"));
        assert!(!hidden["15081"].contains("10000"));
    }

    #[test]
    fn hidden_cells_stay_out_of_every_sum() {
        let a = area("15081", 10);
        let services = vec![("1".to_string(), "A".to_string()), ("2".to_string(), "A".to_string())];
        let cells = Arc::new(HashMap::from([("1".to_string(), cell(8, 2)), ("2".to_string(), cell(0, 10))]));
        let hidden = primary_hidden(&a, &services, Some(&cells), 3);
        assert_eq!(hidden, HashSet::from(["1".to_string()]));
        let f = figures(&a, &services, Some(&cells), &hidden, 3, false);
        assert_eq!((f.responsible, f.online, f.flaechendeckend), (Some(10), Some(10), Some(1)));
        let full = figures(&a, &services, Some(&cells), &HashSet::new(), 3, true);
        assert_eq!((full.responsible, full.online, full.flaechendeckend), (Some(12), Some(12), Some(2)));
    }

    #[test]
    fn an_area_with_too_few_kommunen_shows_nothing() {
        let f = figures(&area("15003", 1), &[("1".to_string(), "A".to_string())], None, &HashSet::new(), 3, false);
        assert!(f.suppressed);
        assert_eq!(f.online, None);
    }
}

/// A Lagebild as CSV (German headers, `;`, UTF-8 with BOM): the area, its parts and the
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
        "Tabelle", "Gebiet oder Themenfeld", "Schlüssel", "Kommunen", "Leistungen", "zuständige Kommune-Leistung-Paare", "davon online", "Online-Quote %",
        "flächendeckend online", "in mindestens einer Kommune online", "Einwohner zuständig", "Einwohner mit Online-Angebot", "Bevölkerungsabdeckung %",
        "Reifegrad ≥ 2 (1.1)", "Reifegrad ≥ 3 (1.1)", "EfA-Nachnutzungen", "Meldelücken (Kommunen)", "unterdrückt", "Datenstand",
    ])
    .map_err(fail)?;
    let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| format!("< {t}"));
    let p = |v: Option<f64>| v.map(|v| format!("{v:.1}").replace('.', ",")).unwrap_or_default();
    let row = |table: &str, name: &str, key: &str, f: &AreaFigures| -> Vec<String> {
        vec![
            table.to_string(),
            name.to_string(),
            key.to_string(),
            f.kommunen.to_string(),
            f.services.to_string(),
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
                (None, true) => format!("< {t}"),
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
    for (i, label) in crate::lagebild::model::STAGE_LABELS.iter().enumerate() {
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
            for (i, label) in crate::lagebild::model::STAGE_LABELS.iter().enumerate() {
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
    for (term, text) in crate::lagebild::model::DEFINITIONS {
        meta(&format!("Definition: {term}"), &text.replace("< 3", &format!("< {t}")))?;
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
pub fn services_csv(area: &Area, rows: &[ServiceFigures], t: i64) -> Result<String, AppError> {
    let mut w = crate::core::csv_out::Writer::new(false);
    let fail = |_| AppError::Internal;
    w.write_record([
        "OZG-ID", "Leistung", "Themenfeld", "Gebiet", "zuständige Kommunen", "online", "flächendeckend", "Reifegrad ≥ 2 (1.1)", "Reifegrad ≥ 3 (1.1)",
        "EfA-Nachnutzungen", "Einwohner zuständig", "Einwohner mit Online-Angebot", "unterdrückt", "Datenstand",
    ])
    .map_err(fail)?;
    let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| format!("< {t}"));
    for r in rows {
        w.write_record([
            r.ozg_id.clone(),
            r.name.clone(),
            r.themenfeld.clone(),
            crate::lagebild::model::base_key(&area.key).to_string(),
            n(r.responsible),
            n(r.online),
            r.flaechendeckend.map(|b| if b { "ja" } else { "nein" }.to_string()).unwrap_or_else(|| format!("< {t}")),
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

/// The month-end counters of one area: per OZG-ID the months where its cell changed, and per
/// month the cells left out for everyone but the Land.
#[derive(Debug, Default)]
pub struct TrendArea {
    pub(crate) months: Vec<String>,
    pub(crate) cells: HashMap<String, Vec<(usize, Cell)>>,
    pub(crate) hidden: Vec<HashSet<String>>,
}

impl TrendArea {
    /// The cell of an OZG-Leistung at the end of month `m`.
    pub(crate) fn cell(&self, ozg: &str, m: usize) -> Option<&Cell> {
        self.cells.get(ozg)?.iter().rev().find(|(i, _)| *i <= m).map(|(_, c)| c)
    }
}
