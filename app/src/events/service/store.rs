//! Writing events (advisors): checking the input, saving, cancelling (the registered are told),
//! the materials after the event and turning them into a Wissensportal draft.

use crate::vocabulary::knowledge::{Audience, EventStatus};
use super::attend::tell_all;
use crate::core::audit::{self, Entry};
use crate::core::config::Config;
use crate::core::entities::{event, event_field};
use crate::error::AppError;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set};
use std::collections::BTreeMap;

/// What an advisor enters for an event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventInput {
    pub title: String,
    pub description: String,
    /// `JJJJ-MM-TTTHH:MM`, Europe/Berlin.
    pub starts: String,
    pub ends: String,
    pub online_url: String,
    pub place: String,
    pub capacity: String,
    /// `None`: the form named no audience the portal knows.
    pub audience: Option<Audience>,
    pub themenfelder: Vec<String>,
    pub version: i32,
}

struct Checked {
    title: String,
    description: String,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    online_url: Option<String>,
    place: Option<String>,
    capacity: Option<i32>,
    audience: Audience,
    themenfelder: Vec<String>,
}

/// A local time in Europe/Berlin as UTC (in the autumn's doubled hour, the first).
pub fn berlin_to_utc(local: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(local.trim(), "%Y-%m-%dT%H:%M").ok()?;
    Berlin.from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc))
}

/// A UTC instant as the value of `<input type="datetime-local">` in Europe/Berlin.
pub fn utc_to_local_input(t: DateTime<Utc>) -> String {
    t.with_timezone(&Berlin).format("%Y-%m-%dT%H:%M").to_string()
}

async fn checked(db: &impl ConnectionTrait, i: EventInput, new: bool, now: DateTime<Utc>) -> Result<Checked, AppError> {
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut bad = |f: &str, m: &str| errors.entry(f.to_string()).or_default().push(m.to_string());
    // One-line fields lose every control character (a lone carriage return would start a new
    // line in the `.ics`, where a line is a property); runs of spaces become one.
    let one_line = |s: &str| s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
    let title = one_line(&i.title);
    let len = |s: &str| s.chars().count();
    if len(&title) < 3 || len(&title) > 200 {
        bad("title", "Der Titel muss 3 bis 200 Zeichen lang sein.");
    }
    let description = i.description.replace("\r\n", "\n");
    if description.trim().is_empty() || len(&description) > 20_000 {
        bad("description", "Bitte beschreiben Sie den Termin (höchstens 20.000 Zeichen).");
    }
    let starts = berlin_to_utc(&i.starts);
    let ends = berlin_to_utc(&i.ends);
    match (starts, ends) {
        (None, _) => bad("starts", "Bitte geben Sie den Beginn als Datum und Uhrzeit an."),
        (_, None) => bad("ends", "Bitte geben Sie das Ende als Datum und Uhrzeit an."),
        (Some(s), Some(e)) if e <= s => bad("ends", "Das Ende muss nach dem Beginn liegen."),
        (Some(s), _) if new && s < now => bad("starts", "Der Beginn liegt in der Vergangenheit."),
        _ => {}
    }
    let online_url = Some(i.online_url.trim().to_string()).filter(|u| !u.is_empty());
    if let Some(u) = &online_url
        && (!(u.starts_with("https://") || u.starts_with("http://")) || len(u) > 500 || u.contains(char::is_whitespace))
    {
        bad("online_url", "Der Link muss mit https:// beginnen und darf höchstens 500 Zeichen lang sein.");
    }
    let place = Some(one_line(&i.place)).filter(|p| !p.is_empty());
    if place.as_ref().is_some_and(|p| len(p) > 300) {
        bad("place", "Der Ort darf höchstens 300 Zeichen lang sein.");
    }
    if online_url.is_none() && place.is_none() {
        bad("place", "Bitte geben Sie einen Ort oder einen Link für die Teilnahme an.");
    }
    let capacity = match i.capacity.trim() {
        "" => None,
        c => match c.parse::<i32>() {
            Ok(n) if (1..=10_000).contains(&n) => Some(n),
            _ => {
                bad("capacity", "Die Zahl der Plätze ist eine ganze Zahl von 1 bis 10.000 (leer: unbegrenzt).");
                None
            }
        },
    };
    if i.audience.is_none() {
        bad("audience", "Bitte wählen Sie, für wen der Termin ist.");
    }
    let mut themenfelder = i.themenfelder.clone();
    themenfelder.sort();
    themenfelder.dedup();
    let all = crate::knowledge::service::store::themenfelder(db).await?;
    if themenfelder.iter().any(|t| !all.contains(t)) {
        bad("themenfelder", "Bitte wählen Sie nur Themenfelder aus der Liste.");
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Checked {
        title,
        description,
        starts: starts.unwrap_or(now),
        ends: ends.unwrap_or(now),
        online_url,
        place,
        capacity,
        audience: i.audience.unwrap_or_default(),
        themenfelder,
    })
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
    let c = checked(db, input, true, now).await?;
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
    audit::record(&txn, Entry { actor: Some(actor), action: "event_created", object: Some(&object), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Changes an event; a changed time is announced to everyone registered, with the new `.ics`.
#[tracing::instrument(skip_all)]
pub async fn update(db: &DatabaseConnection, config: &Config, actor: &str, id: i64, input: EventInput, now: DateTime<Utc>) -> Result<(), AppError> {
    let version = input.version;
    let c = checked(db, input, false, now).await?;
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
    audit::record(&txn, Entry { actor: Some(actor), action: "event_saved", object: Some(&object), detail: Some(format!("Version {}", version + 1)), ..Default::default() }).await?;
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
    audit::record(&txn, Entry { actor: Some(actor), action: "event_cancelled", object: Some(&object), ..Default::default() }).await?;
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
    audit::record(&txn, Entry { actor: Some(actor), action: "event_materials", object: Some(&object), ..Default::default() }).await?;
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
