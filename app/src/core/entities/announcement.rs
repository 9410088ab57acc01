//! An announcement of the Land to all Kommunen or a selection, shown until read or expired.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "announcement")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    /// Markdown.
    pub body: String,
    /// `alle`, `kreise`, `arten`, `verband` or `leistung_offen`.
    pub target_kind: String,
    /// The selection's keys (Kreis keys, kinds, an association's key, an OZG-ID), comma-separated.
    pub target_value: String,
    /// The selection in words.
    pub target_label: String,
    pub created_by: Option<String>,
    pub published_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// Written by `server demo` (removed with the demo).
    pub demo: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
