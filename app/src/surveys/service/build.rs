//! Building a survey: its fields, sections and questions. Once released, its questions stand:
//! only optional questions may be added, none removed or changed in kind, so no given answer
//! loses its question.

use crate::core::audit::{self, Entry};
use crate::core::entities::{ozg_service, survey, survey_matrix_row, survey_option, survey_question, survey_section};
use crate::error::AppError;
use crate::surveys::model::*;
use crate::vocabulary::audit::AuditAction;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};

/// The survey, or "not found".
pub(super) async fn survey_of(db: &impl ConnectionTrait, id: i64) -> Result<survey::Model, AppError> {
    survey::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}

/// Creates a survey as a draft; returns its id.
#[tracing::instrument(skip_all)]
pub async fn create(db: &DatabaseConnection, actor: &str, i: SurveyInput, now: DateTime<Utc>) -> Result<i64, AppError> {
    let (opens, closes) = super::period(&i)?;
    // The selection is checked now (and resolved again at release, when it counts).
    let (_, label) = crate::announcements::service::resolve(db, Some(i.target), &i.value).await?;
    let txn = crate::core::db::begin_write(db).await?;
    let row = survey::ActiveModel {
        title: Set(i.title),
        description: Set(i.description),
        state: Set(SurveyState::Draft),
        opens_at: Set(opens),
        closes_at: Set(closes),
        target_kind: Set(i.target),
        target_value: Set(i.value.join(",")),
        target_label: Set(label.chars().take(500).collect()),
        answering: Set(i.answering),
        predecessor_id: Set(None),
        version: Set(1),
        demo: Set(false),
        created_by: Set(Some(actor.to_string())),
        created_at: Set(now),
        updated_at: Set(now),
        released_at: Set(None),
        reminder_days: Set(i.reminder_days),
        opened_notified_at: Set(None),
        reminded_at: Set(None),
        published_at: Set(None),
        published_by: Set(None),
        purpose: Set(i.purpose),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let object = row.id.to_string();
    audit::record(&txn, Entry { actor: Some(actor), action: AuditAction::SurveyCreated, object: Some(&object), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Changes a survey's fields, based on the version the form showed. A released survey keeps
/// whom it asks and how a Verbandsgemeinde answers (its Kommunen were resolved at release).
#[tracing::instrument(skip_all)]
pub async fn update(db: &DatabaseConnection, actor: &str, id: i64, version: i32, i: SurveyInput, now: DateTime<Utc>) -> Result<(), AppError> {
    let (opens, closes) = super::period(&i)?;
    let txn = crate::core::db::begin_write(db).await?;
    let s = survey_of(&txn, id).await?;
    let i = i.fitted(s.purpose);
    let value = i.value.join(",");
    let released = s.state == SurveyState::Released;
    if released && (s.target_kind != i.target || s.target_value != value || s.answering != i.answering) {
        return Err(AppError::field("target", "Die Abfrage ist freigegeben: wen sie fragt, steht fest."));
    }
    if released && opens != s.opens_at {
        return Err(AppError::field("opens", "Die Abfrage ist freigegeben: ihr Beginn steht fest."));
    }
    let label = if released { s.target_label.clone() } else { crate::announcements::service::resolve(&txn, Some(i.target), &i.value).await?.1 };
    let changed = survey::Entity::update_many()
        .col_expr(survey::Column::Title, i.title.into())
        .col_expr(survey::Column::Description, i.description.into())
        .col_expr(survey::Column::OpensAt, opens.into())
        .col_expr(survey::Column::ClosesAt, closes.into())
        .col_expr(survey::Column::TargetKind, i.target.code().into())
        .col_expr(survey::Column::TargetValue, value.into())
        .col_expr(survey::Column::TargetLabel, label.chars().take(500).collect::<String>().into())
        .col_expr(survey::Column::Answering, i.answering.code().into())
        .col_expr(survey::Column::ReminderDays, i.reminder_days.into())
        .col_expr(survey::Column::Version, (version + 1).into())
        .col_expr(survey::Column::UpdatedAt, now.into())
        .filter(survey::Column::Id.eq(id))
        .filter(survey::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(AppError::Conflict("Die Abfrage wurde inzwischen geändert. Bitte laden Sie die Seite neu; Ihre Eingaben stehen noch im Formular.".into()));
    }
    let object = id.to_string();
    audit::record(&txn, Entry { actor: Some(actor), action: AuditAction::SurveyChanged, object: Some(&object), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// Marks a change of a survey's sections or questions: their kept view (`super::sections_of`)
/// is read afresh on every instance, which compares this stamp with the one it kept. The stamp
/// moves forward even where the clock did not.
pub(super) async fn touch(txn: &impl ConnectionTrait, s: &survey::Model) -> Result<(), AppError> {
    let stamp = crate::core::time::now().max(s.updated_at + chrono::Duration::microseconds(1));
    survey::Entity::update_many().col_expr(survey::Column::UpdatedAt, stamp.into()).filter(survey::Column::Id.eq(s.id)).exec(txn).await?;
    Ok(())
}

/// Adds a section at the end; returns its id.
#[tracing::instrument(skip_all)]
pub async fn add_section(db: &DatabaseConnection, actor: &str, survey_id: i64, i: SectionInput) -> Result<i64, AppError> {
    let txn = crate::core::db::begin_write(db).await?;
    let s = survey_of(&txn, survey_id).await?;
    touch(&txn, &s).await?;
    let position = survey_section::Entity::find().filter(survey_section::Column::SurveyId.eq(survey_id)).count(&txn).await? as i32 + 1;
    let row = survey_section::ActiveModel { survey_id: Set(survey_id), position: Set(position), title: Set(i.title), intro: Set(i.intro), ..Default::default() }.insert(&txn).await?;
    let object = survey_id.to_string();
    audit::record(&txn, Entry { actor: Some(actor), action: AuditAction::SurveyChanged, object: Some(&object), detail: Some(format!("Abschnitt {position} angelegt")), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(row.id)
}

/// The questions of a survey in the order a Kommune reads them.
pub(super) async fn questions_in_order(db: &impl ConnectionTrait, survey_id: i64) -> Result<Vec<survey_question::Model>, AppError> {
    let sections = survey_section::Entity::find().filter(survey_section::Column::SurveyId.eq(survey_id)).order_by_asc(survey_section::Column::Position).all(db).await?;
    let mut questions = survey_question::Entity::find().filter(survey_question::Column::SurveyId.eq(survey_id)).all(db).await?;
    in_reading_order(&sections, &mut questions);
    Ok(questions)
}

/// Sorts questions by their section's position (`sections` in order), then their own.
pub(super) fn in_reading_order(sections: &[survey_section::Model], questions: &mut [survey_question::Model]) {
    questions.sort_by_key(|q| (sections.iter().position(|s| s.id == q.section_id).unwrap_or(usize::MAX), q.position));
}

/// Adds a question at the end of its section; returns its id.
#[tracing::instrument(skip_all)]
pub async fn add_question(db: &DatabaseConnection, actor: &str, survey_id: i64, i: QuestionInput) -> Result<i64, AppError> {
    let txn = crate::core::db::begin_write(db).await?;
    let s = survey_of(&txn, survey_id).await?;
    touch(&txn, &s).await?;
    let released = s.state == SurveyState::Released;
    if released && i.required {
        return Err(AppError::field("required", "Die Abfrage ist freigegeben: neue Fragen sind freiwillig, damit gegebene Antworten vollständig bleiben."));
    }
    let section = survey_section::Entity::find_by_id(i.section_id).one(&txn).await?.filter(|x| x.survey_id == survey_id);
    if section.is_none() {
        return Err(AppError::field("section", "Bitte wählen Sie einen Abschnitt dieser Abfrage."));
    }
    let mut catalogue_ids = i.rows.clone();
    if let Some((_, ozg)) = &i.binding {
        catalogue_ids.push(ozg.clone());
    }
    if !catalogue_ids.is_empty() {
        let known: std::collections::HashSet<String> = ozg_service::Entity::find().filter(ozg_service::Column::OzgId.is_in(catalogue_ids.clone())).all(&txn).await?.into_iter().map(|o| o.ozg_id).collect();
        if let Some(unknown) = catalogue_ids.iter().find(|id| !known.contains(*id)) {
            let field = if i.rows.contains(unknown) { "rows" } else { "binding_ozg_id" };
            return Err(AppError::field(field, format!("Die OZG-ID {unknown} steht nicht im Katalog.")));
        }
    }
    // A condition names an earlier question of this survey that can be answered with a given
    // yes, no or option, and one of those answers.
    if let Some((on, value)) = &i.condition {
        let earlier = questions_in_order(&txn, survey_id).await?;
        let Some(q) = earlier.iter().find(|q| q.id == *on) else {
            return Err(AppError::field("condition_question", "Eine Bedingung nennt eine frühere Frage dieser Abfrage."));
        };
        let asked = if q.kind == QuestionKind::Matrix { None } else { Some(q.kind) };
        if !asked.is_some_and(QuestionKind::can_condition) {
            return Err(AppError::field("condition_question", "Eine Bedingung nennt eine Ja/Nein-Frage oder eine Auswahl."));
        }
        let fits = if q.kind == QuestionKind::YesNo {
            value == "ja" || value == "nein"
        } else {
            let options = survey_option::Entity::find().filter(survey_option::Column::QuestionId.eq(q.id)).all(&txn).await?;
            options.iter().any(|o| o.id.to_string() == *value)
        };
        if !fits {
            return Err(AppError::field("condition_value", "Diese Antwort gibt es bei der gewählten Frage nicht."));
        }
    }
    let position = survey_question::Entity::find().filter(survey_question::Column::SectionId.eq(i.section_id)).count(&txn).await? as i32 + 1;
    let row = survey_question::ActiveModel {
        survey_id: Set(survey_id),
        section_id: Set(i.section_id),
        position: Set(position),
        kind: Set(i.kind),
        text: Set(i.text),
        hint: Set(i.hint),
        required: Set(i.required),
        unit: Set(i.unit),
        min_value: Set(i.min),
        max_value: Set(i.max),
        cell_kind: Set(i.cell_kind),
        condition_question_id: Set(i.condition.as_ref().map(|c| c.0)),
        condition_value: Set(i.condition.map(|c| c.1)),
        binding: Set(i.binding.as_ref().map(|b| b.0)),
        binding_ozg_id: Set(i.binding.map(|b| b.1)),
        added_after_release: Set(released),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if !i.options.is_empty() {
        let mut options: Vec<survey_option::ActiveModel> = i
            .options
            .iter()
            .enumerate()
            .map(|(n, label)| survey_option::ActiveModel { question_id: Set(row.id), position: Set(n as i32 + 1), label: Set(label.clone()), other: Set(false), ..Default::default() })
            .collect();
        if i.other {
            options.push(survey_option::ActiveModel { question_id: Set(row.id), position: Set(options.len() as i32 + 1), label: Set("Sonstiges".into()), other: Set(true), ..Default::default() });
        }
        survey_option::Entity::insert_many(options).exec(&txn).await?;
    }
    if !i.rows.is_empty() {
        let rows = i.rows.iter().enumerate().map(|(n, ozg)| survey_matrix_row::ActiveModel { question_id: Set(row.id), position: Set(n as i32 + 1), ozg_id: Set(ozg.clone()) });
        survey_matrix_row::Entity::insert_many(rows).exec(&txn).await?;
    }
    let object = survey_id.to_string();
    audit::record(&txn, Entry { actor: Some(actor), action: AuditAction::SurveyQuestionAdded, object: Some(&object), detail: Some(format!("Frage {}", row.id)), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Removes a question of a draft (and the conditions that named it).
#[tracing::instrument(skip_all)]
pub async fn remove_question(db: &DatabaseConnection, actor: &str, survey_id: i64, question_id: i64) -> Result<(), AppError> {
    let txn = crate::core::db::begin_write(db).await?;
    let s = survey_of(&txn, survey_id).await?;
    let q = survey_question::Entity::find_by_id(question_id).one(&txn).await?.filter(|q| q.survey_id == survey_id).ok_or(AppError::NotFound)?;
    if s.state == SurveyState::Released {
        return Err(AppError::Conflict("Die Abfrage ist freigegeben: ihre Fragen können nicht mehr entfernt werden, damit keine gegebene Antwort ihre Frage verliert. Neue freiwillige Fragen sind möglich.".into()));
    }
    let dependent = survey_question::Entity::find().filter(survey_question::Column::ConditionQuestionId.eq(q.id)).count(&txn).await?;
    if dependent > 0 {
        return Err(AppError::Conflict(format!("Die Frage ist Bedingung für {}; bitte entfernen oder ändern Sie diese zuerst.", crate::ui::format::count_of(dependent as usize, "andere Frage", "andere Fragen"))));
    }
    survey_question::Entity::delete_by_id(q.id).exec(&txn).await?;
    touch(&txn, &s).await?;
    let object = survey_id.to_string();
    audit::record(&txn, Entry { actor: Some(actor), action: AuditAction::SurveyQuestionRemoved, object: Some(&object), detail: Some(format!("Frage {}", q.id)), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}
