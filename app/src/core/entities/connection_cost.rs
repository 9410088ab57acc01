//! A cost of a connection (never public): one-off or yearly, in cents, and who bears it.

use crate::vocabulary::rollout::{Bearer, CostKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "connection_cost")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub connection_id: i64,
    pub kind: CostKind,
    pub year: i32,
    pub amount_cents: i64,
    pub bearer: Bearer,
    pub note: Option<String>,
    pub created_by: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
