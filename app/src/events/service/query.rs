//! Reading events: the list (upcoming and past), one event with what the caller may see of it
//! (the online link only for those registered and advisors), the editor, and the public feed.

use crate::vocabulary::knowledge::{Audience, EventStatus, Registration};
use super::attend::{attends, ics, when};
use super::store::utc_to_local_input;
use crate::access::policy;
use crate::access::scope::Scope;
use crate::core::entities::{app_user, event, event_field, event_registration, organisation, user_organisation};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::events::model::*;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::BTreeMap;

fn visible(scope: &Scope) -> Condition {
    match policy::article_audiences(scope) {
        Some(a) => Condition::all().add(event::Column::Audience.is_in(a.iter().copied())),
        None => Condition::all(),
    }
}

/// Whether the caller may see the event at all (the public only public ones).
fn may_see(scope: &Scope, e: &event::Model) -> Result<(), AppError> {
    if e.audience == Audience::Public || crate::access::policy::reads_for_kommunen(scope) {
        Ok(())
    } else if matches!(scope, Scope::Public) {
        Err(AppError::Unauthorized)
    } else {
        Err(AppError::Forbidden)
    }
}

async fn summaries(db: &impl ConnectionTrait, user: Option<&CurrentUser>, rows: Vec<event::Model>) -> Result<Vec<EventSummary>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
    let mut fields: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for f in event_field::Entity::find().filter(event_field::Column::EventId.is_in(ids.clone())).all(db).await? {
        fields.entry(f.event_id).or_default().push(f.themenfeld);
    }
    let regs = event_registration::Entity::find().filter(event_registration::Column::EventId.is_in(ids)).all(db).await?;
    let taken = |id: i64| regs.iter().filter(|r| r.event_id == id && r.status == Registration::Registered).count() as i64;
    let mine = |id: i64| user.and_then(|u| regs.iter().find(|r| r.event_id == id && r.user_id == u.id && r.status.is_active()).map(|r| r.status));
    Ok(rows
        .into_iter()
        .map(|e| EventSummary {
            id: e.id,
            when: when(&e),
            starts_at: crate::core::time::rfc(e.starts_at),
            ends_at: crate::core::time::rfc(e.ends_at),
            location: match (&e.place, &e.online_url) {
                (Some(p), Some(_)) => format!("{p} und online"),
                (Some(p), None) => p.clone(),
                _ => "online".into(),
            },
            free: e.capacity.map(|c| (c as i64 - taken(e.id)).max(0)),
            mine: mine(e.id),
            themenfelder: fields.remove(&e.id).unwrap_or_default(),
            title: e.title,
            audience: e.audience,
            status: e.status,
        })
        .collect())
}

/// Upcoming events (soonest first) and the past ones of the last year (newest first).
#[tracing::instrument(skip_all)]
pub async fn list(db: &impl ConnectionTrait, user: Option<&CurrentUser>, now: DateTime<Utc>) -> Result<EventList, AppError> {
    let scope = Scope::of(user);
    let upcoming = event::Entity::find().filter(visible(&scope)).filter(event::Column::EndsAt.gte(now)).order_by_asc(event::Column::StartsAt).limit(100).all(db).await?;
    let past = event::Entity::find()
        .filter(visible(&scope))
        .filter(event::Column::EndsAt.lt(now))
        .filter(event::Column::EndsAt.gte(now - Duration::days(365)))
        .order_by_desc(event::Column::StartsAt)
        .limit(50)
        .all(db)
        .await?;
    Ok(EventList { upcoming: summaries(db, user, upcoming).await?, past: summaries(db, user, past).await?, advisor: policy::is_advisor(&scope) })
}

/// One event as the caller may see it.
#[tracing::instrument(skip_all)]
pub async fn view(db: &impl ConnectionTrait, user: Option<&CurrentUser>, id: i64, now: DateTime<Utc>) -> Result<EventView, AppError> {
    let scope = Scope::of(user);
    let e = event::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    may_see(&scope, &e)?;
    let regs = event_registration::Entity::find().filter(event_registration::Column::EventId.eq(id)).order_by_asc(event_registration::Column::RegisteredAt).all(db).await?;
    let mine = user.and_then(|u| regs.iter().find(|r| r.user_id == u.id && r.status.is_active()).cloned());
    let waiting: Vec<&event_registration::Model> = regs.iter().filter(|r| r.status == Registration::Waiting).collect();
    let advisor = policy::is_advisor(&scope);
    let registered = mine.as_ref().is_some_and(|m| m.status == Registration::Registered);
    let desk = if advisor {
        let mut registrants = Vec::new();
        for r in regs.iter().filter(|r| r.status.is_active()) {
            let name = app_user::Entity::find_by_id(r.user_id.clone()).one(db).await?.map(|u| u.name).unwrap_or_else(|| "gelöschtes Konto".into());
            let org_ids: Vec<String> = user_organisation::Entity::find().filter(user_organisation::Column::UserId.eq(r.user_id.clone())).all(db).await?.into_iter().map(|o| o.organisation_id).collect();
            let orgs: Vec<String> = organisation::Entity::find().filter(organisation::Column::Id.is_in(org_ids)).all(db).await?.into_iter().map(|o| o.name).collect();
            registrants.push((name, orgs.join(", "), r.status.label().to_string(), crate::core::time::format_berlin(r.registered_at)));
        }
        Some(EventDesk { registrants, materials_markdown: e.materials.clone().unwrap_or_default() })
    } else {
        None
    };
    let summary = summaries(db, user, vec![e.clone()]).await?.remove(0);
    Ok(EventView {
        summary,
        description: crate::core::markdown::parse(&e.description),
        place: e.place.clone(),
        online_url: e.online_url.clone().filter(|_| registered || advisor),
        capacity: e.capacity,
        registered: regs.iter().filter(|r| r.status == Registration::Registered).count() as i64,
        waiting: waiting.len() as i64,
        waiting_position: mine.as_ref().filter(|m| m.status == Registration::Waiting).and_then(|m| waiting.iter().position(|w| w.user_id == m.user_id)).map(|p| p as i64 + 1),
        may_register: attends(&scope) && user.is_some_and(|u| !u.via_token) && e.status == EventStatus::Planned && e.starts_at > now && mine.is_none(),
        past: e.ends_at < now,
        materials: e.materials.as_deref().map(crate::core::markdown::parse),
        desk,
    })
}

/// The editor's content (a new event: empty, public, with no limit).
pub async fn editor(db: &impl ConnectionTrait, id: Option<i64>) -> Result<EventDraft, AppError> {
    let all_themenfelder = crate::knowledge::service::store::themenfelder(db).await?;
    let Some(id) = id else {
        return Ok(EventDraft { audience: Audience::Kommunen, all_themenfelder, ..Default::default() });
    };
    let e = event::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let themenfelder = event_field::Entity::find().filter(event_field::Column::EventId.eq(id)).all(db).await?.into_iter().map(|f| f.themenfeld).collect();
    Ok(EventDraft {
        id: Some(id),
        title: e.title,
        description: e.description,
        starts: utc_to_local_input(e.starts_at),
        ends: utc_to_local_input(e.ends_at),
        online_url: e.online_url.unwrap_or_default(),
        place: e.place.unwrap_or_default(),
        capacity: e.capacity.map(|c| c.to_string()).unwrap_or_default(),
        audience: e.audience,
        themenfelder,
        version: e.version,
        all_themenfelder,
    })
}

/// The public events from 90 days ago on, as a calendar to subscribe to (`/termine.ics`).
pub async fn feed(db: &impl ConnectionTrait, base_url: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    let rows = event::Entity::find()
        .filter(event::Column::Audience.eq(Audience::Public))
        .filter(event::Column::EndsAt.gte(now - Duration::days(90)))
        .order_by_asc(event::Column::StartsAt)
        .limit(500)
        .all(db)
        .await?;
    Ok(ics(&rows, base_url, "OZG-Portal Sachsen-Anhalt: Termine"))
}
