//! The Leistungsregister service: reading and writing one Kommune's record of an OZG-Leistung,
//! with validation, optimistic concurrency (`version`) and a complete history. Every function
//! takes the caller's `Scope`; nothing here trusts an id from the request to define access.

pub mod csv;
pub mod progress;

use crate::core::entities::{app_user, organisation, ozg_service, service_record, service_record_history};
use crate::catalogue::service::criteria::Known;
use crate::access::scope::Scope;
use crate::core::session::CurrentUser;
use crate::register::model::{FieldChange, HistoryEntry, MaturityModel, criteria_to_text, Responsibility, ServiceRecord, ServiceRecordInput, SolutionKind, Stage};
use crate::error::AppError;
use crate::accounts::model::OrgKind;
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    Set, SqlErr,
};
use std::collections::BTreeMap;

pub const MAX_NOTE: usize = 4000;
pub const MAX_SHORT: usize = 200;
pub const MAX_URL: usize = 2000;
pub const MAX_CONTACT: usize = 300;
pub const MAX_REASON: usize = 1000;

/// Finds a Kommune by its key (AGS, or Verbandsschlüssel for a Verbandsgemeinde).
#[tracing::instrument(skip_all)]
pub async fn kommune(db: &impl ConnectionTrait, key: &str) -> Result<organisation::Model, AppError> {
    match crate::catalogue::service::orgs::by_key(db, key).await? {
        Some(o) if OrgKind::from_code(&o.kind).is_some_and(OrgKind::is_kommune) => Ok(o),
        _ => Err(AppError::NotFound),
    }
}

/// Read access to one Kommune's register. Associations and the public never see a single
/// record; they get 403, as does a clerk of another Kommune.
pub fn check_read(scope: &Scope, org: &organisation::Model) -> Result<(), AppError> {
    match scope {
        Scope::Public => Err(AppError::Unauthorized),
        s if s.may_read_kommune(&org.id) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// Write access: only a clerk acting for that Kommune (own, or member of their Verbandsgemeinde).
pub fn check_write(scope: &Scope, org: &organisation::Model) -> Result<(), AppError> {
    match scope {
        Scope::Public => Err(AppError::Unauthorized),
        s if s.may_act_for(&org.id) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

fn add(e: &mut BTreeMap<String, Vec<String>>, field: &str, message: String) {
    e.entry(field.to_string()).or_default().push(message);
}

fn today_berlin() -> NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Berlin).date_naive()
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

fn fmt_date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn trimmed(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A validated, normalised input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Valid {
    pub input: ServiceRecordInput,
    pub dates: BTreeMap<Stage, NaiveDate>,
    pub planned: Option<NaiveDate>,
}

/// Checks an input against every rule; all problems are reported at once, per field, in German.
pub fn validate(raw: &ServiceRecordInput, known: &Known) -> Result<Valid, AppError> {
    validate_on(raw, today_berlin(), known)
}

pub fn validate_on(raw: &ServiceRecordInput, today: NaiveDate, known: &Known) -> Result<Valid, AppError> {
    let mut e: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut input = raw.clone();
    input.responsibility_note = trimmed(&raw.responsibility_note);
    input.solution_name = trimmed(&raw.solution_name);
    input.solution_provider = trimmed(&raw.solution_provider);
    input.url = trimmed(&raw.url);
    input.contact = trimmed(&raw.contact);
    input.note = trimmed(&raw.note);
    input.planned_go_live = trimmed(&raw.planned_go_live);

    if input.responsibility == Responsibility::Other {
        if input.responsibility_note.is_none() {
            add(&mut e, "responsibility_note", "Bitte begründen Sie, warum die Kommune nicht zuständig ist (z. B. »Landkreis«).".into());
        }
        if input.offered {
            add(&mut e, "offered", "Eine Leistung, für die die Kommune nicht zuständig ist, kann sie nicht selbst anbieten.".into());
        }
    }
    if input.responsibility_note.as_ref().is_some_and(|n| n.chars().count() > MAX_REASON) {
        add(&mut e, "responsibility_note", format!("Die Begründung darf höchstens {MAX_REASON} Zeichen lang sein."));
    }

    let mut dates = BTreeMap::new();
    for (stage, text) in &raw.stage_dates {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        match parse_date(text) {
            None => add(&mut e, "stage_dates", format!("Datum für »{}«: »{text}« ist kein Datum der Form JJJJ-MM-TT.", stage.label())),
            Some(_) if *stage == Stage::NotStarted => {
                add(&mut e, "stage_dates", "Für »nicht begonnen« wird kein Datum erfasst.".into());
            }
            Some(d) if d > today => add(&mut e, "stage_dates", format!("Das Datum für »{}« ({}) liegt in der Zukunft.", stage.label(), fmt_date(d))),
            Some(_) if *stage > input.stage && input.stage != Stage::Discontinued => add(
                &mut e,
                "stage_dates",
                format!("Für »{}« ist ein Datum angegeben, der Stand ist aber erst »{}«.", stage.label(), input.stage.label()),
            ),
            Some(d) => {
                dates.insert(*stage, d);
            }
        }
    }
    // Stages are reached in order: a later stage cannot have an earlier date.
    let ordered: Vec<(&Stage, &NaiveDate)> = dates.iter().collect();
    for pair in ordered.windows(2) {
        let ((s1, d1), (s2, d2)) = (pair[0], pair[1]);
        if d2 < d1 {
            add(
                &mut e,
                "stage_dates",
                format!("»{}« ({}) kann nicht vor »{}« ({}) erreicht worden sein.", s2.label(), fmt_date(*d2), s1.label(), fmt_date(*d1)),
            );
        }
    }
    // The date the current stage was reached defaults to today.
    if input.stage != Stage::NotStarted && !dates.contains_key(&input.stage) && !e.contains_key("stage_dates") {
        let earlier_max = dates.values().max().copied();
        if earlier_max.is_none_or(|m| m <= today) {
            dates.insert(input.stage, today);
        }
    }
    input.stage_dates = dates.iter().map(|(s, d)| (*s, d.format("%Y-%m-%d").to_string())).collect();

    let planned = match &input.planned_go_live {
        None => None,
        Some(t) => match parse_date(t) {
            Some(d) => {
                input.planned_go_live = Some(d.format("%Y-%m-%d").to_string());
                Some(d)
            }
            None => {
                add(&mut e, "planned_go_live", format!("»{t}« ist kein Datum der Form JJJJ-MM-TT."));
                None
            }
        },
    };

    check_criteria(&mut input, known, &mut e);
    match (input.maturity_model, input.maturity_level) {
        (None, None) => {}
        (Some(_), None) => add(&mut e, "maturity_level", "Bitte geben Sie zum Reifegradmodell auch den Reifegrad an.".into()),
        (None, Some(_)) => add(&mut e, "maturity_model", "Bitte geben Sie an, nach welchem Reifegradmodell (1.1 oder 2.0) bewertet wurde.".into()),
        (Some(m), Some(l)) if !(0..=m.max_level()).contains(&l) => add(
                &mut e,
            "maturity_level",
            format!("Im Reifegradmodell {} liegt der Reifegrad zwischen 0 und {}; {l} ist nicht möglich.", m.code(), m.max_level()),
        ),
        _ => {}
    }

    if input.solution_kind == Some(SolutionKind::Efa) {
        if input.solution_name.is_none() {
            add(&mut e, "solution_name", "Bitte nennen Sie die nachgenutzte EfA-Leistung.".into());
        }
        if input.solution_provider.is_none() {
            add(&mut e, "solution_provider", "Bitte nennen Sie das Land, das die EfA-Leistung bereitstellt.".into());
        }
    }
    for (field, value, max) in [
        ("solution_name", &input.solution_name, MAX_SHORT),
        ("solution_provider", &input.solution_provider, MAX_SHORT),
        ("contact", &input.contact, MAX_CONTACT),
        ("note", &input.note, MAX_NOTE),
    ] {
        if value.as_ref().is_some_and(|v| v.chars().count() > max) {
            add(&mut e, field, format!("Höchstens {max} Zeichen sind möglich."));
        }
    }
    if let Some(url) = &input.url
        && let Err(m) = check_url(url)
    {
        add(&mut e, "url", m);
    }
    if input.version < 0 {
        add(&mut e, "version", "Die Version ist ungültig.".into());
    }
    if e.is_empty() { Ok(Valid { input, dates, planned }) } else { Err(AppError::Validation(e)) }
}

/// The per-criterion assessment: known criteria of the chosen model, levels in the model's
/// range; when any criterion is rated, the lowest rated one sets the Reifegrad (filled in when
/// no level was given, refused when a different level was given).
fn check_criteria(input: &mut ServiceRecordInput, known: &Known, e: &mut BTreeMap<String, Vec<String>>) {
    if input.maturity_criteria.is_empty() {
        return;
    }
    let Some(model) = input.maturity_model else {
        add(e, "maturity_criteria", "Eine Kriterienbewertung braucht das Reifegradmodell, nach dem bewertet wurde.".into());
        return;
    };
    let mut ok = true;
    for (code, level) in &input.maturity_criteria {
        if !known.contains(model, code) {
            add(e, "maturity_criteria", format!("Das Reifegradmodell {} kennt kein Kriterium »{code}«.", model.code()));
            ok = false;
        } else if let Some(l) = level
            && !(0..=model.max_level()).contains(l)
        {
            add(
                e,
                "maturity_criteria",
                format!("Kriterium »{code}«: im Reifegradmodell {} liegt die Stufe zwischen 0 und {}; {l} ist nicht möglich.", model.code(), model.max_level()),
            );
            ok = false;
        }
    }
    let lowest = input.maturity_criteria.values().flatten().min().copied();
    if !ok {
        return;
    }
    match (lowest, input.maturity_level) {
        (Some(l), None) => input.maturity_level = Some(l),
        (Some(l), Some(given)) if given != l => add(
            e,
            "maturity_level",
            format!("Der Reifegrad ergibt sich aus dem niedrigsten bewerteten Kriterium und ist daher {l}, nicht {given}."),
        ),
        _ => {}
    }
}

/// An absolute http(s) address without spaces or control characters.
pub fn check_url(url: &str) -> Result<(), String> {
    if url.chars().count() > MAX_URL {
        return Err(format!("Die Adresse darf höchstens {MAX_URL} Zeichen lang sein."));
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Err("Bitte geben Sie eine vollständige Adresse an, die mit https:// oder http:// beginnt.".into());
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.starts_with('.') || !host.contains('.') && !host.starts_with("localhost") {
        return Err("Die Adresse enthält keinen gültigen Servernamen.".into());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == '"') {
        return Err("Die Adresse darf keine Leerzeichen, Anführungszeichen oder spitzen Klammern enthalten.".into());
    }
    Ok(())
}

pub fn default_input() -> ServiceRecordInput {
    ServiceRecordInput {
        offered: false,
        responsibility: Responsibility::Own,
        responsibility_note: None,
        stage: Stage::NotStarted,
        stage_dates: BTreeMap::new(),
        planned_go_live: None,
        maturity_model: None,
        maturity_level: None,
        maturity_criteria: BTreeMap::new(),
        solution_kind: None,
        solution_name: None,
        solution_provider: None,
        url: None,
        contact: None,
        note: None,
        version: 0,
    }
}

/// The stored record as the input it would take to produce it.
pub fn input_of(m: &service_record::Model) -> ServiceRecordInput {
    ServiceRecordInput {
        offered: m.offered,
        responsibility: if m.responsibility == "other" { Responsibility::Other } else { Responsibility::Own },
        responsibility_note: m.responsibility_note.clone(),
        stage: Stage::from_code(&m.stage).unwrap_or(Stage::NotStarted),
        stage_dates: serde_json::from_str(&m.stage_dates).unwrap_or_default(),
        planned_go_live: m.planned_go_live.map(|d| d.format("%Y-%m-%d").to_string()),
        maturity_model: m.maturity_model.as_deref().and_then(MaturityModel::from_code),
        maturity_level: m.maturity_level,
        maturity_criteria: m.maturity_criteria.as_deref().and_then(|c| serde_json::from_str(c).ok()).unwrap_or_default(),
        solution_kind: m.solution_kind.as_deref().and_then(SolutionKind::from_code),
        solution_name: m.solution_name.clone(),
        solution_provider: m.solution_provider.clone(),
        url: m.url.clone(),
        contact: m.contact.clone(),
        note: m.note.clone(),
        version: m.version,
    }
}

/// Field-by-field differences between two inputs (versions ignored), as stored in the history.
pub fn diff(old: &ServiceRecordInput, new: &ServiceRecordInput) -> Vec<FieldChange> {
    fn s<T: serde::Serialize>(v: &T) -> Option<String> {
        match serde_json::to_value(v).ok()? {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s),
            other => Some(other.to_string()),
        }
    }
    let mut out = Vec::new();
    let mut push = |field: &str, a: Option<String>, b: Option<String>| {
        if a != b {
            out.push(FieldChange { field: field.to_string(), old: a, new: b });
        }
    };
    push("offered", s(&old.offered), s(&new.offered));
    push("responsibility", s(&old.responsibility), s(&new.responsibility));
    push("responsibility_note", old.responsibility_note.clone(), new.responsibility_note.clone());
    push("stage", s(&old.stage), s(&new.stage));
    push("stage_dates", s(&old.stage_dates), s(&new.stage_dates));
    push("planned_go_live", old.planned_go_live.clone(), new.planned_go_live.clone());
    push("maturity_model", s(&old.maturity_model), s(&new.maturity_model));
    push("maturity_level", s(&old.maturity_level), s(&new.maturity_level));
    let criteria = |c: &BTreeMap<String, Option<i16>>| (!c.is_empty()).then(|| criteria_to_text(c));
    push("maturity_criteria", criteria(&old.maturity_criteria), criteria(&new.maturity_criteria));
    push("solution_kind", s(&old.solution_kind), s(&new.solution_kind));
    push("solution_name", old.solution_name.clone(), new.solution_name.clone());
    push("solution_provider", old.solution_provider.clone(), new.solution_provider.clone());
    push("url", old.url.clone(), new.url.clone());
    push("contact", old.contact.clone(), new.contact.clone());
    push("note", old.note.clone(), new.note.clone());
    out
}

async fn user_name(db: &impl ConnectionTrait, id: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(id) = id else { return Ok(None) };
    Ok(app_user::Entity::find_by_id(id.to_string()).one(db).await?.map(|u| u.name))
}

async fn org_name(db: &impl ConnectionTrait, id: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(id) = id else { return Ok(None) };
    Ok(organisation::Entity::find_by_id(id.to_string()).one(db).await?.map(|o| o.name))
}

async fn service(db: &impl ConnectionTrait, ozg_id: &str) -> Result<Option<ozg_service::Model>, AppError> {
    Ok(ozg_service::Entity::find_by_id(ozg_id.to_string()).one(db).await?)
}

#[tracing::instrument(skip_all)]
pub async fn record_of(db: &impl ConnectionTrait, org_id: &str, ozg_id: &str) -> Result<Option<service_record::Model>, AppError> {
    Ok(service_record::Entity::find()
        .filter(service_record::Column::OrganisationId.eq(org_id))
        .filter(service_record::Column::OzgId.eq(ozg_id))
        .one(db)
        .await?)
}

async fn to_dto(db: &impl ConnectionTrait, org: &organisation::Model, svc: &ozg_service::Model, rec: Option<&service_record::Model>) -> Result<ServiceRecord, AppError> {
    Ok(match rec {
        None => ServiceRecord {
            municipality: org.key.clone(),
            ozg_id: svc.ozg_id.clone(),
            service_name: svc.name.clone(),
            data: default_input(),
            updated_at: None,
            updated_by: None,
            acting_organisation: None,
        },
        Some(r) => ServiceRecord {
            municipality: org.key.clone(),
            ozg_id: svc.ozg_id.clone(),
            service_name: svc.name.clone(),
            data: input_of(r),
            updated_at: Some(r.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            updated_by: user_name(db, r.updated_by.as_deref()).await?,
            acting_organisation: org_name(db, r.acting_org_id.as_deref()).await?,
        },
    })
}

/// One record (an untouched service reads as "nicht begonnen", version 0).
#[tracing::instrument(skip_all)]
pub async fn get(db: &DatabaseConnection, scope: &Scope, key: &str, ozg_id: &str) -> Result<ServiceRecord, AppError> {
    let org = kommune(db, key).await?;
    check_read(scope, &org)?;
    let svc = service(db, ozg_id).await?.ok_or(AppError::NotFound)?;
    let rec = record_of(db, &org.id, ozg_id).await?;
    to_dto(db, &org, &svc, rec.as_ref()).await
}

/// The organisation a clerk acts through for `org`: the organisation itself if they belong
/// to it, else the Verbandsgemeinde that administers it.
pub fn acting_org(user: &CurrentUser, org: &organisation::Model) -> String {
    if user.organisations.iter().any(|o| o.id == org.id) {
        return org.id.clone();
    }
    user.organisations
        .iter()
        .find(|o| o.members.iter().any(|m| m.id == org.id))
        .map(|o| o.id.clone())
        .unwrap_or_else(|| org.id.clone())
}

fn conflict_message(current: &ServiceRecord) -> AppError {
    let d = &current.data;
    let mut facts = vec![format!("Stand »{}«", d.stage.label())];
    if let (Some(m), Some(l)) = (d.maturity_model, d.maturity_level) {
        facts.push(format!("Reifegrad {l} (Modell {})", m.code()));
    }
    if let Some(k) = d.solution_kind {
        facts.push(format!("Lösung »{}«", k.label()));
    }
    let who = match (&current.updated_by, &current.updated_at) {
        (Some(u), Some(t)) => format!(" von {u} ({})", format_iso(t)),
        _ => String::new(),
    };
    AppError::Conflict(format!(
        "Dieser Eintrag wurde inzwischen{who} geändert. Ihre Änderung wurde nicht gespeichert. Aktuell: {}. Bitte laden Sie den Eintrag neu und prüfen Sie Ihre Angaben.",
        facts.join(", ")
    ))
}

fn format_iso(t: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|d| crate::core::time::format_berlin(d.with_timezone(&chrono::Utc)))
        .unwrap_or_else(|_| t.to_string())
}

/// What applying a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The stored values already equal the submitted ones: nothing recorded.
    Unchanged,
    /// Stored as a new version with one history entry.
    Saved,
    /// The submission was based on an older version.
    Stale,
}

/// Applies a validated change inside the caller's write transaction: compares with the stored
/// record, checks the version, writes the record (conditionally on the version read, so
/// concurrent writers on PostgreSQL's READ COMMITTED cannot both win) and one history entry.
/// After `Stale` the transaction must be rolled back.
#[tracing::instrument(skip_all)]
pub async fn apply(
    txn: &crate::core::db::WriteTxn,
    user_id: &str,
    acting_org_id: &str,
    org_id: &str,
    ozg_id: &str,
    valid: &Valid,
) -> Result<Outcome, AppError> {
    let mut changes = Vec::new();
    let now = crate::core::time::now();
    let outcome = write_record(txn, user_id, acting_org_id, org_id, ozg_id, valid, now, &mut changes).await?;
    if outcome == Outcome::Saved {
        crate::lagebild::service::rollup::apply_changes(txn, org_id, &changes, now).await?;
    }
    Ok(outcome)
}

/// Writes one record and its history entry; what the rollups must learn is added to `changes`.
async fn write_record(
    txn: &crate::core::db::WriteTxn,
    user_id: &str,
    acting_org_id: &str,
    org_id: &str,
    ozg_id: &str,
    valid: &Valid,
    now: chrono::DateTime<chrono::Utc>,
    changes_for_rollups: &mut Vec<crate::lagebild::service::rollup::Change>,
) -> Result<Outcome, AppError> {
    let current = record_of(txn, org_id, ozg_id).await?;
    let old_input = current.as_ref().map(input_of).unwrap_or_else(default_input);
    let changes = diff(&old_input, &valid.input);
    let stored_version = current.as_ref().map(|r| r.version).unwrap_or(0);
    if changes.is_empty() {
        return Ok(Outcome::Unchanged);
    }
    if valid.input.version != stored_version {
        return Ok(Outcome::Stale);
    }
    let new_version = stored_version + 1;
    let v = &valid.input;
    let model = service_record::ActiveModel {
        id: Set(current.as_ref().map(|c| c.id.clone()).unwrap_or_else(|| uuid::Uuid::now_v7().to_string())),
        organisation_id: Set(org_id.to_string()),
        ozg_id: Set(ozg_id.to_string()),
        offered: Set(v.offered),
        responsibility: Set(if v.responsibility == Responsibility::Other { "other" } else { "own" }.into()),
        responsibility_note: Set(v.responsibility_note.clone()),
        stage: Set(v.stage.code().into()),
        stage_dates: Set(serde_json::to_string(&v.stage_dates).unwrap_or_else(|_| "{}".into())),
        planned_go_live: Set(valid.planned),
        maturity_model: Set(v.maturity_model.map(|m| m.code().to_string())),
        maturity_level: Set(v.maturity_level),
        maturity_criteria: Set((!v.maturity_criteria.is_empty()).then(|| serde_json::to_string(&v.maturity_criteria).unwrap_or_else(|_| "{}".into()))),
        solution_kind: Set(v.solution_kind.map(|k| k.code().to_string())),
        solution_name: Set(v.solution_name.clone()),
        solution_provider: Set(v.solution_provider.clone()),
        url: Set(v.url.clone()),
        contact: Set(v.contact.clone()),
        note: Set(v.note.clone()),
        version: Set(new_version),
        created_at: Set(current.as_ref().map(|c| c.created_at).unwrap_or(now)),
        updated_at: Set(now),
        updated_by: Set(Some(user_id.to_string())),
        acting_org_id: Set(Some(acting_org_id.to_string())),
    };
    let record_id = match &current {
        None => match model.insert(txn).await {
            Ok(m) => m.id,
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => return Ok(Outcome::Stale),
            Err(e) => return Err(e.into()),
        },
        Some(c) => {
            // The key columns stay as they are (writing them would make SQLite check every
            // history entry pointing at the record).
            let mut model = model;
            model.id = sea_orm::NotSet;
            model.organisation_id = sea_orm::NotSet;
            model.ozg_id = sea_orm::NotSet;
            model.created_at = sea_orm::NotSet;
            let res = service_record::Entity::update_many()
                .set(model)
                .filter(service_record::Column::Id.eq(c.id.clone()))
                .filter(service_record::Column::Version.eq(stored_version))
                .exec(txn)
                .await?;
            if res.rows_affected != 1 {
                return Ok(Outcome::Stale);
            }
            c.id.clone()
        }
    };
    let after = crate::lagebild::service::rollup::Facts {
        other: v.responsibility == Responsibility::Other,
        stage: v.stage.code().into(),
        model: v.maturity_model.map(|m| m.code().to_string()),
        level: v.maturity_level,
        efa: v.solution_kind == Some(SolutionKind::Efa),
        efa_service: crate::lagebild::service::rollup::efa_service(v.solution_kind == Some(SolutionKind::Efa), v.solution_name.as_deref()),
    };
    changes_for_rollups.push(crate::lagebild::service::rollup::Change { ozg_id: ozg_id.to_string(), before: current.as_ref().map(crate::lagebild::service::rollup::Facts::of), after });
    service_record_history::ActiveModel {
        id: sea_orm::NotSet,
        record_id: Set(record_id),
        organisation_id: Set(org_id.to_string()),
        ozg_id: Set(ozg_id.to_string()),
        version: Set(new_version),
        changed_at: Set(now),
        user_id: Set(Some(user_id.to_string())),
        acting_org_id: Set(Some(acting_org_id.to_string())),
        changes: Set(serde_json::to_string(&changes).unwrap_or_else(|_| "[]".into())),
    }
    .insert(txn)
    .await?;
    Ok(Outcome::Saved)
}

/// Applies many validated changes in one transaction. `Ok(Err(i))`: item `i` was stale; the
/// caller must roll back. `Ok(Ok((changed, unchanged)))` otherwise.
#[tracing::instrument(skip_all)]
pub async fn apply_all(
    txn: &crate::core::db::WriteTxn,
    user_id: &str,
    acting_org_id: &str,
    org_id: &str,
    items: &[(&str, &Valid)],
) -> Result<Result<(usize, usize), usize>, AppError> {
    let (mut changed, mut unchanged) = (0, 0);
    let mut rollups = Vec::new();
    let now = crate::core::time::now();
    for (i, (ozg_id, valid)) in items.iter().enumerate() {
        match write_record(txn, user_id, acting_org_id, org_id, ozg_id, valid, now, &mut rollups).await? {
            Outcome::Saved => changed += 1,
            Outcome::Unchanged => unchanged += 1,
            Outcome::Stale => return Ok(Err(i)),
        }
    }
    crate::lagebild::service::rollup::apply_changes(txn, org_id, &rollups, now).await?;
    Ok(Ok((changed, unchanged)))
}

/// Saves a change. Optimistic concurrency: `input.version` must be the stored version (0 for a
/// new record); otherwise 409 — unless the stored values already equal the submitted ones (a
/// double submit), which answers with the stored record and records nothing.
#[tracing::instrument(skip_all, fields(key = %key, ozg_id = %ozg_id))]
pub async fn put(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, key: &str, ozg_id: &str, raw: &ServiceRecordInput) -> Result<ServiceRecord, AppError> {
    let org = kommune(db, key).await?;
    check_write(scope, &org)?;
    let Some(svc) = service(db, ozg_id).await? else {
        return Err(AppError::field("ozg_id", format!("Die OZG-ID »{ozg_id}« ist nicht im Katalog.")));
    };
    let valid = validate(raw, &crate::catalogue::service::criteria::known(db).await?)?;
    let acting = acting_org(user, &org);
    let txn = crate::core::db::begin_write(db).await?;
    let outcome = apply(&txn, &user.id, &acting, &org.id, ozg_id, &valid).await?;
    match outcome {
        Outcome::Saved => txn.commit().await?,
        Outcome::Unchanged | Outcome::Stale => txn.rollback().await?,
    }
    let rec = record_of(db, &org.id, ozg_id).await?;
    let now = to_dto(db, &org, &svc, rec.as_ref()).await?;
    if outcome == Outcome::Stale { Err(conflict_message(&now)) } else { Ok(now) }
}

/// Filters of the service list (all optional).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListFilter {
    pub themenfeld: Option<String>,
    pub lebenslage: Option<String>,
    pub stage: Option<Stage>,
    pub maturity_level: Option<i16>,
    /// With `maturity_level`: the model the level belongs to (levels differ between models).
    pub maturity_model: Option<MaturityModel>,
    pub solution_kind: Option<SolutionKind>,
    pub focus: Option<bool>,
    /// Name, OZG-ID or LeiKa key.
    pub q: Option<String>,
}

/// One row of a Kommune's service list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ListItem {
    pub ozg_id: String,
    pub name: String,
    pub themenfeld: String,
    pub lebenslage: String,
    pub focus: bool,
    pub offered: bool,
    pub responsibility: Responsibility,
    pub stage: Stage,
    pub maturity_model: Option<MaturityModel>,
    pub maturity_level: Option<i16>,
    pub solution_kind: Option<SolutionKind>,
    pub version: i32,
}

/// The OZG-Leistungen of the current catalogue (by OZG-ID) and one Kommune's records by OZG-ID:
/// two queries, however many services there are.
#[tracing::instrument(skip_all)]
pub async fn catalogue_with_records(
    db: &impl ConnectionTrait,
    org_id: &str,
) -> Result<(Vec<ozg_service::Model>, std::collections::HashMap<String, service_record::Model>), AppError> {
    let services = ozg_service::Entity::find()
        .filter(ozg_service::Column::InCatalogue.eq(true))
        .order_by_asc(ozg_service::Column::OzgId)
        .all(db)
        .await?;
    let records = service_record::Entity::find()
        .filter(service_record::Column::OrganisationId.eq(org_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.ozg_id.clone(), r))
        .collect();
    Ok((services, records))
}

/// Every OZG-Leistung of the catalogue with the Kommune's record, filtered, by OZG-ID.
#[tracing::instrument(skip_all)]
pub async fn list(db: &DatabaseConnection, scope: &Scope, key: &str, f: &ListFilter) -> Result<Vec<ListItem>, AppError> {
    let all = list_all(db, scope, key).await?;
    filter_items(db, all, f).await
}

/// Every OZG-Leistung of the catalogue with the Kommune's record, unfiltered, by OZG-ID: two
/// queries, reading only the columns the list shows.
#[tracing::instrument(skip_all)]
pub async fn list_all(db: &DatabaseConnection, scope: &Scope, key: &str) -> Result<Vec<ListItem>, AppError> {
    use sea_orm::QuerySelect;
    let org = kommune(db, key).await?;
    check_read(scope, &org)?;
    let services = ozg_service::Entity::find()
        .filter(ozg_service::Column::InCatalogue.eq(true))
        .order_by_asc(ozg_service::Column::OzgId)
        .all(db)
        .await?;
    type Row = (String, bool, String, String, Option<String>, Option<i16>, Option<String>, i32);
    let records: std::collections::HashMap<String, Row> = service_record::Entity::find()
        .select_only()
        .columns([
            service_record::Column::OzgId,
            service_record::Column::Offered,
            service_record::Column::Responsibility,
            service_record::Column::Stage,
            service_record::Column::MaturityModel,
            service_record::Column::MaturityLevel,
            service_record::Column::SolutionKind,
            service_record::Column::Version,
        ])
        .filter(service_record::Column::OrganisationId.eq(org.id.clone()))
        .into_tuple::<Row>()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.0.clone(), r))
        .collect();
    Ok(services
        .into_iter()
        .map(|s| {
            let r = records.get(&s.ozg_id);
            ListItem {
                offered: r.is_some_and(|r| r.1),
                responsibility: if r.is_some_and(|r| r.2 == "other") { Responsibility::Other } else { Responsibility::Own },
                stage: r.and_then(|r| Stage::from_code(&r.3)).unwrap_or(Stage::NotStarted),
                maturity_model: r.and_then(|r| r.4.as_deref()).and_then(MaturityModel::from_code),
                maturity_level: r.and_then(|r| r.5),
                solution_kind: r.and_then(|r| r.6.as_deref()).and_then(SolutionKind::from_code),
                version: r.map(|r| r.7).unwrap_or(0),
                ozg_id: s.ozg_id,
                name: s.name,
                themenfeld: s.themenfeld,
                lebenslage: s.lebenslage,
                focus: s.focus,
            }
        })
        .collect())
}

/// Applies a filter to a Kommune's list (the LeiKa key search needs one query).
#[tracing::instrument(skip_all)]
pub async fn filter_items(db: &DatabaseConnection, items: Vec<ListItem>, f: &ListFilter) -> Result<Vec<ListItem>, AppError> {
    use crate::core::entities::leika_service;
    let q = f.q.as_ref().map(|q| q.trim().to_lowercase()).filter(|q| !q.is_empty());
    let leika_hits: Option<std::collections::HashSet<String>> = match &q {
        Some(q) if q.len() >= 3 && q.bytes().all(|b| b.is_ascii_digit()) => Some(
            leika_service::Entity::find()
                .filter(leika_service::Column::LeikaKey.starts_with(q.as_str()))
                .all(db)
                .await?
                .into_iter()
                .map(|l| l.ozg_id)
                .collect(),
        ),
        _ => None,
    };
    Ok(items
        .into_iter()
        .filter(|i| {
            f.themenfeld.as_ref().is_none_or(|t| t == &i.themenfeld)
                && f.lebenslage.as_ref().is_none_or(|l| l == &i.lebenslage)
                && f.stage.is_none_or(|st| st == i.stage)
                && f.maturity_level.is_none_or(|l| Some(l) == i.maturity_level)
                && f.maturity_model.is_none_or(|m| Some(m) == i.maturity_model)
                && f.solution_kind.is_none_or(|k| Some(k) == i.solution_kind)
                && f.focus.is_none_or(|fo| fo == i.focus)
        })
        .filter(|i| match &q {
            None => true,
            Some(q) => {
                i.name.to_lowercase().contains(q.as_str())
                    || i.ozg_id.starts_with(q.as_str())
                    || leika_hits.as_ref().is_some_and(|h| h.contains(&i.ozg_id))
            }
        })
        .collect())
}

/// The most services one bulk change may name (the catalogue has about 575).
pub const MAX_BULK_SERVICES: usize = 1000;

/// What a bulk change sets on every selected service (fields left `None` stay as they are).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct BulkChange {
    /// The selected services; empty means "all services matching `filter`".
    #[serde(default)]
    pub ozg_ids: Vec<String>,
    #[serde(default)]
    pub filter: Option<ListFilter>,
    pub stage: Option<Stage>,
    pub solution_kind: Option<SolutionKind>,
    pub solution_name: Option<String>,
    pub solution_provider: Option<String>,
    /// ISO date `JJJJ-MM-TT`.
    pub planned_go_live: Option<String>,
}

/// Applies one change to many services of a Kommune in one transaction, one history entry
/// per service that actually changes. All or nothing: an invalid result for any service, or
/// a concurrent change, leaves everything as it was.
#[tracing::instrument(skip_all, fields(key = %key))]
pub async fn bulk(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, key: &str, change: &BulkChange) -> Result<usize, AppError> {
    let org = kommune(db, key).await?;
    check_write(scope, &org)?;
    if change.stage.is_none() && change.solution_kind.is_none() && change.planned_go_live.is_none() {
        return Err(AppError::field("", "Bitte wählen Sie mindestens einen Wert, der gesetzt werden soll."));
    }
    let ids: Vec<String> = if change.ozg_ids.is_empty() {
        match &change.filter {
            Some(f) => list(db, scope, key, f).await?.into_iter().map(|r| r.ozg_id).collect(),
            None => return Err(AppError::field("", "Bitte wählen Sie mindestens eine Leistung aus.")),
        }
    } else {
        change.ozg_ids.clone()
    };
    // Each service once, and no more than the catalogue can hold: the transaction holds the
    // write lock while it works, so its length is bounded.
    let mut seen = std::collections::HashSet::new();
    let ids: Vec<String> = ids.into_iter().map(|i| i.trim().to_string()).filter(|i| seen.insert(i.clone())).collect();
    if ids.len() > MAX_BULK_SERVICES {
        return Err(AppError::field("ozg_ids", format!("Höchstens {MAX_BULK_SERVICES} Leistungen auf einmal.")));
    }
    if ids.is_empty() {
        return Err(AppError::field("", "Keine Leistung entspricht der Auswahl."));
    }
    let known: std::collections::HashSet<String> = ozg_service::Entity::find().all(db).await?.into_iter().map(|s| s.ozg_id).collect();
    let acting = acting_org(user, &org);
    let criteria = crate::catalogue::service::criteria::known(db).await?;
    let txn = crate::core::db::begin_write(db).await?;
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut valid = Vec::with_capacity(ids.len());
    for id in &ids {
        if !known.contains(id) {
            add(&mut errors, "ozg_ids", format!("Die OZG-ID »{id}« ist nicht im Katalog."));
            continue;
        }
        let current = record_of(&txn, &org.id, id).await?;
        let mut input = current.as_ref().map(input_of).unwrap_or_else(default_input);
        if let Some(stage) = change.stage {
            input.stage = stage;
        }
        if let Some(kind) = change.solution_kind {
            input.solution_kind = Some(kind);
            if change.solution_name.is_some() {
                input.solution_name = change.solution_name.clone();
            }
            if change.solution_provider.is_some() {
                input.solution_provider = change.solution_provider.clone();
            }
        }
        if let Some(date) = &change.planned_go_live {
            input.planned_go_live = Some(date.clone());
        }
        match validate(&input, &criteria) {
            Ok(v) => valid.push((id.clone(), v)),
            Err(AppError::Validation(map)) => {
                for (field, msgs) in map {
                    for m in msgs {
                        add(&mut errors, &field, format!("OZG-ID {id}: {m}"));
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        txn.rollback().await?;
        return Err(AppError::Validation(errors));
    }
    let items: Vec<(&str, &Valid)> = valid.iter().map(|(id, v)| (id.as_str(), v)).collect();
    match apply_all(&txn, &user.id, &acting, &org.id, &items).await? {
        Ok((changed, _)) => {
            txn.commit().await?;
            Ok(changed)
        }
        Err(i) => {
            txn.rollback().await?;
            Err(AppError::Conflict(format!(
                "Die Leistung {} wurde gerade von jemand anderem geändert. Es wurde nichts geändert; bitte versuchen Sie es erneut.",
                valid[i].0
            )))
        }
    }
}

/// Maximum length of an advisor's note.
pub const MAX_ANNOTATION: usize = 4000;

/// An advisor annotates a Kommune's entry (visible to the Kommune). Only the Land's advisors.
#[tracing::instrument(skip_all)]
pub async fn annotate(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, key: &str, ozg_id: &str, body: &str) -> Result<(), AppError> {
    use crate::core::entities::service_annotation;
    let org = kommune(db, key).await?;
    if !matches!(scope, Scope::Land) {
        return Err(if matches!(scope, Scope::Public) { AppError::Unauthorized } else { AppError::Forbidden });
    }
    service(db, ozg_id).await?.ok_or(AppError::NotFound)?;
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::field("body", "Bitte schreiben Sie eine Anmerkung."));
    }
    if body.chars().count() > MAX_ANNOTATION {
        return Err(AppError::field("body", format!("Höchstens {MAX_ANNOTATION} Zeichen sind möglich.")));
    }
    service_annotation::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organisation_id: Set(org.id.clone()),
        ozg_id: Set(ozg_id.to_string()),
        author_id: Set(user.id.clone()),
        body: Set(body.to_string()),
        created_at: Set(crate::core::time::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The advisors' notes on one entry, newest first (for everyone who may read the register).
#[tracing::instrument(skip_all)]
pub async fn annotations(db: &DatabaseConnection, scope: &Scope, key: &str, ozg_id: &str) -> Result<Vec<crate::register::model::Annotation>, AppError> {
    use crate::core::entities::service_annotation;
    let org = kommune(db, key).await?;
    check_read(scope, &org)?;
    let rows = service_annotation::Entity::find()
        .filter(service_annotation::Column::OrganisationId.eq(org.id.clone()))
        .filter(service_annotation::Column::OzgId.eq(ozg_id))
        .order_by_desc(service_annotation::Column::CreatedAt)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(crate::register::model::Annotation {
            author: user_name(db, Some(&r.author_id)).await?.unwrap_or_else(|| "unbekannt".into()),
            created_at: r.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            body: r.body,
        });
    }
    Ok(out)
}

/// Every change of one record, newest first.
#[tracing::instrument(skip_all)]
pub async fn history(db: &DatabaseConnection, scope: &Scope, key: &str, ozg_id: &str) -> Result<Vec<HistoryEntry>, AppError> {
    let org = kommune(db, key).await?;
    check_read(scope, &org)?;
    service(db, ozg_id).await?.ok_or(AppError::NotFound)?;
    let rows = service_record_history::Entity::find()
        .filter(service_record_history::Column::OrganisationId.eq(org.id.clone()))
        .filter(service_record_history::Column::OzgId.eq(ozg_id))
        .order_by_desc(service_record_history::Column::Version)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(HistoryEntry {
            version: r.version,
            changed_at: r.changed_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            user: user_name(db, r.user_id.as_deref()).await?,
            acting_organisation: org_name(db, r.acting_org_id.as_deref()).await?,
            changes: serde_json::from_str(&r.changes).unwrap_or_default(),
        });
    }
    Ok(out)
}

#[cfg(test)]
// Test code only: a failing `expect` is the test failing, with its message.
mod tests {
    use super::*;

    fn input() -> ServiceRecordInput {
        default_input()
    }

    fn day(s: &str) -> NaiveDate {
        parse_date(s).expect("date")
    }

    fn crit() -> Known {
        let mut k = Known::default();
        k.0.entry(MaturityModel::V2_0).or_default().extend(["information".to_string(), "bezahlung".to_string(), "nachweise".to_string()]);
        k
    }

    #[test]
    fn the_lowest_rated_criterion_sets_the_level() {
        let mut i = input();
        i.maturity_model = Some(MaturityModel::V2_0);
        i.maturity_criteria = [("information".to_string(), Some(5)), ("nachweise".to_string(), Some(3)), ("bezahlung".to_string(), None)].into();
        let v = validate_on(&i, day("2025-06-01"), &crit()).expect("valid assessment");
        assert_eq!(v.input.maturity_level, Some(3), "the lowest rated criterion, 'nicht erforderlich' ignored");
        i.maturity_level = Some(4);
        let e = validate_on(&i, day("2025-06-01"), &crit()).expect_err("level contradicts the criteria");
        assert!(e.field_messages("maturity_level")[0].contains("daher 3"));
        i.maturity_level = None;
        i.maturity_criteria.insert("unbekannt".into(), Some(2));
        let e = validate_on(&i, day("2025-06-01"), &crit()).expect_err("unknown criterion");
        assert!(e.field_messages("maturity_criteria")[0].contains("»unbekannt«"));
        i.maturity_criteria.remove("unbekannt");
        i.maturity_criteria.insert("information".into(), Some(8));
        let e = validate_on(&i, day("2025-06-01"), &crit()).expect_err("8 is outside 2.0");
        assert!(e.field_messages("maturity_criteria")[0].contains("zwischen 0 und 7"));
        i.maturity_model = None;
        assert!(validate_on(&i, day("2025-06-01"), &crit()).is_err(), "criteria need their model");
        i.maturity_model = Some(MaturityModel::V1_1);
        i.maturity_criteria = [("information".to_string(), Some(2))].into();
        assert!(validate_on(&i, day("2025-06-01"), &crit()).is_err(), "a 2.0 criterion is unknown in model 1.1");
    }

    #[test]
    fn criteria_text_round_trips() {
        let c: BTreeMap<String, Option<i16>> = [("a".to_string(), Some(3)), ("b".to_string(), None)].into();
        assert_eq!(criteria_to_text(&c), "a=3, b=ne");
        assert_eq!(crate::register::model::criteria_from_text("a=3, b=ne"), Ok(c));
        assert!(crate::register::model::criteria_from_text("a=drei").is_err());
        assert!(crate::register::model::criteria_from_text("a=1, a=2").is_err());
        assert!(crate::register::model::criteria_from_text("a").is_err());
    }

    #[test]
    fn maturity_levels_are_checked_against_their_model() {
        let mut i = input();
        i.maturity_model = Some(MaturityModel::V1_1);
        i.maturity_level = Some(5);
        let e = validate_on(&i, day("2025-06-01"), &crit()).expect_err("5 is outside 1.1");
        assert!(e.field_messages("maturity_level")[0].contains("zwischen 0 und 4"));
        i.maturity_model = Some(MaturityModel::V2_0);
        assert!(validate_on(&i, day("2025-06-01"), &crit()).is_ok(), "5 is fine in 2.0");
        i.maturity_model = None;
        assert!(validate_on(&i, day("2025-06-01"), &crit()).is_err(), "a level needs its model");
    }

    #[test]
    fn stage_dates_must_follow_the_order_of_stages_and_not_lie_in_the_future() {
        let mut i = input();
        i.stage = Stage::Online;
        i.stage_dates.insert(Stage::Planned, "2025-03-01".into());
        i.stage_dates.insert(Stage::Online, "2025-02-01".into());
        let e = validate_on(&i, day("2025-06-01"), &crit()).expect_err("online before planned");
        assert!(e.field_messages("stage_dates")[0].contains("kann nicht vor"));
        i.stage_dates.insert(Stage::Online, "2025-07-01".into());
        let e = validate_on(&i, day("2025-06-01"), &crit()).expect_err("future");
        assert!(e.field_messages("stage_dates")[0].contains("Zukunft"));
        i.stage = Stage::Planned;
        i.stage_dates.insert(Stage::Online, "2025-04-01".into());
        assert!(validate_on(&i, day("2025-06-01"), &crit()).is_err(), "a date for a stage not reached yet");
    }

    #[test]
    fn the_current_stage_gets_todays_date_when_none_is_given() {
        let mut i = input();
        i.stage = Stage::Planned;
        let v = validate_on(&i, day("2025-06-01"), &crit()).expect("valid");
        assert_eq!(v.input.stage_dates.get(&Stage::Planned).map(String::as_str), Some("2025-06-01"));
    }

    #[test]
    fn urls_must_be_absolute_http_addresses() {
        assert!(check_url("https://service.magdeburg.de/elterngeld").is_ok());
        assert!(check_url("javascript:alert(1)").is_err());
        assert!(check_url("JAVASCRIPT://x.de/%0Aalert(1)").is_err());
        assert!(check_url("https://").is_err());
        assert!(check_url("https://exa mple.de").is_err());
        assert!(check_url("ftp://x.de").is_err());
    }

    #[test]
    fn not_responsible_needs_a_reason_and_cannot_offer() {
        let mut i = input();
        i.responsibility = Responsibility::Other;
        i.offered = true;
        let e = validate_on(&i, day("2025-06-01"), &crit()).expect_err("invalid");
        assert!(!e.field_messages("responsibility_note").is_empty());
        assert!(!e.field_messages("offered").is_empty());
    }

    #[test]
    fn efa_reuse_names_service_and_providing_land() {
        let mut i = input();
        i.solution_kind = Some(SolutionKind::Efa);
        let e = validate_on(&i, day("2025-06-01"), &crit()).expect_err("invalid");
        assert!(!e.field_messages("solution_name").is_empty() && !e.field_messages("solution_provider").is_empty());
    }

    #[test]
    fn long_notes_are_refused() {
        let mut i = input();
        i.note = Some("x".repeat(MAX_NOTE + 1));
        assert!(!validate_on(&i, day("2025-06-01"), &crit()).expect_err("long").field_messages("note").is_empty());
    }

    #[test]
    fn diff_lists_changed_fields_only() {
        let a = input();
        let mut b = input();
        b.stage = Stage::Online;
        b.maturity_model = Some(MaturityModel::V1_1);
        b.maturity_level = Some(3);
        let d = diff(&a, &b);
        let fields: Vec<&str> = d.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["stage", "maturity_model", "maturity_level"]);
        assert_eq!(d[0].old.as_deref(), Some("not_started"));
        assert_eq!(d[0].new.as_deref(), Some("online"));
        assert_eq!(d[2].new.as_deref(), Some("3"));
    }
}
