//! Bulk changes: one change applied to many services of a Kommune in one transaction.

use crate::core::entities::ozg_service;
use crate::access::scope::Scope;
use crate::core::session::CurrentUser;
use crate::register::model::{SolutionKind, Stage};
use crate::error::AppError;
use sea_orm::{
    DatabaseConnection, EntityTrait, 
};
use std::collections::BTreeMap;
use super::*;

/// The most services one bulk change may name (the catalogue has about 575).
pub const MAX_BULK_SERVICES: usize = 1000;

/// What a bulk change sets on every selected service (fields left `None` stay as they are).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct BulkChange {
    /// The selected services; empty means "all services matching `filter`".
    #[serde(default)]
    pub ozg_ids: Vec<String>,
    #[serde(default)]
    pub filter: Option<ListFilter>,
    pub stage: Option<Stage>,
    pub solution_kind: Option<SolutionKind>,
    pub solution_name: Option<String>,
    pub solution_provider: Option<String>,
    /// ISO date `JJJJ-MM-TT`.
    pub planned_go_live: Option<String>,
}

/// Applies one change to many services of a Kommune in one transaction, one history entry
/// per service that actually changes. All or nothing: an invalid result for any service, or
/// a concurrent change, leaves everything as it was.
#[tracing::instrument(skip_all, fields(key = %key))]
pub async fn bulk(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, key: &str, change: &BulkChange) -> Result<usize, AppError> {
    let org = kommune(db, key).await?;
    crate::access::policy::kommune_write(scope, &org.id)?;
    if change.stage.is_none() && change.solution_kind.is_none() && change.planned_go_live.is_none() {
        return Err(AppError::field("", "Bitte wählen Sie mindestens einen Wert, der gesetzt werden soll."));
    }
    let ids: Vec<String> = if change.ozg_ids.is_empty() {
        match &change.filter {
            Some(f) => list(db, scope, key, f).await?.into_iter().map(|r| r.ozg_id).collect(),
            None => return Err(AppError::field("", "Bitte wählen Sie mindestens eine Leistung aus.")),
        }
    } else {
        change.ozg_ids.clone()
    };
    // Each service once, and no more than the catalogue can hold: the transaction holds the
    // write lock while it works, so its length is bounded.
    let mut seen = std::collections::HashSet::new();
    let ids: Vec<String> = ids.into_iter().map(|i| i.trim().to_string()).filter(|i| seen.insert(i.clone())).collect();
    if ids.len() > MAX_BULK_SERVICES {
        return Err(AppError::field("ozg_ids", format!("Höchstens {MAX_BULK_SERVICES} Leistungen auf einmal.")));
    }
    if ids.is_empty() {
        return Err(AppError::field("", "Keine Leistung entspricht der Auswahl."));
    }
    let known: std::collections::HashSet<String> = ozg_service::Entity::find().all(db).await?.into_iter().map(|s| s.ozg_id).collect();
    let acting = acting_org(user, &org);
    let criteria = crate::catalogue::service::criteria::known(db).await?;
    let txn = crate::core::db::begin_write(db).await?;
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut valid = Vec::with_capacity(ids.len());
    for id in &ids {
        if !known.contains(id) {
            add(&mut errors, "ozg_ids", format!("Die OZG-ID »{id}« ist nicht im Katalog."));
            continue;
        }
        let current = record_of(&txn, &org.id, id).await?;
        let mut input = current.as_ref().map(input_of).unwrap_or_else(default_input);
        if let Some(stage) = change.stage {
            input.stage = stage;
        }
        if let Some(kind) = change.solution_kind {
            input.solution_kind = Some(kind);
            if change.solution_name.is_some() {
                input.solution_name = change.solution_name.clone();
            }
            if change.solution_provider.is_some() {
                input.solution_provider = change.solution_provider.clone();
            }
        }
        if let Some(date) = &change.planned_go_live {
            input.planned_go_live = Some(date.clone());
        }
        match validate(&input, &criteria) {
            Ok(v) => valid.push((id.clone(), v)),
            Err(AppError::Validation(map)) => {
                for (field, msgs) in map {
                    for m in msgs {
                        add(&mut errors, &field, format!("OZG-ID {id}: {m}"));
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        txn.rollback().await?;
        return Err(AppError::Validation(errors));
    }
    let items: Vec<(&str, &Valid)> = valid.iter().map(|(id, v)| (id.as_str(), v)).collect();
    match apply_all(&txn, &user.id, &acting, &org.id, &items).await? {
        Ok((changed, _)) => {
            txn.commit().await?;
            Ok(changed)
        }
        Err(i) => {
            txn.rollback().await?;
            Err(AppError::Conflict(format!(
                "Die Leistung {} wurde gerade von jemand anderem geändert. Es wurde nichts geändert; bitte versuchen Sie es erneut.",
                valid[i].0
            )))
        }
    }
}
