//! A throttled key (an account, a client address, a known device, a password check) with its
//! failures, shared by every instance.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "throttle")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub failures: i32,
    pub window_start: DateTimeUtc,
    pub last_failure_at: Option<DateTimeUtc>,
    pub blocked_until: Option<DateTimeUtc>,
    /// A password check of this key is running (at most one at a time).
    pub busy_until: Option<DateTimeUtc>,
    /// When the refusals of the current episode were last written to the audit log.
    pub audited_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
