//! Reading and writing one record with optimistic concurrency and its history, alone or many in one transaction.

use crate::core::entities::{app_user, organisation, ozg_service, service_record, service_record_history};
use crate::access::scope::Scope;
use crate::core::session::CurrentUser;
use crate::register::model::{Responsibility, ServiceRecord, ServiceRecordInput, SolutionKind};
use crate::error::AppError;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, SqlErr,
};
use super::*;

pub(super) async fn user_name(db: &impl ConnectionTrait, id: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(id) = id else { return Ok(None) };
    Ok(app_user::Entity::find_by_id(id.to_string()).one(db).await?.map(|u| u.name))
}

/// Whether the account is a demo account (what it writes is demo data).
async fn is_demo_account(db: &impl ConnectionTrait, id: &str) -> Result<bool, AppError> {
    Ok(app_user::Entity::find_by_id(id.to_string()).one(db).await?.is_some_and(|u| u.is_demo))
}

pub(super) async fn org_name(db: &impl ConnectionTrait, id: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(id) = id else { return Ok(None) };
    Ok(organisation::Entity::find_by_id(id.to_string()).one(db).await?.map(|o| o.name))
}

pub(super) async fn service(db: &impl ConnectionTrait, ozg_id: &str) -> Result<Option<ozg_service::Model>, AppError> {
    Ok(ozg_service::Entity::find_by_id(ozg_id.to_string()).one(db).await?)
}

#[tracing::instrument(skip_all)]
pub async fn record_of(db: &impl ConnectionTrait, org_id: &str, ozg_id: &str) -> Result<Option<service_record::Model>, AppError> {
    Ok(service_record::Entity::find()
        .filter(service_record::Column::OrganisationId.eq(org_id))
        .filter(service_record::Column::OzgId.eq(ozg_id))
        .one(db)
        .await?)
}

pub(super) async fn to_dto(db: &impl ConnectionTrait, org: &organisation::Model, svc: &ozg_service::Model, rec: Option<&service_record::Model>) -> Result<ServiceRecord, AppError> {
    Ok(match rec {
        None => ServiceRecord {
            municipality: org.key.clone(),
            ozg_id: svc.ozg_id.clone(),
            service_name: svc.name.clone(),
            data: default_input(),
            updated_at: None,
            updated_by: None,
            acting_organisation: None,
        },
        Some(r) => ServiceRecord {
            municipality: org.key.clone(),
            ozg_id: svc.ozg_id.clone(),
            service_name: svc.name.clone(),
            data: input_of(r),
            updated_at: Some(r.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            updated_by: user_name(db, r.updated_by.as_deref()).await?,
            acting_organisation: org_name(db, r.acting_org_id.as_deref()).await?,
        },
    })
}

/// One record (an untouched service reads as "nicht begonnen", version 0).
#[tracing::instrument(skip_all)]
pub async fn get(db: &DatabaseConnection, scope: &Scope, key: &str, ozg_id: &str) -> Result<ServiceRecord, AppError> {
    let org = kommune(db, key).await?;
    crate::access::policy::kommune_read(scope, &org.id)?;
    let svc = service(db, ozg_id).await?.ok_or(AppError::NotFound)?;
    let rec = record_of(db, &org.id, ozg_id).await?;
    to_dto(db, &org, &svc, rec.as_ref()).await
}

/// The organisation a clerk acts through for `org`: the organisation itself if they belong
/// to it, else the Verbandsgemeinde that administers it.
pub fn acting_org(user: &CurrentUser, org: &organisation::Model) -> String {
    if user.organisations.iter().any(|o| o.id == org.id) {
        return org.id.clone();
    }
    user.organisations
        .iter()
        .find(|o| o.members.iter().any(|m| m.id == org.id))
        .map(|o| o.id.clone())
        .unwrap_or_else(|| org.id.clone())
}

pub(super) fn conflict_message(current: &ServiceRecord) -> AppError {
    let d = &current.data;
    let mut facts = vec![format!("Stand »{}«", d.stage.label())];
    if let (Some(m), Some(l)) = (d.maturity_model, d.maturity_level) {
        facts.push(format!("Reifegrad {l} (Modell {})", m.code()));
    }
    if let Some(k) = d.solution_kind {
        facts.push(format!("Lösung »{}«", k.label()));
    }
    let who = match (&current.updated_by, &current.updated_at) {
        (Some(u), Some(t)) => format!(" von {u} ({})", format_iso(t)),
        _ => String::new(),
    };
    AppError::Conflict(format!(
        "Dieser Eintrag wurde inzwischen{who} geändert. Ihre Änderung wurde nicht gespeichert. Aktuell: {}. Bitte laden Sie den Eintrag neu und prüfen Sie Ihre Angaben.",
        facts.join(", ")
    ))
}

pub(super) fn format_iso(t: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|d| crate::core::time::format_berlin(d.with_timezone(&chrono::Utc)))
        .unwrap_or_else(|_| t.to_string())
}

/// What applying a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The stored values already equal the submitted ones: nothing recorded.
    Unchanged,
    /// Stored as a new version with one history entry.
    Saved,
    /// The submission was based on an older version.
    Stale,
}

/// Applies a validated change inside the caller's write transaction: compares with the stored
/// record, checks the version, writes the record (conditionally on the version read, so
/// concurrent writers on PostgreSQL's READ COMMITTED cannot both win) and one history entry.
/// After `Stale` the transaction must be rolled back.
#[tracing::instrument(skip_all)]
pub async fn apply(
    txn: &crate::core::db::WriteTxn,
    user_id: &str,
    acting_org_id: &str,
    org_id: &str,
    ozg_id: &str,
    valid: &Valid,
) -> Result<Outcome, AppError> {
    let mut changes = Vec::new();
    let now = crate::core::time::now();
    let outcome = write_record(txn, user_id, acting_org_id, org_id, ozg_id, valid, now, &mut changes).await?;
    if outcome == Outcome::Saved {
        crate::rollups::apply_changes(txn, org_id, &changes, now).await?;
    }
    Ok(outcome)
}

/// Writes one record and its history entry; what the rollups must learn is added to `changes`.
pub(super) async fn write_record(
    txn: &crate::core::db::WriteTxn,
    user_id: &str,
    acting_org_id: &str,
    org_id: &str,
    ozg_id: &str,
    valid: &Valid,
    now: chrono::DateTime<chrono::Utc>,
    changes_for_rollups: &mut Vec<crate::rollups::Change>,
) -> Result<Outcome, AppError> {
    let current = record_of(txn, org_id, ozg_id).await?;
    let old_input = current.as_ref().map(input_of).unwrap_or_else(default_input);
    let changes = diff(&old_input, &valid.input);
    let stored_version = current.as_ref().map(|r| r.version).unwrap_or(0);
    if changes.is_empty() {
        return Ok(Outcome::Unchanged);
    }
    if valid.input.version != stored_version {
        return Ok(Outcome::Stale);
    }
    let new_version = stored_version + 1;
    let v = &valid.input;
    let model = service_record::ActiveModel {
        id: Set(current.as_ref().map(|c| c.id.clone()).unwrap_or_else(|| uuid::Uuid::now_v7().to_string())),
        organisation_id: Set(org_id.to_string()),
        ozg_id: Set(ozg_id.to_string()),
        offered: Set(v.offered),
        responsibility: Set(if v.responsibility == Responsibility::Other { "other" } else { "own" }.into()),
        responsibility_note: Set(v.responsibility_note.clone()),
        stage: Set(v.stage.code().into()),
        stage_dates: Set(serde_json::to_string(&v.stage_dates).unwrap_or_else(|_| "{}".into())),
        planned_go_live: Set(valid.planned),
        maturity_model: Set(v.maturity_model.map(|m| m.code().to_string())),
        maturity_level: Set(v.maturity_level),
        maturity_criteria: Set((!v.maturity_criteria.is_empty()).then(|| serde_json::to_string(&v.maturity_criteria).unwrap_or_else(|_| "{}".into()))),
        solution_kind: Set(v.solution_kind.map(|k| k.code().to_string())),
        solution_name: Set(v.solution_name.clone()),
        solution_provider: Set(v.solution_provider.clone()),
        url: Set(v.url.clone()),
        contact: Set(v.contact.clone()),
        note: Set(v.note.clone()),
        version: Set(new_version),
        created_at: Set(current.as_ref().map(|c| c.created_at).unwrap_or(now)),
        updated_at: Set(now),
        updated_by: Set(Some(user_id.to_string())),
        acting_org_id: Set(Some(acting_org_id.to_string())),
        // A record first written by a demo account is demo data; a record keeps its mark.
        demo: Set(match &current {
            Some(c) => c.demo,
            None => is_demo_account(txn, user_id).await?,
        }),
    };
    let record_id = match &current {
        None => match model.insert(txn).await {
            Ok(m) => m.id,
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => return Ok(Outcome::Stale),
            Err(e) => return Err(e.into()),
        },
        Some(c) => {
            // The key columns stay as they are (writing them would make SQLite check every
            // history entry pointing at the record).
            let mut model = model;
            model.id = sea_orm::NotSet;
            model.organisation_id = sea_orm::NotSet;
            model.ozg_id = sea_orm::NotSet;
            model.created_at = sea_orm::NotSet;
            let res = service_record::Entity::update_many()
                .set(model)
                .filter(service_record::Column::Id.eq(c.id.clone()))
                .filter(service_record::Column::Version.eq(stored_version))
                .exec(txn)
                .await?;
            if res.rows_affected != 1 {
                return Ok(Outcome::Stale);
            }
            c.id.clone()
        }
    };
    let after = crate::rollups::Facts {
        other: v.responsibility == Responsibility::Other,
        stage: v.stage.code().into(),
        model: v.maturity_model.map(|m| m.code().to_string()),
        level: v.maturity_level,
        efa: v.solution_kind == Some(SolutionKind::Efa),
        efa_service: crate::rollups::efa_service(v.solution_kind == Some(SolutionKind::Efa), v.solution_name.as_deref()),
    };
    changes_for_rollups.push(crate::rollups::Change { ozg_id: ozg_id.to_string(), before: current.as_ref().map(crate::rollups::Facts::of), after });
    service_record_history::ActiveModel {
        id: sea_orm::NotSet,
        record_id: Set(record_id),
        organisation_id: Set(org_id.to_string()),
        ozg_id: Set(ozg_id.to_string()),
        version: Set(new_version),
        changed_at: Set(now),
        user_id: Set(Some(user_id.to_string())),
        acting_org_id: Set(Some(acting_org_id.to_string())),
        changes: Set(serde_json::to_string(&changes).unwrap_or_else(|_| "[]".into())),
        source: Set(None),
    }
    .insert(txn)
    .await?;
    Ok(Outcome::Saved)
}

/// Names where the change just applied to a record came from (its newest history entry), in the
/// same transaction: a survey's answer, a step of the roll-out.
pub async fn mark_source(txn: &crate::core::db::WriteTxn, org_id: &str, ozg_id: &str, source: &str) -> Result<(), AppError> {
    let Some(rec) = record_of(txn, org_id, ozg_id).await? else { return Ok(()) };
    service_record_history::Entity::update_many()
        .col_expr(service_record_history::Column::Source, Some(source.chars().take(300).collect::<String>()).into())
        .filter(service_record_history::Column::RecordId.eq(rec.id))
        .filter(service_record_history::Column::Version.eq(rec.version))
        .exec(txn)
        .await?;
    Ok(())
}

/// Applies many validated changes in one transaction. `Ok(Err(i))`: item `i` was stale; the
/// caller must roll back. `Ok(Ok((changed, unchanged)))` otherwise.
#[tracing::instrument(skip_all)]
pub async fn apply_all(
    txn: &crate::core::db::WriteTxn,
    user_id: &str,
    acting_org_id: &str,
    org_id: &str,
    items: &[(&str, &Valid)],
) -> Result<Result<(usize, usize), usize>, AppError> {
    let (mut changed, mut unchanged) = (0, 0);
    let mut rollups = Vec::new();
    let now = crate::core::time::now();
    for (i, (ozg_id, valid)) in items.iter().enumerate() {
        match write_record(txn, user_id, acting_org_id, org_id, ozg_id, valid, now, &mut rollups).await? {
            Outcome::Saved => changed += 1,
            Outcome::Unchanged => unchanged += 1,
            Outcome::Stale => return Ok(Err(i)),
        }
    }
    crate::rollups::apply_changes(txn, org_id, &rollups, now).await?;
    Ok(Ok((changed, unchanged)))
}

/// Saves a change. Optimistic concurrency: `input.version` must be the stored version (0 for a
/// new record); otherwise 409 — unless the stored values already equal the submitted ones (a
/// double submit), which answers with the stored record and records nothing.
#[tracing::instrument(skip_all, fields(key = %key, ozg_id = %ozg_id))]
pub async fn put(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, key: &str, ozg_id: &str, raw: &ServiceRecordInput) -> Result<ServiceRecord, AppError> {
    let org = kommune(db, key).await?;
    crate::access::policy::kommune_write(scope, &org.id)?;
    let Some(svc) = service(db, ozg_id).await? else {
        return Err(AppError::field("ozg_id", format!("Die OZG-ID »{ozg_id}« ist nicht im Katalog.")));
    };
    let valid = validate(raw, &crate::catalogue::service::criteria::known(db).await?)?;
    let acting = acting_org(user, &org);
    let txn = crate::core::db::begin_write(db).await?;
    let outcome = apply(&txn, &user.id, &acting, &org.id, ozg_id, &valid).await?;
    match outcome {
        Outcome::Saved => txn.commit().await?,
        Outcome::Unchanged | Outcome::Stale => txn.rollback().await?,
    }
    let rec = record_of(db, &org.id, ozg_id).await?;
    let now = to_dto(db, &org, &svc, rec.as_ref()).await?;
    if outcome == Outcome::Stale { Err(conflict_message(&now)) } else { Ok(now) }
}
