//! Telling the Kommunen about a survey, through their notifications (and by mail per each
//! person's choice): once when it opens, once `reminder_days` before its deadline to those that
//! have not submitted, and whenever an advisor reminds the missing ones by hand.

use crate::core::audit::{self, Entry};
use crate::core::config::Config;
use crate::core::entities::{survey, survey_response, survey_target, user_organisation};
use crate::error::AppError;
use crate::surveys::model::{ResponseState, SurveyPurpose, SurveyState};
use crate::vocabulary::audit::AuditAction;
use crate::vocabulary::notify::NotificationKind;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

/// The Kommunen a survey asks that have not submitted their answer.
pub async fn missing(db: &impl ConnectionTrait, survey_id: i64) -> Result<Vec<String>, AppError> {
    let submitted = Query::select()
        .column(survey_response::Column::OrganisationId)
        .from(survey_response::Entity)
        .and_where(survey_response::Column::SurveyId.eq(survey_id))
        .and_where(survey_response::Column::State.eq(ResponseState::Submitted.code()))
        .to_owned();
    Ok(survey_target::Entity::find()
        .select_only()
        .column(survey_target::Column::OrganisationId)
        .filter(survey_target::Column::SurveyId.eq(survey_id))
        .filter(survey_target::Column::OrganisationId.not_in_subquery(submitted))
        .into_tuple()
        .all(db)
        .await?)
}

/// The people of these Kommunen.
async fn people_of(db: &impl ConnectionTrait, orgs: &[String]) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for chunk in orgs.chunks(500) {
        let ids: Vec<String> = user_organisation::Entity::find()
            .select_only()
            .column(user_organisation::Column::UserId)
            .filter(user_organisation::Column::OrganisationId.is_in(chunk.to_vec()))
            .distinct()
            .into_tuple()
            .all(db)
            .await?;
        out.extend(ids);
    }
    Ok(out)
}

/// Tells `orgs`' people about `s`.
async fn tell(db: &impl ConnectionTrait, config: &Config, s: &survey::Model, orgs: &[String], text: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let people = people_of(db, orgs).await?;
    let link = format!("/abfragen/{}/antwort", s.id);
    crate::core::notify::notify(db, config, &people, None, None, Some(&link), NotificationKind::Survey, text, now).await?;
    Ok(())
}

/// The job: surveys that opened are announced, surveys near their deadline remind the Kommunen
/// that have not submitted. Each happens once per survey, whichever instance runs it (the mark
/// is set by a conditional update in the same transaction). Returns (announced, reminded).
#[tracing::instrument(skip_all)]
pub async fn run(db: &DatabaseConnection, config: &Config, now: DateTime<Utc>) -> Result<(usize, usize), AppError> {
    let released = || survey::Entity::find().filter(survey::Column::State.eq(SurveyState::Released.code())).filter(survey::Column::OpensAt.lte(now)).filter(survey::Column::ClosesAt.gt(now));
    let (mut announced, mut reminded) = (0, 0);
    for s in released().filter(survey::Column::OpenedNotifiedAt.is_null()).all(db).await? {
        let txn = crate::core::db::begin_write(db).await?;
        let marked = survey::Entity::update_many().col_expr(survey::Column::OpenedNotifiedAt, Expr::value(now)).filter(survey::Column::Id.eq(s.id)).filter(survey::Column::OpenedNotifiedAt.is_null()).exec(&txn).await?;
        if marked.rows_affected == 1 {
            let orgs: Vec<String> = survey_target::Entity::find().select_only().column(survey_target::Column::OrganisationId).filter(survey_target::Column::SurveyId.eq(s.id)).into_tuple().all(&txn).await?;
            let text = match s.purpose {
                SurveyPurpose::Survey => format!("Neue Abfrage des Landes: {} – bitte bis {} beantworten.", crate::ui::format::quoted(&s.title), super::last_day(&s)),
                SurveyPurpose::SelfCheck => format!("Neuer Selbstcheck: {} – Ihre Kommune kann sich bis {} jederzeit selbst einschätzen und mit vergleichbaren Kommunen vergleichen.", crate::ui::format::quoted(&s.title), super::last_day(&s)),
            };
            tell(&txn, config, &s, &orgs, &text, now).await?;
            announced += 1;
        }
        txn.commit().await?;
    }
    for s in released().filter(survey::Column::RemindedAt.is_null()).filter(survey::Column::ReminderDays.gt(0)).all(db).await? {
        if now < s.closes_at - Duration::days(i64::from(s.reminder_days)) {
            continue;
        }
        let txn = crate::core::db::begin_write(db).await?;
        let marked = survey::Entity::update_many().col_expr(survey::Column::RemindedAt, Expr::value(now)).filter(survey::Column::Id.eq(s.id)).filter(survey::Column::RemindedAt.is_null()).exec(&txn).await?;
        if marked.rows_affected == 1 {
            let orgs = missing(&txn, s.id).await?;
            tell(&txn, config, &s, &orgs, &reminder_text(&s), now).await?;
            reminded += 1;
        }
        txn.commit().await?;
    }
    if announced + reminded > 0 {
        crate::core::outbox::wake();
    }
    Ok((announced, reminded))
}

fn reminder_text(s: &survey::Model) -> String {
    format!("Erinnerung: die Abfrage {} endet am {}; Ihre Kommune hat noch nicht eingereicht.", crate::ui::format::quoted(&s.title), super::last_day(s))
}

/// An advisor reminds the Kommunen that have not submitted, now; returns how many.
#[tracing::instrument(skip_all)]
pub async fn remind_missing(db: &DatabaseConnection, config: &Config, actor: &str, survey_id: i64, now: DateTime<Utc>) -> Result<usize, AppError> {
    let s = super::build::survey_of(db, survey_id).await?;
    if super::phase(&s, now) != crate::surveys::model::SurveyPhase::Open {
        return Err(AppError::Conflict("Erinnern lässt sich nur an eine offene Abfrage.".into()));
    }
    if s.purpose == SurveyPurpose::SelfCheck {
        return Err(AppError::Conflict("Ein Selbstcheck ist ein Angebot an die Kommunen: an ihn wird nicht erinnert.".into()));
    }
    let txn = crate::core::db::begin_write(db).await?;
    let orgs = missing(&txn, survey_id).await?;
    tell(&txn, config, &s, &orgs, &reminder_text(&s), now).await?;
    let object = survey_id.to_string();
    audit::record(&txn, Entry { actor: Some(actor), action: AuditAction::SurveyReminded, object: Some(&object), detail: Some(crate::ui::format::count_of(orgs.len(), "Kommune", "Kommunen")), ..Default::default() }).await?;
    txn.commit().await?;
    crate::core::outbox::wake();
    Ok(orgs.len())
}
