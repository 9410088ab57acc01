//! A section's score (0 to 100) in one Selbstcheck a Kommune took; none where none of its
//! scored questions was answered.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "selfcheck_score")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub take_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub section_id: i64,
    pub score: Option<f64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
