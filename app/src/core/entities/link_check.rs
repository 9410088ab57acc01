//! The last check of one online address of the register (m0053): what was found, since when it
//! is broken, when it is due again.
use crate::vocabulary::register::LinkOutcome;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "link_check")]
pub struct Model {
    /// Hex SHA-256 of the address.
    #[sea_orm(primary_key, auto_increment = false)]
    pub url_hash: String,
    pub url: String,
    pub checked_at: Option<DateTimeUtc>,
    pub next_check_at: DateTimeUtc,
    pub claimed_until: Option<DateTimeUtc>,
    pub outcome: Option<LinkOutcome>,
    pub http_status: Option<i32>,
    pub detail: Option<String>,
    /// Since when the address fails (cleared when it answers again).
    pub broken_since: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
