//! Changing cases: filing, the typed workflow, assignment, replies and internal notes,
//! confirmations, links, duplicates and bulk actions. Every write is one transaction with its
//! history entries and notifications; a stale `version` gets a conflict, never an overwrite.

mod filing;
mod patch;
mod messages;
mod links;
mod bulk;
mod from_item;
pub use filing::*;
pub use patch::*;
pub use messages::*;
pub use links::*;
pub use bulk::*;
pub use from_item::*;

use crate::core::config::Config;
use crate::core::entities::{case_event, case_team, support_case};
use crate::access::scope::Scope;
use crate::core::session::CurrentUser;
use crate::cases::service::sla::{SlaSettings, clock_runs};
use crate::cases::service::{REOPEN_DAYS, priority_of, status_of};
use crate::error::AppError;
use crate::cases::model::CaseStatus;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, Set, Statement,
};
use std::collections::BTreeMap;

pub const MAX_SUBJECT: usize = 200;
pub const MAX_BODY: usize = 20_000;
pub const MAX_OZG: usize = 20;
pub const MAX_TAGS: usize = 10;
pub const MAX_TAG: usize = 40;

/// Who acts, and when.
pub struct Actor<'a> {
    pub user: &'a CurrentUser,
    pub scope: &'a Scope,
    pub config: &'a Config,
    pub now: DateTime<Utc>,
}

impl<'a> Actor<'a> {
    /// A person acting now, through a page, a form or the REST API (with a session or a token:
    /// `user` says which).
    pub fn new(user: &'a CurrentUser, scope: &'a Scope, config: &'a Config) -> Self {
        Actor { user, scope, config, now: crate::core::time::now() }
    }

    /// A person acting at a given moment: replays, imports and tests with a fixed clock.
    pub fn at(user: &'a CurrentUser, scope: &'a Scope, config: &'a Config, now: DateTime<Utc>) -> Self {
        Actor { user, scope, config, now }
    }
}

fn add(e: &mut BTreeMap<String, Vec<String>>, field: &str, message: impl Into<String>) {
    e.entry(field.to_string()).or_default().push(message.into());
}

fn berlin_today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&chrono_tz::Europe::Berlin).date_naive()
}

/// Appends a history entry.
#[tracing::instrument(skip_all)]
pub async fn event(db: &impl ConnectionTrait, case_id: i64, at: DateTime<Utc>, actor: Option<&str>, kind: &str, public: bool, text: String) -> Result<(), AppError> {
    case_event::ActiveModel {
        id: sea_orm::NotSet,
        case_id: Set(case_id),
        at: Set(at),
        actor_user_id: Set(actor.map(str::to_string)),
        kind: Set(kind.to_string()),
        public: Set(public),
        text: Set(text),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Appends text to the case's public or internal search document (see the migration). On
/// PostgreSQL the vector is stored without word positions: search needs no ranking or phrases,
/// and smaller rows are read faster.
#[tracing::instrument(skip_all)]
pub async fn index_text(db: &impl ConnectionTrait, case_id: i64, internal: bool, body: &str) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    if backend == DbBackend::Sqlite {
        let rowid = case_id * 2 + i64::from(internal);
        let updated = db
            .execute_raw(Statement::from_sql_and_values(
                backend,
                "UPDATE case_fts SET body = body || char(10) || ? WHERE rowid = ?",
                [body.into(), rowid.into()],
            ))
            .await?;
        if updated.rows_affected() == 0 {
            db.execute_raw(Statement::from_sql_and_values(backend, "INSERT INTO case_fts (rowid, body) VALUES (?, ?)", [rowid.into(), body.into()])).await?;
        }
    } else {
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO case_search (case_id, internal, tsv) VALUES ($1, $2, strip(to_tsvector('german', $3))) \
             ON CONFLICT (case_id, internal) DO UPDATE SET tsv = case_search.tsv || EXCLUDED.tsv",
            [case_id.into(), internal.into(), body.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Writes the changed case if nobody else changed it since `expected` (then bumps the version).
async fn save(db: &impl ConnectionTrait, mut c: support_case::Model, expected: i32) -> Result<support_case::Model, AppError> {
    let before: Option<String> = support_case::Entity::find_by_id(c.id).select_only().column(support_case::Column::Status).into_tuple().one(db).await?;
    c.version = expected + 1;
    let mut am = c.clone().into_active_model().reset_all();
    // The key stays (writing it would make SQLite check every row pointing at the case).
    am.id = sea_orm::NotSet;
    // Kept by the database alone (a trigger on the messages, m0042): the model read before this
    // transaction's answer does not know it yet.
    am.land_answered_at = sea_orm::NotSet;
    let res = support_case::Entity::update_many()
        .set(am)
        .filter(support_case::Column::Id.eq(c.id))
        .filter(support_case::Column::Version.eq(expected))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(stale());
    }
    if before.as_deref() != Some(c.status.as_str()) {
        // The webhooks of the case's Kommune, of the partner it is shared with and of the Land.
        let orgs: Vec<String> = std::iter::once(c.organisation_id.clone()).chain(c.partner_org_id.clone()).collect();
        let data = serde_json::json!({ "case": c.id, "status": c.status, "from": before });
        crate::core::webhooks::emit(db, crate::vocabulary::webhooks::WebhookEvent::CaseStatus, &orgs, data, c.updated_at).await?;
    }
    Ok(c)
}

fn stale() -> AppError {
    AppError::Conflict("Der Fall wurde inzwischen von jemand anderem geändert. Bitte laden Sie die Seite neu und prüfen Sie den aktuellen Stand; Ihre Änderung wurde nicht gespeichert.".into())
}

/// Records a change. Only a change the Kommune sees moves what the Kommune sees (its version,
/// its time of last change, its place in the Kommune's list): internal work leaves no trace there.
fn touch(c: &mut support_case::Model, now: DateTime<Utc>, public: bool) {
    c.updated_at = now;
    c.last_activity_at = now;
    if public {
        c.last_public_activity_at = now;
        c.public_version += 1;
    }
}

fn recompute_dues(c: &mut support_case::Model, s: &SlaSettings, now: DateTime<Utc>) {
    let (r, s2) = s.due_dates(priority_of(c), c.created_at, i64::from(c.paused_minutes));
    c.response_due_at = r;
    c.resolution_due_at = s2;
    if r > now {
        c.response_breached_at = None;
    }
    if s2 > now {
        c.resolution_breached_at = None;
    }
    // An answered follow-up's deadline is history and stays.
    if let Some(since) = c.followup_since.filter(|_| c.followup_answered_at.is_none()) {
        let due = s.followup_due(priority_of(c), since, i64::from(c.paused_minutes.saturating_sub(c.followup_paused_base)));
        c.followup_due_at = Some(due);
        if due > now {
            c.followup_breached_at = None;
        }
    }
}

/// The Kommune wrote again after the Land's answer: the Land owes a follow-up answer, unless
/// one is already owed (its clock keeps running from the first unanswered message).
fn start_followup(c: &mut support_case::Model, s: &SlaSettings, now: DateTime<Utc>) {
    let owed = c.followup_since.is_some() && c.followup_answered_at.is_none();
    if c.first_response_at.is_none() || owed {
        return;
    }
    c.followup_since = Some(now);
    c.followup_paused_base = c.paused_minutes;
    c.followup_due_at = Some(s.followup_due(priority_of(c), now, 0));
    c.followup_answered_at = None;
    c.followup_breached_at = None;
}

/// Moves a case to `to` and keeps the clock right: pauses while waiting or solved, resumes (and
/// shifts the deadlines by the paused business time) when work goes on.
pub fn set_status(c: &mut support_case::Model, to: CaseStatus, s: &SlaSettings, now: DateTime<Utc>) {
    let from = status_of(c);
    if !clock_runs(from) && clock_runs(to) {
        if let Some(since) = c.paused_since.take() {
            let paused = s.calendar.minutes_between(since, now).max(0);
            c.paused_minutes = c.paused_minutes.saturating_add(i32::try_from(paused).unwrap_or(i32::MAX));
        }
        c.solved_at = None;
        c.closed_at = None;
        recompute_dues(c, s, now);
    }
    match to {
        CaseStatus::Waiting | CaseStatus::Solved if c.paused_since.is_none() => c.paused_since = Some(now),
        _ => {}
    }
    if to == CaseStatus::Solved {
        c.solved_at = Some(now);
    }
    if to == CaseStatus::Closed {
        c.closed_at = Some(now);
    }
    c.status = to.code().to_string();
}

/// Whether the Kommune may still reply (and so reopen a solved case).
pub fn kommune_may_reply(c: &support_case::Model, now: DateTime<Utc>) -> bool {
    match status_of(c) {
        CaseStatus::Closed => false,
        CaseStatus::Solved => c.solved_at.is_none_or(|s| now - s <= Duration::days(REOPEN_DAYS)),
        _ => true,
    }
}

/// The people on the Land's side to tell about a case: its owner, else its team's lead.
async fn land_recipients(db: &impl ConnectionTrait, c: &support_case::Model) -> Result<Vec<String>, AppError> {
    if let Some(o) = &c.owner_id {
        return Ok(vec![o.clone()]);
    }
    if let Some(t) = &c.team_id
        && let Some(team) = case_team::Entity::find_by_id(t.clone()).one(db).await?
        && let Some(lead) = team.lead_user_id
    {
        return Ok(vec![lead]);
    }
    Ok(Vec::new())
}

fn check_text(e: &mut BTreeMap<String, Vec<String>>, field: &str, label: &str, v: &str, max: usize) {
    if v.trim().is_empty() {
        add(e, field, format!("Bitte geben Sie {label} an."));
    } else if v.chars().count() > max {
        add(e, field, format!("{} darf höchstens {max} Zeichen lang sein.", capitalise(label)));
    }
}

fn capitalise(s: &str) -> String {
    let s = s.strip_prefix("einen ").or_else(|| s.strip_prefix("eine ")).or_else(|| s.strip_prefix("den ")).or_else(|| s.strip_prefix("die ")).unwrap_or(s);
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

