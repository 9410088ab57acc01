//! The Beratungsfälle service: filing, reading, working and listing cases. Every function takes
//! the caller's `Scope`; a Kommune's view never contains internal notes, internal attachments
//! or the advisors' private fields (priority, team, owner, tags), whatever page or API asks.

pub mod admin;
pub mod attachments;
pub mod directory;
pub mod inbox;
pub mod jobs;
mod matches;
pub mod sla;
pub mod workflow;
pub mod views;
pub mod ratings;

use crate::core::entities::{app_user, attachment, case_category, case_event, case_link, case_message, case_ozg, case_read, case_team, support_case};
use crate::access::scope::Scope;
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::cases::model::{AttachmentInfo, Case, CaseDetail, CaseEvent, CaseLink, CaseStatus, Category, Message, Priority, Team};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

/// How long after its solution a Kommune may reopen a case by replying; after that it closes.
pub const REOPEN_DAYS: i64 = 14;

/// Loads a case by id, or 404.
#[tracing::instrument(skip_all)]
pub async fn load(db: &impl ConnectionTrait, id: i64) -> Result<support_case::Model, AppError> {
    support_case::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}

/// Loads a case the caller may read.
#[tracing::instrument(skip_all)]
pub async fn load_for(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<support_case::Model, AppError> {
    if matches!(scope, Scope::Public) {
        return Err(AppError::Unauthorized);
    }
    let c = load(db, id).await?;
    if !crate::access::policy::shares_case(scope, c.partner_org_id.as_deref()) {
        crate::access::policy::case_read(scope, &c.organisation_id)?;
    }
    Ok(c)
}

/// Whether the caller answers in the case as the Land does: an advisor, or a person of the
/// partner organisation the case is shared with.
pub fn answers_as_land(scope: &Scope, c: &support_case::Model) -> bool {
    crate::access::policy::is_advisor(scope) || crate::access::policy::shares_case(scope, c.partner_org_id.as_deref())
}

/// Whether the caller reads the case's internal notes and files: the Land's view, and the
/// partner it is shared with (never the advisors' own fields: priority, team, owner, tags).
pub fn reads_internal(scope: &Scope, c: &support_case::Model) -> bool {
    crate::access::policy::sees_internal(scope) || crate::access::policy::shares_case(scope, c.partner_org_id.as_deref())
}

/// As [`reads_internal`], for a case named by its id.
async fn reads_internal_of(db: &impl ConnectionTrait, scope: &Scope, case_id: i64) -> Result<bool, AppError> {
    if crate::access::policy::sees_internal(scope) {
        return Ok(true);
    }
    if !matches!(scope, Scope::Partner { .. }) {
        return Ok(false);
    }
    Ok(reads_internal(scope, &load(db, case_id).await?))
}

pub fn status_of(c: &support_case::Model) -> CaseStatus {
    CaseStatus::from_code(&c.status).unwrap_or(CaseStatus::New)
}

pub fn priority_of(c: &support_case::Model) -> Priority {
    Priority::from_code(&c.priority).unwrap_or(Priority::Normal)
}

pub fn tags_of(c: &support_case::Model) -> Vec<String> {
    c.tags.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect()
}

pub use crate::core::time::rfc;

#[tracing::instrument(skip_all)]
pub async fn categories(db: &impl ConnectionTrait) -> Result<Vec<case_category::Model>, DbErr> {
    case_category::Entity::find().order_by_asc(case_category::Column::Position).all(db).await
}

#[tracing::instrument(skip_all)]
pub async fn teams(db: &impl ConnectionTrait) -> Result<Vec<case_team::Model>, DbErr> {
    case_team::Entity::find().order_by_asc(case_team::Column::Name).all(db).await
}

/// The active categories, for the filing form.
#[tracing::instrument(skip_all)]
pub async fn category_list(db: &impl ConnectionTrait) -> Result<Vec<Category>, AppError> {
    Ok(categories(db)
        .await?
        .into_iter()
        .map(|c| Category { code: c.code, label: c.label, active: c.active, position: c.position })
        .collect())
}

/// All categories from the directory, as the pages show them.
pub fn categories_of(dir: &directory::Directory) -> Vec<Category> {
    dir.categories.iter().map(|c| Category { code: c.code.clone(), label: c.label.clone(), active: c.active, position: c.position }).collect()
}

/// All teams from the directory, with the names of their leads.
pub fn teams_of(dir: &directory::Directory) -> Vec<Team> {
    dir.teams
        .iter()
        .map(|t| Team {
            lead_name: t.lead_user_id.as_ref().and_then(|l| dir.users.get(l).cloned()),
            id: t.id.clone(),
            name: t.name.clone(),
            lead_id: t.lead_user_id.clone(),
            active: t.active,
        })
        .collect()
}

#[tracing::instrument(skip_all)]
pub async fn team_list(db: &impl ConnectionTrait) -> Result<Vec<Team>, AppError> {
    let teams = teams(db).await?;
    let leads: Vec<String> = teams.iter().filter_map(|t| t.lead_user_id.clone()).collect();
    let names = user_names(db, &leads).await?;
    Ok(teams
        .into_iter()
        .map(|t| Team {
            lead_name: t.lead_user_id.as_ref().and_then(|l| names.get(l).cloned()),
            id: t.id,
            name: t.name,
            lead_id: t.lead_user_id,
            active: t.active,
        })
        .collect())
}

/// Active Land advisors, for the owner choice: (id, name).
#[tracing::instrument(skip_all)]
pub async fn advisors(db: &impl ConnectionTrait) -> Result<Vec<(String, String)>, AppError> {
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Role.eq("advisor"))
        .filter(app_user::Column::Active.eq(true))
        .order_by_asc(app_user::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

#[tracing::instrument(skip_all)]
pub async fn user_names(db: &impl ConnectionTrait, ids: &[String]) -> Result<HashMap<String, String>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// The OZG-IDs each case names, in their order.
pub async fn ozg_of(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, Vec<String>>, DbErr> {
    let mut ozg: HashMap<i64, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(ozg);
    }
    for l in case_ozg::Entity::find().filter(case_ozg::Column::CaseId.is_in(ids.iter().copied())).order_by_asc(case_ozg::Column::OzgId).all(db).await? {
        ozg.entry(l.case_id).or_default().push(l.ozg_id);
    }
    Ok(ozg)
}

/// What turning rows into `Case` values needs besides the rows.
pub struct Lookups {
    pub dir: std::sync::Arc<directory::Directory>,
    pub ozg: std::sync::Arc<HashMap<i64, Vec<String>>>,
    pub read: HashMap<i64, DateTime<Utc>>,
}

impl Lookups {
    /// Everything the rows refer to: names from the directory, OZG-IDs and read markers in one
    /// query each.
    #[tracing::instrument(skip_all)]
    pub async fn for_rows(db: &impl ConnectionTrait, dir: std::sync::Arc<directory::Directory>, rows: &[support_case::Model], user_id: Option<&str>) -> Result<Lookups, DbErr> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let ozg = std::sync::Arc::new(ozg_of(db, &ids).await?);
        Self::with_ozg(db, dir, ozg, &ids, user_id).await
    }

    /// As `for_rows`, with the OZG-IDs already at hand (kept with the rows): only the caller's
    /// read markers are read.
    pub async fn with_ozg(db: &impl ConnectionTrait, dir: std::sync::Arc<directory::Directory>, ozg: std::sync::Arc<HashMap<i64, Vec<String>>>, ids: &[i64], user_id: Option<&str>) -> Result<Lookups, DbErr> {
        let mut read = HashMap::new();
        if let (Some(uid), false) = (user_id, ids.is_empty()) {
            for r in case_read::Entity::find()
                .filter(case_read::Column::UserId.eq(uid))
                .filter(case_read::Column::CaseId.is_in(ids.iter().copied()))
                .all(db)
                .await?
            {
                read.insert(r.case_id, r.read_at);
            }
        }
        Ok(Lookups { dir, ozg, read })
    }

    /// The case as the caller may see it: advisors' fields only for the Land's view.
    pub fn case(&self, c: &support_case::Model, internal: bool, now: DateTime<Utc>) -> Case {
        let (category, category_label) = self.dir.category(&c.category_id).map(|k| (k.code.clone(), k.label.clone())).unwrap_or_default();
        let (municipality, municipality_name) = self.dir.orgs.get(&c.organisation_id).cloned().unwrap_or_default();
        let activity = if internal { c.last_activity_at } else { c.last_public_activity_at };
        let unread = self.read.get(&c.id).is_none_or(|r| *r < activity);
        Case {
            id: c.id,
            subject: c.subject.clone(),
            category,
            category_label,
            description: c.description.clone(),
            ozg_ids: self.ozg.get(&c.id).cloned().unwrap_or_default(),
            ozg_services: self.ozg.get(&c.id).into_iter().flatten().map(|o| (o.clone(), self.dir.services.get(o).cloned().unwrap_or_default())).collect(),
            municipality,
            municipality_name,
            status: status_of(c),
            desired_date: c.desired_date.map(|d| d.format("%Y-%m-%d").to_string()),
            created_at: rfc(c.created_at),
            // The Kommune sees its own clock: internal work does not move it.
            updated_at: rfc(if internal { c.updated_at } else { c.last_public_activity_at }),
            created_by: self.dir.users.get(&c.created_by).cloned().unwrap_or_default(),
            version: if internal { c.version } else { c.public_version },
            duplicate_of: c.duplicate_of,
            priority: internal.then(|| priority_of(c)),
            team: if internal { c.team_id.clone() } else { None },
            team_name: if internal { c.team_id.as_ref().and_then(|t| self.dir.team_name(t).cloned()) } else { None },
            owner_id: if internal { c.owner_id.clone() } else { None },
            owner_name: if internal { c.owner_id.as_ref().and_then(|o| self.dir.users.get(o).cloned()) } else { None },
            tags: if internal { tags_of(c) } else { Vec::new() },
            sla: if internal { sla::timers(&self.dir.settings, c, now) } else { Vec::new() },
            unread,
        }
    }
}

fn attachment_info(a: attachment::Model, names: &HashMap<String, String>) -> AttachmentInfo {
    AttachmentInfo {
        uploaded_by: names.get(&a.uploaded_by).cloned().unwrap_or_default(),
        id: a.id,
        filename: a.filename,
        content_type: a.content_type,
        size: a.size,
        created_at: rfc(a.created_at),
    }
}

/// Messages as the caller may see them; the filter on `internal` is part of the query.
#[tracing::instrument(skip_all)]
pub async fn messages(db: &impl ConnectionTrait, scope: &Scope, case_id: i64) -> Result<Vec<Message>, AppError> {
    let internal = reads_internal_of(db, scope, case_id).await?;
    let mut q = case_message::Entity::find().filter(case_message::Column::CaseId.eq(case_id));
    if !internal {
        q = q.filter(case_message::Column::Internal.eq(false));
    }
    let rows = q.order_by_asc(case_message::Column::CreatedAt).order_by_asc(case_message::Column::Id).all(db).await?;
    let names = user_names(db, &rows.iter().filter_map(|m| m.author_user_id.clone()).collect::<Vec<_>>()).await?;
    Ok(rows
        .into_iter()
        .map(|m| Message {
            author: m.author_user_id.as_ref().and_then(|a| names.get(a).cloned()).unwrap_or_else(|| "System".into()),
            id: m.id,
            body: m.body,
            internal: m.internal,
            author_side: m.author_side,
            created_at: rfc(m.created_at),
        })
        .collect())
}

/// Every attachment of a case the caller may see.
#[tracing::instrument(skip_all)]
pub async fn attachment_list(db: &impl ConnectionTrait, scope: &Scope, case_id: i64) -> Result<Vec<AttachmentInfo>, AppError> {
    let mut q = attachment::Entity::find().filter(attachment::Column::CaseId.eq(case_id));
    if !reads_internal_of(db, scope, case_id).await? {
        q = q.filter(attachment::Column::Internal.eq(false));
    }
    let rows = q.order_by_asc(attachment::Column::CreatedAt).all(db).await?;
    let names = user_names(db, &rows.iter().map(|r| r.uploaded_by.clone()).collect::<Vec<_>>()).await?;
    Ok(rows.into_iter().map(|a| attachment_info(a, &names)).collect())
}

/// A case with conversation, history and links, as the caller may see it.
#[tracing::instrument(skip_all)]
pub async fn detail(db: &impl ConnectionTrait, scope: &Scope, user: &CurrentUser, id: i64, now: DateTime<Utc>) -> Result<CaseDetail, AppError> {
    let c = load_for(db, scope, id).await?;
    let internal = crate::access::policy::sees_internal(scope);
    let dir = directory::get(db, &user.data_versions(db).await?).await?;
    let lookups = Lookups::for_rows(db, dir.clone(), std::slice::from_ref(&c), Some(&user.id)).await?;
    let case = lookups.case(&c, internal, now);
    let messages = messages(db, scope, id).await?;
    let mut eq = case_event::Entity::find().filter(case_event::Column::CaseId.eq(id));
    if !internal {
        eq = eq.filter(case_event::Column::Public.eq(true));
    }
    let events = eq.order_by_asc(case_event::Column::Id).all(db).await?;
    let names = dir.user_names(events.iter().filter_map(|e| e.actor_user_id.as_ref()));
    let events = events
        .into_iter()
        .map(|e| CaseEvent {
            at: rfc(e.at),
            actor: e.actor_user_id.as_ref().and_then(|a| names.get(a).cloned()).unwrap_or_else(|| "System".into()),
            kind: e.kind,
            text: e.text,
        })
        .collect();
    let mut links = Vec::new();
    if internal {
        let linked = case_link::Entity::find().filter(case_link::Column::CaseId.eq(id)).all(db).await?;
        let others: Vec<i64> = linked.iter().map(|l| l.other_id).collect();
        for o in support_case::Entity::find().filter(support_case::Column::Id.is_in(others)).all(db).await? {
            links.push(CaseLink { case_id: o.id, subject: o.subject.clone(), status: status_of(&o), kind: "related".into() });
        }
        for o in support_case::Entity::find().filter(support_case::Column::DuplicateOf.eq(id)).all(db).await? {
            links.push(CaseLink { case_id: o.id, subject: o.subject.clone(), status: status_of(&o), kind: "duplicate".into() });
        }
    }
    if let Some(target) = c.duplicate_of {
        // The Kommune sees where its case continues: duplicates are only marked within one Kommune.
        if let Some(o) = support_case::Entity::find_by_id(target).one(db).await?
            && crate::access::policy::case_read(scope, &o.organisation_id).is_ok()
        {
            links.push(CaseLink { case_id: o.id, subject: o.subject.clone(), status: status_of(&o), kind: "duplicate_of".into() });
        }
    }
    let status = status_of(&c);
    let transitions = if crate::access::policy::is_advisor(scope) { status.next().to_vec() } else { Vec::new() };
    let partner_view = crate::access::policy::shares_case(scope, c.partner_org_id.as_deref());
    let may_reply = match scope {
        Scope::Land => status != CaseStatus::Closed,
        Scope::Partner { .. } if partner_view => status != CaseStatus::Closed,
        Scope::Municipal { .. } => workflow::kommune_may_reply(&c, now),
        _ => false,
    };
    let rating = ratings::of_case(db, &dir, id, internal).await?;
    let may_rate = ratings::may_rate(scope, &c, rating.is_some());
    let partner = match &c.partner_org_id {
        Some(p) => crate::core::entities::organisation::Entity::find_by_id(p.clone()).one(db).await?.map(|o| o.name),
        None => None,
    };
    Ok(CaseDetail { attachments: attachment_list(db, scope, id).await?, case, messages, events, links, advisor_view: internal, partner_view, partner, transitions, may_reply, rating, may_rate })
}

/// Records that the user has seen the case now (for unread markers).
#[tracing::instrument(skip_all)]
/// Marks a case read for the person after a page view or API read, if it has activity they
/// had not seen: a case already read is not written again, so viewing it stays a pure read.
#[tracing::instrument(skip_all)]
pub async fn mark_seen(db: &impl ConnectionTrait, user_id: &str, case: &crate::cases::model::Case, now: DateTime<Utc>) -> Result<(), DbErr> {
    if case.unread { mark_read(db, user_id, case.id, now).await } else { Ok(()) }
}

pub async fn mark_read(db: &impl ConnectionTrait, user_id: &str, case_id: i64, now: DateTime<Utc>) -> Result<(), DbErr> {
    case_read::Entity::insert(case_read::ActiveModel { user_id: Set(user_id.to_string()), case_id: Set(case_id), read_at: Set(now) })
        .on_conflict(OnConflict::columns([case_read::Column::UserId, case_read::Column::CaseId]).update_column(case_read::Column::ReadAt).to_owned())
        .exec(db)
        .await
        .map(|_| ())
}
