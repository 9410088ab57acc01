//! Importing the LeiKa services of each OZG-Leistung.

use crate::core::entities::{leika_service, ozg_service};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, NotSet, Set};
use std::collections::{BTreeSet, HashMap};
use super::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LeikaRow {
    ozg_id: String,
    natural_key: String,
    leika_key: Option<String>,
    name: String,
    typ: String,
    sdg1: bool,
    sdg2: bool,
    law: String,
}

pub(super) fn flag(file: &str, line: u64, field: &str, v: &str) -> Result<bool, ImportError> {
    match v {
        "1" => Ok(true),
        "0" | "" => Ok(false),
        _ => Err(ImportError::at(file, Some(line), format!("Feld »{field}«: »{v}« ist weder 0 noch 1"))),
    }
}

pub(super) async fn import_leika(db: &DatabaseConnection, file: &str, t: &Table, progress: Progress<'_>) -> Result<Summary, ImportError> {
    let known: BTreeSet<String> = ozg_service::Entity::find()
        .all(db)
        .await
        .map_err(|e| ImportError::db(file, e))?
        .into_iter()
        .map(|o| o.ozg_id)
        .collect();
    let mut rows: Vec<LeikaRow> = Vec::with_capacity(t.rows.len());
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut skipped = 0;
    for (line, r) in &t.rows {
        let get = |c: &str| r.get(t.col(c)).cloned().unwrap_or_default();
        let err = |m: String| ImportError::at(file, Some(*line), m);
        let ozg_id = get("ozg_id");
        if ozg_id.is_empty() && get("ozg_name").is_empty() {
            // The source lists a few LeiKa services that belong to no OZG-Leistung; the portal
            // records services per OZG-Leistung, so they have no place here.
            skipped += 1;
            continue;
        }
        if !digits(&ozg_id, &[5]) {
            return Err(err(format!("Feld »ozg_id«: »{ozg_id}« ist keine fünfstellige OZG-ID")));
        }
        if !known.contains(&ozg_id) {
            return Err(err(format!("OZG-ID »{ozg_id}« ist nicht im OZG-Katalog; bitte zuerst den Katalog importieren")));
        }
        let key = get("leika_key");
        let name = get("leika_bezeichnung");
        if name.is_empty() {
            return Err(err("Feld »leika_bezeichnung« fehlt".into()));
        }
        let leika_key = if key == "nicht im LeiKa" || key.is_empty() {
            None
        } else if digits(&key, &[14]) {
            Some(key.clone())
        } else {
            return Err(err(format!("Feld »leika_key«: »{key}« ist weder ein 14-stelliger LeiKa-Schlüssel noch »nicht im LeiKa«")));
        };
        let natural_key = match &leika_key {
            Some(k) => k.clone(),
            None => format!("X:{}", name.chars().take(300).collect::<String>()),
        };
        let row = LeikaRow {
            ozg_id: ozg_id.clone(),
            natural_key: natural_key.clone(),
            leika_key,
            name,
            typ: get("leika_typ").chars().take(16).collect(),
            sdg1: flag(file, *line, "sdg1_relevanz", &get("sdg1_relevanz"))?,
            sdg2: flag(file, *line, "sdg2_relevanz", &get("sdg2_relevanz"))?,
            law: get("gesetzeskuerzel").chars().take(200).collect(),
        };
        // The source lists a few services twice under the same key; they are merged, with SDG
        // relevance if any listing has it.
        match index.get(&(ozg_id.clone(), natural_key.clone())) {
            Some(&i) => {
                rows[i].sdg1 |= row.sdg1;
                rows[i].sdg2 |= row.sdg2;
            }
            None => {
                index.insert((ozg_id, natural_key), rows.len());
                rows.push(row);
            }
        }
    }
    let total = rows.len() as u64;
    let txn = crate::core::db::begin_write(db).await.map_err(|e| ImportError::db(file, e))?;
    let existing: HashMap<(String, String), leika_service::Model> = leika_service::Entity::find()
        .all(&txn)
        .await
        .map_err(|e| ImportError::db(file, e))?
        .into_iter()
        .map(|l| ((l.ozg_id.clone(), l.natural_key.clone()), l))
        .collect();
    let now = crate::core::time::now();
    let mut s = Summary { skipped, ..Summary::default() };
    for (i, r) in rows.iter().enumerate() {
        match existing.get(&(r.ozg_id.clone(), r.natural_key.clone())) {
            None => {
                leika_service::ActiveModel {
                    id: NotSet,
                    ozg_id: Set(r.ozg_id.clone()),
                    natural_key: Set(r.natural_key.clone()),
                    leika_key: Set(r.leika_key.clone()),
                    name: Set(r.name.clone()),
                    leika_typ: Set(r.typ.clone()),
                    sdg1: Set(r.sdg1),
                    sdg2: Set(r.sdg2),
                    law: Set(r.law.clone()),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(&txn)
                .await
                .map_err(|e| ImportError::db(file, e))?;
                s.added += 1;
            }
            Some(l) if l.name == r.name && l.leika_typ == r.typ && l.sdg1 == r.sdg1 && l.sdg2 == r.sdg2 && l.law == r.law => {
                s.unchanged += 1
            }
            Some(l) => {
                let mut a: leika_service::ActiveModel = l.clone().into();
                a.name = Set(r.name.clone());
                a.leika_typ = Set(r.typ.clone());
                a.sdg1 = Set(r.sdg1);
                a.sdg2 = Set(r.sdg2);
                a.law = Set(r.law.clone());
                a.updated_at = Set(now);
                a.update(&txn).await.map_err(|e| ImportError::db(file, e))?;
                s.changed += 1;
            }
        }
        progress(i as u64 + 1, total);
    }
    s.missing_from_file = existing.len() as u64 - existing.keys().filter(|k| index.contains_key(*k)).count() as u64;
    txn.commit().await.map_err(|e| ImportError::db(file, e))?;
    Ok(s)
}
