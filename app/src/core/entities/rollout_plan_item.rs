//! An item of a row's checklist, in order: what a Kommune must have done to connect to the EfA
//! service (a new connection starts its own checklist from these).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rollout_plan_item")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub ozg_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub label: String,
    /// Whether the service's operator does it (not the Kommune).
    pub operator: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
