//! A decision (Beschluss) of a body, numbered per body and year.

use crate::vocabulary::gremien::DecisionVisibility;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "gremium_decision")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub gremium_id: i64,
    pub year: i32,
    pub number: i32,
    pub title: String,
    pub text: String,
    pub decided_on: Date,
    pub meeting_id: Option<i64>,
    pub votes_yes: i32,
    pub votes_no: i32,
    pub votes_abstain: i32,
    pub visibility: DecisionVisibility,
    pub created_by: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
