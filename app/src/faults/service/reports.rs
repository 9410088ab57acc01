//! The Kommunen's reports of faults and requirements per EfA service: filed by a connected
//! Kommune, joined by others ("betrifft uns auch", counted once per Kommune), answered in public
//! by the Land or the operator, who set the status; every Kommune concerned is told of a change.

use super::access::{Viewer, viewer};
use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::core::config::Config;
use crate::core::entities::{efa_service, organisation, service_report, service_report_answer, service_report_join};
use crate::core::notify::{NotificationKind, notify};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::faults::model::{AnswerEntry, NewAnswer, NewReport, Party, ReportItem, ReportStatus, ReportView};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::{HashMap, HashSet};

/// At most this many closed reports are listed on a service's page.
pub const MAX_CLOSED: u64 = 50;

async fn names(db: &impl ConnectionTrait, ids: impl IntoIterator<Item = String>) -> Result<HashMap<String, String>, AppError> {
    let ids: Vec<String> = ids.into_iter().collect::<HashSet<_>>().into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(organisation::Entity::find().filter(organisation::Column::Id.is_in(ids)).all(db).await?.into_iter().map(|o| (o.id, o.name)).collect())
}

/// The ids of the reports one of these Kommunen is concerned by.
async fn ours(db: &impl ConnectionTrait, v: &Viewer, report_ids: &[i64]) -> Result<HashSet<i64>, AppError> {
    if v.kommunen.is_empty() || report_ids.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(service_report_join::Entity::find()
        .filter(service_report_join::Column::ReportId.is_in(report_ids.iter().copied()))
        .filter(service_report_join::Column::OrganisationId.is_in(v.kommunen.iter().map(|(id, ..)| id.clone())))
        .all(db)
        .await?
        .into_iter()
        .map(|j| j.report_id)
        .collect())
}

/// Reports as the lists show them to this viewer.
pub(crate) async fn items(db: &impl ConnectionTrait, v: &Viewer, rows: Vec<service_report::Model>) -> Result<Vec<ReportItem>, AppError> {
    let orgs = names(db, rows.iter().map(|r| r.organisation_id.clone())).await?;
    let services: HashMap<String, String> = efa_service::Entity::find()
        .filter(efa_service::Column::Id.is_in(rows.iter().map(|r| r.efa_service_id.clone()).collect::<HashSet<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let ours = ours(db, v, &rows.iter().map(|r| r.id).collect::<Vec<_>>()).await?;
    Ok(rows
        .into_iter()
        .map(|r| ReportItem {
            id: r.id,
            service: services.get(&r.efa_service_id).cloned().unwrap_or_default(),
            service_id: r.efa_service_id.clone(),
            kind: r.kind,
            title: r.title,
            severity: r.severity,
            status: r.status,
            since: r.since.format("%d.%m.%Y").to_string(),
            joined: r.joined,
            reporter: v.reads_reporter(r.named, &r.organisation_id).then(|| orgs.get(&r.organisation_id).cloned()).flatten(),
            ours: ours.contains(&r.id),
        })
        .collect())
}

/// A service's reports, open ones first (most Kommunen concerned first), then the newest closed.
pub async fn of_service(db: &impl ConnectionTrait, v: &Viewer, service_id: &str) -> Result<(Vec<ReportItem>, Vec<ReportItem>), AppError> {
    let open_codes: Vec<ReportStatus> = ReportStatus::ALL.iter().copied().filter(|s| !s.is_closed()).collect();
    let open = service_report::Entity::find()
        .filter(service_report::Column::EfaServiceId.eq(service_id))
        .filter(service_report::Column::Status.is_in(open_codes.clone()))
        .order_by_desc(service_report::Column::Joined)
        .order_by_desc(service_report::Column::Id)
        .all(db)
        .await?;
    let closed = service_report::Entity::find()
        .filter(service_report::Column::EfaServiceId.eq(service_id))
        .filter(service_report::Column::Status.is_not_in(open_codes))
        .order_by_desc(service_report::Column::UpdatedAt)
        .limit(MAX_CLOSED)
        .all(db)
        .await?;
    Ok((items(db, v, open).await?, items(db, v, closed).await?))
}

/// The open faults of the services these Kommunen are connected to (a clerk's start page and new
/// case: the known fault is found before a duplicate is filed).
pub async fn open_faults_for(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<ReportItem>, AppError> {
    let Scope::Municipal { org_ids } = scope else { return Ok(Vec::new()) };
    let services = crate::rollout::service::operating::connected_services(db, scope).await?;
    if services.is_empty() {
        return Ok(Vec::new());
    }
    let rows = service_report::Entity::find()
        .filter(service_report::Column::EfaServiceId.is_in(services))
        .filter(service_report::Column::Kind.eq(crate::faults::model::ReportKind::Fault))
        .filter(service_report::Column::Status.is_in(ReportStatus::ALL.iter().copied().filter(|s| !s.is_closed())))
        .order_by_desc(service_report::Column::Id)
        .all(db)
        .await?;
    // Only the ids of the caller's Kommunen matter here (whether a report is theirs, whether they
    // read its reporter).
    let v = Viewer { kommunen: org_ids.iter().map(|id| (id.clone(), String::new(), String::new())).collect(), ..Default::default() };
    items(db, &v, rows).await
}

/// The open faults the clerk's Kommunen may be hit by for these OZG-Leistungen: of the EfA
/// services the Land implements them with, where one of the Kommunen is connected.
pub async fn open_faults_for_leistungen(db: &impl ConnectionTrait, scope: &Scope, ozg_ids: &[String]) -> Result<Vec<ReportItem>, AppError> {
    if ozg_ids.is_empty() {
        return Ok(Vec::new());
    }
    let services = crate::rollout::service::plan::services_of_leistungen(db, ozg_ids).await?;
    Ok(open_faults_for(db, scope).await?.into_iter().filter(|r| services.contains(&r.service_id)).collect())
}

async fn load(db: &impl ConnectionTrait, id: i64) -> Result<service_report::Model, AppError> {
    service_report::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}

/// One report with its answers and what the caller may do.
#[tracing::instrument(skip_all, fields(id = id))]
pub async fn view(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<ReportView, AppError> {
    let r = load(db, id).await?;
    let v = viewer(db, scope, &r.efa_service_id).await?;
    let joined: HashSet<String> =
        service_report_join::Entity::find().filter(service_report_join::Column::ReportId.eq(id)).all(db).await?.into_iter().map(|j| j.organisation_id).collect();
    let may_join = if r.status.is_closed() || !crate::access::policy::files_cases(scope) {
        Vec::new()
    } else {
        v.kommunen.iter().filter(|(org, ..)| !joined.contains(org)).map(|(_, key, name)| (key.clone(), name.clone())).collect()
    };
    let answers = service_report_answer::Entity::find()
        .filter(service_report_answer::Column::ReportId.eq(id))
        .order_by_asc(service_report_answer::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| AnswerEntry { party: a.party, body: a.body, status: a.status, at: crate::core::time::format_berlin(a.at) })
        .collect();
    let (body, reason, version) = (r.body.clone(), r.reason.clone(), r.version);
    let item = items(db, &v, vec![r]).await?.pop().ok_or(AppError::NotFound)?;
    Ok(ReportView { item, body, reason, version, answers, may_join, may_answer: v.works })
}

/// A connected Kommune reports a fault or a requirement; the reporter counts as the first
/// Kommune concerned, and the operator's people are told.
#[tracing::instrument(skip_all)]
pub async fn file(db: &DatabaseConnection, config: &Config, scope: &Scope, user: &CurrentUser, input: &NewReport) -> Result<i64, AppError> {
    crate::access::policy::require_filer(scope)?;
    let service = efa_service::Entity::find_by_id(input.service_id.clone()).one(db).await?.ok_or(AppError::NotFound)?;
    let v = viewer(db, scope, &service.id).await?;
    let Some((org_id, _, org_name)) = v.kommune(&input.kommune_key).cloned() else {
        return Err(AppError::field("kommune", "Ihre Kommune ist an diesen Dienst nicht angebunden; melden können nur angebundene Kommunen."));
    };
    let now = crate::core::time::now();
    let txn = crate::core::db::begin_write(db).await?;
    let id = service_report::ActiveModel {
        efa_service_id: Set(service.id.clone()),
        kind: Set(input.kind),
        title: Set(input.title.clone()),
        body: Set(input.body.clone()),
        severity: Set(input.severity),
        since: Set(input.since),
        status: Set(ReportStatus::New),
        reason: Set(None),
        organisation_id: Set(org_id.clone()),
        named: Set(input.named),
        created_by: Set(Some(user.id.clone())),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        joined: Set(1),
        demo: Set(user.is_demo),
        ..Default::default()
    }
    .insert(&txn)
    .await?
    .id;
    service_report_join::ActiveModel { report_id: Set(id), organisation_id: Set(org_id), user_id: Set(Some(user.id.clone())), at: Set(now) }.insert(&txn).await?;
    audit::record(
        &txn,
        Entry {
            actor: Some(&user.id),
            action: crate::vocabulary::audit::AuditAction::ServiceReportFiled,
            object: Some(&id.to_string()),
            detail: Some(format!("{} – {}", service.name, input.kind.label())),
            ..Default::default()
        },
    )
    .await?;
    let operators = crate::rollout::service::operators::people_of(&txn, &service.id).await?;
    // The operator reads the reporter on the report's page anyway.
    let text = format!("{org_name} meldet zu »{}« eine {}: {}", service.name, input.kind.label(), input.title);
    notify(&txn, config, &operators, Some(&user.id), None, Some(&format!("/nachnutzung/meldung/{id}")), NotificationKind::ServiceReport, &text, now).await?;
    txn.commit().await?;
    crate::core::outbox::wake();
    Ok(id)
}

/// A further connected Kommune says "betrifft uns auch": counted once per Kommune, however often
/// it is sent. `Ok(false)`: the Kommune had joined already.
#[tracing::instrument(skip_all, fields(id = id))]
pub async fn join(db: &DatabaseConnection, scope: &Scope, user: &CurrentUser, id: i64, kommune_key: &str) -> Result<bool, AppError> {
    crate::access::policy::require_filer(scope)?;
    let r = load(db, id).await?;
    let v = viewer(db, scope, &r.efa_service_id).await?;
    let Some((org_id, ..)) = v.kommune(kommune_key).cloned() else {
        return Err(AppError::field("kommune", "Ihre Kommune ist an diesen Dienst nicht angebunden."));
    };
    if r.status.is_closed() {
        return Err(AppError::Conflict("Diese Meldung ist abgeschlossen; bitte melden Sie es neu, wenn es Sie wieder trifft.".into()));
    }
    let txn = crate::core::db::begin_write(db).await?;
    let added = service_report_join::Entity::insert(service_report_join::ActiveModel {
        report_id: Set(id),
        organisation_id: Set(org_id),
        user_id: Set(Some(user.id.clone())),
        at: Set(crate::core::time::now()),
    })
    .on_conflict(OnConflict::columns([service_report_join::Column::ReportId, service_report_join::Column::OrganisationId]).do_nothing().to_owned())
    .exec_without_returning(&txn)
    .await?;
    if added == 1 {
        service_report::Entity::update_many()
            .col_expr(service_report::Column::Joined, Expr::col(service_report::Column::Joined).add(1))
            .filter(service_report::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            Entry {
                actor: Some(&user.id),
                action: crate::vocabulary::audit::AuditAction::ServiceReportJoined,
                object: Some(&id.to_string()),
                detail: Some(kommune_key.to_string()),
                ..Default::default()
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(added == 1)
}

/// The Land or the operator answers in public and/or sets the status; every Kommune concerned
/// (the reporter and those that joined) is told once.
#[tracing::instrument(skip_all)]
pub async fn answer(db: &DatabaseConnection, config: &Config, scope: &Scope, user: &CurrentUser, input: &NewAnswer) -> Result<(), AppError> {
    let r = load(db, input.report_id).await?;
    let v = viewer(db, scope, &r.efa_service_id).await?;
    if !v.works {
        return Err(AppError::Forbidden);
    }
    if let Some(s) = input.status
        && !s.fits(r.kind)
    {
        return Err(AppError::field("status", format!("Eine {} wird nicht »{}«.", r.kind.label(), s.label())));
    }
    if input.version.is_some_and(|v| v != r.version) {
        return Err(AppError::Conflict("Diese Meldung wurde inzwischen geändert. Bitte laden Sie die Seite neu.".into()));
    }
    let now = crate::core::time::now();
    let party = if v.operator { Party::Operator } else { Party::Land };
    let status = input.status.filter(|s| *s != r.status);
    let txn = crate::core::db::begin_write(db).await?;
    let mut update = service_report::Entity::update_many()
        .col_expr(service_report::Column::Version, Expr::col(service_report::Column::Version).add(1))
        .col_expr(service_report::Column::UpdatedAt, Expr::value(now));
    if let Some(s) = status {
        update =
            update.col_expr(service_report::Column::Status, Expr::value(s)).col_expr(service_report::Column::Reason, Expr::value(s.needs_reason().then(|| input.body.clone())));
    }
    let n = update.filter(service_report::Column::Id.eq(r.id)).filter(service_report::Column::Version.eq(r.version)).exec(&txn).await?.rows_affected;
    if n != 1 {
        txn.rollback().await?;
        return Err(AppError::Conflict("Diese Meldung wurde inzwischen geändert. Bitte laden Sie die Seite neu.".into()));
    }
    service_report_answer::ActiveModel {
        report_id: Set(r.id),
        author_id: Set(Some(user.id.clone())),
        party: Set(party),
        body: Set(input.body.clone()),
        status: Set(status),
        at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Entry {
            actor: Some(&user.id),
            action: crate::vocabulary::audit::AuditAction::ServiceReportAnswered,
            object: Some(&r.id.to_string()),
            detail: status.map(|s| s.code().to_string()),
            ..Default::default()
        },
    )
    .await?;
    let orgs: Vec<String> =
        service_report_join::Entity::find().filter(service_report_join::Column::ReportId.eq(r.id)).all(&txn).await?.into_iter().map(|j| j.organisation_id).collect();
    let mut people = Vec::new();
    for org in &orgs {
        people.extend(crate::core::notify::clerks_of(&txn, org).await?);
    }
    if let Some(st) = status {
        // The webhooks of the Kommunen concerned, the operators and the Land.
        let mut concerned = orgs.clone();
        concerned.extend(crate::rollout::service::operators::org_ids_of(&txn, &r.efa_service_id).await?);
        let data = serde_json::json!({ "report": r.id, "service": r.efa_service_id, "kind": r.kind.code(), "status": st.code(), "title": r.title });
        crate::core::webhooks::emit(&txn, crate::vocabulary::webhooks::WebhookEvent::ReportStatus, &concerned, data, now).await?;
    }
    let what = match status {
        Some(s) => format!("steht jetzt auf »{}«", s.label()),
        None => "hat eine neue Antwort".to_string(),
    };
    let text = format!("Die Meldung »{}« ({}) {what}: {}", r.title, r.kind.label(), party.label());
    notify(&txn, config, &people, Some(&user.id), None, Some(&format!("/nachnutzung/meldung/{}", r.id)), NotificationKind::ServiceReport, &text, now).await?;
    txn.commit().await?;
    crate::core::outbox::wake();
    crate::core::webhooks::wake();
    Ok(())
}

/// The reports a person filed, joined or answered, for the Auskunft (Art. 15 DSGVO):
/// (report, what they did, when).
pub async fn of_person(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<(i64, &'static str, chrono::DateTime<chrono::Utc>)>, AppError> {
    let mut out: Vec<(i64, &'static str, chrono::DateTime<chrono::Utc>)> = Vec::new();
    for r in service_report::Entity::find().filter(service_report::Column::CreatedBy.eq(user_id)).all(db).await? {
        out.push((r.id, "gemeldet", r.created_at));
    }
    // The reporter's own join is the report itself.
    let filed: HashSet<i64> = out.iter().map(|(id, ..)| *id).collect();
    for j in service_report_join::Entity::find().filter(service_report_join::Column::UserId.eq(user_id)).all(db).await? {
        if !filed.contains(&j.report_id) {
            out.push((j.report_id, "mitgezeichnet", j.at));
        }
    }
    for a in service_report_answer::Entity::find().filter(service_report_answer::Column::AuthorId.eq(user_id)).all(db).await? {
        out.push((a.report_id, "beantwortet", a.at));
    }
    out.sort_by_key(|(id, _, at)| (*at, *id));
    Ok(out)
}
