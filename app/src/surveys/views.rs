//! A survey as its builder and the advisors' list show it.

use crate::vocabulary::surveys::{Answering, Binding, QuestionKind, SurveyPhase, SurveyPurpose};
use serde::{Deserialize, Serialize};

/// A question as the builder and the form show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionView {
    pub id: i64,
    pub kind: QuestionKind,
    pub text: String,
    pub hint: String,
    pub required: bool,
    pub unit: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// (id, label, asks for a text).
    pub options: Vec<(i64, String, bool)>,
    pub cell_kind: Option<QuestionKind>,
    /// (OZG-ID, name).
    pub rows: Vec<(String, String)>,
    /// The question and answer after which this one is shown, in words.
    pub condition: Option<String>,
    /// The same as (question, `ja`/`nein` or option id).
    pub condition_on: Option<(i64, String)>,
    /// (what, the OZG-Leistung's name, its OZG-ID).
    pub binding: Option<(Binding, String, String)>,
    pub added_after_release: bool,
}

/// A section with its questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionView {
    pub id: i64,
    pub title: String,
    pub intro: String,
    pub questions: Vec<QuestionView>,
    /// A Selbstcheck's weight of the section in the total score.
    #[serde(default)]
    pub weight: i32,
}

/// A survey as its builder sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyView {
    pub id: i64,
    pub title: String,
    pub description: crate::ui::rich::RichText,
    pub phase: SurveyPhase,
    /// `TT.MM.JJJJ`.
    pub opens: String,
    pub closes: String,
    pub target_label: String,
    pub answering: Answering,
    pub predecessor: Option<(i64, String)>,
    /// Question by question against the predecessor: (text, how it compares).
    pub comparison: Vec<(String, String)>,
    pub version: i32,
    /// How many Kommunen it asks (after release).
    pub kommunen: u64,
    /// Answers submitted, and answers begun but not submitted.
    #[serde(default)]
    pub submitted: u64,
    #[serde(default)]
    pub drafts: u64,
    /// The asked Kommunen that have not submitted (names), while the survey is released.
    #[serde(default)]
    pub missing: Vec<String>,
    pub reminder_days: i32,
    pub sections: Vec<SectionView>,
    pub purpose: SurveyPurpose,
    /// The answers changed last: (key, Kommune, state in words, when `TT.MM.JJJJ HH:MM`).
    #[serde(default)]
    pub latest: Vec<(String, String, String, String)>,
    /// A Selbstcheck's weights and recommendations per section.
    pub selfcheck: Option<crate::surveys::selfcheck::Settings>,
}

/// A survey in the advisors' list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyLine {
    pub id: i64,
    pub title: String,
    pub phase: SurveyPhase,
    pub opens: String,
    pub closes: String,
    pub target_label: String,
    pub kommunen: u64,
    pub purpose: SurveyPurpose,
}

/// The advisors' page of surveys: the list and the choices of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyDesk {
    pub lines: Vec<SurveyLine>,
    /// (key, name) of the Landkreise.
    pub kreise: Vec<(String, String)>,
    /// Today (`JJJJ-MM-TT`, Europe/Berlin): a new survey's default start.
    pub today: String,
}
