//! Importing the Kommunen (Gemeindeverzeichnis): kinds, Verbandsgemeinden and their members, inhabitants.

use crate::core::entities::organisation;
use crate::identity::OrgKind;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};
use std::collections::{BTreeSet, HashMap};
use super::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct OrgRow {
    line: u64,
    key: String,
    kind: OrgKind,
    name: String,
    ags: Option<String>,
    ars: Option<String>,
    kreis_key: Option<String>,
    verband_key: Option<String>,
    population: Option<i64>,
    area_ha: Option<i64>,
}

/// The organisations that are not in any file: the Land's advisory unit and the associations.
pub(super) fn builtin_orgs() -> Vec<OrgRow> {
    let mk = |key: &str, kind, name: &str| OrgRow {
        line: 0,
        key: key.into(),
        kind,
        name: name.into(),
        ags: None,
        ars: None,
        kreis_key: None,
        verband_key: None,
        population: None,
        area_ha: None,
    };
    vec![
        mk(crate::catalogue::service::orgs::LAND, OrgKind::LandUnit, "Beratungsstelle OZG des Landes Sachsen-Anhalt"),
        mk(crate::catalogue::service::orgs::SGSA, OrgKind::Association, "Städte- und Gemeindebund Sachsen-Anhalt"),
        mk(crate::catalogue::service::orgs::LKT, OrgKind::Association, "Landkreistag Sachsen-Anhalt"),
    ]
}

pub(super) fn parse_kommune(file: &str, t: &Table, line: u64, r: &[String]) -> Result<OrgRow, ImportError> {
    let get = |c: &str| r.get(t.col(c)).map(String::as_str).unwrap_or_default();
    let err = |m: String| ImportError::at(file, Some(line), m);
    if get("land_code") != "15" {
        return Err(err(format!(
            "Feld »land_code«: »{}« – importiert werden nur Kommunen Sachsen-Anhalts (Landesschlüssel 15)",
            get("land_code")
        )));
    }
    let name = get("name").to_string();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(err("Feld »name« fehlt oder ist länger als 200 Zeichen".into()));
    }
    let population = opt_i64(file, line, "population", get("population"))?;
    let area_ha = opt_i64(file, line, "area_ha", get("area_ha"))?;
    let (ags, ars, verband_key, kreis) = (get("ags"), get("ars"), get("verband_key"), get("kreis_ags"));
    match get("level") {
        "Kreis" => {
            if !digits(ags, &[5]) {
                return Err(err(format!("Feld »ags«: »{ags}« ist kein fünfstelliger Kreisschlüssel")));
            }
            Ok(OrgRow {
                line,
                key: ags.into(),
                kind: OrgKind::Landkreis,
                name,
                ags: Some(ags.into()),
                ars: Some(ars.into()).filter(|a: &String| !a.is_empty()),
                kreis_key: Some(ags.into()),
                verband_key: None,
                population,
                area_ha,
            })
        }
        "Gemeindeverband" => {
            if !digits(verband_key, &[9]) {
                return Err(err(format!("Feld »verband_key«: »{verband_key}« ist kein neunstelliger Verbandsschlüssel")));
            }
            Ok(OrgRow {
                line,
                key: verband_key.into(),
                kind: OrgKind::Verbandsgemeinde,
                name,
                ags: None,
                ars: Some(verband_key.into()),
                kreis_key: Some(kreis.into()).filter(|k: &String| !k.is_empty()),
                verband_key: None,
                population,
                area_ha,
            })
        }
        "Gemeinde" => {
            if !digits(ags, &[8]) {
                return Err(err(format!("Feld »ags«: »{ags}« ist kein achtstelliger Amtlicher Gemeindeschlüssel")));
            }
            if !digits(ars, &[12]) {
                return Err(err(format!("Feld »ars«: »{ars}« ist kein zwölfstelliger Regionalschlüssel")));
            }
            let member = get("verband_kind") == "Verbandsgemeinde";
            let kind = if get("kind") == "kreisfreie Stadt" {
                OrgKind::KreisfreieStadt
            } else if member {
                OrgKind::Mitgliedsgemeinde
            } else {
                OrgKind::Einheitsgemeinde
            };
            if member && !digits(verband_key, &[9]) {
                return Err(err(format!("Feld »verband_key«: »{verband_key}« ist kein neunstelliger Verbandsschlüssel")));
            }
            Ok(OrgRow {
                line,
                key: ags.into(),
                kind,
                name,
                ags: Some(ags.into()),
                ars: Some(ars.into()),
                kreis_key: Some(kreis.into()).filter(|k: &String| !k.is_empty()),
                verband_key: member.then(|| verband_key.to_string()),
                population,
                area_ha,
            })
        }
        other => Err(err(format!("Feld »level«: »{other}« ist unbekannt (erwartet Kreis, Gemeindeverband oder Gemeinde)"))),
    }
}

pub(super) async fn import_kommunen(db: &DatabaseConnection, file: &str, t: &Table, progress: Progress<'_>) -> Result<Summary, ImportError> {
    let mut rows = builtin_orgs();
    let mut seen = BTreeSet::new();
    for (line, r) in &t.rows {
        let row = parse_kommune(file, t, *line, r)?;
        if !seen.insert(row.key.clone()) {
            return Err(ImportError::at(file, Some(*line), format!("Schlüssel »{}« kommt mehrfach vor", row.key)));
        }
        rows.push(row);
    }
    for r in &rows {
        if let Some(vk) = &r.verband_key
            && !rows.iter().any(|o| &o.key == vk && o.kind == OrgKind::Verbandsgemeinde)
        {
            return Err(ImportError::at(file, Some(r.line), format!("die Verbandsgemeinde »{vk}« fehlt in der Datei")));
        }
    }
    // Verbandsgemeinden first, so members can point at them.
    rows.sort_by_key(|r| (r.verband_key.is_some(), r.line));
    let total = rows.len() as u64;
    let txn = crate::core::db::begin_write(db).await.map_err(|e| ImportError::db(file, e))?;
    let existing: HashMap<String, organisation::Model> = organisation::Entity::find()
        .all(&txn)
        .await
        .map_err(|e| ImportError::db(file, e))?
        .into_iter()
        .map(|o| (o.key.clone(), o))
        .collect();
    let mut ids: HashMap<String, String> = existing.iter().map(|(k, o)| (k.clone(), o.id.clone())).collect();
    let mut s = Summary::default();
    let now = crate::core::time::now();
    for (i, r) in rows.iter().enumerate() {
        let verband_id = r.verband_key.as_ref().and_then(|k| ids.get(k).cloned());
        match existing.get(&r.key) {
            None => {
                let id = uuid::Uuid::now_v7().to_string();
                organisation::ActiveModel {
                    id: Set(id.clone()),
                    key: Set(r.key.clone()),
                    kind: Set(r.kind.code().into()),
                    name: Set(r.name.clone()),
                    ags: Set(r.ags.clone()),
                    ars: Set(r.ars.clone()),
                    kreis_key: Set(r.kreis_key.clone()),
                    verband_id: Set(verband_id),
                    population: Set(r.population),
                    area_ha: Set(r.area_ha),
                    active: Set(true),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(&txn)
                .await
                .map_err(|e| ImportError::db(file, e))?;
                ids.insert(r.key.clone(), id);
                s.added += 1;
            }
            Some(o) => {
                let same = o.kind == r.kind.code()
                    && o.name == r.name
                    && o.ags == r.ags
                    && o.ars == r.ars
                    && o.kreis_key == r.kreis_key
                    && o.verband_id == verband_id
                    && o.population == r.population
                    && o.area_ha == r.area_ha;
                if same {
                    s.unchanged += 1;
                } else {
                    let mut a: organisation::ActiveModel = o.clone().into();
                    a.kind = Set(r.kind.code().into());
                    a.name = Set(r.name.clone());
                    a.ags = Set(r.ags.clone());
                    a.ars = Set(r.ars.clone());
                    a.kreis_key = Set(r.kreis_key.clone());
                    a.verband_id = Set(verband_id);
                    a.population = Set(r.population);
                    a.area_ha = Set(r.area_ha);
                    a.updated_at = Set(now);
                    a.update(&txn).await.map_err(|e| ImportError::db(file, e))?;
                    s.changed += 1;
                }
            }
        }
        progress(i as u64 + 1, total);
    }
    let keys: BTreeSet<&String> = rows.iter().map(|r| &r.key).collect();
    s.missing_from_file = existing.keys().filter(|k| !keys.contains(k)).count() as u64;
    // Areas, their Kommunen and inhabitants follow the directory: the rollups change with it.
    if let Err(e) = crate::rollups::rebuild_in(&txn).await {
        tracing::error!(error = ?e, file, "Lagebild-Kennzahlen konnten nicht neu berechnet werden");
        return Err(ImportError::at(file, None, "Die Kennzahlen des Lagebilds konnten nicht neu berechnet werden; es wurde nichts geändert (Details im Protokoll)"));
    }
    txn.commit().await.map_err(|e| ImportError::db(file, e))?;
    Ok(s)
}

#[cfg(test)]
// Test code only: a failing `expect` is the test failing, with its message.
mod tests {
    use super::*;

    #[test]
    fn shipped_kommunen_parse_into_the_expected_kinds() {
        let t = read_table("k", SHIPPED_KOMMUNEN).expect("readable");
        let rows: Vec<OrgRow> = t.rows.iter().map(|(l, r)| parse_kommune("k", &t, *l, r).expect("valid")).collect();
        let count = |k| rows.iter().filter(|r| r.kind == k).count();
        assert_eq!(count(OrgKind::Landkreis), 11);
        assert_eq!(count(OrgKind::KreisfreieStadt), 3);
        assert_eq!(count(OrgKind::Einheitsgemeinde), 101);
        assert_eq!(count(OrgKind::Verbandsgemeinde), 18);
        assert_eq!(count(OrgKind::Mitgliedsgemeinde), 114);
    }
}
