//! A row of a matrix question: an OZG-Leistung of the catalogue.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_matrix_row")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub question_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub ozg_id: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
