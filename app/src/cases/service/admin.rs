//! Administration of the case module: categories, teams, service-level targets and working
//! hours. Administrators only; every change is audited.

use crate::core::audit;
use crate::core::db::begin_write;
use crate::core::entities::{app_user, case_category, case_setting, case_team, sla_target};
use crate::access::scope::Scope;
use crate::core::session::CurrentUser;
use crate::cases::service::sla::parse_days;
use crate::error::AppError;
use crate::cases::model::Priority;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set, SqlErr};

fn conflict_or(e: sea_orm::DbErr, message: &str) -> AppError {
    if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) { AppError::Conflict(message.into()) } else { e.into() }
}

/// Adds a category (`code` new) or changes label, position and state of an existing one.
#[tracing::instrument(skip_all)]
pub async fn save_category(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, code: &str, label: &str, position: &str, active: bool) -> Result<(), AppError> {
    crate::access::policy::require_admin(scope)?;
    let code = code.trim().to_lowercase();
    let label = label.trim();
    let mut e = std::collections::BTreeMap::new();
    if code.is_empty() || code.len() > 40 || !code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        e.insert("code".to_string(), vec!["Der Code besteht aus 1 bis 40 Kleinbuchstaben, Ziffern oder »_«.".to_string()]);
    }
    if label.is_empty() || label.chars().count() > 100 {
        e.insert("label".to_string(), vec!["Bitte geben Sie eine Bezeichnung mit höchstens 100 Zeichen an.".to_string()]);
    }
    let position = match position.trim().parse::<i32>() {
        Ok(p) if (0..=1000).contains(&p) => p,
        _ => {
            e.insert("position".to_string(), vec!["Die Reihenfolge ist eine Zahl von 0 bis 1000.".to_string()]);
            0
        }
    };
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let tx = begin_write(db).await?;
    let existing = case_category::Entity::find().filter(case_category::Column::Code.eq(&code)).one(&tx).await?;
    let action = match existing {
        Some(c) => {
            let mut am = c.into_active_model();
            am.label = Set(label.to_string());
            am.position = Set(position);
            am.active = Set(active);
            am.update(&tx).await?;
            crate::vocabulary::audit::AuditAction::CaseCategoryChanged
        }
        None => {
            case_category::ActiveModel { id: Set(uuid::Uuid::now_v7().to_string()), code: Set(code.clone()), label: Set(label.to_string()), position: Set(position), active: Set(active) }
                .insert(&tx)
                .await
                .map_err(|e| conflict_or(e, "Diesen Code gibt es schon."))?;
            crate::vocabulary::audit::AuditAction::CaseCategoryCreated
        }
    };
    audit::record(&tx, audit::Entry { actor: Some(&user.id), action, object: Some(&code), ip: None, detail: Some(format!("{label}; aktiv: {active}")) }).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a team (`id` empty) or changes name, lead and state of one.
#[tracing::instrument(skip_all)]
pub async fn save_team(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, id: &str, name: &str, lead: &str, active: bool) -> Result<(), AppError> {
    crate::access::policy::require_admin(scope)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::field("name", "Bitte geben Sie einen Teamnamen mit höchstens 100 Zeichen an."));
    }
    let lead = Some(lead.trim().to_string()).filter(|l| !l.is_empty());
    if let Some(l) = &lead {
        match app_user::Entity::find_by_id(l.clone()).one(db).await? {
            Some(u) if u.role == "advisor" && u.active => {}
            _ => return Err(AppError::field("lead", "Teamleitung kann nur eine aktive Person der Landesberatung sein.")),
        }
    }
    let tx = begin_write(db).await?;
    let (action, object) = if id.trim().is_empty() {
        let id = uuid::Uuid::now_v7().to_string();
        case_team::ActiveModel { id: Set(id.clone()), name: Set(name.to_string()), lead_user_id: Set(lead), active: Set(active) }
            .insert(&tx)
            .await
            .map_err(|e| conflict_or(e, "Ein Team dieses Namens gibt es schon."))?;
        (crate::vocabulary::audit::AuditAction::CaseTeamCreated, id)
    } else {
        let team = case_team::Entity::find_by_id(id.trim().to_string()).one(&tx).await?.ok_or(AppError::NotFound)?;
        let mut am = team.into_active_model();
        am.name = Set(name.to_string());
        am.lead_user_id = Set(lead);
        am.active = Set(active);
        am.update(&tx).await.map_err(|e| conflict_or(e, "Ein Team dieses Namens gibt es schon."))?;
        (crate::vocabulary::audit::AuditAction::CaseTeamChanged, id.trim().to_string())
    };
    audit::record(&tx, audit::Entry { actor: Some(&user.id), action, object: Some(&object), ip: None, detail: Some(format!("{name}; aktiv: {active}")) }).await?;
    tx.commit().await?;
    Ok(())
}

fn hours(field: &str, v: &str) -> Result<i32, AppError> {
    match v.trim().replace(',', ".").parse::<f64>() {
        Ok(h) if h > 0.0 && h <= 2000.0 => Ok((h * 60.0).round() as i32),
        _ => Err(AppError::field(field, "Bitte geben Sie eine Zahl von Arbeitsstunden größer 0 an (z. B. 4 oder 0,5).")),
    }
}

/// Service-level targets of a priority, in working hours.
#[tracing::instrument(skip_all)]
pub async fn save_sla(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, priority: &str, first_hours: &str, followup_hours: &str, resolution_hours: &str) -> Result<(), AppError> {
    crate::access::policy::require_admin(scope)?;
    let p = Priority::from_code(priority.trim()).ok_or_else(|| AppError::field("priority", "Diese Priorität gibt es nicht."))?;
    let first = hours("first_hours", first_hours)?;
    let followup = hours("followup_hours", followup_hours)?;
    let resolution = hours("resolution_hours", resolution_hours)?;
    if resolution < first {
        return Err(AppError::field("resolution_hours", "Die Lösungszeit kann nicht kürzer sein als die Zeit bis zur ersten Antwort."));
    }
    let tx = begin_write(db).await?;
    let row = sla_target::ActiveModel { priority: Set(p.code().into()), first_response_minutes: Set(first), resolution_minutes: Set(resolution), followup_minutes: Set(followup) };
    if sla_target::Entity::find_by_id(p.code().to_string()).one(&tx).await?.is_some() {
        row.update(&tx).await?;
    } else {
        row.insert(&tx).await?;
    }
    audit::record(&tx, audit::Entry { actor: Some(&user.id), action: crate::vocabulary::audit::AuditAction::SlaTargetChanged, object: Some(p.code()), ip: None, detail: Some(format!("{first} / {followup} / {resolution} Minuten")) }).await?;
    tx.commit().await?;
    Ok(())
}

/// Working hours (`HH:MM`) and working days (1 = Monday). Existing deadlines stay; new ones
/// are computed with the new hours.
#[tracing::instrument(skip_all)]
pub async fn save_hours(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, start: &str, end: &str, days: &[u8]) -> Result<(), AppError> {
    crate::access::policy::require_admin(scope)?;
    let parse = |v: &str| {
        let (h, m) = v.trim().split_once(':')?;
        let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
        (h < 24 && m < 60).then_some(h * 60 + m)
    };
    let (Some(s), Some(e)) = (parse(start), parse(end)) else {
        return Err(AppError::field("start", "Bitte geben Sie Beginn und Ende als Uhrzeit an (z. B. 08:00)."));
    };
    if s >= e {
        return Err(AppError::field("end", "Das Ende der Arbeitszeit muss nach ihrem Beginn liegen."));
    }
    let text = days.iter().filter(|d| (1..=7).contains(*d)).map(u8::to_string).collect::<Vec<_>>().join(",");
    if parse_days(&text).is_none() {
        return Err(AppError::field("days", "Bitte wählen Sie mindestens einen Arbeitstag."));
    }
    let tx = begin_write(db).await?;
    for (k, v) in [("work_start", format!("{:02}:{:02}", s / 60, s % 60)), ("work_end", format!("{:02}:{:02}", e / 60, e % 60)), ("work_days", text.clone())] {
        let row = case_setting::ActiveModel { key: Set(k.into()), value: Set(v) };
        if case_setting::Entity::find_by_id(k.to_string()).one(&tx).await?.is_some() {
            row.update(&tx).await?;
        } else {
            row.insert(&tx).await?;
        }
    }
    audit::record(&tx, audit::Entry { actor: Some(&user.id), action: crate::vocabulary::audit::AuditAction::WorkHoursChanged, object: None, ip: None, detail: Some(format!("{start}–{end}, Tage {text}")) }).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether an advisor who answers an unassigned case takes it (administrators; audited).
#[tracing::instrument(skip_all)]
pub async fn save_assign_on_reply(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, on: bool) -> Result<(), AppError> {
    crate::access::policy::require_admin(scope)?;
    let tx = begin_write(db).await?;
    let key = "assign_on_reply";
    let row = case_setting::ActiveModel { key: Set(key.into()), value: Set(if on { "ja" } else { "nein" }.into()) };
    if case_setting::Entity::find_by_id(key.to_string()).one(&tx).await?.is_some() {
        row.update(&tx).await?;
    } else {
        row.insert(&tx).await?;
    }
    let detail = if on { "Wer antwortet, übernimmt einen Fall ohne Zuständigkeit" } else { "Antworten ändern die Zuständigkeit nicht" };
    audit::record(&tx, audit::Entry { actor: Some(&user.id), action: crate::vocabulary::audit::AuditAction::AssignOnReplyChanged, object: None, ip: None, detail: Some(detail.into()) }).await?;
    tx.commit().await?;
    Ok(())
}
