//! Suppression of small cells, within an area and across the parts of a whole, and the figures that remain.

use crate::rollups::{COUNTED_STAGES, Cell, ix};
use crate::error::AppError;
use crate::lagebild::model::AreaFigures;
use sea_orm::ConnectionTrait;
use std::collections::{HashMap, HashSet};
use super::*;

pub(super) fn responsible(area: &Area, cell: Option<&Cell>) -> i64 {
    area.kommunen - cell.map(|c| c[ix::OTHER_N]).unwrap_or(0)
}

/// Cells left out because fewer than `t` Kommunen are responsible (primary suppression).
pub(super) fn primary_hidden(area: &Area, services: &[(String, String)], cells: Option<&AreaCells>, t: i64) -> HashSet<String> {
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
        withheld: 0,
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
            f.withheld += 1;
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

/// Adds to each area's hidden cells those of every area above it (present in `hidden`), so that
/// a viewer's figure over an area is never below the same figure over an area inside it: a cell
/// left out of a Kreis is left out of its Verbandsgemeinden too. Leaving out more never
/// publishes more, so the protection of each level holds.
pub(crate) fn inherit_hidden(areas: &[Area], hidden: &mut HashMap<String, HashSet<String>>) {
    let parents: HashMap<&str, &str> = areas.iter().filter_map(|a| Some((a.key.as_str(), a.parent.as_deref()?))).collect();
    let own = hidden.clone();
    for (key, set) in hidden.iter_mut() {
        let mut at = parents.get(key.as_str()).copied();
        while let Some(p) = at {
            set.extend(own.get(p).into_iter().flatten().cloned());
            at = parents.get(p).copied();
        }
    }
}

/// The cells left out of every area above `area` for a viewer other than the Land: each in the
/// context of its own siblings, as its own page leaves them out.
#[tracing::instrument(skip_all)]
pub(crate) async fn above_hidden(db: &impl ConnectionTrait, cache: &CellCache, area: &Area, catalogue: &[(String, String)], t: i64) -> Result<HashSet<String>, AppError> {
    let mut out = HashSet::new();
    let mut next = area.parent.clone();
    while let Some(key) = next {
        let Some(a) = areas(db, &[key], None).await?.into_iter().next() else { break };
        let (siblings, parent) = siblings_of(db, &a).await?;
        let involved: Vec<&Area> = siblings.iter().chain(parent.iter()).chain(std::iter::once(&a)).collect();
        let all = cells(db, cache, &involved).await?;
        let seeds = group_seeds(db, cache, &involved, catalogue, t).await?;
        out.extend(own_hidden(&a, &siblings, parent.as_ref(), catalogue, &all, t, false, &seeds));
        next = a.parent.clone();
    }
    Ok(out)
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
pub(super) fn complement(key: &str) -> Option<String> {
    let (base, g) = key.split_once(':')?;
    Some(format!("{base}:{}", if g == crate::rollups::GEMEINDEN { crate::rollups::LANDKREISE } else { crate::rollups::GEMEINDEN }))
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
pub(super) async fn siblings_of(db: &impl ConnectionTrait, area: &Area) -> Result<(Vec<Area>, Option<Area>), AppError> {
    Ok(match &area.parent {
        Some(p) => (areas(db, &[], Some(p)).await?, areas(db, &[p.clone()], None).await?.into_iter().next()),
        None => (vec![area.clone()], None),
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
