//! Reading the audit log: filtered by person, organisation, action and time, a page at a time
//! or as CSV. People are named by name and e-mail address; the entries themselves never hold
//! passwords, session ids or case contents.

use crate::accounts::model::{AuditFilter, AuditPage, AuditRow};
use crate::core::entities::{app_user, audit_log, user_organisation};
use crate::error::AppError;
use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select};
use std::collections::BTreeMap;

/// Entries per page.
pub const PAGE: u64 = 50;
/// Most entries in one CSV export.
pub const EXPORT_MAX: u64 = 100_000;

fn day(v: &str, field: &str) -> Result<Option<NaiveDate>, AppError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    crate::core::time::parse_day(v)
        .map(Some)
        .ok_or_else(|| AppError::field(field, format!("»{v}« ist kein Datum (TT.MM.JJJJ).")))
}

fn berlin_midnight(d: NaiveDate) -> chrono::DateTime<Utc> {
    let naive = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    Berlin.from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc)).unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

/// The filtered query; `people` names the accounts the entries mention.
async fn query(db: &impl ConnectionTrait, f: &AuditFilter) -> Result<Select<audit_log::Entity>, AppError> {
    let mut q = audit_log::Entity::find();
    let person = f.person.trim().to_lowercase();
    if !person.is_empty() {
        let ids: Vec<String> = app_user::Entity::find()
            .filter(Condition::any().add(app_user::Column::Email.eq(person.clone())).add(Expr::expr(Func::lower(Expr::col(app_user::Column::Name))).like(format!("%{person}%"))))
            .all(db)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect();
        q = q.filter(
            Condition::any()
                .add(audit_log::Column::ActorUserId.is_in(ids.clone()))
                .add(audit_log::Column::Object.is_in(ids))
                .add(audit_log::Column::Object.eq(person)),
        );
    }
    let org = f.org.trim();
    if !org.is_empty() {
        let Some(o) = crate::catalogue::service::orgs::by_key(db, org).await? else {
            return Err(AppError::field("org", format!("Die Organisation »{org}« ist unbekannt.")));
        };
        let ids: Vec<String> = user_organisation::Entity::find()
            .filter(user_organisation::Column::OrganisationId.eq(o.id))
            .all(db)
            .await?
            .into_iter()
            .map(|l| l.user_id)
            .collect();
        q = q.filter(Condition::any().add(audit_log::Column::ActorUserId.is_in(ids.clone())).add(audit_log::Column::Object.is_in(ids)));
    }
    if !f.action.trim().is_empty() {
        q = q.filter(audit_log::Column::Action.eq(f.action.trim()));
    }
    let (from, to) = (day(&f.from, "from")?, day(&f.to, "to")?);
    if let (Some(a), Some(b)) = (from, to)
        && a > b
    {
        return Err(AppError::field("to", "Das Ende des Zeitraums liegt vor seinem Anfang."));
    }
    if let Some(d) = from {
        q = q.filter(audit_log::Column::At.gte(berlin_midnight(d)));
    }
    if let Some(d) = to {
        q = q.filter(audit_log::Column::At.lt(berlin_midnight(d + chrono::Duration::days(1))));
    }
    Ok(q.order_by_desc(audit_log::Column::Id))
}

async fn rows(db: &impl ConnectionTrait, entries: Vec<audit_log::Model>) -> Result<Vec<AuditRow>, AppError> {
    let mut ids: Vec<String> = entries.iter().filter_map(|e| e.actor_user_id.clone()).collect();
    ids.extend(entries.iter().filter_map(|e| e.object.clone()));
    ids.sort();
    ids.dedup();
    let people: BTreeMap<String, String> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, format!("{} <{}>", u.name, u.email)))
        .collect();
    Ok(entries
        .into_iter()
        .map(|e| AuditRow {
            id: e.id,
            at: e.at.with_timezone(&Berlin).format("%d.%m.%Y %H:%M:%S").to_string(),
            actor: e.actor_user_id.map(|a| people.get(&a).cloned().unwrap_or(a)),
            action: e.action,
            object: e.object.map(|o| people.get(&o).cloned().unwrap_or(o)),
            ip: e.ip,
            detail: e.detail,
        })
        .collect())
}

/// One page of the filtered log, newest first.
#[tracing::instrument(skip_all)]
pub async fn page(db: &impl ConnectionTrait, f: &AuditFilter) -> Result<AuditPage, AppError> {
    let q = query(db, f).await?;
    let total = q.clone().count(db).await?;
    let paging = crate::vocabulary::paging::Paging::of(u64::from(f.page), PAGE, total);
    let entries = q.offset(paging.offset()).limit(PAGE).all(db).await?;
    Ok(AuditPage { rows: rows(db, entries).await?, page: paging.page as u32, pages: paging.pages as u32, total })
}

/// The filtered log as CSV (`;`-separated, UTF-8 with BOM), newest first, at most
/// [`EXPORT_MAX`] entries.
#[tracing::instrument(skip_all)]
pub async fn csv(db: &impl ConnectionTrait, f: &AuditFilter) -> Result<Vec<u8>, AppError> {
    let entries = query(db, f).await?.limit(EXPORT_MAX).all(db).await?;
    let mut w = crate::core::csv_out::Writer::new(false);
    let fail = |e: csv::Error| {
        tracing::error!(error = %e, "CSV des Protokolls konnte nicht geschrieben werden");
        AppError::Internal
    };
    w.write_record(["Nr.", "Zeitpunkt", "Handelnde Person", "Aktion", "Betroffen", "Adresse", "Einzelheiten"]).map_err(fail)?;
    for r in rows(db, entries).await? {
        w.write_record([
            r.id.to_string(),
            r.at,
            r.actor.unwrap_or_default(),
            crate::vocabulary::audit::AuditAction::label_or_code(&r.action).into_owned(),
            r.object.unwrap_or_default(),
            r.ip.unwrap_or_default(),
            r.detail.unwrap_or_default(),
        ])
        .map_err(fail)?;
    }
    let mut out = vec![0xEF, 0xBB, 0xBF];
    out.extend(w.into_inner().map_err(|_| AppError::Internal)?);
    Ok(out)
}
