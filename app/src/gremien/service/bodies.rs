//! Bodies: set up by the Land, listed for whoever may read them, shown with their members and
//! decisions.

use super::{Reader, memberships_of, readable};
use crate::core::audit::{self, Entry};
use crate::core::entities::{gremium, gremium_member};
use crate::error::AppError;
use crate::gremien::model::{GremienDesk, GremiumInput, GremiumLine, GremiumView, MemberView};
use crate::vocabulary::audit::AuditAction;
use crate::vocabulary::gremien::MemberRole;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set, SqlErr};
use std::collections::{BTreeMap, HashMap};

fn name_taken(e: sea_orm::DbErr) -> AppError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => AppError::field("name", "Ein Gremium dieses Namens gibt es schon."),
        _ => e.into(),
    }
}

/// Sets up a body; its founder joins it as its Geschäftsstelle. Returns its id.
#[tracing::instrument(skip_all)]
pub async fn create(db: &DatabaseConnection, actor: &str, i: GremiumInput, now: DateTime<Utc>) -> Result<i64, AppError> {
    let txn = crate::core::db::begin_write(db).await?;
    let row = gremium::ActiveModel {
        name: Set(i.name),
        purpose: Set(i.purpose),
        kind: Set(i.kind),
        visibility: Set(i.visibility),
        version: Set(1),
        demo: Set(false),
        created_by: Set(Some(actor.to_string())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(name_taken)?;
    gremium_member::ActiveModel {
        gremium_id: Set(row.id),
        user_id: Set(actor.to_string()),
        role: Set(MemberRole::Office),
        since: Set(now),
        until: Set(None),
        added_by: Set(Some(actor.to_string())),
        ended_by: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let object = format!("gremium:{}", row.id);
    audit::record(&txn, Entry { actor: Some(actor), action: AuditAction::GremiumCreated, object: Some(&object), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Changes a body's own fields, based on the version the form showed.
#[tracing::instrument(skip_all)]
pub async fn update(db: &DatabaseConnection, who: Reader<'_>, id: i64, version: i32, i: GremiumInput, now: DateTime<Utc>) -> Result<(), AppError> {
    super::runnable(db, who, id).await?;
    let txn = crate::core::db::begin_write(db).await?;
    let moved = gremium::Entity::update_many()
        .col_expr(gremium::Column::Name, i.name.into())
        .col_expr(gremium::Column::Purpose, i.purpose.into())
        .col_expr(gremium::Column::Kind, i.kind.code().into())
        .col_expr(gremium::Column::Visibility, i.visibility.code().into())
        .col_expr(gremium::Column::Version, (version + 1).into())
        .col_expr(gremium::Column::UpdatedAt, now.into())
        .filter(gremium::Column::Id.eq(id))
        .filter(gremium::Column::Version.eq(version))
        .exec(&txn)
        .await
        .map_err(name_taken)?;
    if moved.rows_affected == 0 {
        return Err(AppError::Conflict("Das Gremium wurde inzwischen geändert. Bitte laden Sie die Seite neu und prüfen Sie die Angaben.".into()));
    }
    let object = format!("gremium:{id}");
    audit::record(&txn, Entry { actor: who.user_id, action: AuditAction::GremiumChanged, object: Some(&object), detail: Some(format!("Sichtbarkeit: {}", i.visibility.label())), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// The bodies the caller may read, by name.
#[tracing::instrument(skip_all)]
pub async fn list(db: &impl ConnectionTrait, who: Reader<'_>) -> Result<GremienDesk, AppError> {
    let mine: HashMap<i64, MemberRole> = memberships_of(db, who.user_id).await?.into_iter().collect();
    let bodies = gremium::Entity::find().order_by_asc(gremium::Column::Name).all(db).await?;
    let counts: BTreeMap<i64, u64> = gremium_member::Entity::find().filter(gremium_member::Column::Until.is_null()).all(db).await?.into_iter().fold(BTreeMap::new(), |mut m, r| {
        *m.entry(r.gremium_id).or_default() += 1;
        m
    });
    let lines = bodies
        .into_iter()
        .filter(|b| crate::access::policy::body_read(who.scope, b.visibility, mine.get(&b.id).copied()).is_ok())
        .map(|b| GremiumLine { id: b.id, members: counts.get(&b.id).copied().unwrap_or(0), mine: mine.get(&b.id).copied(), name: b.name, kind: b.kind, visibility: b.visibility })
        .collect();
    Ok(GremienDesk { lines, may_create: crate::access::policy::require_body_founder(who.scope).is_ok() })
}

/// Memberships as people read them: the person's name and organisations.
async fn member_views(db: &impl ConnectionTrait, rows: Vec<gremium_member::Model>) -> Result<Vec<MemberView>, AppError> {
    let people = super::people(db, rows.iter().map(|r| r.user_id.clone()).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (name, organisation) = people.get(&r.user_id).cloned().unwrap_or_default();
            MemberView { id: r.id, name, organisation, role: r.role, since: crate::core::time::berlin_date(r.since), until: r.until.map(crate::core::time::berlin_date) }
        })
        .collect())
}

/// A body's page as the caller may see it.
#[tracing::instrument(skip_all)]
pub async fn view(db: &impl ConnectionTrait, who: Reader<'_>, id: i64) -> Result<GremiumView, AppError> {
    let (body, mine) = readable(db, who, id).await?;
    let runs = crate::access::policy::body_run(who.scope, mine).is_ok();
    let rows = gremium_member::Entity::find().filter(gremium_member::Column::GremiumId.eq(id)).order_by_asc(gremium_member::Column::Since).order_by_asc(gremium_member::Column::Id).all(db).await?;
    let (current, ended): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.until.is_none());
    let mut members = member_views(db, current).await?;
    // Vorsitz first, then Geschäftsstelle, members and guests; by name within a role.
    let order = |r: MemberRole| [MemberRole::Chair, MemberRole::Office, MemberRole::Member, MemberRole::Guest].iter().position(|x| *x == r).unwrap_or(9);
    members.sort_by(|a, b| order(a.role).cmp(&order(b.role)).then_with(|| a.name.cmp(&b.name)));
    let former = if runs { member_views(db, ended).await? } else { Vec::new() };
    let mut organisations: Vec<String> = members.iter().flat_map(|m| m.organisation.split(", ").map(str::to_string)).filter(|o| !o.is_empty()).collect();
    organisations.sort();
    organisations.dedup();
    let shows_people = !matches!(who.scope, crate::access::scope::Scope::Public);
    let (decisions, decisions_total) = super::decisions::of_body(db, who, &body, mine).await?;
    let inside = mine.is_some() || who.scope.is_admin();
    let (meetings, tasks) = if inside { (super::meetings::of_body(db, body.id).await?, super::tasks::of_body(db, &body, crate::core::time::now()).await?) } else { (Vec::new(), Vec::new()) };
    Ok(GremiumView {
        id: body.id,
        name: body.name,
        purpose: body.purpose,
        kind: body.kind,
        visibility: body.visibility,
        version: body.version,
        members: if shows_people { members } else { Vec::new() },
        former,
        organisations,
        decisions,
        decisions_total,
        mine,
        runs,
        shows_people,
        meetings,
        tasks,
    })
}

/// The bodies a person belongs to today, by name: (id, name, role).
pub async fn of_member(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<(i64, String, MemberRole)>, AppError> {
    let mine = memberships_of(db, Some(user_id)).await?;
    if mine.is_empty() {
        return Ok(Vec::new());
    }
    let roles: HashMap<i64, MemberRole> = mine.into_iter().collect();
    Ok(gremium::Entity::find()
        .filter(gremium::Column::Id.is_in(roles.keys().copied()))
        .order_by_asc(gremium::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|g| roles.get(&g.id).map(|r| (g.id, g.name, *r)))
        .collect())
}
