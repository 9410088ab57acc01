//! The last number a body gave a decision in a year; its row is taken by the deciding
//! transaction, so numbers follow each other without gap.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "gremium_decision_counter")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub gremium_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub last: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
