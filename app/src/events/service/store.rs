//! Writing events (advisors): checking the input, saving, cancelling (the registered are told),
//! the materials after the event and turning them into a Wissensportal draft.

use crate::vocabulary::knowledge::EventStatus;
use super::attend::tell_all;
use crate::core::audit::{self, Entry};
use crate::core::config::Config;
use crate::core::entities::{event, event_field};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set};
use std::collections::BTreeMap;

pub use crate::core::time::{berlin_to_utc, utc_to_local_input};
pub use crate::events::model::EventInput;

/// What only the stored data can tell: a new event may not start in the past (`now` is the
/// caller's clock), and the Themenfelder must be the portal's.
async fn checked(db: &impl ConnectionTrait, i: &EventInput, new: bool, now: DateTime<Utc>) -> Result<(), AppError> {
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if new && i.starts < now {
        errors.entry("starts".into()).or_default().push("Der Beginn liegt in der Vergangenheit.".into());
    }
    let all = crate::knowledge::service::store::themenfelder(db).await?;
    if i.themenfelder.iter().any(|t| !all.contains(t)) {
        errors.entry("themenfelder".into()).or_default().push("Bitte wählen Sie nur Themenfelder aus der Liste.".into());
    }
    if errors.is_empty() { Ok(()) } else { Err(AppError::Validation(errors)) }
}

async fn fields(db: &impl ConnectionTrait, id: i64, list: &[String]) -> Result<(), AppError> {
    event_field::Entity::delete_many().filter(event_field::Column::EventId.eq(id)).exec(db).await?;
    for t in list {
        event_field::ActiveModel { event_id: Set(id), themenfeld: Set(t.clone()) }.insert(db).await?;
    }
    Ok(())
}

/// Creates an event; returns its id.
#[tracing::instrument(skip_all)]
pub async fn create(db: &DatabaseConnection, actor: &str, input: EventInput, now: DateTime<Utc>) -> Result<i64, AppError> {
    checked(db, &input, true, now).await?;
    let c = input;
    let txn = crate::core::db::begin_write(db).await?;
    let row = event::ActiveModel {
        title: Set(c.title),
        description: Set(c.description),
        starts_at: Set(c.starts),
        ends_at: Set(c.ends),
        online_url: Set(c.online_url),
        place: Set(c.place),
        capacity: Set(c.capacity),
        audience: Set(c.audience),
        status: Set(EventStatus::Planned),
        materials: Set(None),
        version: Set(1),
        created_by: Set(Some(actor.to_string())),
        reminded_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    fields(&txn, row.id, &c.themenfelder).await?;
    let object = row.id.to_string();
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::EventCreated, object: Some(&object), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Changes an event; a changed time is announced to everyone registered, with the new `.ics`.
#[tracing::instrument(skip_all)]
pub async fn update(db: &DatabaseConnection, config: &Config, actor: &str, id: i64, input: EventInput, now: DateTime<Utc>) -> Result<(), AppError> {
    let version = input.version;
    checked(db, &input, false, now).await?;
    let c = input;
    let txn = crate::core::db::begin_write(db).await?;
    let e = event::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if e.version != version {
        return Err(AppError::Conflict("Der Termin wurde inzwischen geändert. Bitte laden Sie die Seite neu.".into()));
    }
    let moved = e.starts_at != c.starts || e.ends_at != c.ends || e.place != c.place;
    let mut row = e.into_active_model();
    row.title = Set(c.title);
    row.description = Set(c.description);
    row.starts_at = Set(c.starts);
    row.ends_at = Set(c.ends);
    row.online_url = Set(c.online_url);
    row.place = Set(c.place);
    row.capacity = Set(c.capacity);
    row.audience = Set(c.audience);
    row.version = Set(version + 1);
    row.updated_at = Set(now);
    if moved {
        row.reminded_at = Set(None);
    }
    let saved = row.update(&txn).await?;
    fields(&txn, id, &c.themenfelder).await?;
    if moved {
        tell_all(&txn, config, &saved, "Geänderter Termin", "Der Termin hat sich geändert. Die neue Zeit und den Ort finden Sie unten und im Kalendereintrag im Anhang.", true).await?;
    }
    let object = id.to_string();
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::EventSaved, object: Some(&object), detail: Some(format!("Version {}", version + 1)), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// Cancels an event; everyone registered or waiting is told.
#[tracing::instrument(skip_all)]
pub async fn cancel(db: &DatabaseConnection, config: &Config, actor: &str, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = crate::core::db::begin_write(db).await?;
    let e = event::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if e.status != EventStatus::Planned || e.ends_at < now {
        return Err(AppError::Conflict("Nur ein geplanter, noch nicht vergangener Termin kann abgesagt werden.".into()));
    }
    let mut row = e.into_active_model();
    row.status = Set(EventStatus::Cancelled);
    row.version = Set(row.version.as_ref() + 1);
    row.updated_at = Set(now);
    let saved = row.update(&txn).await?;
    tell_all(&txn, config, &saved, "Abgesagt", "Der Termin findet leider nicht statt.", false).await?;
    let object = id.to_string();
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::EventCancelled, object: Some(&object), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// Saves the materials of an event (Markdown; empty removes them).
#[tracing::instrument(skip_all)]
pub async fn materials(db: &DatabaseConnection, actor: &str, id: i64, markdown: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let text = markdown.replace("\r\n", "\n");
    if text.chars().count() > 50_000 {
        return Err(AppError::field("materials", "Die Unterlagen dürfen höchstens 50.000 Zeichen lang sein."));
    }
    let txn = crate::core::db::begin_write(db).await?;
    let e = event::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let mut row = e.into_active_model();
    row.materials = Set(Some(text).filter(|t| !t.trim().is_empty()));
    row.updated_at = Set(now);
    row.update(&txn).await?;
    let object = id.to_string();
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::EventMaterials, object: Some(&object), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// Turns an event's materials into a Wissensportal draft; returns the article's id.
pub async fn materials_to_article(db: &DatabaseConnection, actor: &str, id: i64, now: DateTime<Utc>) -> Result<i64, AppError> {
    let e = event::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let Some(materials) = e.materials.clone() else {
        return Err(AppError::field("materials", "Der Termin hat noch keine Unterlagen."));
    };
    let themenfelder = event_field::Entity::find().filter(event_field::Column::EventId.eq(id)).all(db).await?.into_iter().map(|f| f.themenfeld).collect();
    let day = crate::core::time::format_berlin(e.starts_at).chars().take(10).collect::<String>();
    let input = crate::knowledge::service::store::ArticleInput {
        title: format!("{} ({day})", e.title).chars().take(200).collect(),
        summary: format!("Unterlagen und Ergebnisse des Termins »{}« vom {day}.", e.title).chars().take(500).collect(),
        body: materials,
        category: "OZG-Sprechstunde".into(),
        tags: "Termin, Unterlagen".into(),
        audience: Some(e.audience),
        ozg_ids: Vec::new(),
        themenfelder,
        version: 0,
    };
    crate::knowledge::service::store::create(db, actor, input, None, now).await
}
