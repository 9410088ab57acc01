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
pub mod links;
pub use validate::*;
pub use store::*;
pub use query::*;
pub use bulk::*;
pub use history::*;

use crate::core::entities::organisation;
use crate::error::AppError;
use crate::identity::OrgKind;
use sea_orm::ConnectionTrait;

/// Finds a Kommune by its key (AGS, or Verbandsschlüssel for a Verbandsgemeinde).
#[tracing::instrument(skip_all)]
pub async fn kommune(db: &impl ConnectionTrait, key: &str) -> Result<organisation::Model, AppError> {
    match crate::catalogue::service::orgs::by_key(db, key).await? {
        Some(o) if OrgKind::from_code(&o.kind).is_some_and(OrgKind::is_kommune) => Ok(o),
        _ => Err(AppError::NotFound),
    }
}

/// The Kommunen whose registers the caller may read: every Kommune for advisors and
/// administrators, their own (and members) for clerks; associations and visitors none.
#[tracing::instrument(skip_all)]
pub async fn kommunen_index(db: &impl ConnectionTrait, scope: &crate::access::scope::Scope) -> Result<Vec<crate::register::model::KommuneEntry>, AppError> {
    crate::access::policy::require_kommune_list(scope)?;
    let all = crate::catalogue::service::orgs::all(db).await?;
    let kreise: std::collections::HashMap<String, String> =
        all.iter().filter(|o| o.kind == OrgKind::Landkreis.code()).map(|o| (o.key.clone(), o.name.clone())).collect();
    Ok(all
        .iter()
        .filter_map(|o| {
            let kind = OrgKind::from_code(&o.kind)?;
            (kind.is_kommune() && scope.may_read_kommune(&o.id)).then(|| crate::register::model::KommuneEntry {
                key: o.key.clone(),
                name: o.name.clone(),
                kind: kind.label().to_string(),
                kreis: o.kreis_key.as_ref().and_then(|k| kreise.get(k).cloned()).unwrap_or_else(|| "kreisfrei".into()),
            })
        })
        .collect())
}
