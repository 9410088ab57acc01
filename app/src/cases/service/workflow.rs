//! Changing cases: filing, the typed workflow, assignment, replies and internal notes,
//! confirmations, links, duplicates and bulk actions. Every write is one transaction with its
//! history entries and notifications; a stale `version` gets a conflict, never an overwrite.

use crate::core::config::Config;
use crate::core::db::begin_write;
use crate::core::entities::{app_user, case_category, case_event, case_link, case_message, case_ozg, case_team, ozg_service, support_case};
use crate::cases::service::notify;
use crate::access::scope::Scope;
use crate::core::session::CurrentUser;
use crate::cases::service::sla;
use crate::cases::service::sla::{SlaSettings, clock_runs};
use crate::cases::service::{REOPEN_DAYS, is_advisor, load, priority_of, status_of, tags_of};
use crate::error::AppError;
use crate::cases::model::{CaseFilter, CasePatch, CaseStatus, NewCase, Priority};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, IntoActiveModel, QueryFilter, Set, Statement,
};
use serde::{Deserialize, Serialize};
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
    c.version = expected + 1;
    let mut am = c.clone().into_active_model().reset_all();
    // The key stays (writing it would make SQLite check every row pointing at the case).
    am.id = sea_orm::NotSet;
    let res = support_case::Entity::update_many()
        .set(am)
        .filter(support_case::Column::Id.eq(c.id))
        .filter(support_case::Column::Version.eq(expected))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(stale());
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

/// Files a new case for a Kommune the clerk acts for. A repeated submit with the same
/// idempotency key returns the case of the first submit.
#[tracing::instrument(skip_all)]
pub async fn create(db: &DatabaseConnection, a: &Actor<'_>, input: &NewCase) -> Result<i64, AppError> {
    let Scope::Municipal { org_ids } = a.scope else {
        return Err(if matches!(a.scope, Scope::Public) { AppError::Unauthorized } else { AppError::Forbidden });
    };
    let key = input.idempotency_key.as_deref().map(str::trim).filter(|k| !k.is_empty()).map(|k| k.chars().take(64).collect::<String>());
    if let Some(k) = &key
        && let Some(existing) = support_case::Entity::find()
            .filter(support_case::Column::CreatedBy.eq(&a.user.id))
            .filter(support_case::Column::IdempotencyKey.eq(k))
            .one(db)
            .await?
    {
        return Ok(existing.id);
    }
    let mut e = BTreeMap::new();
    // Which Kommune: the one named (the clerk must act for it), else the clerk's own.
    let org = match input.municipality.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(k) => match crate::catalogue::service::orgs::by_key(db, k).await? {
            Some(o) if org_ids.contains(&o.id) => Some(o),
            Some(_) => return Err(AppError::Forbidden),
            None => {
                add(&mut e, "municipality", "Diese Kommune gibt es nicht.");
                None
            }
        },
        None => {
            let own = a.user.organisations.iter().find(|o| o.kind.is_kommune()).map(|o| o.id.clone());
            match own {
                Some(id) => crate::core::entities::organisation::Entity::find_by_id(id).one(db).await?,
                None => return Err(AppError::Forbidden),
            }
        }
    };
    check_text(&mut e, "subject", "einen Betreff", &input.subject, MAX_SUBJECT);
    check_text(&mut e, "description", "eine Beschreibung", &input.description, MAX_BODY);
    let category = case_category::Entity::find()
        .filter(case_category::Column::Code.eq(input.category.trim()))
        .filter(case_category::Column::Active.eq(true))
        .one(db)
        .await?;
    if category.is_none() {
        add(&mut e, "category", "Bitte wählen Sie eine Kategorie.");
    }
    let mut ozg_ids: Vec<String> = input.ozg_ids.iter().map(|o| o.trim().to_string()).filter(|o| !o.is_empty()).collect();
    ozg_ids.sort();
    ozg_ids.dedup();
    if ozg_ids.len() > MAX_OZG {
        add(&mut e, "ozg_ids", format!("Höchstens {MAX_OZG} OZG-Leistungen je Fall."));
    } else if !ozg_ids.is_empty() {
        let known = ozg_service::Entity::find().filter(ozg_service::Column::OzgId.is_in(ozg_ids.clone())).all(db).await?;
        for o in &ozg_ids {
            if !known.iter().any(|k| &k.ozg_id == o) {
                add(&mut e, "ozg_ids", format!("Die OZG-Leistung »{o}« gibt es im Katalog nicht."));
            }
        }
    }
    let desired = match input.desired_date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(date) if date < berlin_today(a.now) => {
                add(&mut e, "desired_date", "Der Wunschtermin liegt in der Vergangenheit.");
                None
            }
            Ok(date) => Some(date),
            Err(_) => {
                add(&mut e, "desired_date", format!("»{d}« ist kein Datum der Form JJJJ-MM-TT."));
                None
            }
        },
    };
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let (Some(org), Some(category)) = (org, category) else { return Err(AppError::Internal) };
    let settings = sla::settings(db).await?;
    let (response_due, resolution_due) = settings.due_dates(Priority::Normal, a.now, 0);
    let acting = crate::register::service::acting_org(a.user, &org);
    let tx = begin_write(db).await?;
    let inserted = support_case::ActiveModel {
        id: sea_orm::NotSet,
        organisation_id: Set(org.id.clone()),
        acting_org_id: Set(Some(acting)),
        created_by: Set(a.user.id.clone()),
        subject: Set(input.subject.trim().to_string()),
        description: Set(input.description.trim().to_string()),
        category_id: Set(category.id.clone()),
        desired_date: Set(desired),
        status: Set(CaseStatus::New.code().into()),
        priority: Set(Priority::Normal.code().into()),
        team_id: Set(None),
        owner_id: Set(None),
        tags: Set(String::new()),
        duplicate_of: Set(None),
        version: Set(1),
        public_version: Set(1),
        created_at: Set(a.now),
        updated_at: Set(a.now),
        last_activity_at: Set(a.now),
        last_public_activity_at: Set(a.now),
        first_response_at: Set(None),
        solved_at: Set(None),
        closed_at: Set(None),
        paused_since: Set(None),
        paused_minutes: Set(0),
        response_due_at: Set(response_due),
        resolution_due_at: Set(resolution_due),
        response_breached_at: Set(None),
        resolution_breached_at: Set(None),
        idempotency_key: Set(key.clone()),
    }
    .insert(&tx)
    .await;
    let c = match inserted {
        Ok(c) => c,
        // Two submits with one key at the same moment: the second finds the first's case.
        Err(err) if matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) && key.is_some() => {
            drop(tx);
            let existing = support_case::Entity::find()
                .filter(support_case::Column::CreatedBy.eq(&a.user.id))
                .filter(support_case::Column::IdempotencyKey.eq(key))
                .one(db)
                .await?;
            return existing.map(|c| c.id).ok_or(AppError::Internal);
        }
        Err(err) => return Err(err.into()),
    };
    for o in &ozg_ids {
        case_ozg::ActiveModel { case_id: Set(c.id), ozg_id: Set(o.clone()) }.insert(&tx).await?;
    }
    event(&tx, c.id, a.now, Some(&a.user.id), "created", true, format!("Fall angelegt für {} (Kategorie »{}«).", org.name, category.label)).await?;
    index_text(&tx, c.id, false, &format!("{}\n{}", c.subject, c.description)).await?;
    crate::cases::service::mark_read(&tx, &a.user.id, c.id, a.now).await?;
    tx.commit().await?;
    Ok(c.id)
}

/// Applies a patch to a loaded case inside a transaction (without the version check).
async fn apply_patch(
    tx: &impl ConnectionTrait,
    a: &Actor<'_>,
    s: &SlaSettings,
    c: &mut support_case::Model,
    p: &CasePatch,
    notes: &mut Vec<Note>,
) -> Result<(), AppError> {
    let mut e = BTreeMap::new();
    let status_changes = p.status.is_some_and(|s| s != status_of(c));
    if let Some(to) = p.status {
        let from = status_of(c);
        if from != to {
            if !from.may_become(to) {
                add(
                    &mut e,
                    "status",
                    format!(
                        "Fall {}: von »{}« ist kein Wechsel nach »{}« möglich (erlaubt: {}).",
                        c.id,
                        from.label(),
                        to.label(),
                        if from.next().is_empty() { "keiner".to_string() } else { from.next().iter().map(|s| format!("»{}«", s.label())).collect::<Vec<_>>().join(", ") }
                    ),
                );
            } else {
                set_status(c, to, s, a.now);
                let text = if from == CaseStatus::Solved && to == CaseStatus::InProgress {
                    "Fall wiedereröffnet: Status »In Bearbeitung«.".to_string()
                } else {
                    format!("Status von »{}« auf »{}« geändert.", from.label(), to.label())
                };
                event(tx, c.id, a.now, Some(&a.user.id), "status", true, text.clone()).await?;
                notes.push(Note::Kommune { kind: "status", text: format!("Fall {} »{}«: {text}", c.id, c.subject) });
            }
        }
    }
    if let Some(owner) = &p.owner_id {
        let owner = owner.trim();
        let new = if owner.is_empty() { None } else { Some(owner.to_string()) };
        if new != c.owner_id {
            let mut name = None;
            if let Some(id) = &new {
                match app_user::Entity::find_by_id(id.clone()).one(tx).await? {
                    Some(u) if u.role == "advisor" && u.active => name = Some(u.name),
                    _ => add(&mut e, "owner_id", "Zuständig kann nur eine aktive Person der Landesberatung sein."),
                }
            }
            if e.get("owner_id").is_none() {
                event(tx, c.id, a.now, Some(&a.user.id), "owner", false, match &name {
                    Some(n) => format!("Zuständig: {n}."),
                    None => "Zuständigkeit aufgehoben.".into(),
                })
                .await?;
                if let Some(id) = &new {
                    notes.push(Note::Users { ids: vec![id.clone()], kind: "assigned", text: format!("Fall {} »{}« wurde Ihnen zugewiesen.", c.id, c.subject) });
                }
                c.owner_id = new;
            }
        }
    }
    if let Some(team) = &p.team {
        let team = team.trim();
        let new = if team.is_empty() { None } else { Some(team.to_string()) };
        if new != c.team_id {
            let mut found = None;
            if let Some(id) = &new {
                match case_team::Entity::find_by_id(id.clone()).one(tx).await? {
                    Some(t) if t.active => found = Some(t),
                    _ => add(&mut e, "team", "Dieses Team gibt es nicht (mehr)."),
                }
            }
            if e.get("team").is_none() {
                event(tx, c.id, a.now, Some(&a.user.id), "team", false, match &found {
                    Some(t) => format!("Team: {}.", t.name),
                    None => "Team entfernt.".into(),
                })
                .await?;
                if let Some(lead) = found.as_ref().and_then(|t| t.lead_user_id.clone()) {
                    notes.push(Note::Users { ids: vec![lead], kind: "assigned", text: format!("Fall {} »{}« wurde Ihrem Team zugewiesen.", c.id, c.subject) });
                }
                c.team_id = new;
            }
        }
    }
    if let Some(p2) = p.priority
        && p2 != priority_of(c)
    {
        event(tx, c.id, a.now, Some(&a.user.id), "priority", false, format!("Priorität von »{}« auf »{}« geändert.", priority_of(c).label(), p2.label())).await?;
        c.priority = p2.code().to_string();
        let (old_r, old_s) = (c.response_due_at, c.resolution_due_at);
        recompute_dues(c, s, a.now);
        if (old_r, old_s) != (c.response_due_at, c.resolution_due_at) {
            event(
                tx,
                c.id,
                a.now,
                Some(&a.user.id),
                "sla",
                false,
                format!(
                    "Servicezeiten neu berechnet: erste Antwort bis {}, Lösung bis {}.",
                    crate::core::time::format_berlin(c.response_due_at),
                    crate::core::time::format_berlin(c.resolution_due_at)
                ),
            )
            .await?;
        }
    }
    if let Some(tags) = &p.tags {
        let mut clean: Vec<String> = Vec::new();
        for t in tags {
            let t = t.trim();
            if t.is_empty() {
                continue;
            }
            if t.contains(',') || t.chars().count() > MAX_TAG {
                add(&mut e, "tags", format!("Schlagwort »{t}«: höchstens {MAX_TAG} Zeichen, ohne Komma."));
            } else if !clean.iter().any(|c| c.to_lowercase() == t.to_lowercase()) {
                clean.push(t.to_string());
            }
        }
        if clean.len() > MAX_TAGS {
            add(&mut e, "tags", format!("Höchstens {MAX_TAGS} Schlagwörter je Fall."));
        }
        if e.get("tags").is_none() && clean != tags_of(c) {
            event(tx, c.id, a.now, Some(&a.user.id), "tags", false, if clean.is_empty() { "Schlagwörter entfernt.".into() } else { format!("Schlagwörter: {}.", clean.join(", ")) }).await?;
            c.tags = if clean.is_empty() { String::new() } else { format!(",{},", clean.join(",")) };
        }
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    // A status change is visible to the Kommune and marks the case unread there.
    touch(c, a.now, status_changes);
    Ok(())
}

/// A notification to send once the change is written.
pub enum Note {
    /// To the case's Kommune (its clerks).
    Kommune { kind: &'static str, text: String },
    /// To the Land side (owner, else the team lead).
    Land { kind: &'static str, text: String },
    Users { ids: Vec<String>, kind: &'static str, text: String },
}

async fn send_notes(tx: &impl ConnectionTrait, a: &Actor<'_>, c: &support_case::Model, notes: Vec<Note>) -> Result<(), AppError> {
    for n in notes {
        let (ids, kind, text) = match n {
            Note::Kommune { kind, text } => (notify::clerks_of(tx, &c.organisation_id).await?, kind, text),
            Note::Land { kind, text } => (land_recipients(tx, c).await?, kind, text),
            Note::Users { ids, kind, text } => (ids, kind, text),
        };
        notify::notify(tx, a.config, &ids, Some(&a.user.id), Some(c.id), kind, &text, a.now).await?;
    }
    Ok(())
}

fn require_advisor(scope: &Scope) -> Result<(), AppError> {
    match scope {
        Scope::Land => Ok(()),
        Scope::Public => Err(AppError::Unauthorized),
        _ => Err(AppError::Forbidden),
    }
}

/// Changes status, owner, team, priority or tags (advisors only), based on `p.version`.
#[tracing::instrument(skip_all, fields(case = id))]
pub async fn patch(db: &DatabaseConnection, a: &Actor<'_>, id: i64, p: &CasePatch) -> Result<(), AppError> {
    let c = crate::cases::service::load_for(db, a.scope, id).await?;
    require_advisor(a.scope)?;
    if c.version != p.version {
        return Err(stale());
    }
    let s = sla::settings(db).await?;
    let tx = begin_write(db).await?;
    let mut c = load(&tx, id).await?;
    let expected = p.version;
    let mut notes = Vec::new();
    apply_patch(&tx, a, &s, &mut c, p, &mut notes).await?;
    let c = save(&tx, c, expected).await?;
    send_notes(&tx, a, &c, notes).await?;
    crate::cases::service::mark_read(&tx, &a.user.id, id, a.now).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a message inside a transaction: the workflow effects of a reply included.
async fn apply_message(
    tx: &impl ConnectionTrait,
    a: &Actor<'_>,
    s: &SlaSettings,
    c: &mut support_case::Model,
    body: &str,
    internal: bool,
    notes: &mut Vec<Note>,
) -> Result<String, AppError> {
    let advisor = is_advisor(a.scope);
    if internal && !advisor {
        return Err(AppError::Forbidden);
    }
    let mut e = BTreeMap::new();
    check_text(&mut e, "body", "einen Text", body, MAX_BODY);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let status = status_of(c);
    if status == CaseStatus::Closed {
        return Err(AppError::Conflict(format!(
            "Fall {} ist geschlossen. Bitte legen Sie für ein neues Anliegen einen neuen Fall an.",
            c.id
        )));
    }
    if !advisor && !kommune_may_reply(c, a.now) {
        return Err(AppError::Conflict(format!(
            "Fall {} wurde vor mehr als {REOPEN_DAYS} Tagen gelöst und kann nicht mehr wiedereröffnet werden. Bitte legen Sie einen neuen Fall an.",
            c.id
        )));
    }
    let id = uuid::Uuid::now_v7().to_string();
    case_message::ActiveModel {
        id: Set(id.clone()),
        case_id: Set(c.id),
        author_user_id: Set(Some(a.user.id.clone())),
        author_side: Set(if advisor { "land" } else { "kommune" }.into()),
        internal: Set(internal),
        body: Set(body.trim().to_string()),
        created_at: Set(a.now),
    }
    .insert(tx)
    .await?;
    index_text(tx, c.id, internal, body.trim()).await?;
    let preview: String = body.trim().chars().take(80).collect();
    if internal {
        event(tx, c.id, a.now, Some(&a.user.id), "note", false, "Interne Notiz hinzugefügt.".into()).await?;
    } else if advisor {
        event(tx, c.id, a.now, Some(&a.user.id), "message", true, "Antwort der Landesberatung.".into()).await?;
        if c.first_response_at.is_none() {
            c.first_response_at = Some(a.now);
        }
        notes.push(Note::Kommune { kind: "reply", text: format!("Neue Antwort zu Fall {} »{}«: {preview}", c.id, c.subject) });
    } else {
        event(tx, c.id, a.now, Some(&a.user.id), "message", true, "Antwort der Kommune.".into()).await?;
        if matches!(status, CaseStatus::Waiting | CaseStatus::Solved) {
            set_status(c, CaseStatus::InProgress, s, a.now);
            let text = if status == CaseStatus::Solved {
                "Fall durch Antwort der Kommune wiedereröffnet: Status »In Bearbeitung«."
            } else {
                "Antwort der Kommune: Status wieder »In Bearbeitung«."
            };
            event(tx, c.id, a.now, Some(&a.user.id), "status", true, text.into()).await?;
        }
        notes.push(Note::Land { kind: "kommune_reply", text: format!("Die Kommune hat auf Fall {} »{}« geantwortet: {preview}", c.id, c.subject) });
    }
    touch(c, a.now, !internal);
    Ok(id)
}

/// A reply (public) or an internal note (advisors only). Returns the message id.
#[tracing::instrument(skip_all, fields(case = id))]
pub async fn add_message(db: &DatabaseConnection, a: &Actor<'_>, id: i64, body: &str, internal: bool) -> Result<String, AppError> {
    crate::cases::service::load_for(db, a.scope, id).await?;
    if !matches!(a.scope, Scope::Land | Scope::Municipal { .. }) {
        return Err(AppError::Forbidden);
    }
    let s = sla::settings(db).await?;
    let tx = begin_write(db).await?;
    let mut c = load(&tx, id).await?;
    let expected = c.version;
    let mut notes = Vec::new();
    let mid = apply_message(&tx, a, &s, &mut c, body, internal, &mut notes).await?;
    let c = save(&tx, c, expected).await?;
    send_notes(&tx, a, &c, notes).await?;
    crate::cases::service::mark_read(&tx, &a.user.id, id, a.now).await?;
    tx.commit().await?;
    Ok(mid)
}

/// The Kommune confirms the solution: the case closes.
#[tracing::instrument(skip_all, fields(case = id))]
pub async fn confirm(db: &DatabaseConnection, a: &Actor<'_>, id: i64) -> Result<(), AppError> {
    let c = crate::cases::service::load_for(db, a.scope, id).await?;
    if !matches!(a.scope, Scope::Municipal { .. }) {
        return Err(AppError::Forbidden);
    }
    if status_of(&c) != CaseStatus::Solved {
        return Err(AppError::Conflict("Nur ein gelöster Fall kann bestätigt werden.".into()));
    }
    let s = sla::settings(db).await?;
    let tx = begin_write(db).await?;
    let mut c = load(&tx, id).await?;
    let expected = c.version;
    set_status(&mut c, CaseStatus::Closed, &s, a.now);
    touch(&mut c, a.now, true);
    event(&tx, id, a.now, Some(&a.user.id), "status", true, "Lösung von der Kommune bestätigt: Fall geschlossen.".into()).await?;
    let c = save(&tx, c, expected).await?;
    send_notes(&tx, a, &c, vec![Note::Land { kind: "kommune_reply", text: format!("Die Kommune hat die Lösung von Fall {} »{}« bestätigt.", c.id, c.subject) }]).await?;
    tx.commit().await?;
    Ok(())
}

/// Links two cases as related (advisors only).
#[tracing::instrument(skip_all)]
pub async fn link(db: &DatabaseConnection, a: &Actor<'_>, id: i64, other: i64) -> Result<(), AppError> {
    require_advisor(a.scope)?;
    if id == other {
        return Err(AppError::field("other", "Ein Fall kann nicht mit sich selbst verknüpft werden."));
    }
    load(db, id).await?;
    if support_case::Entity::find_by_id(other).one(db).await?.is_none() {
        return Err(AppError::field("other", format!("Fall {other} gibt es nicht.")));
    }
    let tx = begin_write(db).await?;
    let exists = case_link::Entity::find_by_id((id, other)).one(&tx).await?.is_some();
    if !exists {
        for (x, y) in [(id, other), (other, id)] {
            case_link::ActiveModel { case_id: Set(x), other_id: Set(y), created_at: Set(a.now) }.insert(&tx).await?;
            event(&tx, x, a.now, Some(&a.user.id), "link", false, format!("Verknüpft mit Fall {y}.")).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Marks a case as duplicate of another case of the same Kommune and closes it; the Kommune
/// sees where it continues.
#[tracing::instrument(skip_all, fields(case = id))]
pub async fn mark_duplicate(db: &DatabaseConnection, a: &Actor<'_>, id: i64, of: i64, version: i32) -> Result<(), AppError> {
    require_advisor(a.scope)?;
    let c = load(db, id).await?;
    if id == of {
        return Err(AppError::field("other", "Ein Fall kann kein Duplikat von sich selbst sein."));
    }
    let Some(target) = support_case::Entity::find_by_id(of).one(db).await? else {
        return Err(AppError::field("other", format!("Fall {of} gibt es nicht.")));
    };
    if target.organisation_id != c.organisation_id {
        return Err(AppError::field("other", "Ein Duplikat muss zu einem Fall derselben Kommune gehören, damit die Kommune ihn weiter verfolgen kann."));
    }
    if target.duplicate_of.is_some() || status_of(&target) == CaseStatus::Closed {
        return Err(AppError::field("other", format!("Fall {of} ist selbst geschlossen; bitte wählen Sie den Fall, in dem es weitergeht.")));
    }
    if status_of(&c) == CaseStatus::Closed {
        return Err(AppError::Conflict(format!("Fall {id} ist bereits geschlossen.")));
    }
    let s = sla::settings(db).await?;
    let tx = begin_write(db).await?;
    let mut c = load(&tx, id).await?;
    if c.version != version {
        return Err(stale());
    }
    c.duplicate_of = Some(of);
    set_status(&mut c, CaseStatus::Closed, &s, a.now);
    touch(&mut c, a.now, true);
    event(&tx, id, a.now, Some(&a.user.id), "duplicate", true, format!("Als Duplikat geschlossen: weiter in Fall {of} »{}«.", target.subject)).await?;
    event(&tx, of, a.now, Some(&a.user.id), "duplicate", false, format!("Fall {id} wurde als Duplikat dieses Falls geschlossen.")).await?;
    let c = save(&tx, c, version).await?;
    send_notes(&tx, a, &c, vec![Note::Kommune { kind: "status", text: format!("Fall {id} »{}« wird in Fall {of} weitergeführt.", c.subject) }]).await?;
    tx.commit().await?;
    Ok(())
}

/// A bulk action on selected cases or on every case matching a filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkAction {
    #[serde(default)]
    pub ids: Vec<i64>,
    #[serde(default)]
    pub filter: Option<CaseFilter>,
    #[serde(default)]
    pub status: Option<CaseStatus>,
    #[serde(default)]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default)]
    pub team: Option<String>,
    /// Added to each case's tags.
    #[serde(default)]
    pub add_tag: Option<String>,
    /// The same public reply to every case.
    #[serde(default)]
    pub reply: Option<String>,
}

/// The most cases one bulk action may change.
pub const MAX_BULK_CASES: usize = 500;

/// Applies a bulk action: all cases or none (every refusal named with its case).
#[tracing::instrument(skip_all)]
pub async fn bulk(db: &DatabaseConnection, a: &Actor<'_>, action: &BulkAction) -> Result<usize, AppError> {
    require_advisor(a.scope)?;
    let ids = match &action.filter {
        Some(f) => crate::cases::service::inbox::matching_ids(db, a.scope, a.user, f, a.now, MAX_BULK_CASES as u64 + 1).await?,
        None => action.ids.clone(),
    };
    // Each case once, and a bounded number: the transaction holds the write lock while it works.
    let mut seen = std::collections::HashSet::new();
    let ids: Vec<i64> = ids.into_iter().filter(|i| seen.insert(*i)).collect();
    if ids.len() > MAX_BULK_CASES {
        return Err(AppError::field(
            "",
            format!("Eine Sammelaktion umfasst höchstens {MAX_BULK_CASES} Fälle; ausgewählt sind mehr. Bitte schränken Sie die Auswahl ein."),
        ));
    }
    if ids.is_empty() {
        return Err(AppError::field("", "Bitte wählen Sie mindestens einen Fall."));
    }
    let nothing = action.status.is_none()
        && action.owner_id.is_none()
        && action.priority.is_none()
        && action.team.is_none()
        && action.add_tag.as_deref().is_none_or(|t| t.trim().is_empty())
        && action.reply.as_deref().is_none_or(|r| r.trim().is_empty());
    if nothing {
        return Err(AppError::field("", "Bitte wählen Sie mindestens eine Änderung oder schreiben Sie eine Antwort."));
    }
    let s = sla::settings(db).await?;
    let tx = begin_write(db).await?;
    let mut problems: Vec<String> = Vec::new();
    let mut done = 0;
    for id in ids {
        let Some(mut c) = support_case::Entity::find_by_id(id).one(&tx).await? else {
            problems.push(format!("Fall {id} gibt es nicht."));
            continue;
        };
        let expected = c.version;
        let mut notes = Vec::new();
        let mut tags = None;
        if let Some(t) = action.add_tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let mut all = tags_of(&c);
            if !all.iter().any(|x| x.to_lowercase() == t.to_lowercase()) {
                all.push(t.to_string());
            }
            tags = Some(all);
        }
        // The reply goes first: a bulk "reply and solve" answers, then solves.
        if let Some(r) = action.reply.as_deref().filter(|r| !r.trim().is_empty()) {
            if let Err(err) = apply_message(&tx, a, &s, &mut c, r, false, &mut notes).await {
                problems.push(format!("Fall {id}: {}", err.summary().join(" ")));
                continue;
            }
        }
        let p = CasePatch { version: expected, status: action.status, owner_id: action.owner_id.clone(), priority: action.priority, team: action.team.clone(), tags };
        match apply_patch(&tx, a, &s, &mut c, &p, &mut notes).await {
            Ok(()) => {
                let c = save(&tx, c, expected).await?;
                send_notes(&tx, a, &c, notes).await?;
                done += 1;
            }
            Err(err) => problems.push(err.summary().iter().map(|m| if m.starts_with("Fall ") { m.clone() } else { format!("Fall {id}: {m}") }).collect::<Vec<_>>().join(" ")),
        }
    }
    if !problems.is_empty() {
        tx.rollback().await?;
        let mut map = BTreeMap::new();
        map.insert(String::new(), {
            let mut v = vec!["Die Sammelaktion wurde nicht ausgeführt; kein Fall wurde geändert:".to_string()];
            v.extend(problems);
            v
        });
        return Err(AppError::Validation(map));
    }
    tx.commit().await?;
    Ok(done)
}
