//! A reported barrier (`/barriere-melden`) and how far the administrators have worked it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "barrier_report")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The page the report is about, as the sender gave it.
    pub page: String,
    pub description: String,
    /// An e-mail address for an answer, if the sender left one.
    pub contact: Option<String>,
    /// `offen`, `in_bearbeitung` or `erledigt`.
    pub status: crate::vocabulary::legal::ReportStatus,
    /// SHA-256 of the sender's client address (for the limit per hour).
    pub address_hash: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
