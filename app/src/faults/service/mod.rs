//! The services of the faults room: who may see and work a service's reports (`access`), the
//! reports with their joins and answers (`reports`); the operating state is the roll-out's
//! (`rollout::service::operating`).

pub mod access;
pub mod reports;

use crate::access::scope::Scope;
use crate::error::AppError;
use crate::faults::model::ReportsOfService;

/// A service's page of reports: its operating state, the open and the newest closed reports,
/// and what the caller may do.
#[tracing::instrument(skip_all)]
pub async fn page(db: &impl sea_orm::ConnectionTrait, scope: &Scope, service_id: &str) -> Result<ReportsOfService, AppError> {
    let v = access::viewer(db, scope, service_id).await?;
    let status = crate::rollout::service::operating::of_service(db, service_id).await?;
    let (open, closed) = reports::of_service(db, &v, service_id).await?;
    let may_report = if crate::access::policy::files_cases(scope) { v.kommunen.iter().map(|(_, key, name)| (key.clone(), name.clone())).collect() } else { Vec::new() };
    Ok(ReportsOfService { status, open, closed, may_report, may_set_state: v.works })
}
