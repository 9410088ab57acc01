//! What an association may read of one member's funding in one programme: its granted and
//! called sums as of the last release of the association's member group (see
//! `funding::service::release`; migration m0048).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "funding_release_member")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub programme_id: i64,
    /// `gem` or `lk` (`identity::Membership`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_group: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: String,
    pub committed_cents: i64,
    pub disbursed_cents: i64,
    pub released_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
