//! Minutes: the Geschäftsstelle writes them (Markdown), circulates the draft to the members for
//! comments until a day, and approves them; every saved state is kept as a version, an approval
//! names the version that was seen, and approved minutes never change.

use super::{Reader, runnable_meeting};
use crate::core::audit::{self, Entry};
use crate::core::config::Config;
use crate::core::entities::{gremium_meeting, meeting_minutes, minutes_comment, minutes_version};
use crate::error::AppError;
use crate::gremien::work::{CommentView, MinutesView, VersionLine};
use crate::vocabulary::audit::AuditAction;
use crate::vocabulary::gremien::{MemberRole, MinutesState};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};

/// Longest minutes (characters).
const MAX: usize = 100_000;

fn stale() -> AppError {
    AppError::Conflict("Das Protokoll wurde inzwischen geändert. Bitte laden Sie die Seite neu; Ihr Text steht noch im Formular.".into())
}

fn today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&chrono_tz::Europe::Berlin).date_naive()
}

/// Moves the minutes to `version + 1` with the given state and text, if `version` is still the
/// current one; keeps the version. Inside the caller's transaction.
async fn step(txn: &impl ConnectionTrait, who: Reader<'_>, meeting_id: i64, version: i32, state: MinutesState, body: &str, until: Option<NaiveDate>, now: DateTime<Utc>) -> Result<(), AppError> {
    let current = meeting_minutes::Entity::find_by_id(meeting_id).one(txn).await?;
    match &current {
        None if version != 0 => return Err(stale()),
        None => {
            meeting_minutes::ActiveModel {
                meeting_id: Set(meeting_id),
                state: Set(state),
                body: Set(body.to_string()),
                version: Set(1),
                comments_until: Set(until),
                circulated_at: Set((state == MinutesState::Circulated).then_some(now)),
                approved_at: Set(None),
                approved_by: Set(None),
                updated_by: Set(who.user_id.map(str::to_string)),
                updated_at: Set(now),
            }
            .insert(txn)
            .await?;
        }
        Some(m) => {
            if !m.state.editable() {
                return Err(AppError::Conflict("Das Protokoll ist genehmigt und kann nicht mehr geändert werden.".into()));
            }
            let mut q = meeting_minutes::Entity::update_many()
                .col_expr(meeting_minutes::Column::State, state.code().into())
                .col_expr(meeting_minutes::Column::Body, body.into())
                .col_expr(meeting_minutes::Column::Version, (version + 1).into())
                .col_expr(meeting_minutes::Column::UpdatedBy, who.user_id.map(str::to_string).into())
                .col_expr(meeting_minutes::Column::UpdatedAt, now.into());
            if until.is_some() {
                q = q.col_expr(meeting_minutes::Column::CommentsUntil, until.into());
            }
            match state {
                MinutesState::Circulated if m.state == MinutesState::Draft => q = q.col_expr(meeting_minutes::Column::CirculatedAt, Some(now).into()),
                MinutesState::Approved => {
                    q = q.col_expr(meeting_minutes::Column::ApprovedAt, Some(now).into()).col_expr(meeting_minutes::Column::ApprovedBy, who.user_id.map(str::to_string).into());
                }
                _ => {}
            }
            // Approved minutes stay as they are: the condition on the state holds even against a
            // parallel approval.
            let moved = q
                .filter(meeting_minutes::Column::MeetingId.eq(meeting_id))
                .filter(meeting_minutes::Column::Version.eq(version))
                .filter(meeting_minutes::Column::State.ne(MinutesState::Approved))
                .exec(txn)
                .await?;
            if moved.rows_affected == 0 {
                return Err(stale());
            }
        }
    }
    let new_version = if current.is_some() { version + 1 } else { 1 };
    minutes_version::ActiveModel { meeting_id: Set(meeting_id), version: Set(new_version), state: Set(state), body: Set(body.to_string()), saved_by: Set(who.user_id.map(str::to_string)), saved_at: Set(now), ..Default::default() }
        .insert(txn)
        .await?;
    Ok(())
}

fn checked(body: &str) -> Result<String, AppError> {
    let body = body.replace("\r\n", "\n");
    if body.trim().is_empty() || body.chars().count() > MAX {
        return Err(AppError::field("body", "Das Protokoll braucht einen Text (höchstens 100.000 Zeichen)."));
    }
    Ok(body)
}

/// Saves the text as it is (a draft stays a draft; circulated minutes stay circulated).
#[tracing::instrument(skip_all)]
pub async fn save(db: &DatabaseConnection, who: Reader<'_>, meeting_id: i64, version: i32, body: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    runnable_meeting(db, who, meeting_id).await?;
    let body = checked(body)?;
    let txn = crate::core::db::begin_write(db).await?;
    let state = meeting_minutes::Entity::find_by_id(meeting_id).one(&txn).await?.map(|m| m.state).unwrap_or(MinutesState::Draft);
    step(&txn, who, meeting_id, version, state, &body, None, now).await?;
    let object = format!("sitzung:{meeting_id}");
    audit::record(&txn, Entry { actor: who.user_id, action: AuditAction::MinutesSaved, object: Some(&object), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// Circulates the minutes to the members for comments until `until` (and tells them).
#[tracing::instrument(skip_all)]
pub async fn circulate(db: &DatabaseConnection, config: &Config, who: Reader<'_>, meeting_id: i64, version: i32, body: &str, until: Option<NaiveDate>, now: DateTime<Utc>) -> Result<(), AppError> {
    let (m, gremium) = runnable_meeting(db, who, meeting_id).await?;
    let body = checked(body)?;
    let Some(until) = until.filter(|u| *u >= today(now)) else {
        return Err(AppError::field("until", "Die Frist für Kommentare ist ein Datum ab heute (TT.MM.JJJJ)."));
    };
    let txn = crate::core::db::begin_write(db).await?;
    step(&txn, who, meeting_id, version, MinutesState::Circulated, &body, Some(until), now).await?;
    let members: Vec<String> = super::current_members(&txn, gremium.id).await?.into_iter().map(|(u, _)| u).collect();
    let text = format!("Protokoll der Sitzung »{}« ({}) zur Kommentierung bis {}", m.title, gremium.name, until.format("%d.%m.%Y"));
    crate::core::notify::notify(&txn, config, &members, who.user_id, None, Some(&format!("/gremien/sitzungen/{meeting_id}#protokoll")), crate::core::notify::NotificationKind::Gremium, &text, now).await?;
    let object = format!("sitzung:{meeting_id}");
    audit::record(&txn, Entry { actor: who.user_id, action: AuditAction::MinutesCirculated, object: Some(&object), detail: Some(format!("bis {until}")), ..Default::default() }).await?;
    txn.commit().await?;
    crate::core::outbox::wake();
    Ok(())
}

/// Approves the version that was seen; from then on the minutes never change.
#[tracing::instrument(skip_all)]
pub async fn approve(db: &DatabaseConnection, who: Reader<'_>, meeting_id: i64, version: i32, now: DateTime<Utc>) -> Result<(), AppError> {
    runnable_meeting(db, who, meeting_id).await?;
    let txn = crate::core::db::begin_write(db).await?;
    let current = meeting_minutes::Entity::find_by_id(meeting_id).one(&txn).await?.ok_or_else(|| AppError::Conflict("Es gibt noch kein Protokoll.".into()))?;
    if current.state == MinutesState::Draft {
        return Err(AppError::Conflict("Verteilen Sie den Entwurf zuerst an die Mitglieder zur Kommentierung.".into()));
    }
    step(&txn, who, meeting_id, version, MinutesState::Approved, &current.body, None, now).await?;
    let object = format!("sitzung:{meeting_id}");
    audit::record(&txn, Entry { actor: who.user_id, action: AuditAction::MinutesApproved, object: Some(&object), detail: Some(format!("Fassung {version}")), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// A member's comment on the circulated version they read, until the deadline.
#[tracing::instrument(skip_all)]
pub async fn comment(db: &DatabaseConnection, who: Reader<'_>, meeting_id: i64, version: i32, body: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let (_, _, role) = super::readable_meeting(db, who, meeting_id).await?;
    let (Some(user), Some(_)) = (who.user_id, role) else { return Err(AppError::Forbidden) };
    let body = body.replace("\r\n", "\n").trim().to_string();
    if body.is_empty() || body.chars().count() > 5_000 {
        return Err(AppError::field("comment", "Bitte schreiben Sie Ihren Kommentar (höchstens 5.000 Zeichen)."));
    }
    let txn = crate::core::db::begin_write(db).await?;
    let m = meeting_minutes::Entity::find_by_id(meeting_id).one(&txn).await?.filter(|m| m.state == MinutesState::Circulated).ok_or_else(|| AppError::Conflict("Das Protokoll ist nicht (mehr) zur Kommentierung verteilt.".into()))?;
    if m.comments_until.is_some_and(|u| today(now) > u) {
        return Err(AppError::Conflict("Die Frist für Kommentare ist abgelaufen.".into()));
    }
    if m.version != version {
        return Err(AppError::Conflict("Das Protokoll wurde inzwischen geändert. Bitte lesen Sie die neue Fassung; Ihr Kommentar steht noch im Formular.".into()));
    }
    minutes_comment::ActiveModel { meeting_id: Set(meeting_id), version: Set(version), user_id: Set(Some(user.to_string())), body: Set(body), created_at: Set(now), ..Default::default() }.insert(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// The minutes as the caller may see them: members from circulation on, those who run the body
/// always (with the text to edit while it may change).
pub async fn view(db: &impl ConnectionTrait, who: Reader<'_>, m: &gremium_meeting::Model, role: Option<MemberRole>, runs: bool, now: DateTime<Utc>) -> Result<Option<MinutesView>, AppError> {
    let Some(min) = meeting_minutes::Entity::find_by_id(m.id).one(db).await? else { return Ok(None) };
    if !runs && !min.state.shown_to_members() {
        return Ok(None);
    }
    let comments = minutes_comment::Entity::find().filter(minutes_comment::Column::MeetingId.eq(m.id)).order_by_asc(minutes_comment::Column::CreatedAt).all(db).await?;
    let versions = minutes_version::Entity::find().filter(minutes_version::Column::MeetingId.eq(m.id)).order_by_desc(minutes_version::Column::Version).all(db).await?;
    let mut ids: Vec<String> = comments.iter().filter_map(|c| c.user_id.clone()).chain(versions.iter().filter_map(|v| v.saved_by.clone())).collect();
    ids.sort();
    ids.dedup();
    let people = super::people(db, ids).await?;
    let name = |id: &Option<String>| id.as_ref().and_then(|i| people.get(i)).map(|p| p.0.clone()).unwrap_or_else(|| "—".into());
    let open = min.state == MinutesState::Circulated && min.comments_until.is_none_or(|u| today(now) <= u);
    Ok(Some(MinutesView {
        state: min.state,
        version: min.version,
        rich: crate::core::markdown::parse(&min.body),
        source: (runs && min.state.editable()).then(|| min.body.clone()),
        comments_until: min.comments_until.map(|d| d.format("%d.%m.%Y").to_string()),
        approved: min.approved_at.map(crate::core::time::berlin_date),
        comments: comments.iter().map(|c| CommentView { author: name(&c.user_id), version: c.version, at: crate::core::time::format_berlin(c.created_at), body: c.body.clone() }).collect(),
        versions: if runs { versions.iter().map(|v| VersionLine { version: v.version, state: v.state, by: name(&v.saved_by), at: crate::core::time::format_berlin(v.saved_at) }).collect() } else { Vec::new() },
        may_comment: open && role.is_some() && who.user_id.is_some(),
    }))
}

/// A person's comments on minutes (Auskunft): (meeting, version, text, when).
pub async fn comments_of(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<(i64, i32, String, DateTime<Utc>)>, AppError> {
    Ok(minutes_comment::Entity::find()
        .filter(minutes_comment::Column::UserId.eq(user_id))
        .order_by_asc(minutes_comment::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.meeting_id, c.version, c.body, c.created_at))
        .collect())
}
