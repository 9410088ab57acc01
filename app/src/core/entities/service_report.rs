//! A Kommune's report of a fault or a requirement for an EfA service it is connected to:
//! what, how bad, since when, where it stands, and how many Kommunen joined it.
use crate::vocabulary::services::{ReportKind, ReportStatus, Severity};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_report")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub efa_service_id: String,
    pub kind: ReportKind,
    pub title: String,
    pub body: String,
    pub severity: Severity,
    pub since: Date,
    pub status: ReportStatus,
    /// Why it was rejected (public).
    pub reason: Option<String>,
    /// The reporting Kommune.
    pub organisation_id: String,
    /// Whether other Kommunen may read the reporting Kommune's name.
    pub named: bool,
    pub created_by: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// Kommunen concerned: the reporter and every one that joined.
    pub joined: i32,
    pub demo: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::efa_service::Entity", from = "Column::EfaServiceId", to = "super::efa_service::Column::Id")]
    Service,
}

impl ActiveModelBehavior for ActiveModel {}
