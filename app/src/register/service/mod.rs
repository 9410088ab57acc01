//! The Leistungsregister service: reading and writing one Kommune's record of an OZG-Leistung,
//! with validation, optimistic concurrency (`version`) and a complete history. Every function
//! takes the caller's `Scope`; nothing here trusts an id from the request to define access.

pub mod csv;
pub mod progress;
mod validate;
mod store;
mod query;
mod bulk;
mod history;
pub use validate::*;
pub use store::*;
pub use query::*;
pub use bulk::*;
pub use history::*;

use crate::core::entities::organisation;
use crate::error::AppError;
use crate::accounts::model::OrgKind;
use sea_orm::ConnectionTrait;

/// Finds a Kommune by its key (AGS, or Verbandsschlüssel for a Verbandsgemeinde).
#[tracing::instrument(skip_all)]
pub async fn kommune(db: &impl ConnectionTrait, key: &str) -> Result<organisation::Model, AppError> {
    match crate::catalogue::service::orgs::by_key(db, key).await? {
        Some(o) if OrgKind::from_code(&o.kind).is_some_and(OrgKind::is_kommune) => Ok(o),
        _ => Err(AppError::NotFound),
    }
}

