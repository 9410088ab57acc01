//! Meetings: planned by those who run the body, with an agenda; the members invited by mail with
//! the calendar entry, answering with a Zusage or Absage; attendance recorded afterwards. Only
//! members (and administrators) read a meeting.

use super::{Reader, readable_meeting as readable, runnable, runnable_meeting};
use crate::core::audit::{self, Entry};
use crate::core::config::Config;
use crate::core::entities::{app_user, gremium_meeting, meeting_item, meeting_minutes, meeting_response};
use crate::error::AppError;
use crate::gremien::work::{ItemView, MeetingInput, MeetingLine, MeetingView, ResponseView};
use crate::vocabulary::audit::AuditAction;
use crate::vocabulary::gremien::MeetingAnswer;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

/// A meeting's time in words (Europe/Berlin).
pub fn when(m: &gremium_meeting::Model) -> String {
    use chrono_tz::Europe::Berlin;
    let (s, t) = (m.starts_at.with_timezone(&Berlin), m.ends_at.with_timezone(&Berlin));
    let day = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"][chrono::Datelike::weekday(&s).num_days_from_monday() as usize];
    if s.date_naive() == t.date_naive() {
        format!("{day}, {}, {} bis {} Uhr", s.format("%d.%m.%Y"), s.format("%H:%M"), t.format("%H:%M"))
    } else {
        format!("{day}, {}, {} Uhr bis {} Uhr", s.format("%d.%m.%Y"), s.format("%H:%M"), t.format("%d.%m.%Y %H:%M"))
    }
}

/// Plans a meeting. Returns its id.
#[tracing::instrument(skip_all)]
pub async fn create(db: &DatabaseConnection, who: Reader<'_>, gremium_id: i64, i: MeetingInput, now: DateTime<Utc>) -> Result<i64, AppError> {
    runnable(db, who, gremium_id).await?;
    let txn = crate::core::db::begin_write(db).await?;
    let row = gremium_meeting::ActiveModel {
        gremium_id: Set(gremium_id),
        title: Set(i.title),
        starts_at: Set(i.starts),
        ends_at: Set(i.ends),
        place: Set(i.place),
        link: Set(i.link),
        cancelled: Set(false),
        version: Set(1),
        invited_at: Set(None),
        created_by: Set(who.user_id.map(str::to_string)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let object = format!("sitzung:{}", row.id);
    audit::record(&txn, Entry { actor: who.user_id, action: AuditAction::MeetingPlanned, object: Some(&object), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Adds an item at the end of the agenda.
#[tracing::instrument(skip_all)]
pub async fn add_item(db: &DatabaseConnection, who: Reader<'_>, meeting_id: i64, (title, presenter, minutes): (String, Option<String>, Option<i32>)) -> Result<(), AppError> {
    runnable_meeting(db, who, meeting_id).await?;
    let txn = crate::core::db::begin_write(db).await?;
    let position = meeting_item::Entity::find().filter(meeting_item::Column::MeetingId.eq(meeting_id)).count(&txn).await? as i32 + 1;
    meeting_item::ActiveModel { meeting_id: Set(meeting_id), position: Set(position), title: Set(title), presenter: Set(presenter), minutes: Set(minutes), ..Default::default() }.insert(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// The members' mail: the invitation with the agenda and the calendar entry.
fn invitation(name: &str, m: &gremium_meeting::Model, body: &str, items: &[meeting_item::Model], base_url: &str) -> String {
    let agenda: String = items.iter().map(|i| format!("{}. {}{}\n", i.position, i.title, i.presenter.as_ref().map(|p| format!(" ({p})")).unwrap_or_default())).collect();
    let place = [m.place.as_ref().map(|p| format!("Ort: {p}")), m.link.as_ref().map(|l| format!("Videokonferenz: {l}"))].into_iter().flatten().collect::<Vec<_>>().join("\n");
    format!(
        "Guten Tag {name},\n\nSie sind zur Sitzung des Gremiums »{body}« eingeladen:\n\n{}\n{}\n{place}\n\nTagesordnung:\n{}\nBitte sagen Sie im Portal zu oder ab: {}/gremien/sitzungen/{}\n\nDiese Nachricht wurde automatisch vom OZG-Portal Sachsen-Anhalt versandt.\n",
        m.title,
        when(m),
        if agenda.is_empty() { "(folgt)\n".to_string() } else { agenda },
        base_url.trim_end_matches('/'),
        m.id
    )
}

/// The meeting's calendar entry.
pub fn ics(m: &gremium_meeting::Model, body: &str, base_url: &str) -> String {
    let url = format!("{}/gremien/sitzungen/{}", base_url.trim_end_matches('/'), m.id);
    crate::core::calendar::calendar(
        "OZG-Portal Sachsen-Anhalt",
        base_url,
        vec![crate::core::calendar::Entry {
            uid: format!("sitzung-{}", m.id),
            summary: &m.title,
            description: format!("Sitzung des Gremiums »{body}«\n\n{url}"),
            starts: m.starts_at,
            ends: m.ends_at,
            url,
            location: m.place.as_deref().or(m.link.as_deref()),
            cancelled: m.cancelled,
            sequence: m.version,
        }],
    )
}

/// Invites every current member by mail with the calendar entry; returns how many.
#[tracing::instrument(skip_all)]
pub async fn invite(db: &DatabaseConnection, config: &Config, who: Reader<'_>, meeting_id: i64, now: DateTime<Utc>) -> Result<usize, AppError> {
    let (m, body) = runnable_meeting(db, who, meeting_id).await?;
    let members = super::current_members(db, body.id).await?;
    let items = meeting_item::Entity::find().filter(meeting_item::Column::MeetingId.eq(meeting_id)).order_by_asc(meeting_item::Column::Position).all(db).await?;
    let people = app_user::Entity::find().filter(app_user::Column::Id.is_in(members.iter().map(|(u, _)| u.clone()))).filter(app_user::Column::Active.eq(true)).all(db).await?;
    let calendar = ics(&m, &body.name, &config.base_url);
    let txn = crate::core::db::begin_write(db).await?;
    for p in &people {
        meeting_response::Entity::insert(meeting_response::ActiveModel { meeting_id: Set(meeting_id), user_id: Set(p.id.clone()), answer: Set(None), answered_at: Set(None), attended: Set(None) })
            .on_conflict(OnConflict::columns([meeting_response::Column::MeetingId, meeting_response::Column::UserId]).do_nothing().to_owned())
            .exec_without_returning(&txn)
            .await?;
        let text = invitation(&p.name, &m, &body.name, &items, &config.base_url);
        crate::core::outbox::enqueue_with(&txn, &p.email, &format!("Einladung: {} ({})", m.title, body.name), &text, Some(("sitzung.ics", &calendar))).await?;
    }
    gremium_meeting::Entity::update_many().col_expr(gremium_meeting::Column::InvitedAt, now.into()).filter(gremium_meeting::Column::Id.eq(meeting_id)).exec(&txn).await?;
    let object = format!("sitzung:{meeting_id}");
    audit::record(&txn, Entry { actor: who.user_id, action: AuditAction::MeetingInvited, object: Some(&object), detail: Some(format!("{} Mitglieder", people.len())), ..Default::default() }).await?;
    txn.commit().await?;
    crate::core::outbox::wake();
    Ok(people.len())
}

/// A member's Zusage or Absage.
#[tracing::instrument(skip_all)]
pub async fn respond(db: &DatabaseConnection, who: Reader<'_>, meeting_id: i64, answer: MeetingAnswer, now: DateTime<Utc>) -> Result<(), AppError> {
    let (m, _, role) = readable(db, who, meeting_id).await?;
    let (Some(user), Some(_)) = (who.user_id, role) else { return Err(AppError::Forbidden) };
    if m.cancelled {
        return Err(AppError::Conflict("Die Sitzung ist abgesagt.".into()));
    }
    if m.ends_at < now {
        return Err(AppError::Conflict("Die Sitzung ist vorbei; Zu- und Absagen sind nicht mehr möglich.".into()));
    }
    meeting_response::Entity::insert(meeting_response::ActiveModel { meeting_id: Set(meeting_id), user_id: Set(user.to_string()), answer: Set(Some(answer)), answered_at: Set(Some(now)), attended: Set(None) })
        .on_conflict(OnConflict::columns([meeting_response::Column::MeetingId, meeting_response::Column::UserId]).update_columns([meeting_response::Column::Answer, meeting_response::Column::AnsweredAt]).to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Records who attended (those who run the body, after or during the meeting): `present` are
/// the people there; every other member invited or answering is recorded as absent.
#[tracing::instrument(skip_all)]
pub async fn attendance(db: &DatabaseConnection, who: Reader<'_>, meeting_id: i64, present: &[String]) -> Result<(), AppError> {
    let (_, body) = runnable_meeting(db, who, meeting_id).await?;
    let members = super::current_members(db, body.id).await?;
    let txn = crate::core::db::begin_write(db).await?;
    for (user, _) in &members {
        let here = present.contains(user);
        meeting_response::Entity::insert(meeting_response::ActiveModel { meeting_id: Set(meeting_id), user_id: Set(user.clone()), answer: Set(None), answered_at: Set(None), attended: Set(Some(here)) })
            .on_conflict(OnConflict::columns([meeting_response::Column::MeetingId, meeting_response::Column::UserId]).update_column(meeting_response::Column::Attended).to_owned())
            .exec_without_returning(&txn)
            .await?;
    }
    let object = format!("sitzung:{meeting_id}");
    audit::record(&txn, Entry { actor: who.user_id, action: AuditAction::MeetingAttendance, object: Some(&object), detail: Some(format!("{} anwesend", present.iter().filter(|p| members.iter().any(|(u, _)| u == *p)).count())), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// A body's meetings, newest first (for those who read its inside).
pub async fn of_body(db: &impl ConnectionTrait, gremium_id: i64) -> Result<Vec<MeetingLine>, AppError> {
    let rows = gremium_meeting::Entity::find().filter(gremium_meeting::Column::GremiumId.eq(gremium_id)).order_by_desc(gremium_meeting::Column::StartsAt).all(db).await?;
    let minutes: HashMap<i64, crate::vocabulary::gremien::MinutesState> =
        meeting_minutes::Entity::find().filter(meeting_minutes::Column::MeetingId.is_in(rows.iter().map(|m| m.id))).all(db).await?.into_iter().map(|m| (m.meeting_id, m.state)).collect();
    Ok(rows.into_iter().map(|m| MeetingLine { when: when(&m), minutes: minutes.get(&m.id).copied(), id: m.id, title: m.title, cancelled: m.cancelled }).collect())
}

/// A meeting's page as the caller may see it.
#[tracing::instrument(skip_all)]
pub async fn view(db: &impl ConnectionTrait, who: Reader<'_>, id: i64, now: DateTime<Utc>) -> Result<MeetingView, AppError> {
    let (m, body, role) = readable(db, who, id).await?;
    let runs = crate::access::policy::body_run(who.scope, role).is_ok();
    let items = meeting_item::Entity::find().filter(meeting_item::Column::MeetingId.eq(id)).order_by_asc(meeting_item::Column::Position).all(db).await?;
    let responses = meeting_response::Entity::find().filter(meeting_response::Column::MeetingId.eq(id)).all(db).await?;
    let my_answer = who.user_id.and_then(|u| responses.iter().find(|r| r.user_id == u)).and_then(|r| r.answer);
    let responses = if runs {
        let members = super::current_members(db, body.id).await?;
        let people = super::people(db, members.iter().map(|(u, _)| u.clone()).collect()).await?;
        let by_user: HashMap<&str, &meeting_response::Model> = responses.iter().map(|r| (r.user_id.as_str(), r)).collect();
        let mut out: Vec<ResponseView> = members
            .iter()
            .map(|(u, _)| {
                let (name, organisation) = people.get(u).cloned().unwrap_or_default();
                let r = by_user.get(u.as_str());
                ResponseView { user_id: u.clone(), name, organisation, answer: r.and_then(|r| r.answer), attended: r.and_then(|r| r.attended) }
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    } else {
        Vec::new()
    };
    let minutes = super::minutes::view(db, who, &m, role, runs, now).await?;
    let documents = super::documents::of_meeting(db, id).await?;
    let doc = |d: &super::documents::DocumentLine| (d.0.clone(), d.2.clone(), crate::ui::format::human_size(d.3));
    let tasks = super::tasks::of_meeting(db, &body, id, now).await?;
    Ok(MeetingView {
        id: m.id,
        gremium_id: body.id,
        gremium: body.name,
        when: when(&m),
        starts: crate::core::time::utc_to_local_input(m.starts_at),
        ends: crate::core::time::utc_to_local_input(m.ends_at),
        title: m.title,
        place: m.place,
        link: m.link,
        cancelled: m.cancelled,
        version: m.version,
        invited: m.invited_at.map(crate::core::time::format_berlin),
        items: items
            .into_iter()
            .map(|i| ItemView { documents: documents.iter().filter(|d| d.1 == Some(i.id)).map(doc).collect(), id: i.id, position: i.position, title: i.title, presenter: i.presenter, minutes: i.minutes })
            .collect(),
        documents: documents.iter().filter(|d| d.1.is_none()).map(doc).collect(),
        responses,
        my_answer,
        member: role.is_some(),
        past: m.ends_at < now,
        runs,
        minutes,
        tasks,
    })
}
