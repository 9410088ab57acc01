//! Tasks (Maßnahmen) of a body: from a meeting or a decision, owned by a person or an
//! organisation, with a due date and a status; their owners are reminded once per due date and
//! find them (overdue ones first) on their start page.

use super::Reader;
use crate::core::audit::{self, Entry};
use crate::core::config::Config;
use crate::core::entities::{app_user, gremium, gremium_decision, gremium_meeting, gremium_task, organisation, user_organisation};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::gremien::work::{OwnTasks, TaskInput, TaskView};
use crate::vocabulary::audit::AuditAction;
use crate::vocabulary::gremien::{MemberRole, TaskLink, TaskStatus};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;

/// Days before the due date the owner is reminded.
pub const REMIND_DAYS: i64 = 7;

fn today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&chrono_tz::Europe::Berlin).date_naive()
}

/// The owner named in a form: an account's e-mail address or an organisation's key.
async fn owner_of(db: &impl ConnectionTrait, owner: &str) -> Result<(Option<String>, Option<String>), AppError> {
    if owner.contains('@') {
        let u = super::active_account(db, owner).await?;
        return u.map(|u| (Some(u.id), None)).ok_or_else(|| AppError::field("owner", "Zu dieser Adresse gibt es kein aktives Konto im Portal."));
    }
    let o = crate::catalogue::service::orgs::by_key(db, owner).await?;
    o.map(|o| (None, Some(o.id))).ok_or_else(|| AppError::field("owner", format!("Eine Organisation mit dem Schlüssel »{owner}« gibt es nicht.")))
}

/// Records a task of the body (those who run it). Returns its id.
#[tracing::instrument(skip_all)]
pub async fn create(db: &DatabaseConnection, who: Reader<'_>, gremium_id: i64, i: TaskInput, now: DateTime<Utc>) -> Result<i64, AppError> {
    super::runnable(db, who, gremium_id).await?;
    let (owner_user, owner_org) = owner_of(db, &i.owner).await?;
    if let Some(m) = i.meeting {
        gremium_meeting::Entity::find_by_id(m).filter(gremium_meeting::Column::GremiumId.eq(gremium_id)).one(db).await?.ok_or_else(|| AppError::field("meeting", "Diese Sitzung gehört nicht zu diesem Gremium."))?;
    }
    if let Some(d) = i.decision {
        gremium_decision::Entity::find_by_id(d).filter(gremium_decision::Column::GremiumId.eq(gremium_id)).one(db).await?.ok_or_else(|| AppError::field("decision", "Dieser Beschluss gehört nicht zu diesem Gremium."))?;
    }
    if let Some((kind, value)) = &i.link {
        linked(db, *kind, value).await?;
    }
    let txn = crate::core::db::begin_write(db).await?;
    let row = gremium_task::ActiveModel {
        gremium_id: Set(gremium_id),
        meeting_id: Set(i.meeting),
        decision_id: Set(i.decision),
        title: Set(i.title),
        owner_user_id: Set(owner_user),
        owner_org_id: Set(owner_org),
        due_on: Set(i.due),
        status: Set(TaskStatus::Open),
        note: Set(String::new()),
        link_kind: Set(i.link.as_ref().map(|l| l.0)),
        link_value: Set(i.link.map(|l| l.1)),
        reminded_for: Set(None),
        version: Set(1),
        created_by: Set(who.user_id.map(str::to_string)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let object = format!("gremium:{gremium_id}");
    audit::record(&txn, Entry { actor: who.user_id, action: AuditAction::TaskCreated, object: Some(&object), detail: Some(format!("Maßnahme {}", row.id)), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Refuses a link to something the portal does not have (which of them a person may open is
/// decided by that page when it is opened).
async fn linked(db: &impl ConnectionTrait, kind: TaskLink, value: &str) -> Result<(), AppError> {
    use crate::core::entities::{efa_service, funding_programme, ozg_service, support_case};
    let number = value.trim().parse::<i64>().ok();
    let found = match kind {
        TaskLink::Case => match number {
            Some(n) => support_case::Entity::find_by_id(n).one(db).await?.is_some(),
            None => false,
        },
        TaskLink::Service => ozg_service::Entity::find_by_id(value.trim().to_string()).one(db).await?.is_some(),
        TaskLink::Efa => efa_service::Entity::find_by_id(value.trim().to_string()).one(db).await?.is_some(),
        TaskLink::Programme => match number {
            Some(n) => funding_programme::Entity::find_by_id(n).one(db).await?.is_some(),
            None => false,
        },
    };
    if found { Ok(()) } else { Err(AppError::field("link_value", format!("{} »{}« gibt es im Portal nicht.", kind.label(), value.trim()))) }
}

/// The organisations a person belongs to.
async fn orgs_of(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<String>, AppError> {
    Ok(user_organisation::Entity::find().filter(user_organisation::Column::UserId.eq(user_id)).all(db).await?.into_iter().map(|l| l.organisation_id).collect())
}

/// Whether the person owns the task (themselves, or one of their organisations).
async fn owns(db: &impl ConnectionTrait, user_id: Option<&str>, t: &gremium_task::Model) -> Result<bool, AppError> {
    let Some(user) = user_id else { return Ok(false) };
    if t.owner_user_id.as_deref() == Some(user) {
        return Ok(true);
    }
    Ok(match &t.owner_org_id {
        Some(org) => orgs_of(db, user).await?.contains(org),
        None => false,
    })
}

/// A task the caller reads: its body's members and administrators, and its owners.
pub async fn readable(db: &impl ConnectionTrait, who: Reader<'_>, id: i64) -> Result<(gremium_task::Model, gremium::Model, Option<MemberRole>, bool), AppError> {
    let t = gremium_task::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let owner = owns(db, who.user_id, &t).await?;
    let body = gremium::Entity::find_by_id(t.gremium_id).one(db).await?.ok_or(AppError::NotFound)?;
    let role = super::role_in(db, t.gremium_id, who.user_id).await?;
    if !owner && role.is_none() && !who.scope.is_admin() {
        return Err(AppError::NotFound);
    }
    Ok((t, body, role, owner))
}

/// Sets the status (with a note) and, for those who run the body, a new due date: the owners
/// and those who run the body.
#[tracing::instrument(skip_all)]
pub async fn set_status(db: &DatabaseConnection, who: Reader<'_>, id: i64, version: i32, status: TaskStatus, note: &str, due: Option<NaiveDate>, now: DateTime<Utc>) -> Result<(), AppError> {
    let (t, _, role, owner) = readable(db, who, id).await?;
    let runs = crate::access::policy::body_run(who.scope, role).is_ok();
    if !owner && !runs {
        return Err(AppError::Forbidden);
    }
    if due.is_some() && !runs {
        return Err(AppError::field("due", "Die Frist setzt die Geschäftsstelle oder der Vorsitz des Gremiums."));
    }
    let note = note.replace("\r\n", "\n").trim().to_string();
    if note.chars().count() > 2_000 {
        return Err(AppError::field("note", "Die Bemerkung hat höchstens 2.000 Zeichen."));
    }
    if status == TaskStatus::Dropped && note.is_empty() {
        return Err(AppError::field("note", "Bitte begründen Sie, warum die Maßnahme verworfen wird."));
    }
    let txn = crate::core::db::begin_write(db).await?;
    let moved = gremium_task::Entity::update_many()
        .col_expr(gremium_task::Column::Status, status.code().into())
        .col_expr(gremium_task::Column::Note, note.into())
        .col_expr(gremium_task::Column::DueOn, due.unwrap_or(t.due_on).into())
        .col_expr(gremium_task::Column::Version, (version + 1).into())
        .col_expr(gremium_task::Column::UpdatedAt, now.into())
        .filter(gremium_task::Column::Id.eq(id))
        .filter(gremium_task::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if moved.rows_affected == 0 {
        return Err(AppError::Conflict("Die Maßnahme wurde inzwischen geändert. Bitte laden Sie die Seite neu.".into()));
    }
    let object = format!("gremium:{}", t.gremium_id);
    audit::record(&txn, Entry { actor: who.user_id, action: AuditAction::TaskStatusSet, object: Some(&object), detail: Some(format!("Maßnahme {id}: {}", status.label())), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// Tasks as people read them, the body's name given.
async fn views(db: &impl ConnectionTrait, rows: Vec<gremium_task::Model>, bodies: &HashMap<i64, String>, now: DateTime<Utc>) -> Result<Vec<TaskView>, AppError> {
    let users: Vec<String> = rows.iter().filter_map(|t| t.owner_user_id.clone()).collect();
    let org_ids: Vec<String> = rows.iter().filter_map(|t| t.owner_org_id.clone()).collect();
    // Only the owners' kinds that occur are read.
    let people: HashMap<String, String> =
        if users.is_empty() { HashMap::new() } else { app_user::Entity::find().filter(app_user::Column::Id.is_in(users)).all(db).await?.into_iter().map(|u| (u.id, u.name)).collect() };
    let orgs: HashMap<String, String> =
        if org_ids.is_empty() { HashMap::new() } else { organisation::Entity::find().filter(organisation::Column::Id.is_in(org_ids)).all(db).await?.into_iter().map(|o| (o.id, o.name)).collect() };
    let today = today(now);
    Ok(rows
        .into_iter()
        .map(|t| TaskView {
            id: t.id,
            gremium_id: t.gremium_id,
            gremium: bodies.get(&t.gremium_id).cloned().unwrap_or_default(),
            owner: t.owner_user_id.as_ref().and_then(|u| people.get(u)).or_else(|| t.owner_org_id.as_ref().and_then(|o| orgs.get(o))).cloned().unwrap_or_else(|| "—".into()),
            due: t.due_on.format("%d.%m.%Y").to_string(),
            overdue: t.status.is_open() && t.due_on < today,
            source: match (t.meeting_id, t.decision_id) {
                (_, Some(d)) => Some(format!("/beschluesse/{d}")),
                (Some(m), None) => Some(format!("/gremien/sitzungen/{m}")),
                (None, None) => None,
            },
            link: t.link_kind.zip(t.link_value.clone()).map(|(k, v)| (k, v.clone(), k.href(&v))),
            title: t.title,
            status: t.status,
            note: t.note,
            version: t.version,
        })
        .collect())
}

/// A body's tasks: open ones by due date first, then the finished ones.
pub async fn of_body(db: &impl ConnectionTrait, body: &gremium::Model, now: DateTime<Utc>) -> Result<Vec<TaskView>, AppError> {
    let rows = gremium_task::Entity::find().filter(gremium_task::Column::GremiumId.eq(body.id)).order_by_asc(gremium_task::Column::DueOn).order_by_asc(gremium_task::Column::Id).all(db).await?;
    let (mut open, done): (Vec<_>, Vec<_>) = rows.into_iter().partition(|t| t.status.is_open());
    open.extend(done);
    views(db, open, &HashMap::from([(body.id, body.name.clone())]), now).await
}

/// The tasks that came from a meeting.
pub async fn of_meeting(db: &impl ConnectionTrait, body: &gremium::Model, meeting_id: i64, now: DateTime<Utc>) -> Result<Vec<TaskView>, AppError> {
    let rows = gremium_task::Entity::find().filter(gremium_task::Column::MeetingId.eq(meeting_id)).order_by_asc(gremium_task::Column::DueOn).all(db).await?;
    views(db, rows, &HashMap::from([(body.id, body.name.clone())]), now).await
}

/// One task as its page shows it.
pub async fn one(db: &impl ConnectionTrait, who: Reader<'_>, id: i64, now: DateTime<Utc>) -> Result<(TaskView, bool, bool), AppError> {
    let (t, body, role, owner) = readable(db, who, id).await?;
    let runs = crate::access::policy::body_run(who.scope, role).is_ok();
    let view = views(db, vec![t], &HashMap::from([(body.id, body.name)]), now).await?.into_iter().next().ok_or(AppError::NotFound)?;
    Ok((view, owner || runs, runs))
}

/// The open tasks a person owns (themselves or through their organisations), overdue first.
pub async fn open_for(db: &impl ConnectionTrait, user: &CurrentUser, now: DateTime<Utc>, limit: Option<u64>) -> Result<OwnTasks, AppError> {
    let orgs: Vec<String> = user.organisations.iter().map(|o| o.id.clone()).collect();
    let owned = || {
        gremium_task::Entity::find()
            .filter(Condition::any().add(gremium_task::Column::OwnerUserId.eq(user.id.clone())).add(gremium_task::Column::OwnerOrgId.is_in(orgs.clone())))
            .filter(gremium_task::Column::Status.is_in([TaskStatus::Open, TaskStatus::InProgress]))
    };
    // The due date orders overdue tasks first by itself.
    let rows = owned().order_by_asc(gremium_task::Column::DueOn).order_by_asc(gremium_task::Column::Id).limit(limit).all(db).await?;
    if rows.is_empty() {
        return Ok(OwnTasks::default());
    }
    // Counted only where the page does not show them all: overdue tasks come first, so while the
    // last one shown is not overdue, every overdue one is shown.
    let counted = rows.len() as u64;
    let day = today(now);
    let cut = limit.is_some_and(|l| counted >= l);
    let open = if cut { owned().count(db).await? } else { counted };
    let overdue = if cut && rows.last().is_some_and(|t| t.due_on < day) {
        owned().filter(gremium_task::Column::DueOn.lt(day)).count(db).await?
    } else {
        rows.iter().filter(|t| t.due_on < day).count() as u64
    };
    let bodies: HashMap<i64, String> = gremium::Entity::find().filter(gremium::Column::Id.is_in(rows.iter().map(|t| t.gremium_id))).all(db).await?.into_iter().map(|b| (b.id, b.name)).collect();
    Ok(OwnTasks { shown: views(db, rows, &bodies, now).await?, open, overdue })
}

/// The reminder job: every open task due within `REMIND_DAYS` whose owners were not yet reminded
/// of this due date is claimed (a conditional update, so several instances remind once) and its
/// owners are notified in the same transaction. Returns how many tasks.
#[tracing::instrument(skip_all)]
pub async fn remind(db: &DatabaseConnection, config: &Config, now: DateTime<Utc>) -> Result<usize, AppError> {
    let horizon = today(now) + chrono::Duration::days(REMIND_DAYS);
    let due = gremium_task::Entity::find()
        .filter(gremium_task::Column::Status.is_in([TaskStatus::Open, TaskStatus::InProgress]))
        .filter(gremium_task::Column::DueOn.lte(horizon))
        .all(db)
        .await?
        .into_iter()
        .filter(|t| t.reminded_for != Some(t.due_on))
        .collect::<Vec<_>>();
    let mut reminded = 0;
    for t in due {
        let txn = crate::core::db::begin_write(db).await?;
        let claimed = gremium_task::Entity::update_many()
            .col_expr(gremium_task::Column::RemindedFor, Some(t.due_on).into())
            .filter(gremium_task::Column::Id.eq(t.id))
            .filter(gremium_task::Column::DueOn.eq(t.due_on))
            .filter(Condition::any().add(gremium_task::Column::RemindedFor.is_null()).add(gremium_task::Column::RemindedFor.ne(t.due_on)))
            .exec(&txn)
            .await?;
        if claimed.rows_affected == 0 {
            continue;
        }
        let mut owners: Vec<String> = t.owner_user_id.iter().cloned().collect();
        if let Some(org) = &t.owner_org_id {
            owners.extend(user_organisation::Entity::find().filter(user_organisation::Column::OrganisationId.eq(org.clone())).all(&txn).await?.into_iter().map(|l| l.user_id));
        }
        let body = gremium::Entity::find_by_id(t.gremium_id).one(&txn).await?.map(|b| b.name).unwrap_or_default();
        let overdue = t.due_on < today(now);
        let text = format!("Maßnahme »{}« ({body}) {} am {}", t.title, if overdue { "war fällig" } else { "ist fällig" }, t.due_on.format("%d.%m.%Y"));
        crate::core::notify::notify(&txn, config, &owners, None, None, Some(&format!("/gremien/massnahmen/{}", t.id)), crate::core::notify::NotificationKind::Gremium, &text, now).await?;
        txn.commit().await?;
        reminded += 1;
    }
    if reminded > 0 {
        crate::core::outbox::wake();
    }
    Ok(reminded)
}
