//! Service-level targets of one priority, in business minutes.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sla_target")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub priority: String,
    pub first_response_minutes: i32,
    pub resolution_minutes: i32,
    /// The answer owed once the Kommune wrote again (m0046).
    pub followup_minutes: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
