//! Releasing a survey (its selection resolved to the Kommunen that answer, its questions fixed)
//! and copying one as the draft of its repetition.

use crate::core::audit::{self, Entry};
use crate::core::entities::{organisation, survey, survey_matrix_row, survey_option, survey_question, survey_section, survey_target};
use crate::error::AppError;
use crate::identity::OrgKind;
use crate::surveys::model::*;
use crate::vocabulary::audit::AuditAction;
use chrono::{DateTime, Datelike, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};
use std::collections::{BTreeSet, HashMap};

/// The Kommunen that answer a selection: where a Verbandsgemeinde answers for its members, the
/// members give way to it; where each member answers, the Verbandsgemeinde itself is not asked.
async fn answering_kommunen(db: &impl ConnectionTrait, resolved: Vec<String>, answering: Answering) -> Result<Vec<String>, AppError> {
    let mut out = BTreeSet::new();
    for chunk in resolved.chunks(500) {
        for o in organisation::Entity::find().filter(organisation::Column::Id.is_in(chunk.to_vec())).all(db).await? {
            match answering {
                Answering::Verband => {
                    out.insert(o.verband_id.unwrap_or(o.id));
                }
                Answering::Members if o.kind == OrgKind::Verbandsgemeinde.code() => {}
                Answering::Members => {
                    out.insert(o.id);
                }
            }
        }
    }
    Ok(out.into_iter().collect())
}

/// Releases a draft, based on the version the page showed; returns how many Kommunen it asks.
#[tracing::instrument(skip_all)]
pub async fn release(db: &DatabaseConnection, actor: &str, id: i64, version: i32, now: DateTime<Utc>) -> Result<usize, AppError> {
    let txn = crate::core::db::begin_write(db).await?;
    let s = super::build::survey_of(&txn, id).await?;
    if s.state == SurveyState::Released {
        return Err(AppError::Conflict("Die Abfrage ist bereits freigegeben.".into()));
    }
    if s.version != version {
        return Err(AppError::Conflict("Die Abfrage wurde inzwischen geändert. Bitte prüfen Sie sie noch einmal, bevor Sie sie freigeben.".into()));
    }
    if survey_question::Entity::find().filter(survey_question::Column::SurveyId.eq(id)).count(&txn).await? == 0 {
        return Err(AppError::field("release", "Eine Abfrage ohne Fragen kann nicht freigegeben werden."));
    }
    if s.closes_at <= now {
        return Err(AppError::field("closes", "Die Frist der Abfrage ist schon vorbei; bitte setzen Sie eine spätere."));
    }
    let value: Vec<String> = s.target_value.split(',').filter(|v| !v.is_empty()).map(String::from).collect();
    let (resolved, label) = crate::announcements::service::resolve(&txn, Some(s.target_kind), &value).await?;
    // A Selbstcheck is every Kommune's own, a Verbandsgemeinde's administration's too.
    let kommunen = match s.purpose {
        SurveyPurpose::SelfCheck => resolved,
        SurveyPurpose::Survey => answering_kommunen(&txn, resolved, s.answering).await?,
    };
    if kommunen.is_empty() {
        return Err(AppError::field("target", "Diese Auswahl erreicht keine Kommune."));
    }
    for chunk in kommunen.chunks(500) {
        let rows = chunk.iter().map(|o| survey_target::ActiveModel { survey_id: Set(id), organisation_id: Set(o.clone()) });
        survey_target::Entity::insert_many(rows).exec(&txn).await?;
    }
    super::rates::rebuild(&txn, id).await?;
    survey::Entity::update_many()
        .col_expr(survey::Column::State, SurveyState::Released.code().into())
        .col_expr(survey::Column::ReleasedAt, Some(now).into())
        .col_expr(survey::Column::TargetLabel, label.chars().take(500).collect::<String>().into())
        .col_expr(survey::Column::Version, (version + 1).into())
        .col_expr(survey::Column::UpdatedAt, now.into())
        .filter(survey::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let object = id.to_string();
    let detail = crate::ui::format::count_of(kommunen.len(), "Kommune", "Kommunen");
    audit::record(&txn, Entry { actor: Some(actor), action: AuditAction::SurveyReleased, object: Some(&object), detail: Some(detail), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(kommunen.len())
}

/// The same instant a year later (the 29th of February becomes the 28th).
fn a_year_later(t: DateTime<Utc>) -> DateTime<Utc> {
    t.with_year(t.year() + 1).or_else(|| (t - chrono::Duration::days(1)).with_year(t.year() + 1)).unwrap_or(t + chrono::Duration::days(365))
}

/// Copies a survey as the draft of its repetition a year later (same selection, sections and
/// questions; the conditions point at the copies); returns the new survey's id.
#[tracing::instrument(skip_all)]
pub async fn copy(db: &DatabaseConnection, actor: &str, id: i64, now: DateTime<Utc>) -> Result<i64, AppError> {
    let txn = crate::core::db::begin_write(db).await?;
    let s = super::build::survey_of(&txn, id).await?;
    let new = survey::ActiveModel {
        title: Set(s.title.clone()),
        description: Set(s.description.clone()),
        state: Set(SurveyState::Draft),
        opens_at: Set(a_year_later(s.opens_at)),
        closes_at: Set(a_year_later(s.closes_at)),
        target_kind: Set(s.target_kind),
        target_value: Set(s.target_value.clone()),
        target_label: Set(s.target_label.clone()),
        answering: Set(s.answering),
        predecessor_id: Set(Some(s.id)),
        version: Set(1),
        demo: Set(s.demo),
        created_by: Set(Some(actor.to_string())),
        created_at: Set(now),
        updated_at: Set(now),
        released_at: Set(None),
        reminder_days: Set(s.reminder_days),
        opened_notified_at: Set(None),
        reminded_at: Set(None),
        published_at: Set(None),
        published_by: Set(None),
        purpose: Set(s.purpose),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let sections = survey_section::Entity::find().filter(survey_section::Column::SurveyId.eq(id)).order_by_asc(survey_section::Column::Position).all(&txn).await?;
    let mut section_of = HashMap::new();
    for sec in sections {
        let copy = survey_section::ActiveModel { survey_id: Set(new.id), position: Set(sec.position), title: Set(sec.title), intro: Set(sec.intro), weight: Set(sec.weight), ..Default::default() }.insert(&txn).await?;
        super::selfcheck::copy_links(&txn, sec.id, copy.id).await?;
        section_of.insert(sec.id, copy.id);
    }
    // In reading order, so that a condition's question is copied before the question it guards.
    let (mut question_of, mut option_of) = (HashMap::new(), HashMap::<String, String>::new());
    for q in super::build::questions_in_order(&txn, id).await? {
        let condition_value = q.condition_value.clone().map(|v| option_of.get(&v).cloned().unwrap_or(v));
        let copy = survey_question::ActiveModel {
            survey_id: Set(new.id),
            section_id: Set(*section_of.get(&q.section_id).ok_or(AppError::NotFound)?),
            position: Set(q.position),
            kind: Set(q.kind),
            text: Set(q.text.clone()),
            hint: Set(q.hint.clone()),
            required: Set(q.required),
            unit: Set(q.unit.clone()),
            min_value: Set(q.min_value),
            max_value: Set(q.max_value),
            cell_kind: Set(q.cell_kind),
            condition_question_id: Set(q.condition_question_id.and_then(|c| question_of.get(&c).copied())),
            condition_value: Set(condition_value),
            binding: Set(q.binding),
            binding_ozg_id: Set(q.binding_ozg_id.clone()),
            added_after_release: Set(false),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        question_of.insert(q.id, copy.id);
        for o in survey_option::Entity::find().filter(survey_option::Column::QuestionId.eq(q.id)).order_by_asc(survey_option::Column::Position).all(&txn).await? {
            let c = survey_option::ActiveModel { question_id: Set(copy.id), position: Set(o.position), label: Set(o.label), other: Set(o.other), ..Default::default() }.insert(&txn).await?;
            option_of.insert(o.id.to_string(), c.id.to_string());
        }
        let rows = survey_matrix_row::Entity::find().filter(survey_matrix_row::Column::QuestionId.eq(q.id)).all(&txn).await?;
        if !rows.is_empty() {
            let rows = rows.into_iter().map(|r| survey_matrix_row::ActiveModel { question_id: Set(copy.id), position: Set(r.position), ozg_id: Set(r.ozg_id) });
            survey_matrix_row::Entity::insert_many(rows).exec(&txn).await?;
        }
    }
    let object = new.id.to_string();
    audit::record(&txn, Entry { actor: Some(actor), action: AuditAction::SurveyCopied, object: Some(&object), detail: Some(format!("Kopie der Abfrage {id}")), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(new.id)
}

/// The question-by-question comparison of a survey with its predecessor: for each question of
/// either, its text and kind here and there (matched by section position and question position).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compared {
    pub text: String,
    /// `None`: only in the predecessor; `Some(false)`: in both, changed; `Some(true)`: unchanged.
    pub unchanged: Option<bool>,
    pub only_here: bool,
}

impl Compared {
    /// How the question compares, in words.
    pub fn state(&self) -> &'static str {
        match (self.unchanged, self.only_here) {
            (Some(true), _) => "unverändert",
            (Some(false), _) => "geändert",
            (None, true) => "neu",
            (None, false) => "entfallen",
        }
    }
}

/// Compares a survey with the one it was copied from.
pub async fn compare(db: &impl ConnectionTrait, id: i64) -> Result<Vec<Compared>, AppError> {
    let s = super::build::survey_of(db, id).await?;
    let Some(before) = s.predecessor_id else {
        return Err(AppError::field("compare", "Diese Abfrage ist keine Wiederholung einer früheren."));
    };
    let key = |q: &survey_question::Model, sections: &[survey_section::Model]| (sections.iter().find(|x| x.id == q.section_id).map(|x| x.position).unwrap_or(0), q.position);
    let sections_now = survey_section::Entity::find().filter(survey_section::Column::SurveyId.eq(id)).all(db).await?;
    let sections_then = survey_section::Entity::find().filter(survey_section::Column::SurveyId.eq(before)).all(db).await?;
    let now_q = super::build::questions_in_order(db, id).await?;
    let then_q = super::build::questions_in_order(db, before).await?;
    let mut out = Vec::new();
    for q in &now_q {
        let k = key(q, &sections_now);
        match then_q.iter().find(|p| key(p, &sections_then) == k) {
            Some(p) => out.push(Compared { text: q.text.clone(), unchanged: Some(p.text == q.text && p.kind == q.kind && p.required == q.required), only_here: false }),
            None => out.push(Compared { text: q.text.clone(), unchanged: None, only_here: true }),
        }
    }
    for p in &then_q {
        let k = key(p, &sections_then);
        if !now_q.iter().any(|q| key(q, &sections_now) == k) {
            out.push(Compared { text: p.text.clone(), unchanged: None, only_here: false });
        }
    }
    Ok(out)
}
