//! A Wissensportal article: the current state; every saved state is also an `article_version`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "article")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub body: String,
    pub category: String,
    /// Comma-separated, as entered.
    pub tags: String,
    /// `oeffentlich` or `kommunen`.
    pub audience: crate::vocabulary::knowledge::Audience,
    pub status: crate::vocabulary::knowledge::ArticleStatus,
    pub version: i32,
    pub author_id: Option<String>,
    pub source_case: Option<i64>,
    /// A change of a published article waiting for a second advisor's review (its version).
    pub pending_version: Option<i32>,
    /// The version last published (after a second review: the one the reviewer saw).
    pub published_version: Option<i32>,
    pub reviewed_by: Option<String>,
    /// "Geprüft am": the last publication or confirmation.
    pub reviewed_at: Option<DateTimeUtc>,
    pub published_at: Option<DateTimeUtc>,
    pub review_reminded_at: Option<DateTimeUtc>,
    pub views: i64,
    pub helpful_yes: i64,
    pub helpful_no: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Written by `server demo` (removed with the demo).
    pub demo: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
