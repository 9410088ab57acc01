//! A Kommune takes an answer to a question bound to the register over into its register: the
//! register's own validation (a stage with its date, in the order of stages) and history, the
//! history entry naming the survey as its source.

use super::questions;
use crate::access::scope::Scope;
use crate::core::entities::survey_answer_choice;
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::register::model::Stage;
use crate::register::service as register;
use crate::surveys::answers::TakeOver;
use crate::surveys::model::{QuestionView, SectionView};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::collections::BTreeMap;

/// The stage a bound question's answer names (its options are the register's stages).
fn stage_of(q: &QuestionView, values: &BTreeMap<String, String>) -> Option<Stage> {
    let chosen: i64 = values.get(&crate::surveys::answers::field(q.id))?.parse().ok()?;
    let label = &q.options.iter().find(|o| o.0 == chosen)?.1;
    Stage::ALL.into_iter().find(|s| s.label() == label)
}

/// What a Kommune may take over: bound questions whose saved answer differs from the register
/// (`register`: the register's stage per question).
pub fn offers(sections: &[SectionView], values: &BTreeMap<String, String>, register: &BTreeMap<i64, Option<Stage>>) -> Vec<TakeOver> {
    questions(sections)
        .into_iter()
        .filter_map(|q| {
            let (_, name, ozg) = q.binding.clone()?;
            let answer = stage_of(q, values)?;
            let now = register.get(&q.id).copied().flatten();
            (now != Some(answer)).then(|| TakeOver { question: q.id, ozg_id: ozg, name, answer: answer.label().to_string(), register: now.map(|s| s.label().to_string()).unwrap_or_else(|| "nicht erfasst".into()) })
        })
        .collect()
}

/// Takes the saved answer to `question_id` over into the register; returns the stage set.
#[tracing::instrument(skip_all)]
pub async fn take_over(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, survey_id: i64, key: &str, question_id: i64, now: DateTime<Utc>) -> Result<Stage, AppError> {
    let (s, org, _) = super::response::context(db, scope, survey_id, Some(key)).await?;
    crate::access::policy::kommune_write(scope, &org.id)?;
    let sections = super::sections_of(db, &s).await?;
    let q = questions(&sections).into_iter().find(|q| q.id == question_id && q.binding.is_some()).ok_or(AppError::NotFound)?.clone();
    let Some((_, _, ozg)) = q.binding.clone() else { return Err(AppError::NotFound) };
    let none = || AppError::field("question", "Bitte speichern Sie zuerst eine Antwort auf diese Frage.");
    let response = super::response::response_of(db, survey_id, &org.id).await?.ok_or_else(none)?;
    let chosen = survey_answer_choice::Entity::find()
        .filter(survey_answer_choice::Column::ResponseId.eq(response.id))
        .filter(survey_answer_choice::Column::QuestionId.eq(q.id))
        .one(db)
        .await?
        .ok_or_else(none)?;
    let values: BTreeMap<String, String> = [(crate::surveys::answers::field(q.id), chosen.option_id.to_string())].into();
    let stage = stage_of(&q, &values).ok_or_else(none)?;
    let known = crate::catalogue::service::criteria::known(db).await?;
    let today = now.with_timezone(&chrono_tz::Europe::Berlin).date_naive();
    let txn = crate::core::db::begin_write(db).await?;
    let rec = register::record_of(&txn, &org.id, &ozg).await?;
    let mut input = rec.as_ref().map(register::input_of).unwrap_or_else(register::default_input);
    input.version = rec.as_ref().map(|r| r.version).unwrap_or(0);
    if rec.is_some() && input.stage == stage {
        return Err(AppError::field("question", format!("Im Leistungsregister steht bereits »{}«.", stage.label())));
    }
    input.stage = stage;
    // The dates of the stages up to it stay; a stage not reached before is reached today (the
    // register's rule).
    input.stage_dates.retain(|st, _| stage != Stage::NotStarted && (*st <= stage || stage == Stage::Discontinued));
    if stage != Stage::NotStarted {
        input.offered = true;
    }
    let valid = register::validate_on(&input, today, &known).map_err(|e| match e {
        AppError::Validation(m) => AppError::field("question", format!("Das Leistungsregister nimmt »{}« nicht an: {}", stage.label(), m.into_values().flatten().collect::<Vec<_>>().join(" "))),
        e => e,
    })?;
    let acting = register::acting_org(user, &org);
    match register::apply(&txn, &user.id, &acting, &org.id, &ozg, &valid).await? {
        register::Outcome::Stale => return Err(AppError::Conflict("Der Registereintrag wurde gerade geändert; bitte laden Sie die Seite neu.".into())),
        register::Outcome::Unchanged => return Err(AppError::field("question", format!("Im Leistungsregister steht bereits »{}«.", stage.label()))),
        register::Outcome::Saved => register::mark_source(&txn, &org.id, &ozg, &format!("Abfrage »{}«", s.title)).await?,
    }
    txn.commit().await?;
    Ok(stage)
}
