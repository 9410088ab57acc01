//! Comparisons that would tell single answers: two groups of Kommunen whose results one reader
//! can set side by side (the published results of two surveys, an association's members in two
//! surveys, an association's members and everyone in one) must differ by none or at least the
//! threshold of Kommunen. Surveys are compared where they share a question (the same text): a
//! yearly copy, or the same question asked twice. Only closed surveys count: their answers no
//! longer change.

use crate::core::disclosure::differ_safely;
use crate::core::entities::{survey, survey_question, survey_response, survey_target};
use crate::error::AppError;
use crate::surveys::model::{ResponseState, SurveyPhase, SurveyState};
use crate::vocabulary::announcements::Target;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::{HashMap, HashSet};

/// The Kommunen (organisation ids) that submitted an answer.
pub async fn respondents(db: &impl ConnectionTrait, survey_id: i64) -> Result<HashSet<String>, AppError> {
    Ok(survey_response::Entity::find()
        .filter(survey_response::Column::SurveyId.eq(survey_id))
        .filter(survey_response::Column::State.eq(ResponseState::Submitted.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.organisation_id)
        .collect())
}

/// The members of an association (by its key) a survey asked.
pub async fn members_asked(db: &impl ConnectionTrait, survey_id: i64, association: &str) -> Result<Vec<String>, AppError> {
    let members: HashSet<String> = match crate::announcements::service::resolve(db, Some(Target::Association), &[association.to_string()]).await {
        Ok((ids, _)) => ids.into_iter().collect(),
        Err(AppError::Validation(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    Ok(survey_target::Entity::find().filter(survey_target::Column::SurveyId.eq(survey_id)).all(db).await?.into_iter().map(|t| t.organisation_id).filter(|o| members.contains(o)).collect())
}

fn normal(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The other closed surveys that share a question with `s`.
async fn related(db: &impl ConnectionTrait, s: &survey::Model, now: DateTime<Utc>) -> Result<Vec<survey::Model>, AppError> {
    let closed: Vec<survey::Model> = survey::Entity::find()
        .filter(survey::Column::State.eq(SurveyState::Released.code()))
        .filter(survey::Column::ClosesAt.lte(now))
        .filter(survey::Column::Id.ne(s.id))
        .all(db)
        .await?
        .into_iter()
        .filter(|o| super::phase(o, now) == SurveyPhase::Closed)
        .collect();
    if closed.is_empty() {
        return Ok(closed);
    }
    let own: HashSet<String> = survey_question::Entity::find().filter(survey_question::Column::SurveyId.eq(s.id)).all(db).await?.iter().map(|q| normal(&q.text)).collect();
    let mut texts: HashMap<i64, HashSet<String>> = HashMap::new();
    for q in survey_question::Entity::find().filter(survey_question::Column::SurveyId.is_in(closed.iter().map(|o| o.id))).all(db).await? {
        texts.entry(q.survey_id).or_default().insert(normal(&q.text));
    }
    Ok(closed.into_iter().filter(|o| texts.get(&o.id).is_some_and(|t| !t.is_disjoint(&own))).collect())
}

fn conflict(title: &str) -> String {
    format!("Verglichen mit »{title}« unterschieden sich die antwortenden Kommunen um eine oder zwei; die Ergebnisse zeigten deren Antworten. Sie werden daher nicht gezeigt.")
}

/// Why an association may not see its members' results of `s` (answered by `set`), if so.
pub async fn members_conflict(db: &impl ConnectionTrait, s: &survey::Model, association: &str, set: &HashSet<String>, t: usize, now: DateTime<Utc>) -> Result<Option<String>, AppError> {
    if s.published_at.is_some() && !differ_safely(set, &respondents(db, s.id).await?, t) {
        return Ok(Some(format!("Die veröffentlichten Ergebnisse von »{}« umfassen eine oder zwei Kommunen mehr als Ihre Mitglieder; zusammen zeigten sie deren Antworten. Bitte lesen Sie die veröffentlichten Ergebnisse.", s.title)));
    }
    for other in related(db, s, now).await? {
        let all = respondents(db, other.id).await?;
        let mine: HashSet<String> = members_asked(db, other.id, association).await?.into_iter().filter(|o| all.contains(o)).collect();
        if (!mine.is_empty() && !differ_safely(set, &mine, t)) || (other.published_at.is_some() && !differ_safely(set, &all, t)) {
            return Ok(Some(conflict(&other.title)));
        }
    }
    Ok(None)
}

/// Why the results of `s` may not be published, if so.
pub async fn publish_conflict(db: &impl ConnectionTrait, s: &survey::Model, t: usize, now: DateTime<Utc>) -> Result<Option<String>, AppError> {
    let set = respondents(db, s.id).await?;
    if set.len() < t {
        return Ok(Some(format!("Weniger als {t} Kommunen haben geantwortet; die Ergebnisse ließen sich einzelnen zuordnen.")));
    }
    for other in related(db, s, now).await?.into_iter().filter(|o| o.published_at.is_some()) {
        if !differ_safely(&set, &respondents(db, other.id).await?, t) {
            return Ok(Some(format!("Verglichen mit den veröffentlichten Ergebnissen von »{}« unterschieden sich die antwortenden Kommunen um eine oder zwei; zusammen zeigten sie deren Antworten.", other.title)));
        }
    }
    Ok(None)
}
