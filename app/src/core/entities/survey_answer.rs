//! The value a Kommune gave to a question (for a matrix, per OZG-Leistung).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_answer")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub response_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub question_id: i64,
    /// The matrix row's OZG-ID; empty for every other question.
    #[sea_orm(primary_key, auto_increment = false)]
    pub ozg_id: String,
    /// Text, or a date as `JJJJ-MM-TT`.
    pub value_text: Option<String>,
    pub value_number: Option<f64>,
    pub value_bool: Option<bool>,
    /// The text of »Sonstiges«.
    pub other_text: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
