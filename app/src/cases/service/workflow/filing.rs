//! Filing a case: validation, the idempotency key, the first history entries and notifications.

use crate::core::db::begin_write;
use crate::core::entities::{case_category, case_ozg, ozg_service, support_case};
use crate::access::scope::Scope;
use crate::cases::service::sla;
use crate::error::AppError;
use crate::cases::model::{CaseStatus, NewCase, Priority};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
};
use std::collections::BTreeMap;
use super::*;

/// Files a new case for a Kommune the clerk acts for. A repeated submit with the same
/// idempotency key returns the case of the first submit.
#[tracing::instrument(skip_all)]
pub async fn create(db: &DatabaseConnection, a: &Actor<'_>, input: &NewCase) -> Result<i64, AppError> {
    create_shared(db, a, input, None).await
}

/// A partner organisation a new case is shared with: its id and name.
pub struct SharedWith<'s> {
    pub org_id: &'s str,
    pub name: &'s str,
}

/// As [`create`], and shares the case with a partner organisation (the operator of an EfA
/// service) in the same transaction: its people are told and answer in it.
#[tracing::instrument(skip_all)]
pub async fn create_shared(db: &DatabaseConnection, a: &Actor<'_>, input: &NewCase, partner: Option<SharedWith<'_>>) -> Result<i64, AppError> {
    crate::access::policy::require_filer(a.scope)?;
    let Scope::Municipal { org_ids } = a.scope else { return Err(AppError::Forbidden) };
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
            // Acting for several Kommunen, the person names the one.
            let own: Vec<&str> = a.user.organisations.iter().filter(|o| o.kind.is_kommune()).map(|o| o.id.as_str()).collect();
            match own.as_slice() {
                [id] => crate::core::entities::organisation::Entity::find_by_id(id.to_string()).one(db).await?,
                [] => return Err(AppError::Forbidden),
                _ => {
                    add(&mut e, "municipality", "Sie handeln für mehrere Kommunen: bitte wählen Sie, für welche Sie den Fall anlegen.");
                    None
                }
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
                add(&mut e, "ozg_ids", format!("»{o}« ist keine OZG-Leistung des Katalogs."));
            }
        }
    }
    let desired = match input.desired_date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => match crate::core::time::parse_day(d).ok_or(()) {
            Ok(date) if date < berlin_today(a.now) => {
                add(&mut e, "desired_date", "Der Wunschtermin liegt in der Vergangenheit.");
                None
            }
            Ok(date) => Some(date),
            Err(_) => {
                add(&mut e, "desired_date", format!("»{d}« ist kein Datum (TT.MM.JJJJ)."));
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
        demo: Set(a.user.is_demo),
        land_answered_at: Set(None),
        followup_since: Set(None),
        followup_paused_base: Set(0),
        followup_due_at: Set(None),
        followup_answered_at: Set(None),
        followup_breached_at: Set(None),
        partner_org_id: Set(partner.as_ref().map(|p| p.org_id.to_string())),
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
    if let Some(p) = &partner {
        event(&tx, c.id, a.now, Some(&a.user.id), "shared", true, format!("Geteilt mit dem Betreiber »{}«, der in diesem Fall antwortet.", p.name)).await?;
        let people = crate::core::notify::partners_of(&tx, p.org_id).await?;
        let text = format!("Neuer Fall {} von {} für Sie als Betreiber: {}", c.id, org.name, crate::ui::format::quoted(&c.subject));
        crate::core::notify::notify(&tx, a.config, &people, Some(&a.user.id), Some(c.id), None, crate::core::notify::NotificationKind::Assigned, &text, a.now).await?;
    }
    crate::cases::service::mark_read(&tx, &a.user.id, c.id, a.now).await?;
    // Articles shown to this clerk while filing today did not avoid this case.
    crate::knowledge::service::feedback::filed(&tx, &crate::knowledge::service::feedback::filing_token(&a.user.id, a.now)).await?;
    tx.commit().await?;
    Ok(c.id)
}
