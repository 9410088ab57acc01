//! A Kommune's answer to a survey: one per Kommune, worked on by all its clerks.

use crate::vocabulary::surveys::ResponseState;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_response")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub survey_id: i64,
    pub organisation_id: String,
    pub state: ResponseState,
    pub version: i32,
    /// Reopened and changed after it had been submitted.
    pub changed_after_submit: bool,
    pub updated_by: Option<String>,
    pub submitted_by: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
