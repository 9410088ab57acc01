//! An event of the Land (OZG-Sprechstunde, workshop): times in UTC, shown in Europe/Berlin.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    /// Markdown.
    pub description: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// The link of an online event (shown to those registered and to advisors).
    pub online_url: Option<String>,
    pub place: Option<String>,
    /// Places; `None`: no limit.
    pub capacity: Option<i32>,
    /// `oeffentlich` or `kommunen`.
    pub audience: crate::vocabulary::knowledge::Audience,
    /// `geplant` or `abgesagt`.
    pub status: crate::vocabulary::knowledge::EventStatus,
    /// Materials after the event (Markdown).
    pub materials: Option<String>,
    pub version: i32,
    pub created_by: Option<String>,
    /// When the reminder mails went out.
    pub reminded_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Written by `server demo` (removed with the demo).
    pub demo: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
