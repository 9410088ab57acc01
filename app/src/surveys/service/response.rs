//! A Kommune's answer row (`survey_response`) as every part of answering needs it: whom a survey
//! asks among the caller's Kommunen, the row of one Kommune, whether the survey takes answers
//! now, and moving the row to its next version (a stale version is a 409 that loses nothing).

use crate::access::scope::Scope;
use crate::core::entities::{organisation, survey, survey_response, survey_target};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::surveys::model::{ResponseState, SurveyPhase};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// The Kommunen of the caller a survey asks (a Verbandsgemeinde's clerks also act for its members).
async fn kommunen_of(db: &impl ConnectionTrait, scope: &Scope, survey_id: i64) -> Result<Vec<organisation::Model>, AppError> {
    let Scope::Municipal { org_ids } = scope else {
        return Err(match scope {
            Scope::Public => AppError::Unauthorized,
            _ => AppError::Forbidden,
        });
    };
    let asked: Vec<String> = survey_target::Entity::find()
        .filter(survey_target::Column::SurveyId.eq(survey_id))
        .filter(survey_target::Column::OrganisationId.is_in(org_ids.iter().cloned()))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.organisation_id)
        .collect();
    Ok(organisation::Entity::find().filter(organisation::Column::Id.is_in(asked)).order_by_asc(organisation::Column::Name).all(db).await?)
}

/// The survey, the Kommune answering (by key, or the caller's first) and every Kommune the
/// caller may answer it for; "not found" where the survey asks none of them.
pub async fn context(db: &impl ConnectionTrait, scope: &Scope, survey_id: i64, key: Option<&str>) -> Result<(survey::Model, organisation::Model, Vec<organisation::Model>), AppError> {
    // Whom a survey asks is checked first: no one else learns whether it exists.
    let kommunen = kommunen_of(db, scope, survey_id).await?;
    let s = super::build::survey_of(db, survey_id).await?;
    let org = match key {
        Some(k) => kommunen.iter().find(|o| o.key == k).cloned(),
        None => kommunen.first().cloned(),
    }
    .ok_or(AppError::NotFound)?;
    Ok((s, org, kommunen))
}

/// What `context` gives a clerk, and to the Land's advisors (who read every answer, never write
/// one) the asked Kommune named by its key or its exact name.
pub async fn read_context(db: &impl ConnectionTrait, scope: &Scope, survey_id: i64, key: Option<&str>) -> Result<(survey::Model, organisation::Model, Vec<organisation::Model>), AppError> {
    match scope {
        Scope::Land => asked_one(db, survey_id, key).await,
        _ => context(db, scope, survey_id, key).await,
    }
}

async fn asked_one(db: &impl ConnectionTrait, survey_id: i64, key: Option<&str>) -> Result<(survey::Model, organisation::Model, Vec<organisation::Model>), AppError> {
    use sea_orm::sea_query::ExprTrait;
    let s = super::build::survey_of(db, survey_id).await?;
    let wanted = key.map(str::trim).filter(|k| !k.is_empty()).ok_or_else(|| AppError::field("kommune", "Bitte nennen Sie den Schlüssel oder den Namen einer gefragten Kommune."))?;
    let asked = |c: sea_orm::Condition| {
        organisation::Entity::find()
            .filter(c)
            .filter(organisation::Column::Id.in_subquery(sea_orm::sea_query::Query::select().column(survey_target::Column::OrganisationId).from(survey_target::Entity).and_where(survey_target::Column::SurveyId.eq(survey_id)).to_owned()))
            .one(db)
    };
    let org = match asked(sea_orm::Condition::all().add(organisation::Column::Key.eq(wanted))).await? {
        Some(o) => Some(o),
        None => asked(sea_orm::Condition::all().add(sea_orm::sea_query::Expr::expr(sea_orm::sea_query::Func::lower(sea_orm::sea_query::Expr::col(organisation::Column::Name))).eq(wanted.to_lowercase()))).await?,
    }
    .ok_or_else(|| AppError::field("kommune", format!("Die Abfrage fragt keine Kommune »{wanted}«; bitte prüfen Sie Schlüssel oder Namen.")))?;
    Ok((s, org.clone(), vec![org]))
}

/// The Kommunen (organisation ids) that submitted an answer.
pub async fn respondents(db: &impl ConnectionTrait, survey_id: i64) -> Result<std::collections::HashSet<String>, AppError> {
    Ok(survey_response::Entity::find()
        .filter(survey_response::Column::SurveyId.eq(survey_id))
        .filter(survey_response::Column::State.eq(ResponseState::Submitted.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.organisation_id)
        .collect())
}

pub async fn response_of(db: &impl ConnectionTrait, survey_id: i64, org_id: &str) -> Result<Option<survey_response::Model>, AppError> {
    Ok(survey_response::Entity::find().filter(survey_response::Column::SurveyId.eq(survey_id)).filter(survey_response::Column::OrganisationId.eq(org_id)).one(db).await?)
}

/// The survey must be open to answer: after its start, before its end.
pub fn require_open(s: &survey::Model, now: DateTime<Utc>) -> Result<(), AppError> {
    match super::phase(s, now) {
        SurveyPhase::Open => Ok(()),
        SurveyPhase::Closed => Err(AppError::field("survey", "Die Frist der Abfrage ist vorbei; Antworten sind nicht mehr möglich.")),
        _ => Err(AppError::field("survey", "Die Abfrage ist noch nicht geöffnet.")),
    }
}

pub fn stale() -> AppError {
    AppError::Conflict("Eine andere Person Ihrer Kommune hat die Antwort inzwischen gespeichert. Ihre Eingaben stehen noch im Formular: bitte laden Sie die Seite neu, vergleichen Sie und speichern Sie dann.".into())
}

/// The response row at `version` (0: none yet, it is created), moved to the next version.
pub async fn next_version(txn: &impl ConnectionTrait, survey_id: i64, org_id: &str, version: i32, user: &CurrentUser, now: DateTime<Utc>) -> Result<survey_response::Model, AppError> {
    if version == 0 {
        let row = survey_response::ActiveModel {
            survey_id: Set(survey_id),
            organisation_id: Set(org_id.to_string()),
            state: Set(ResponseState::Draft),
            version: Set(1),
            changed_after_submit: Set(false),
            updated_by: Set(Some(user.id.clone())),
            submitted_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            submitted_at: Set(None),
            ..Default::default()
        };
        // Two first saves at once: the unique index lets one in; the other is stale.
        let inserted = survey_response::Entity::insert(row)
            .on_conflict(OnConflict::columns([survey_response::Column::SurveyId, survey_response::Column::OrganisationId]).do_nothing().to_owned())
            .exec_without_returning(txn)
            .await?;
        if inserted == 0 {
            return Err(stale());
        }
    } else {
        let moved = survey_response::Entity::update_many()
            .col_expr(survey_response::Column::Version, (version + 1).into())
            .col_expr(survey_response::Column::UpdatedAt, now.into())
            .col_expr(survey_response::Column::UpdatedBy, Some(user.id.clone()).into())
            .filter(survey_response::Column::SurveyId.eq(survey_id))
            .filter(survey_response::Column::OrganisationId.eq(org_id))
            .filter(survey_response::Column::Version.eq(version))
            .exec(txn)
            .await?;
        if moved.rows_affected == 0 {
            return Err(stale());
        }
    }
    response_of(txn, survey_id, org_id).await?.ok_or(AppError::NotFound)
}
