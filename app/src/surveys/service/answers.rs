//! A Kommune answers a survey: one answer per Kommune that all its clerks work on, saved per
//! section against the version the form showed (two clerks at once: the second gets a 409 and
//! keeps what was typed), submitted once everything required is answered, and reopened until
//! the deadline (the Land then sees that it changed).

use super::questions;
use super::response::{context, next_version, require_open, response_of, stale};
use super::values::{self, Errors, Value};
use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::core::entities::{organisation, survey, survey_answer, survey_answer_choice, survey_response, survey_target};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::surveys::answers::{AnswerSheet, OpenSurvey, SheetFile, SheetSection};
use crate::surveys::model::{QuestionKind, QuestionView, ResponseState, SectionView, SurveyPhase};
use crate::vocabulary::audit::AuditAction;
use chrono::{DateTime, Utc};
use chrono_tz::Europe::Berlin;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::BTreeMap;

async fn stored(db: &impl ConnectionTrait, response: Option<&survey_response::Model>, sections: &[SectionView]) -> Result<BTreeMap<String, String>, AppError> {
    let Some(r) = response else { return Ok(BTreeMap::new()) };
    let answers = survey_answer::Entity::find().filter(survey_answer::Column::ResponseId.eq(r.id)).all(db).await?;
    let choices = survey_answer_choice::Entity::find().filter(survey_answer_choice::Column::ResponseId.eq(r.id)).all(db).await?;
    let mut out = values::to_fields(&questions(sections), &answers, &choices);
    // A file answers its question under the question's field, by its name.
    for f in super::files::of_responses(db, &[r.id]).await? {
        out.insert(crate::surveys::answers::field(f.question_id), f.filename);
    }
    Ok(out)
}

fn stamp(t: DateTime<Utc>) -> String {
    t.with_timezone(&Berlin).format("%d.%m.%Y %H:%M").to_string()
}

/// (answered, to answer) among the shown questions.
fn progress(sections: &[SectionView], values: &BTreeMap<String, String>) -> (usize, usize) {
    let asked: Vec<_> = questions(sections).into_iter().filter(|q| values::shown(q, values)).collect();
    (asked.iter().filter(|q| values::answered(q, values)).count(), asked.len())
}

/// A Kommune's answer as its form shows it.
#[tracing::instrument(skip_all)]
pub async fn sheet(db: &DatabaseConnection, scope: &Scope, survey_id: i64, key: Option<&str>, now: DateTime<Utc>) -> Result<AnswerSheet, AppError> {
    let (s, org, kommunen) = super::response::read_context(db, scope, survey_id, key).await?;
    let sections = super::sections_of(db, &s).await?;
    let response = response_of(db, survey_id, &org.id).await?;
    let values = stored(db, response.as_ref(), &sections).await?;
    let mut register = Vec::new();
    let mut stages = BTreeMap::new();
    for q in questions(&sections) {
        if let Some((_, _, ozg)) = &q.binding {
            let stage = crate::register::service::record_of(db, &org.id, ozg).await?.map(|r| crate::register::service::input_of(&r).stage);
            register.push((q.id, stage.map(|s| s.label().to_string()).unwrap_or_else(|| "nicht erfasst".to_string())));
            stages.insert(q.id, stage);
        }
    }
    let takeover = if scope.may_act_for(&org.id) { super::takeover::offers(&sections, &values, &stages) } else { Vec::new() };
    let (answered, total) = progress(&sections, &values);
    let files = match &response {
        Some(r) => super::files::of_responses(db, &[r.id]).await?.into_iter().map(|f| SheetFile { question: f.question_id, id: f.id, name: f.filename, size: crate::ui::format::human_size(f.size) }).collect(),
        None => Vec::new(),
    };
    let last_saved = match &response {
        Some(r) if r.version > 0 => {
            let who = match &r.updated_by {
                Some(id) => crate::core::entities::app_user::Entity::find_by_id(id.clone()).one(db).await?.map(|u| u.name).unwrap_or_default(),
                None => String::new(),
            };
            Some((who, stamp(r.updated_at)))
        }
        _ => None,
    };
    Ok(AnswerSheet {
        survey_id,
        title: s.title.clone(),
        description: crate::core::markdown::parse(&s.description),
        phase: super::phase(&s, now),
        closes: super::last_day(&s),
        kommune: (org.key.clone(), org.name.clone()),
        kommunen: kommunen.iter().map(|o| (o.key.clone(), o.name.clone())).collect(),
        state: response.as_ref().map(|r| r.state).unwrap_or(ResponseState::Draft),
        version: response.as_ref().map(|r| r.version).unwrap_or(0),
        changed_after_submit: response.as_ref().is_some_and(|r| r.changed_after_submit),
        last_saved,
        submitted: response.as_ref().and_then(|r| r.submitted_at).map(stamp),
        sections: sections
            .iter()
            .map(|sec| SheetSection { id: sec.id, title: sec.title.clone(), intro: sec.intro.clone(), questions: sec.questions.iter().map(|q| (q.clone(), values::shown(q, &values))).collect() })
            .collect(),
        values,
        register,
        takeover,
        files,
        answered,
        total,
        purpose: s.purpose,
        readonly: matches!(scope, Scope::Land),
    })
}

/// Saves one section of a Kommune's answer; returns the new version.
#[tracing::instrument(skip_all)]
pub async fn save_section(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, survey_id: i64, key: &str, section_id: i64, version: i32, form: BTreeMap<String, String>, now: DateTime<Utc>) -> Result<i32, AppError> {
    let (s, org, _) = context(db, scope, survey_id, Some(key)).await?;
    crate::access::policy::kommune_write(scope, &org.id)?;
    require_open(&s, now)?;
    let sections = super::sections_of(db, &s).await?;
    let section = sections.iter().find(|x| x.id == section_id).ok_or(AppError::NotFound)?;
    let mut e = Errors::new();
    let mut read: Vec<(i64, Vec<Value>)> = Vec::new();
    // What the form shows after this save decides which conditional questions count.
    let txn = crate::core::db::begin_write(db).await?;
    let current = response_of(&txn, survey_id, &org.id).await?;
    if current.as_ref().map(|r| r.version).unwrap_or(0) != version {
        return Err(stale());
    }
    if current.as_ref().is_some_and(|r| r.state == ResponseState::Submitted) {
        return Err(AppError::Conflict("Die Antwort ist eingereicht. Um sie zu ändern, öffnen Sie sie bitte zuerst wieder.".into()));
    }
    let mut merged = stored(&txn, current.as_ref(), &sections).await?;
    let own: Vec<&QuestionView> = section.questions.iter().collect();
    merged.retain(|k, _| !own.iter().any(|q| k == &crate::surveys::answers::field(q.id) || k.starts_with(&format!("q{}_", q.id))));
    merged.extend(form.iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| (k.clone(), v.clone())));
    for q in &own {
        if q.kind == QuestionKind::File || !values::shown(q, &merged) {
            continue;
        }
        read.push((q.id, values::read(q, &form, &mut e)));
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let response = next_version(&txn, survey_id, &org.id, version, user, now).await?;
    let ids: Vec<i64> = own.iter().map(|q| q.id).collect();
    survey_answer_choice::Entity::delete_many().filter(survey_answer_choice::Column::ResponseId.eq(response.id)).filter(survey_answer_choice::Column::QuestionId.is_in(ids.clone())).exec(&txn).await?;
    survey_answer::Entity::delete_many().filter(survey_answer::Column::ResponseId.eq(response.id)).filter(survey_answer::Column::QuestionId.is_in(ids)).exec(&txn).await?;
    let (mut answers, mut choices) = (Vec::new(), Vec::new());
    for (question_id, values) in read {
        for v in values {
            if v.text.is_some() || v.number.is_some() || v.yes.is_some() || v.other.is_some() {
                answers.push(survey_answer::ActiveModel {
                    response_id: Set(response.id),
                    question_id: Set(question_id),
                    ozg_id: Set(v.ozg_id.clone()),
                    value_text: Set(v.text.clone()),
                    value_number: Set(v.number),
                    value_bool: Set(v.yes),
                    other_text: Set(v.other.clone()),
                });
            }
            choices.extend(v.chosen.iter().map(|o| survey_answer_choice::ActiveModel { response_id: Set(response.id), question_id: Set(question_id), ozg_id: Set(v.ozg_id.clone()), option_id: Set(*o) }));
        }
    }
    if !answers.is_empty() {
        survey_answer::Entity::insert_many(answers).exec(&txn).await?;
    }
    if !choices.is_empty() {
        survey_answer_choice::Entity::insert_many(choices).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(response.version)
}

/// Submits a Kommune's answer once every shown required question is answered.
#[tracing::instrument(skip_all)]
pub async fn submit(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, survey_id: i64, key: &str, version: i32, now: DateTime<Utc>) -> Result<crate::surveys::model::SurveyPurpose, AppError> {
    let (s, org, _) = context(db, scope, survey_id, Some(key)).await?;
    crate::access::policy::kommune_write(scope, &org.id)?;
    require_open(&s, now)?;
    let sections = super::sections_of(db, &s).await?;
    let txn = crate::core::db::begin_write(db).await?;
    let current = response_of(&txn, survey_id, &org.id).await?;
    if current.as_ref().map(|r| r.version).unwrap_or(0) != version {
        return Err(stale());
    }
    if current.as_ref().is_some_and(|r| r.state == ResponseState::Submitted) {
        return Err(AppError::Conflict("Die Antwort ist bereits eingereicht.".into()));
    }
    let values = stored(&txn, current.as_ref(), &sections).await?;
    let mut e = Errors::new();
    for q in questions(&sections) {
        if q.required && values::shown(q, &values) && !values::answered(q, &values) {
            let message = match q.kind {
                QuestionKind::Matrix => format!("Bitte beantworten Sie jede Zeile von »{}« (Pflichtfrage).", q.text),
                QuestionKind::File => format!("Bitte laden Sie zu »{}« eine Datei hoch (Pflichtfrage).", q.text),
                _ => format!("Bitte beantworten Sie »{}« (Pflichtfrage).", q.text),
            };
            e.entry(crate::surveys::answers::field(q.id)).or_default().push(message);
        }
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let response = next_version(&txn, survey_id, &org.id, version, user, now).await?;
    survey_response::Entity::update_many()
        .col_expr(survey_response::Column::State, ResponseState::Submitted.code().into())
        .col_expr(survey_response::Column::SubmittedAt, Some(now).into())
        .col_expr(survey_response::Column::SubmittedBy, Some(user.id.clone()).into())
        .filter(survey_response::Column::Id.eq(response.id))
        .exec(&txn)
        .await?;
    super::tally::apply(&txn, survey_id, response.id, &org.kind, &questions(&sections), 1).await?;
    super::rates::step(&txn, survey_id, &org, 1).await?;
    super::selfcheck::record(&txn, &s, &org, &sections, &values, user, now).await?;
    let object = survey_id.to_string();
    audit::record(&txn, Entry { actor: Some(&user.id), action: AuditAction::SurveyAnswerSubmitted, object: Some(&object), detail: Some(org.name.clone()), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(s.purpose)
}

/// Opens a submitted answer again (until the deadline); the Land sees that it changed.
#[tracing::instrument(skip_all)]
pub async fn reopen(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, survey_id: i64, key: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let (s, org, _) = context(db, scope, survey_id, Some(key)).await?;
    crate::access::policy::kommune_write(scope, &org.id)?;
    require_open(&s, now)?;
    let sections = super::sections_of(db, &s).await?;
    let txn = crate::core::db::begin_write(db).await?;
    let current = response_of(&txn, survey_id, &org.id).await?.filter(|r| r.state == ResponseState::Submitted).ok_or_else(|| AppError::Conflict("Die Antwort ist nicht eingereicht.".into()))?;
    survey_response::Entity::update_many()
        .col_expr(survey_response::Column::State, ResponseState::Draft.code().into())
        .col_expr(survey_response::Column::ChangedAfterSubmit, true.into())
        .col_expr(survey_response::Column::Version, (current.version + 1).into())
        .col_expr(survey_response::Column::UpdatedAt, now.into())
        .col_expr(survey_response::Column::UpdatedBy, Some(user.id.clone()).into())
        .filter(survey_response::Column::Id.eq(current.id))
        .exec(&txn)
        .await?;
    super::tally::apply(&txn, survey_id, current.id, &org.kind, &questions(&sections), -1).await?;
    super::rates::step(&txn, survey_id, &org, -1).await?;
    let object = survey_id.to_string();
    audit::record(&txn, Entry { actor: Some(&user.id), action: AuditAction::SurveyAnswerReopened, object: Some(&object), detail: Some(org.name.clone()), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// The open surveys of the caller's Kommunen with their answer's state and progress.
#[tracing::instrument(skip_all)]
pub async fn open_for(db: &DatabaseConnection, scope: &Scope, now: DateTime<Utc>) -> Result<Vec<OpenSurvey>, AppError> {
    let Scope::Municipal { org_ids } = scope else { return Ok(Vec::new()) };
    let targets = survey_target::Entity::find().filter(survey_target::Column::OrganisationId.is_in(org_ids.iter().cloned())).all(db).await?;
    let mut out = Vec::new();
    // The start page asks on every visit: a Kommune asked nothing costs this one query.
    if targets.is_empty() {
        return Ok(out);
    }
    let ids: Vec<i64> = targets.iter().map(|t| t.survey_id).collect();
    let open = survey::Entity::find().filter(survey::Column::Id.is_in(ids)).filter(survey::Column::OpensAt.lte(now)).filter(survey::Column::ClosesAt.gt(now)).order_by_asc(survey::Column::ClosesAt).all(db).await?;
    for s in open.iter().filter(|s| super::phase(s, now) == SurveyPhase::Open) {
        let sections = super::sections_of(db, s).await?;
        for t in targets.iter().filter(|t| t.survey_id == s.id) {
            let Some(org) = organisation::Entity::find_by_id(t.organisation_id.clone()).one(db).await? else { continue };
            // A Verbandsgemeinde's clerk is offered its own Selbstcheck here; its members' are a
            // choice on the Selbstcheck's pages.
            if s.purpose == crate::surveys::model::SurveyPurpose::SelfCheck && org.verband_id.as_ref().is_some_and(|v| org_ids.contains(v)) {
                continue;
            }
            let response = response_of(db, s.id, &org.id).await?;
            let values = stored(db, response.as_ref(), &sections).await?;
            let (answered, total) = progress(&sections, &values);
            out.push(OpenSurvey { id: s.id, title: s.title.clone(), kommune_key: org.key, kommune: org.name, closes: super::last_day(s), state: response.map(|r| r.state).unwrap_or(ResponseState::Draft), answered, total, purpose: s.purpose });
        }
    }
    Ok(out)
}
