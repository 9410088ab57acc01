//! A Kommune's answer as its form shows it, and the open surveys on its start page.
//!
//! Every value travels under the name of its form field (`a[…]` in the form):
//! `q{id}` the answer of a question (`ja`/`nein`, an option's id, a number, a date, a text),
//! `q{id}_o{option}` a checked option of a multiple choice, `q{id}_sonstiges` the text of
//! »Sonstiges«, and for a matrix `q{id}_r{ozg}` a cell (`q{id}_r{ozg}_o{option}` for a multiple
//! choice in a cell). The form shows what is stored under the same names it sends.

use crate::surveys::model::{QuestionView, ResponseState, SurveyPhase};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The field name of a question's answer.
pub fn field(question: i64) -> String {
    format!("q{question}")
}

/// The field name of a checked option.
pub fn option_field(base: &str, option: i64) -> String {
    format!("{base}_o{option}")
}

/// The field name of »Sonstiges«.
pub fn other_field(question: i64) -> String {
    format!("q{question}_sonstiges")
}

/// The field name of a matrix cell.
pub fn cell_field(question: i64, ozg: &str) -> String {
    format!("q{question}_r{ozg}")
}

/// A section as a Kommune answers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetSection {
    pub id: i64,
    pub title: String,
    pub intro: String,
    /// Each question, and whether it is shown (its condition is met or it has none).
    pub questions: Vec<(QuestionView, bool)>,
}

/// A Kommune's answer to a survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerSheet {
    pub survey_id: i64,
    pub title: String,
    pub description: crate::ui::rich::RichText,
    pub phase: SurveyPhase,
    /// `TT.MM.JJJJ`.
    pub closes: String,
    /// The Kommune answering: (key, name).
    pub kommune: (String, String),
    /// Every Kommune the person may answer this survey for: (key, name).
    pub kommunen: Vec<(String, String)>,
    pub state: ResponseState,
    /// 0 before the first save.
    pub version: i32,
    pub changed_after_submit: bool,
    /// Who saved last and when (`TT.MM.JJJJ HH:MM`).
    pub last_saved: Option<(String, String)>,
    pub submitted: Option<String>,
    pub sections: Vec<SheetSection>,
    /// What is stored, under the form's field names.
    pub values: BTreeMap<String, String>,
    /// The register's current stage of each bound question's OZG-Leistung: (question, stage label).
    pub register: Vec<(i64, String)>,
    /// Bound questions whose saved answer differs from the register: what may be taken over.
    #[serde(default)]
    pub takeover: Vec<TakeOver>,
    /// The files given as answers.
    #[serde(default)]
    pub files: Vec<SheetFile>,
    /// Questions answered and questions to answer (shown ones).
    pub answered: usize,
    pub total: usize,
    pub purpose: crate::vocabulary::surveys::SurveyPurpose,
    /// The Land reads the answer; only the Kommune's clerks change it.
    #[serde(default)]
    pub readonly: bool,
}

/// A file answering a question: its id (for the download), name and size in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetFile {
    pub question: i64,
    pub id: String,
    pub name: String,
    pub size: String,
}

/// An answer the Kommune may take over into its register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakeOver {
    pub question: i64,
    pub ozg_id: String,
    /// The OZG-Leistung's name.
    pub name: String,
    /// The stage answered and the register's (labels).
    pub answer: String,
    pub register: String,
}

/// An open survey on a Kommune's start page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenSurvey {
    pub id: i64,
    pub title: String,
    pub kommune_key: String,
    pub kommune: String,
    /// `TT.MM.JJJJ`.
    pub closes: String,
    pub state: ResponseState,
    pub answered: usize,
    pub total: usize,
    pub purpose: crate::vocabulary::surveys::SurveyPurpose,
}
