//! Taking part: registering (a place, or the waiting list when the event is full), cancelling
//! (the first on the waiting list moves up), the mails with the calendar entry, the reminder the
//! day before, and the `.ics` (RFC 5545, built with the icalendar crate).

use crate::events::model::{EventStatus, Registration};
use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::core::config::Config;
use crate::core::entities::{app_user, event, event_registration};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};

/// Whether the caller takes part in events: the Kommunen's clerks and the associations.
pub fn attends(scope: &Scope) -> bool {
    matches!(scope, Scope::Municipal { .. } | Scope::Association { .. })
}

/// The calendar entries of events (`UID` stable per event, times in UTC).
pub fn ics(events: &[event::Model], base_url: &str, name: &str) -> String {
    let base = base_url.trim_end_matches('/');
    let entries = events
        .iter()
        .map(|e| {
            let link = format!("{base}/termine/{}", e.id);
            crate::core::calendar::Entry {
                uid: format!("termin-{}", e.id),
                summary: &e.title,
                description: format!("{}\n\n{link}", crate::core::markdown::parse(&e.description).plain()),
                starts: e.starts_at,
                ends: e.ends_at,
                url: link,
                location: e.place.as_deref().or(e.online_url.as_ref().map(|_| "online")),
                cancelled: e.status == EventStatus::Cancelled,
                sequence: e.version,
            }
        })
        .collect();
    crate::core::calendar::calendar(name, base_url, entries)
}

/// The time of an event in words.
pub fn when(e: &event::Model) -> String {
    use chrono_tz::Europe::Berlin;
    let (s, t) = (e.starts_at.with_timezone(&Berlin), e.ends_at.with_timezone(&Berlin));
    let day = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"][chrono::Datelike::weekday(&s).num_days_from_monday() as usize];
    if s.date_naive() == t.date_naive() {
        format!("{day}, {}, {} bis {} Uhr", s.format("%d.%m.%Y"), s.format("%H:%M"), t.format("%H:%M"))
    } else {
        format!("{day}, {}, {} Uhr bis {} Uhr", s.format("%d.%m.%Y"), s.format("%H:%M"), t.format("%d.%m.%Y %H:%M"))
    }
}

fn mail_text(name: &str, e: &event::Model, lead: &str, base_url: &str, with_link: bool) -> String {
    let place = match (&e.place, &e.online_url) {
        (Some(p), Some(u)) if with_link => format!("Ort: {p}\nOnline: {u}"),
        (Some(p), _) => format!("Ort: {p}"),
        (None, Some(u)) if with_link => format!("Online: {u}"),
        _ => "Online (den Link erhalten Sie mit Ihrer Anmeldung)".into(),
    };
    format!(
        "Guten Tag {name},\n\n{lead}\n\n{}\n{}\n{place}\n\n{}/termine/{}\n\nDiese Nachricht wurde automatisch vom OZG-Portal Sachsen-Anhalt versandt.\n",
        e.title,
        when(e),
        base_url.trim_end_matches('/'),
        e.id
    )
}

/// Mails one person about an event (with its `.ics` when `calendar`).
async fn tell(db: &impl ConnectionTrait, config: &Config, user_id: &str, e: &event::Model, subject: &str, lead: &str, calendar: bool, link: bool) -> Result<(), AppError> {
    if !config.mail_enabled {
        return Ok(());
    }
    let Some(u) = app_user::Entity::find_by_id(user_id.to_string()).one(db).await?.filter(|u| u.active) else { return Ok(()) };
    let body = mail_text(&u.name, e, lead, &config.base_url, link);
    let ics = calendar.then(|| ics(std::slice::from_ref(e), &config.base_url, "OZG-Portal Sachsen-Anhalt"));
    crate::core::outbox::enqueue_with(db, &u.email, &format!("{subject}: {}", e.title), &body, ics.as_deref().map(|i| ("termin.ics", i))).await?;
    Ok(())
}

/// Mails everyone registered or waiting (a change or a cancellation).
pub(super) async fn tell_all(db: &impl ConnectionTrait, config: &Config, e: &event::Model, subject: &str, lead: &str, calendar: bool) -> Result<(), AppError> {
    let rows = event_registration::Entity::find()
        .filter(event_registration::Column::EventId.eq(e.id))
        .filter(event_registration::Column::Status.is_in([Registration::Registered, Registration::Waiting]))
        .all(db)
        .await?;
    for r in rows {
        let registered = r.status == Registration::Registered;
        tell(db, config, &r.user_id, e, subject, lead, calendar && registered, registered).await?;
    }
    Ok(())
}

/// The event, locked against concurrent registrations until the transaction ends (PostgreSQL;
/// SQLite's write transactions already run one at a time).
async fn locked(db: &impl ConnectionTrait, id: i64) -> Result<event::Model, AppError> {
    let q = event::Entity::find_by_id(id);
    let q = if db.get_database_backend() == DbBackend::Postgres { q.lock_exclusive() } else { q };
    q.one(db).await?.ok_or(AppError::NotFound)
}

async fn taken(db: &impl ConnectionTrait, id: i64) -> Result<u64, AppError> {
    Ok(event_registration::Entity::find().filter(event_registration::Column::EventId.eq(id)).filter(event_registration::Column::Status.eq(Registration::Registered)).count(db).await?)
}

/// Registers the caller: a place while there is one, else the waiting list. Returns the state.
#[tracing::instrument(skip_all)]
pub async fn register(db: &DatabaseConnection, config: &Config, user: &CurrentUser, id: i64, now: DateTime<Utc>) -> Result<Registration, AppError> {
    let scope = Scope::of(Some(user));
    if !attends(&scope) || user.via_token {
        return Err(if matches!(scope, Scope::Public) { AppError::Unauthorized } else { AppError::Forbidden });
    }
    let txn = crate::core::db::begin_write(db).await?;
    let e = locked(&txn, id).await?;
    if e.status != EventStatus::Planned || e.starts_at <= now {
        return Err(AppError::Conflict("Für diesen Termin ist keine Anmeldung mehr möglich.".into()));
    }
    let before = event_registration::Entity::find_by_id((id, user.id.clone())).one(&txn).await?;
    if before.as_ref().is_some_and(|b| b.status.is_active()) {
        return Err(AppError::Conflict("Sie sind für diesen Termin bereits angemeldet oder stehen auf der Warteliste.".into()));
    }
    let full = match e.capacity {
        Some(c) => taken(&txn, id).await? >= c as u64,
        None => false,
    };
    let status = if full { Registration::Waiting } else { Registration::Registered };
    let row = event_registration::ActiveModel { event_id: Set(id), user_id: Set(user.id.clone()), status: Set(status), registered_at: Set(now), changed_at: Set(now) };
    match before {
        Some(_) => row.update(&txn).await?,
        None => row.insert(&txn).await?,
    };
    if full {
        tell(&txn, config, &user.id, &e, "Warteliste", "Der Termin ist ausgebucht. Sie stehen auf der Warteliste; wird ein Platz frei, rücken Sie nach und erhalten eine E-Mail.", false, false).await?;
    } else {
        tell(&txn, config, &user.id, &e, "Anmeldung bestätigt", "Ihre Anmeldung ist bestätigt. Den Kalendereintrag finden Sie im Anhang.", true, true).await?;
    }
    let object = id.to_string();
    audit::record(&txn, Entry { actor: Some(&user.id), action: crate::vocabulary::audit::AuditAction::EventRegistered, object: Some(&object), detail: Some(status.code().into()), ..Default::default() }).await?;
    txn.commit().await?;
    crate::core::outbox::wake();
    Ok(status)
}

/// Cancels the caller's registration; the first on the waiting list moves up.
#[tracing::instrument(skip_all)]
pub async fn unregister(db: &DatabaseConnection, config: &Config, user: &CurrentUser, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = crate::core::db::begin_write(db).await?;
    let e = locked(&txn, id).await?;
    let Some(mine) = event_registration::Entity::find_by_id((id, user.id.clone())).one(&txn).await?.filter(|r| r.status.is_active()) else {
        return Err(AppError::Conflict("Sie sind für diesen Termin nicht angemeldet.".into()));
    };
    let had_place = mine.status == Registration::Registered;
    let mut row: event_registration::ActiveModel = mine.into();
    row.status = Set(Registration::Cancelled);
    row.changed_at = Set(now);
    row.update(&txn).await?;
    if had_place && e.status == EventStatus::Planned && e.starts_at > now {
        let next = event_registration::Entity::find()
            .filter(event_registration::Column::EventId.eq(id))
            .filter(event_registration::Column::Status.eq(Registration::Waiting))
            .order_by_asc(event_registration::Column::RegisteredAt)
            .limit(1)
            .one(&txn)
            .await?;
        if let Some(n) = next {
            let who = n.user_id.clone();
            let mut up: event_registration::ActiveModel = n.into();
            up.status = Set(Registration::Registered);
            up.changed_at = Set(now);
            up.update(&txn).await?;
            tell(&txn, config, &who, &e, "Nachgerückt", "Ein Platz ist frei geworden: Sie sind jetzt angemeldet. Den Kalendereintrag finden Sie im Anhang.", true, true).await?;
        }
    }
    let object = id.to_string();
    audit::record(&txn, Entry { actor: Some(&user.id), action: crate::vocabulary::audit::AuditAction::EventUnregistered, object: Some(&object), ..Default::default() }).await?;
    txn.commit().await?;
    crate::core::outbox::wake();
    Ok(())
}

/// The day before: reminds everyone registered, once per event; returns how many events.
#[tracing::instrument(skip_all)]
pub async fn remind(db: &DatabaseConnection, config: &Config, now: DateTime<Utc>) -> Result<usize, AppError> {
    let due = event::Entity::find()
        .filter(event::Column::Status.eq(EventStatus::Planned))
        .filter(event::Column::StartsAt.gt(now))
        .filter(event::Column::StartsAt.lte(now + Duration::hours(24)))
        .filter(event::Column::RemindedAt.is_null())
        .all(db)
        .await?;
    let mut n = 0;
    for e in due {
        let txn = crate::core::db::begin_write(db).await?;
        let res = event::Entity::update_many()
            .col_expr(event::Column::RemindedAt, sea_orm::sea_query::Expr::value(now))
            .filter(event::Column::Id.eq(e.id))
            .filter(event::Column::RemindedAt.is_null())
            .exec(&txn)
            .await?;
        if res.rows_affected == 1 {
            let rows = event_registration::Entity::find().filter(event_registration::Column::EventId.eq(e.id)).filter(event_registration::Column::Status.eq(Registration::Registered)).all(&txn).await?;
            for r in rows {
                tell(&txn, config, &r.user_id, &e, "Erinnerung", "Zur Erinnerung: Ihr Termin findet bald statt.", true, true).await?;
            }
            n += 1;
        }
        txn.commit().await?;
    }
    Ok(n)
}
