//! Every answer of a survey as one row per asked Kommune (also those that have not begun), a
//! column per question (per OZG-Leistung for a matrix, and one for »Sonstiges«), as CSV (cells a
//! spreadsheet would run as formulas neutralised by the portal's CSV writer) or XLSX (answers
//! as text cells, which a spreadsheet never runs, those that look like formulas with Excel's
//! quote prefix so they stay text when edited; numbers as numbers).

use super::values;
use crate::core::entities::{organisation, survey_answer, survey_answer_choice, survey_response, survey_target};
use crate::error::AppError;
use crate::surveys::answers::{cell_field, field, option_field, other_field};
use crate::surveys::model::{QuestionKind, QuestionView, ResponseState};
use chrono_tz::Europe::Berlin;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeMap;

/// One cell of the table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => crate::ui::format::decimal(*n),
        }
    }
}

/// A value under `base` as a person reads it.
fn cell(kind: QuestionKind, q: &QuestionView, base: &str, values: &BTreeMap<String, String>) -> Cell {
    if kind == QuestionKind::Number
        && let Some(n) = values.get(base).and_then(|v| crate::surveys::model::parse_number(v))
    {
        return Cell::Number(n);
    }
    Cell::Text(text(kind, q, base, values))
}

fn text(kind: QuestionKind, q: &QuestionView, base: &str, values: &BTreeMap<String, String>) -> String {
    let raw = values.get(base).cloned().unwrap_or_default();
    match kind {
        QuestionKind::YesNo => match raw.as_str() {
            "ja" => "Ja".into(),
            "nein" => "Nein".into(),
            _ => String::new(),
        },
        QuestionKind::Single => q.options.iter().find(|o| o.0.to_string() == raw).map(|o| o.1.clone()).unwrap_or_default(),
        QuestionKind::Multiple => q.options.iter().filter(|o| !o.2 && values.get(&option_field(base, o.0)).is_some_and(|v| !v.is_empty())).map(|o| o.1.clone()).collect::<Vec<_>>().join("; "),
        QuestionKind::Date => chrono::NaiveDate::parse_from_str(&raw, "%Y-%m-%d").map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or(raw),
        _ => raw,
    }
}

/// The header and one row per asked Kommune (a question of the kind Datei by the file's name).
#[tracing::instrument(skip_all)]
pub async fn table(db: &impl ConnectionTrait, survey_id: i64) -> Result<(Vec<String>, Vec<Vec<Cell>>), AppError> {
    super::build::survey_of(db, survey_id).await?;
    let sections = super::sections(db, survey_id).await?;
    let questions: Vec<&QuestionView> = super::questions(&sections);
    let mut header = vec!["Schlüssel".to_string(), "Kommune".into(), "Stand der Antwort".into(), "Eingereicht am".into()];
    for q in &questions {
        if q.kind == QuestionKind::Matrix {
            header.extend(q.rows.iter().map(|(ozg, name)| format!("{} – {name} ({ozg})", q.text)));
        } else {
            header.push(q.text.clone());
        }
        if q.options.iter().any(|o| o.2) {
            header.push(format!("{} – Sonstiges", q.text));
        }
    }
    let asked: Vec<String> = survey_target::Entity::find().filter(survey_target::Column::SurveyId.eq(survey_id)).all(db).await?.into_iter().map(|t| t.organisation_id).collect();
    let mut orgs = Vec::with_capacity(asked.len());
    for chunk in asked.chunks(500) {
        orgs.extend(organisation::Entity::find().filter(organisation::Column::Id.is_in(chunk.to_vec())).all(db).await?);
    }
    orgs.sort_by(|a, b| a.key.cmp(&b.key));
    let responses: BTreeMap<String, survey_response::Model> = survey_response::Entity::find().filter(survey_response::Column::SurveyId.eq(survey_id)).all(db).await?.into_iter().map(|r| (r.organisation_id.clone(), r)).collect();
    let ids: Vec<i64> = responses.values().map(|r| r.id).collect();
    let mut answers: BTreeMap<i64, Vec<survey_answer::Model>> = BTreeMap::new();
    let mut choices: BTreeMap<i64, Vec<survey_answer_choice::Model>> = BTreeMap::new();
    let mut files: BTreeMap<i64, Vec<(i64, String)>> = BTreeMap::new();
    for chunk in ids.chunks(500) {
        for a in survey_answer::Entity::find().filter(survey_answer::Column::ResponseId.is_in(chunk.to_vec())).all(db).await? {
            answers.entry(a.response_id).or_default().push(a);
        }
        for f in super::files::of_responses(db, chunk).await? {
            files.entry(f.response_id).or_default().push((f.question_id, f.filename));
        }
        for c in survey_answer_choice::Entity::find().filter(survey_answer_choice::Column::ResponseId.is_in(chunk.to_vec())).order_by_asc(survey_answer_choice::Column::OptionId).all(db).await? {
            choices.entry(c.response_id).or_default().push(c);
        }
    }
    let mut table = Vec::with_capacity(orgs.len());
    for o in orgs {
        let r = responses.get(&o.id);
        let values = match r {
            Some(r) => {
                let mut v = values::to_fields(&questions, answers.get(&r.id).map(Vec::as_slice).unwrap_or_default(), choices.get(&r.id).map(Vec::as_slice).unwrap_or_default());
                // A file by its name (the file itself is on the Kommune's answer).
                v.extend(files.get(&r.id).into_iter().flatten().map(|(q, name)| (field(*q), name.clone())));
                v
            }
            None => BTreeMap::new(),
        };
        let state = match r {
            None => "nicht begonnen",
            Some(r) if r.state == ResponseState::Submitted => "eingereicht",
            Some(r) if r.changed_after_submit => "wieder geöffnet",
            Some(_) => "in Arbeit",
        };
        let submitted = r.and_then(|r| r.submitted_at).map(|t| t.with_timezone(&Berlin).format("%d.%m.%Y %H:%M").to_string()).unwrap_or_default();
        let mut row = vec![Cell::Text(o.key.clone()), Cell::Text(o.name.clone()), Cell::Text(state.to_string()), Cell::Text(submitted)];
        for q in &questions {
            if q.kind == QuestionKind::Matrix {
                let kind = q.cell_kind.unwrap_or(QuestionKind::YesNo);
                row.extend(q.rows.iter().map(|(ozg, _)| cell(kind, q, &cell_field(q.id, ozg), &values)));
            } else {
                row.push(cell(q.kind, q, &field(q.id), &values));
            }
            if q.options.iter().any(|o| o.2) {
                row.push(Cell::Text(values.get(&other_field(q.id)).cloned().unwrap_or_default()));
            }
        }
        table.push(row);
    }
    Ok((header, table))
}

/// The CSV of every answer.
pub async fn csv(db: &impl ConnectionTrait, survey_id: i64) -> Result<Vec<u8>, AppError> {
    let (header, rows) = table(db, survey_id).await?;
    let mut w = crate::core::csv_out::Writer::new(false);
    w.write_record(&header).map_err(|_| AppError::Internal)?;
    for row in rows {
        w.write_record(row.iter().map(Cell::text)).map_err(|_| AppError::Internal)?;
    }
    w.into_inner().map_err(|_| AppError::Internal)
}

/// The XLSX of every answer: a bold, frozen header row, answers as text, numbers as numbers.
pub async fn xlsx(db: &impl ConnectionTrait, survey_id: i64) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let (header, rows) = table(db, survey_id).await?;
    let failed = |e: rust_xlsxwriter::XlsxError| {
        tracing::error!(error = %e, "XLSX");
        AppError::Internal
    };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Antworten").map_err(failed)?;
    let bold = Format::new().set_bold();
    let quoted = Format::new().set_quote_prefix();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &bold).map_err(failed)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match value {
                Cell::Number(n) => sheet.write_number(r, c, *n).map_err(failed)?,
                Cell::Text(t) if t.is_empty() => continue,
                // A text a spreadsheet would run is marked as text even when edited (quote prefix).
                Cell::Text(t) if crate::core::csv_out::dangerous(t) => sheet.write_string_with_format(r, c, t, &quoted).map_err(failed)?,
                Cell::Text(t) => sheet.write_string(r, c, t).map_err(failed)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 2).map_err(failed)?;
    book.save_to_buffer().map_err(failed)
}
