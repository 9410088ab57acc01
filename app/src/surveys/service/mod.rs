//! The Abfragen on the server: building (`build`), releasing and copying (`release`), and
//! reading a survey as its builder sees it (here).

pub mod answers;
pub mod build;
pub mod export;
pub mod files;
pub mod guard;
pub mod notices;
pub mod publish;
pub mod rates;
pub mod release;
pub mod response;
pub mod results;
pub mod selfcheck;
pub mod takeover;
pub mod tally;
pub mod values;

use crate::core::entities::{ozg_service, survey, survey_matrix_row, survey_option, survey_question, survey_response, survey_section, survey_target};
use crate::error::AppError;
use crate::surveys::model::*;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

fn berlin_start(d: NaiveDate) -> Option<DateTime<Utc>> {
    Berlin.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).earliest().map(|t| t.with_timezone(&Utc))
}

/// A survey's period in UTC: from the start of its first day to the end of its last (Europe/Berlin).
pub(crate) fn period(i: &SurveyInput) -> Result<(DateTime<Utc>, DateTime<Utc>), AppError> {
    let opens = berlin_start(i.opens);
    let closes = i.closes.succ_opt().and_then(berlin_start);
    match (opens, closes) {
        (Some(o), Some(c)) => Ok((o, c)),
        _ => Err(AppError::field("closes", "Diese Daten liegen außerhalb des Kalenders.")),
    }
}

/// `TT.MM.JJJJ` of an instant in Berlin.
pub(crate) fn day(t: DateTime<Utc>) -> String {
    t.with_timezone(&Berlin).format("%d.%m.%Y").to_string()
}

/// A survey's last day (`TT.MM.JJJJ`): it closes at the end of it.
pub(crate) fn last_day(s: &survey::Model) -> String {
    day(s.closes_at - chrono::Duration::seconds(1))
}

/// Where a survey stands at `now`.
pub fn phase(s: &survey::Model, now: DateTime<Utc>) -> SurveyPhase {
    match s.state {
        SurveyState::Draft => SurveyPhase::Draft,
        SurveyState::Released if now < s.opens_at => SurveyPhase::Scheduled,
        SurveyState::Released if now < s.closes_at => SurveyPhase::Open,
        SurveyState::Released => SurveyPhase::Closed,
    }
}

/// The sections of a survey with their questions (options, rows, conditions in words): what the
/// builder, the answer form, the start page's progress and the export read.
#[tracing::instrument(skip_all)]
pub async fn sections(db: &impl ConnectionTrait, id: i64) -> Result<Vec<SectionView>, AppError> {
    let sections = survey_section::Entity::find().filter(survey_section::Column::SurveyId.eq(id)).order_by_asc(survey_section::Column::Position).all(db).await?;
    let mut questions = survey_question::Entity::find().filter(survey_question::Column::SurveyId.eq(id)).all(db).await?;
    build::in_reading_order(&sections, &mut questions);
    let ids: Vec<i64> = questions.iter().map(|q| q.id).collect();
    let options = survey_option::Entity::find().filter(survey_option::Column::QuestionId.is_in(ids.clone())).order_by_asc(survey_option::Column::Position).all(db).await?;
    let rows = survey_matrix_row::Entity::find().filter(survey_matrix_row::Column::QuestionId.is_in(ids)).order_by_asc(survey_matrix_row::Column::Position).all(db).await?;
    let mut ozg_ids: Vec<String> = rows.iter().map(|r| r.ozg_id.clone()).collect();
    ozg_ids.extend(questions.iter().filter_map(|q| q.binding_ozg_id.clone()));
    let names: HashMap<String, String> = ozg_service::Entity::find().filter(ozg_service::Column::OzgId.is_in(ozg_ids)).all(db).await?.into_iter().map(|o| (o.ozg_id, o.name)).collect();
    let name_of = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let option_label: HashMap<i64, String> = options.iter().map(|o| (o.id, o.label.clone())).collect();
    let text_of: HashMap<i64, String> = questions.iter().map(|q| (q.id, q.text.clone())).collect();
    let condition = |q: &survey_question::Model| -> Option<String> {
        let on = q.condition_question_id?;
        let value = q.condition_value.clone().unwrap_or_default();
        let answer = value.parse::<i64>().ok().and_then(|o| option_label.get(&o).cloned()).unwrap_or_else(|| if value == "ja" { "Ja".into() } else { "Nein".into() });
        Some(format!("nur nach »{answer}« bei »{}«", text_of.get(&on).cloned().unwrap_or_default()))
    };
    let view_of = |q: &survey_question::Model| QuestionView {
        id: q.id,
        kind: q.kind,
        text: q.text.clone(),
        hint: q.hint.clone(),
        required: q.required,
        unit: q.unit.clone(),
        min: q.min_value,
        max: q.max_value,
        options: options.iter().filter(|o| o.question_id == q.id).map(|o| (o.id, o.label.clone(), o.other)).collect(),
        cell_kind: q.cell_kind,
        rows: rows.iter().filter(|r| r.question_id == q.id).map(|r| (r.ozg_id.clone(), name_of(&r.ozg_id))).collect(),
        condition: condition(q),
        condition_on: q.condition_question_id.zip(q.condition_value.clone()),
        binding: q.binding.zip(q.binding_ozg_id.clone()).map(|(b, ozg)| (b, name_of(&ozg), ozg)),
        added_after_release: q.added_after_release,
    };
    Ok(sections
        .into_iter()
        .map(|sec| SectionView { id: sec.id, questions: questions.iter().filter(|q| q.section_id == sec.id).map(view_of).collect(), title: sec.title, intro: sec.intro, weight: sec.weight })
        .collect())
}

/// Sections and questions kept per survey under the survey's stamp: the instant of its making
/// (a survey of the same id in another database, as the tests run several in one process, is
/// another survey) and `updated_at`, which every change of its sections and questions moves
/// (`build::touch`).
static KEPT: crate::core::versions::Memo<i64, Vec<SectionView>, (DateTime<Utc>, DateTime<Utc>)> = crate::core::versions::Memo::new(256);

/// `sections` of a survey whose row the caller has read, kept while the survey's stamp stands,
/// so the answer form, saving, submitting and the start page do not read the questionnaire
/// afresh each time. Every instance compares the stamp of the row it read.
pub async fn sections_of(db: &impl ConnectionTrait, s: &survey::Model) -> Result<std::sync::Arc<Vec<SectionView>>, AppError> {
    KEPT.get_or(s.id, (s.created_at, s.updated_at), || sections(db, s.id)).await
}

/// The questions of sections in the order a Kommune reads them.
pub fn questions(sections: &[SectionView]) -> Vec<&QuestionView> {
    sections.iter().flat_map(|s| &s.questions).collect()
}

/// A survey as its builder sees it: its fields, sections and questions, how far the Kommunen
/// are, and how it compares with its predecessor.
#[tracing::instrument(skip_all)]
pub async fn load(db: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> Result<SurveyView, AppError> {
    let s = build::survey_of(db, id).await?;
    let sections = sections(db, id).await?;
    let predecessor = match s.predecessor_id {
        Some(p) => survey::Entity::find_by_id(p).one(db).await?.map(|p| (p.id, p.title)),
        None => None,
    };
    let kommunen = survey_target::Entity::find().filter(survey_target::Column::SurveyId.eq(id)).count(db).await?;
    let answers = |state: ResponseState| survey_response::Entity::find().filter(survey_response::Column::SurveyId.eq(id)).filter(survey_response::Column::State.eq(state.code())).count(db);
    let (submitted, drafts) = (answers(ResponseState::Submitted).await?, answers(ResponseState::Draft).await?);
    // A Selbstcheck is an offer to every Kommune: no one is missing.
    let missing = if kommunen > 0 && s.purpose == SurveyPurpose::Survey {
        let ids = notices::missing(db, id).await?;
        let mut names: Vec<String> = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            names.extend(crate::core::entities::organisation::Entity::find().filter(crate::core::entities::organisation::Column::Id.is_in(chunk.to_vec())).all(db).await?.into_iter().map(|o| o.name));
        }
        names.sort();
        names
    } else {
        Vec::new()
    };
    let latest = latest_answers(db, id).await?;
    Ok(SurveyView {
        latest,
        id: s.id,
        phase: phase(&s, now),
        opens: day(s.opens_at),
        closes: last_day(&s),
        title: s.title,
        description: crate::core::markdown::parse(&s.description),
        target_label: s.target_label,
        answering: s.answering,
        comparison: match predecessor {
            Some(_) => release::compare(db, id).await?.into_iter().map(|c| (c.state().to_string(), c.text)).map(|(state, text)| (text, state)).collect(),
            None => Vec::new(),
        },
        predecessor,
        version: s.version,
        kommunen,
        submitted,
        drafts,
        missing,
        reminder_days: s.reminder_days,
        sections,
        purpose: s.purpose,
        selfcheck: match s.purpose {
            SurveyPurpose::SelfCheck => Some(selfcheck::settings(db, id).await?),
            SurveyPurpose::Survey => None,
        },
    })
}

/// The 20 answers changed last, for the Land to open: (key, Kommune, state, when).
async fn latest_answers(db: &impl ConnectionTrait, id: i64) -> Result<Vec<(String, String, String, String)>, AppError> {
    use sea_orm::QuerySelect;
    let rows = survey_response::Entity::find().filter(survey_response::Column::SurveyId.eq(id)).order_by_desc(survey_response::Column::UpdatedAt).order_by_desc(survey_response::Column::Id).limit(20).all(db).await?;
    let orgs: HashMap<String, (String, String)> = crate::core::entities::organisation::Entity::find()
        .filter(crate::core::entities::organisation::Column::Id.is_in(rows.iter().map(|r| r.organisation_id.clone())))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, (o.key, o.name)))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let (key, name) = orgs.get(&r.organisation_id)?.clone();
            let state = match (r.state, r.changed_after_submit) {
                (ResponseState::Draft, true) => "wieder geöffnet".to_string(),
                (state, _) => state.label().to_string(),
            };
            Some((key, name, state, r.updated_at.with_timezone(&Berlin).format("%d.%m.%Y %H:%M").to_string()))
        })
        .collect())
}

/// Every survey, newest first, with its phase and how many Kommunen it asks.
#[tracing::instrument(skip_all)]
pub async fn list(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<SurveyLine>, AppError> {
    let rows = survey::Entity::find().order_by_desc(survey::Column::Id).all(db).await?;
    let mut lines = Vec::with_capacity(rows.len());
    for s in rows {
        let kommunen = survey_target::Entity::find().filter(survey_target::Column::SurveyId.eq(s.id)).count(db).await?;
        lines.push(SurveyLine { id: s.id, phase: phase(&s, now), opens: day(s.opens_at), closes: last_day(&s), title: s.title, target_label: s.target_label, kommunen, purpose: s.purpose });
    }
    Ok(lines)
}

/// The surveys a person created (for the Auskunft): (id, title, created).
pub async fn of_person(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<(i64, String, DateTime<Utc>)>, AppError> {
    Ok(survey::Entity::find().filter(survey::Column::CreatedBy.eq(user_id)).order_by_asc(survey::Column::Id).all(db).await?.into_iter().map(|s| (s.id, s.title, s.created_at)).collect())
}

/// The answers a person last saved or submitted (for the Auskunft): (survey, title, Kommune,
/// saved, submitted).
pub async fn answers_of_person(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<(i64, String, String, DateTime<Utc>, Option<DateTime<Utc>>)>, AppError> {
    use sea_orm::Condition;
    let rows = survey_response::Entity::find()
        .filter(Condition::any().add(survey_response::Column::UpdatedBy.eq(user_id)).add(survey_response::Column::SubmittedBy.eq(user_id)))
        .order_by_asc(survey_response::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let title = survey::Entity::find_by_id(r.survey_id).one(db).await?.map(|s| s.title).unwrap_or_default();
        let kommune = crate::core::entities::organisation::Entity::find_by_id(r.organisation_id.clone()).one(db).await?.map(|o| o.name).unwrap_or_default();
        out.push((r.survey_id, title, kommune, r.updated_at, r.submitted_at));
    }
    Ok(out)
}
