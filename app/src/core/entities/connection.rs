//! A Kommune's connection to an EfA service: where it stands in the roll-out, since when, and
//! (paused) where it stood and why.

use crate::vocabulary::rollout::ConnectionState;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "connection")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organisation_id: String,
    pub efa_service_id: String,
    pub state: ConnectionState,
    pub paused_from: Option<ConnectionState>,
    pub reason: Option<String>,
    pub kreis_key: String,
    pub interest_at: DateTimeUtc,
    /// When it first went live.
    pub live_at: Option<DateTimeUtc>,
    /// The dates the operator proposes for the test and for going live.
    pub planned_test: Option<Date>,
    pub planned_live: Option<Date>,
    pub version: i32,
    pub demo: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::organisation::Entity", from = "Column::OrganisationId", to = "super::organisation::Column::Id")]
    Organisation,
    #[sea_orm(belongs_to = "super::efa_service::Entity", from = "Column::EfaServiceId", to = "super::efa_service::Column::Id")]
    Service,
}

impl ActiveModelBehavior for ActiveModel {}
