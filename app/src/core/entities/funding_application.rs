//! A Kommune's application for funding: the project, its cost plan (`funding_cost_item`), the
//! sums requested, granted and called, and its status in the workflow.

use crate::vocabulary::funding::Status;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "funding_application")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub programme_id: i64,
    pub organisation_id: String,
    pub kreis_key: String,
    pub title: String,
    pub description: String,
    pub total_cents: i64,
    pub requested_cents: i64,
    pub approved_cents: Option<i64>,
    pub disbursed_cents: i64,
    pub status: Status,
    pub reason: Option<String>,
    pub report: Option<String>,
    pub idempotency_key: String,
    pub version: i32,
    pub demo: bool,
    pub created_by: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When the Verwendungsnachweis is due (set with the grant, m0050).
    pub proof_due_on: Option<Date>,
    /// The due date its reminder went out for (one reminder per due date, whatever instance).
    pub proof_reminded_for: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::funding_programme::Entity", from = "Column::ProgrammeId", to = "super::funding_programme::Column::Id")]
    Programme,
    #[sea_orm(belongs_to = "super::organisation::Entity", from = "Column::OrganisationId", to = "super::organisation::Column::Id")]
    Organisation,
}

impl ActiveModelBehavior for ActiveModel {}
