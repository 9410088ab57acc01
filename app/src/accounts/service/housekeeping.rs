//! Forgetting what has served its purpose: audit entries past their retention, expired
//! invitation and reset links, sign-ins that never got their second factor, and identity
//! provider flows that were never completed.

use crate::core::entities::{account_link, audit_log, login_challenge, oidc_flow};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// What one run removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    pub audit_entries: u64,
    pub links: u64,
    pub challenges: u64,
    pub flows: u64,
}

/// Removes audit entries older than `retention_days` and expired links (kept 30 days after
/// their end, so the administrators' list can still say "abgelaufen"), challenges and flows.
pub async fn prune(db: &impl ConnectionTrait, retention_days: i64, now: DateTime<Utc>) -> Result<Pruned, DbErr> {
    let audit_entries = audit_log::Entity::delete_many().filter(audit_log::Column::At.lt(now - Duration::days(retention_days))).exec(db).await?.rows_affected;
    let links = account_link::Entity::delete_many().filter(account_link::Column::ExpiresAt.lt(now - Duration::days(30))).exec(db).await?.rows_affected;
    let challenges = login_challenge::Entity::delete_many().filter(login_challenge::Column::ExpiresAt.lt(now)).exec(db).await?.rows_affected;
    let flows = oidc_flow::Entity::delete_many().filter(oidc_flow::Column::ExpiresAt.lt(now)).exec(db).await?.rows_affected;
    Ok(Pruned { audit_entries, links, challenges, flows })
}
