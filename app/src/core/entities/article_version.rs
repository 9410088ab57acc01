//! One saved state of an article, with who saved it and why.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "article_version")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub article_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i32,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub category: String,
    pub tags: String,
    pub audience: crate::vocabulary::knowledge::Audience,
    /// Comma-separated OZG-IDs.
    pub ozg_ids: String,
    /// Themenfelder separated by `|`.
    pub themenfelder: String,
    /// What happened: "Entwurf gespeichert", "Veröffentlicht", …
    pub change: String,
    pub changed_at: DateTimeUtc,
    pub changed_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
