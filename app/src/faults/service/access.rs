//! Who sees an EfA service's reports and what they may do: the Land (advisors work them,
//! administrators read), the service's operator (works them), and the Kommunen connected to the
//! service (report, join, read). Nobody else, and nobody sees another service's reports through
//! this one.

use crate::access::scope::Scope;
use crate::core::entities::{connection, organisation};
use crate::error::AppError;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait};

/// The caller as seen from one service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Viewer {
    /// Advisors and administrators: every report, every reporter.
    pub land: bool,
    /// Advisors and the operator answer and set statuses and the operating state.
    pub works: bool,
    pub operator: bool,
    /// The caller's Kommunen connected to the service: (id, key, name).
    pub kommunen: Vec<(String, String, String)>,
}

impl Viewer {
    /// Whether the caller reads the reporting Kommune's name of a report (`named`: it agreed).
    pub fn reads_reporter(&self, named: bool, reporter_org: &str) -> bool {
        self.land || self.operator || named || self.kommunen.iter().any(|(id, ..)| id == reporter_org)
    }

    /// The caller's Kommune with this key, if it is connected to the service.
    pub fn kommune(&self, key: &str) -> Option<&(String, String, String)> {
        self.kommunen.iter().find(|(_, k, _)| k == key)
    }
}

/// The caller's Kommunen connected to a service (clerks only): (id, key, name).
pub async fn connected(db: &impl ConnectionTrait, scope: &Scope, service_id: &str) -> Result<Vec<(String, String, String)>, AppError> {
    let Scope::Municipal { org_ids } = scope else {
        return Ok(Vec::new());
    };
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(connection::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .column(organisation::Column::Key)
        .column(organisation::Column::Name)
        .join(JoinType::InnerJoin, connection::Relation::Organisation.def())
        .filter(connection::Column::EfaServiceId.eq(service_id))
        .filter(connection::Column::OrganisationId.is_in(org_ids.iter().cloned()))
        .order_by_asc(organisation::Column::Name)
        .into_tuple()
        .all(db)
        .await?)
}

/// The caller as seen from the service; 401 without a session, 403 for anyone who may not read
/// its reports.
pub async fn viewer(db: &impl ConnectionTrait, scope: &Scope, service_id: &str) -> Result<Viewer, AppError> {
    match scope {
        Scope::Public => Err(AppError::Unauthorized),
        Scope::Land => Ok(Viewer { land: true, works: true, ..Default::default() }),
        Scope::Admin => Ok(Viewer { land: true, ..Default::default() }),
        Scope::Partner { .. } if crate::rollout::service::operators::operates(db, scope, service_id).await? => Ok(Viewer { works: true, operator: true, ..Default::default() }),
        Scope::Municipal { .. } => {
            let kommunen = connected(db, scope, service_id).await?;
            if kommunen.is_empty() { Err(AppError::Forbidden) } else { Ok(Viewer { kommunen, ..Default::default() }) }
        }
        _ => Err(AppError::Forbidden),
    }
}
