//! A funding programme of the Land: budget, rate, maximum per project, application period, and
//! the Land's running sums of what is granted and called.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "funding_programme")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub description: String,
    pub budget_cents: i64,
    pub rate_percent: i32,
    pub max_cents: i64,
    pub opens_on: Date,
    pub closes_on: Date,
    pub committed_cents: i64,
    pub disbursed_cents: i64,
    pub active: bool,
    pub demo: bool,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
