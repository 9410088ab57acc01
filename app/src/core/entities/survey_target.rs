//! A Kommune a released survey asks (resolved from its selection when released).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_target")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub survey_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
