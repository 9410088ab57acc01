//! A public answer to a report by the Land or the operator, with the status it set.
use crate::vocabulary::services::{Party, ReportStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_report_answer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub report_id: i64,
    pub author_id: Option<String>,
    pub party: Party,
    pub body: String,
    pub status: Option<ReportStatus>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
