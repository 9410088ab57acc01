//! A survey's results as the Land, an association or the public read them: how many Kommunen
//! answered (for the Land per Kreis and kind), and per question the counts, shares, mean and
//! median, or why a figure is not shown.

use crate::vocabulary::surveys::{QuestionKind, SurveyPhase};
use serde::{Deserialize, Serialize};

/// Who reads the results, and so what is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Audience {
    /// Advisors of the Land: every figure.
    Land,
    /// An association: its members' answers, suppressed.
    Members,
    /// Everyone, once the Land has published the results: suppressed.
    Public,
}

/// How many of the asked Kommunen of a group have submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RateRow {
    pub label: String,
    pub asked: i64,
    pub submitted: i64,
}

/// One value's count (`None`: not shown, it would tell single answers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Count {
    pub label: String,
    pub n: Option<i64>,
}

/// What a question's answers sum up to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "art", rename_all = "snake_case")]
pub enum Summary {
    /// Ja/Nein and choices: a count per value (a multiple choice's add up to more than the answers).
    Counts { counts: Vec<Count> },
    /// Numbers: mean and median; the smallest and largest value for the Land only.
    Numbers { mean: Option<f64>, median: Option<f64>, min: Option<f64>, max: Option<f64>, unit: Option<String> },
    /// Dates (`TT.MM.JJJJ`): the median; the earliest and latest for the Land only.
    Dates { earliest: Option<String>, median: Option<String>, latest: Option<String> },
    /// Text and files: only how many answered (the Land reads them in the export).
    Answered,
    /// A matrix: per OZG-Leistung (name, OZG-ID) a summary of its cells.
    Matrix { rows: Vec<MatrixRow> },
    /// Not shown, and why.
    Withheld { reason: String },
}

/// One OZG-Leistung of a matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MatrixRow {
    pub ozg_id: String,
    pub name: String,
    pub answered: i64,
    #[cfg_attr(feature = "ssr", schema(no_recursion))]
    pub summary: Box<Summary>,
}

/// One question's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QuestionResult {
    pub id: i64,
    pub text: String,
    pub kind: QuestionKind,
    /// How many Kommunen answered it.
    pub answered: i64,
    pub summary: Summary,
}

/// A section with its questions' results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SectionResult {
    pub title: String,
    pub questions: Vec<QuestionResult>,
}

/// A survey's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SurveyResults {
    pub id: i64,
    pub title: String,
    pub audience: Audience,
    pub phase: SurveyPhase,
    /// `TT.MM.JJJJ`.
    pub opens: String,
    pub closes: String,
    pub target_label: String,
    /// The suppression threshold (Kommunen).
    pub threshold: i64,
    /// Kommunen asked (for an association: its members asked) and those that submitted.
    pub asked: i64,
    pub submitted: i64,
    /// For the Land: the rate per Kreis and per kind of Kommune.
    pub by_kreis: Vec<RateRow>,
    pub by_kind: Vec<RateRow>,
    /// When the Land published the results (`TT.MM.JJJJ`).
    pub published: Option<String>,
    /// Why no figure at all is shown (too few answers, or a comparison would tell single answers).
    pub withheld: Option<String>,
    pub sections: Vec<SectionResult>,
}

/// A survey whose results someone may read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ResultLine {
    pub id: i64,
    pub title: String,
    pub phase: SurveyPhase,
    pub closes: String,
    pub published: Option<String>,
}
