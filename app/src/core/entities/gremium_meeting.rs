//! A meeting of a body: its time (stored in UTC, shown in Europe/Berlin), place or link.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "gremium_meeting")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub gremium_id: i64,
    pub title: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub place: Option<String>,
    pub link: Option<String>,
    pub cancelled: bool,
    pub version: i32,
    /// When the members were last invited (mail with the calendar entry).
    pub invited_at: Option<DateTimeUtc>,
    pub created_by: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
