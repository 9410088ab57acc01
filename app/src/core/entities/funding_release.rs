//! What the public may read of one Kommune's funding in one programme: its granted and called
//! sums as of the last release. Sums reach the public only in releases that change at least the
//! suppression threshold of Kommunen at once (see `funding::service::release`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "funding_release")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub programme_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: String,
    pub committed_cents: i64,
    pub disbursed_cents: i64,
    pub released_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
