//! The minutes of a meeting: written by those who run the body, circulated for comments until a
//! day, approved (and then never changed).

use crate::vocabulary::gremien::MinutesState;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_minutes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub meeting_id: i64,
    pub state: MinutesState,
    /// Markdown.
    pub body: String,
    pub version: i32,
    pub comments_until: Option<Date>,
    pub circulated_at: Option<DateTimeUtc>,
    pub approved_at: Option<DateTimeUtc>,
    pub approved_by: Option<String>,
    pub updated_by: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
