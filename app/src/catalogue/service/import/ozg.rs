//! Importing the OZG catalogue: OZG-Leistungen with Themenfeld and Lebenslage, and the default Fokusleistungen.

use crate::core::entities::ozg_service;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};
use std::collections::{BTreeSet, HashMap};
use super::*;

pub(super) async fn import_ozg(db: &DatabaseConnection, file: &str, t: &Table, progress: Progress<'_>) -> Result<Summary, ImportError> {
    let (c_id, c_name, c_tf, c_ll) = (t.col("ozg_id"), t.col("name"), t.col("themenfeld"), t.col("lebenslage"));
    let mut rows = Vec::with_capacity(t.rows.len());
    let mut seen = BTreeSet::new();
    for (line, r) in &t.rows {
        let f = |i: usize| r.get(i).cloned().unwrap_or_default();
        let (id, name, tf, ll) = (f(c_id), f(c_name), f(c_tf), f(c_ll));
        let err = |m: String| ImportError::at(file, Some(*line), m);
        if !digits(&id, &[5]) {
            return Err(err(format!("Feld »ozg_id«: »{id}« ist keine fünfstellige OZG-ID")));
        }
        if name.is_empty() || name.chars().count() > 300 {
            return Err(err("Feld »name« fehlt oder ist länger als 300 Zeichen".into()));
        }
        if tf.is_empty() || tf.chars().count() > 100 {
            return Err(err("Feld »themenfeld« fehlt oder ist länger als 100 Zeichen".into()));
        }
        if ll.chars().count() > 150 {
            return Err(err("Feld »lebenslage« ist länger als 150 Zeichen".into()));
        }
        if !seen.insert(id.clone()) {
            return Err(err(format!("OZG-ID »{id}« kommt mehrfach vor")));
        }
        rows.push((id, name, tf, ll));
    }
    let focus: BTreeSet<&str> = FOCUS_DEFAULTS.lines().skip(1).filter_map(|l| l.split(',').next()).collect();
    let total = rows.len() as u64;
    let txn = crate::core::db::begin_write(db).await.map_err(|e| ImportError::db(file, e))?;
    let existing: HashMap<String, ozg_service::Model> = ozg_service::Entity::find()
        .all(&txn)
        .await
        .map_err(|e| ImportError::db(file, e))?
        .into_iter()
        .map(|o| (o.ozg_id.clone(), o))
        .collect();
    let now = crate::core::time::now();
    let mut s = Summary::default();
    for (i, (id, name, tf, ll)) in rows.iter().enumerate() {
        match existing.get(id) {
            None => {
                ozg_service::ActiveModel {
                    ozg_id: Set(id.clone()),
                    name: Set(name.clone()),
                    themenfeld: Set(tf.clone()),
                    lebenslage: Set(ll.clone()),
                    // Initial Fokusleistung marking only; afterwards the flag belongs to the admins.
                    focus: Set(focus.contains(id.as_str())),
                    in_catalogue: Set(true),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(&txn)
                .await
                .map_err(|e| ImportError::db(file, e))?;
                s.added += 1;
            }
            Some(o) if &o.name == name && &o.themenfeld == tf && &o.lebenslage == ll && o.in_catalogue => s.unchanged += 1,
            Some(o) => {
                let mut a: ozg_service::ActiveModel = o.clone().into();
                a.name = Set(name.clone());
                a.themenfeld = Set(tf.clone());
                a.lebenslage = Set(ll.clone());
                a.in_catalogue = Set(true);
                a.updated_at = Set(now);
                a.update(&txn).await.map_err(|e| ImportError::db(file, e))?;
                s.changed += 1;
            }
        }
        progress(i as u64 + 1, total);
    }
    // Entries a newer catalogue no longer lists stay (with everything attached), marked as such.
    for (id, o) in &existing {
        if !seen.contains(id) {
            s.missing_from_file += 1;
            if o.in_catalogue {
                let mut a: ozg_service::ActiveModel = o.clone().into();
                a.in_catalogue = Set(false);
                a.updated_at = Set(now);
                a.update(&txn).await.map_err(|e| ImportError::db(file, e))?;
            }
        }
    }
    txn.commit().await.map_err(|e| ImportError::db(file, e))?;
    Ok(s)
}
