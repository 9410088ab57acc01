//! Comparisons that would tell single answers: two groups of Kommunen whose results one reader
//! can set side by side (the published results of two surveys, an association's members in two
//! surveys, an association's members and everyone in one) must differ by none or at least the
//! threshold of Kommunen. Surveys are compared where they share a question (the same text): a
//! yearly copy, or the same question asked twice. Only closed surveys count: their answers no
//! longer change.

use crate::core::disclosure::differ_safely;
use crate::core::entities::{survey, survey_question};
use crate::identity::OrgKind;
use crate::error::AppError;
use crate::surveys::model::{ResponseState, SurveyPhase, SurveyState};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::{HashMap, HashSet};

use super::response::respondents;

/// The Kommunen of some kinds (organisation ids) that submitted an answer.
pub async fn respondents_of_kinds(db: &impl ConnectionTrait, survey_id: i64, kinds: &[OrgKind]) -> Result<HashSet<String>, AppError> {
    let mut values: Vec<sea_orm::Value> = vec![survey_id.into(), ResponseState::Submitted.code().into()];
    values.extend(kinds.iter().map(|k| k.code().into()));
    let sql = format!(
        "SELECT r.organisation_id AS id FROM survey_response r JOIN organisation o ON o.id = r.organisation_id WHERE r.survey_id = ? AND r.state = ? AND o.kind IN ({})",
        vec!["?"; kinds.len()].join(", ")
    );
    if kinds.is_empty() {
        return Ok(HashSet::new());
    }
    let rows: Vec<Id> = crate::core::db::read(db, &sql, values).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

#[derive(sea_orm::FromQueryResult)]
struct Id {
    id: String,
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

/// Why an association (speaking for Kommunen of `kinds`, `members` of which submitted) may not
/// see its members' results of `s` (where `all` Kommunen submitted), if so.
pub async fn members_conflict(db: &impl ConnectionTrait, s: &survey::Model, kinds: &[OrgKind], members: i64, all: i64, t: usize, now: DateTime<Utc>) -> Result<Option<String>, AppError> {
    // Beside the published results of the same survey the members are a part of all who
    // answered: the rest is the count of the others, no set is needed.
    let others = all - members;
    if s.published_at.is_some() && others > 0 && (others as usize) < t {
        return Ok(Some(format!("Die veröffentlichten Ergebnisse von »{}« umfassen eine oder zwei Kommunen mehr als Ihre Mitglieder; zusammen zeigten sie deren Antworten. Bitte lesen Sie die veröffentlichten Ergebnisse.", s.title)));
    }
    let related = related(db, s, now).await?;
    if related.is_empty() {
        return Ok(None);
    }
    let set = respondents_of_kinds(db, s.id, kinds).await?;
    for other in related {
        let mine = respondents_of_kinds(db, other.id, kinds).await?;
        if (!mine.is_empty() && !differ_safely(&set, &mine, t)) || (other.published_at.is_some() && !differ_safely(&set, &respondents(db, other.id).await?, t)) {
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
