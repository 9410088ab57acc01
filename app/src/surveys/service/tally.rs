//! The tally of a survey's submitted answers: per question (and OZG-Leistung of a matrix) how
//! many Kommunen answered (`a`) and gave each value (`ja`/`nein`, `o<Option>`, `n<Zahl>`,
//! `d<JJJJ-MM-TT>`). A submit adds its answer and a reopen takes it away, in the same
//! transaction, so the results never scan the answers; a group of Kommunen (an association's
//! members) is tallied from its answers by the same rules.

use super::values;
use crate::core::entities::{survey_answer, survey_answer_choice, survey_response, survey_tally};
use crate::error::AppError;
use crate::identity::OrgKind;
use crate::surveys::model::{QuestionKind, QuestionView, ResponseState};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// (question, OZG-ID of a matrix row or empty) → value key → Kommunen.
pub type Tallies = HashMap<(i64, String), BTreeMap<String, i64>>;

/// What one answer adds to the tally: each shown question (and matrix row) it answers once as
/// `a`, and its values.
pub fn entries(questions: &[&QuestionView], answers: &[survey_answer::Model], choices: &[survey_answer_choice::Model], files: &[i64]) -> BTreeSet<(i64, String, String)> {
    let fields = values::to_fields(questions, answers, choices);
    let kinds: HashMap<i64, (QuestionKind, Option<QuestionKind>)> = questions.iter().filter(|q| values::shown(q, &fields)).map(|q| (q.id, (q.kind, q.cell_kind))).collect();
    let kind = |q: i64, ozg: &str| kinds.get(&q).map(|(k, cell)| if ozg.is_empty() { *k } else { cell.unwrap_or(*k) });
    let mut out = BTreeSet::new();
    for a in answers {
        let Some(k) = kind(a.question_id, &a.ozg_id) else { continue };
        if !a.ozg_id.is_empty() {
            out.insert((a.question_id, String::new(), "a".into()));
        }
        let mut add = |key: String| out.insert((a.question_id, a.ozg_id.clone(), key));
        add("a".into());
        if let Some(b) = a.value_bool {
            add(if b { "ja" } else { "nein" }.into());
        }
        if let Some(n) = a.value_number {
            add(format!("n{n}"));
        }
        if let (QuestionKind::Date, Some(d)) = (k, &a.value_text) {
            add(format!("d{d}"));
        }
    }
    for q in files {
        if kinds.contains_key(q) {
            out.insert((*q, String::new(), "a".into()));
        }
    }
    for c in choices {
        if kind(c.question_id, &c.ozg_id).is_none() {
            continue;
        }
        // A matrix counts as answered once, whatever rows were.
        out.insert((c.question_id, String::new(), "a".into()));
        out.insert((c.question_id, c.ozg_id.clone(), "a".into()));
        out.insert((c.question_id, c.ozg_id.clone(), format!("o{}", c.option_id)));
    }
    out
}

/// Adds (`sign` 1) or takes away (-1) one response's answer (of a Kommune of `kind`) in the
/// survey's tally.
pub async fn apply(txn: &impl ConnectionTrait, survey_id: i64, response_id: i64, kind: &str, questions: &[&QuestionView], sign: i64) -> Result<(), AppError> {
    let answers = survey_answer::Entity::find().filter(survey_answer::Column::ResponseId.eq(response_id)).all(txn).await?;
    let choices = survey_answer_choice::Entity::find().filter(survey_answer_choice::Column::ResponseId.eq(response_id)).all(txn).await?;
    let files: Vec<i64> = super::files::of_responses(txn, &[response_id]).await?.into_iter().map(|f| f.question_id).collect();
    let rows: Vec<survey_tally::ActiveModel> = entries(questions, &answers, &choices, &files)
        .into_iter()
        .map(|(question_id, ozg_id, value_key)| survey_tally::ActiveModel { survey_id: Set(survey_id), question_id: Set(question_id), ozg_id: Set(ozg_id), value_key: Set(value_key), kind: Set(kind.to_string()), n: Set(sign) })
        .collect();
    for chunk in rows.chunks(200) {
        survey_tally::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([survey_tally::Column::SurveyId, survey_tally::Column::QuestionId, survey_tally::Column::OzgId, survey_tally::Column::ValueKey, survey_tally::Column::Kind])
                    .value(survey_tally::Column::N, Expr::col((survey_tally::Entity, survey_tally::Column::N)).add(Expr::cust("excluded.n")))
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// The tally of every submitted answer, as kept.
pub async fn of_survey(db: &impl ConnectionTrait, survey_id: i64) -> Result<Tallies, AppError> {
    of_kinds(db, survey_id, None).await
}

/// The tally of the submitted answers of Kommunen of some kinds (`None`: all), as kept.
pub async fn of_kinds(db: &impl ConnectionTrait, survey_id: i64, kinds: Option<&[OrgKind]>) -> Result<Tallies, AppError> {
    let mut q = survey_tally::Entity::find().filter(survey_tally::Column::SurveyId.eq(survey_id)).filter(survey_tally::Column::N.gt(0));
    if let Some(k) = kinds {
        q = q.filter(survey_tally::Column::Kind.is_in(k.iter().map(|k| k.code())));
    }
    let mut out = Tallies::new();
    for t in q.all(db).await? {
        *out.entry((t.question_id, t.ozg_id)).or_default().entry(t.value_key).or_default() += t.n;
    }
    Ok(out)
}

/// Counts the tally afresh from the stored answers (after a bulk load, or to check it).
pub async fn rebuild(db: &impl ConnectionTrait, survey_id: i64, questions: &[&QuestionView]) -> Result<(), AppError> {
    use crate::core::entities::organisation;
    survey_tally::Entity::delete_many().filter(survey_tally::Column::SurveyId.eq(survey_id)).exec(db).await?;
    let answered: Vec<String> = super::response::respondents(db, survey_id).await?.into_iter().collect();
    let mut by_kind: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in answered.chunks(500) {
        for o in organisation::Entity::find().filter(organisation::Column::Id.is_in(chunk.to_vec())).all(db).await? {
            by_kind.entry(o.kind).or_default().push(o.id);
        }
    }
    for (kind, ids) in by_kind {
        let (tallies, _) = of_kommunen(db, survey_id, &ids, questions).await?;
        let rows: Vec<survey_tally::ActiveModel> = tallies
            .into_iter()
            .flat_map(|((q, ozg), m)| {
                let kind = kind.clone();
                m.into_iter().map(move |(k, n)| survey_tally::ActiveModel { survey_id: Set(survey_id), question_id: Set(q), ozg_id: Set(ozg.clone()), value_key: Set(k), kind: Set(kind.clone()), n: Set(n) })
            })
            .collect();
        for chunk in rows.chunks(200) {
            survey_tally::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
        }
    }
    Ok(())
}

/// The tally of the submitted answers of some Kommunen (by organisation id), counted afresh;
/// with the ids of the Kommunen counted.
pub async fn of_kommunen(db: &impl ConnectionTrait, survey_id: i64, org_ids: &[String], questions: &[&QuestionView]) -> Result<(Tallies, Vec<String>), AppError> {
    let mut out = Tallies::new();
    let mut counted = Vec::new();
    for chunk in org_ids.chunks(500) {
        let responses = survey_response::Entity::find()
            .filter(survey_response::Column::SurveyId.eq(survey_id))
            .filter(survey_response::Column::State.eq(ResponseState::Submitted.code()))
            .filter(survey_response::Column::OrganisationId.is_in(chunk.to_vec()))
            .all(db)
            .await?;
        let ids: Vec<i64> = responses.iter().map(|r| r.id).collect();
        let mut answers: HashMap<i64, Vec<survey_answer::Model>> = HashMap::new();
        let mut choices: HashMap<i64, Vec<survey_answer_choice::Model>> = HashMap::new();
        for a in survey_answer::Entity::find().filter(survey_answer::Column::ResponseId.is_in(ids.clone())).all(db).await? {
            answers.entry(a.response_id).or_default().push(a);
        }
        for c in survey_answer_choice::Entity::find().filter(survey_answer_choice::Column::ResponseId.is_in(ids)).all(db).await? {
            choices.entry(c.response_id).or_default().push(c);
        }
        let mut files: HashMap<i64, Vec<i64>> = HashMap::new();
        for f in super::files::of_responses(db, &responses.iter().map(|r| r.id).collect::<Vec<_>>()).await? {
            files.entry(f.response_id).or_default().push(f.question_id);
        }
        for r in responses {
            let of = |m: &HashMap<i64, Vec<i64>>| m.get(&r.id).cloned().unwrap_or_default();
            for (q, ozg, key) in entries(questions, answers.get(&r.id).map(Vec::as_slice).unwrap_or_default(), choices.get(&r.id).map(Vec::as_slice).unwrap_or_default(), &of(&files)) {
                *out.entry((q, ozg)).or_default().entry(key).or_default() += 1;
            }
            counted.push(r.organisation_id);
        }
    }
    Ok((out, counted))
}
