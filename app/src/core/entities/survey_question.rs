//! A question of a survey, in its section's order.

use crate::vocabulary::surveys::{Binding, QuestionKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_question")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub survey_id: i64,
    pub section_id: i64,
    pub position: i32,
    pub kind: QuestionKind,
    pub text: String,
    pub hint: String,
    pub required: bool,
    /// A number's unit ("Vollzeitstellen").
    pub unit: Option<String>,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    /// The kind of each cell of a matrix.
    pub cell_kind: Option<QuestionKind>,
    /// Shown only after this earlier question was answered with `condition_value`.
    pub condition_question_id: Option<i64>,
    /// `ja`/`nein`, or the id of an option.
    pub condition_value: Option<String>,
    pub binding: Option<Binding>,
    pub binding_ozg_id: Option<String>,
    /// Added while the survey was released (and so optional).
    pub added_after_release: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
