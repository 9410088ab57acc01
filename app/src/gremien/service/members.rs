//! Members of a body: taken in by those who run it, their role changed, their membership ended
//! (dated, never deleted). Every change is audited in its transaction.

use super::{Reader, runnable};
use crate::core::audit::{self, Entry};
use crate::core::entities::gremium_member;
use crate::error::AppError;
use crate::gremien::model::MemberInput;
use crate::vocabulary::audit::AuditAction;
use crate::vocabulary::gremien::MemberRole;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set};

/// Takes a person (by the e-mail address of their account) into the body.
#[tracing::instrument(skip_all)]
pub async fn add(db: &DatabaseConnection, who: Reader<'_>, gremium_id: i64, i: MemberInput, now: DateTime<Utc>) -> Result<(), AppError> {
    runnable(db, who, gremium_id).await?;
    let person = super::active_account(db, &i.email).await?;
    let Some(person) = person else {
        return Err(AppError::field("email", "Zu dieser Adresse gibt es kein aktives Konto im Portal. Laden Sie die Person zuerst ins Portal ein."));
    };
    let txn = crate::core::db::begin_write(db).await?;
    if super::role_in(&txn, gremium_id, Some(&person.id)).await?.is_some() {
        return Err(AppError::field("email", format!("{} ist bereits Mitglied.", person.name)));
    }
    let row = gremium_member::ActiveModel {
        gremium_id: Set(gremium_id),
        user_id: Set(person.id.clone()),
        role: Set(i.role),
        since: Set(now),
        until: Set(None),
        added_by: Set(who.user_id.map(str::to_string)),
        ended_by: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let object = format!("gremium:{gremium_id}");
    audit::record(&txn, Entry { actor: who.user_id, action: AuditAction::GremiumMemberAdded, object: Some(&object), detail: Some(format!("Mitgliedschaft {} als {}", row.id, i.role.label())), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// The body's current membership `id`, or 404.
async fn current(db: &impl ConnectionTrait, gremium_id: i64, id: i64) -> Result<gremium_member::Model, AppError> {
    gremium_member::Entity::find_by_id(id)
        .filter(gremium_member::Column::GremiumId.eq(gremium_id))
        .filter(gremium_member::Column::Until.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Refuses a change that would leave the body without anyone to run it.
async fn keeps_someone_running(db: &impl ConnectionTrait, gremium_id: i64, leaving: &gremium_member::Model) -> Result<(), AppError> {
    if !leaving.role.runs_the_body() {
        return Ok(());
    }
    let others = gremium_member::Entity::find()
        .filter(gremium_member::Column::GremiumId.eq(gremium_id))
        .filter(gremium_member::Column::Until.is_null())
        .filter(gremium_member::Column::Id.ne(leaving.id))
        .filter(gremium_member::Column::Role.is_in([MemberRole::Chair, MemberRole::Office]))
        .count(db)
        .await?;
    if others == 0 {
        return Err(AppError::Conflict("Ein Gremium braucht mindestens einen Vorsitz oder eine Geschäftsstelle. Bestimmen Sie zuerst eine andere Person dafür.".into()));
    }
    Ok(())
}

/// Gives a current member another role.
#[tracing::instrument(skip_all)]
pub async fn change_role(db: &DatabaseConnection, who: Reader<'_>, gremium_id: i64, id: i64, role: MemberRole) -> Result<(), AppError> {
    runnable(db, who, gremium_id).await?;
    let txn = crate::core::db::begin_write(db).await?;
    let m = current(&txn, gremium_id, id).await?;
    if m.role == role {
        return Ok(());
    }
    if !role.runs_the_body() {
        keeps_someone_running(&txn, gremium_id, &m).await?;
    }
    let before = m.role;
    let mut active: gremium_member::ActiveModel = m.into();
    active.role = Set(role);
    active.update(&txn).await?;
    let object = format!("gremium:{gremium_id}");
    audit::record(&txn, Entry { actor: who.user_id, action: AuditAction::GremiumMemberChanged, object: Some(&object), detail: Some(format!("Mitgliedschaft {id}: {} → {}", before.label(), role.label())), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// Ends a membership today: the person reads nothing more of a body for members only.
#[tracing::instrument(skip_all)]
pub async fn end(db: &DatabaseConnection, who: Reader<'_>, gremium_id: i64, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    runnable(db, who, gremium_id).await?;
    let txn = crate::core::db::begin_write(db).await?;
    let m = current(&txn, gremium_id, id).await?;
    keeps_someone_running(&txn, gremium_id, &m).await?;
    let mut active: gremium_member::ActiveModel = m.into();
    active.until = Set(Some(now));
    active.ended_by = Set(who.user_id.map(str::to_string));
    active.update(&txn).await?;
    let object = format!("gremium:{gremium_id}");
    audit::record(&txn, Entry { actor: who.user_id, action: AuditAction::GremiumMemberEnded, object: Some(&object), detail: Some(format!("Mitgliedschaft {id}")), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// A person's memberships (Auskunft): (body, role, since, until).
pub async fn of_person(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<(String, MemberRole, DateTime<Utc>, Option<DateTime<Utc>>)>, AppError> {
    use sea_orm::QueryOrder;
    let rows = gremium_member::Entity::find().filter(gremium_member::Column::UserId.eq(user_id)).order_by_asc(gremium_member::Column::Since).all(db).await?;
    let names: std::collections::HashMap<i64, String> = crate::core::entities::gremium::Entity::find()
        .filter(crate::core::entities::gremium::Column::Id.is_in(rows.iter().map(|r| r.gremium_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    Ok(rows.into_iter().map(|r| (names.get(&r.gremium_id).cloned().unwrap_or_default(), r.role, r.since, r.until)).collect())
}

/// Ends every current membership of a person (their account is erased), inside the caller's
/// transaction.
pub async fn end_all_of(txn: &impl ConnectionTrait, user_id: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    gremium_member::Entity::update_many()
        .col_expr(gremium_member::Column::Until, now.into())
        .filter(gremium_member::Column::UserId.eq(user_id))
        .filter(gremium_member::Column::Until.is_null())
        .exec(txn)
        .await?;
    Ok(())
}
