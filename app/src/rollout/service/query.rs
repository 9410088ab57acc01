//! Reading the roll-out: a service with the connections the caller may see, and one connection
//! with its steps, checklist and costs.

use crate::access::scope::Scope;
use crate::core::entities::{app_user, connection, connection_cost, connection_item, connection_step, efa_service, organisation};
use crate::error::AppError;
use crate::identity::OrgKind;
use super::operators::Side;
use crate::rollout::model::{ChecklistEntry, ConnectionItem, ConnectionState, ConnectionView, CostEntry, EfaInfo, ServicePage, StepEntry};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait};

/// At most this many connections are listed on a service's page (filter by Kreis or step).
pub const MAX_LISTED: usize = 1000;

impl From<efa_service::Model> for EfaInfo {
    fn from(e: efa_service::Model) -> Self {
        EfaInfo { id: e.id, name: e.name, provider: e.provider, operator: e.operator, marketplace_url: e.marketplace_url }
    }
}

/// One EfA service of the list (also an inactive one).
pub async fn efa(db: &impl ConnectionTrait, id: &str) -> Result<EfaInfo, AppError> {
    Ok(efa_service::Entity::find_by_id(id.to_string()).one(db).await?.ok_or(AppError::NotFound)?.into())
}

/// A connection as its lists show it, with its Kommune and service.
#[derive(Debug, FromQueryResult)]
struct ItemRow {
    id: i64,
    state: ConnectionState,
    updated_at: chrono::DateTime<chrono::Utc>,
    organisation_id: String,
    kommune: String,
    kommune_key: String,
    service: String,
}

impl From<ItemRow> for ConnectionItem {
    fn from(r: ItemRow) -> Self {
        ConnectionItem { id: r.id, kommune: r.kommune, kommune_key: r.kommune_key, service: r.service, state: r.state, since: crate::core::time::berlin_date(r.updated_at) }
    }
}

/// Connections with their Kommune's and service's names.
fn items() -> sea_orm::Select<connection::Entity> {
    connection::Entity::find()
        .select_only()
        .columns([connection::Column::Id, connection::Column::State, connection::Column::UpdatedAt, connection::Column::OrganisationId])
        .column_as(organisation::Column::Name, "kommune")
        .column_as(organisation::Column::Key, "kommune_key")
        .column_as(efa_service::Column::Name, "service")
        .join(JoinType::InnerJoin, connection::Relation::Organisation.def())
        .join(JoinType::InnerJoin, connection::Relation::Service.def())
}

/// The caller's Kommunen that connect themselves (a Mitgliedsgemeinde through its
/// Verbandsgemeinde): (id, key, name).
async fn own_kommunen(db: &impl ConnectionTrait, own: &[String]) -> Result<Vec<(String, String, String)>, AppError> {
    Ok(organisation::Entity::find()
        .select_only()
        .columns([organisation::Column::Id, organisation::Column::Key, organisation::Column::Name])
        .filter(organisation::Column::Id.is_in(own.iter().cloned()))
        .filter(organisation::Column::Kind.ne(OrgKind::Mitgliedsgemeinde.code()))
        .order_by_asc(organisation::Column::Name)
        .into_tuple()
        .all(db)
        .await?)
}

/// A service's page: advisors and administrators see every connection (filtered by `kreis` and
/// `state`), clerks those of their Kommunen and where they can still declare interest.
#[tracing::instrument(skip_all)]
pub async fn service_page(db: &impl ConnectionTrait, scope: &Scope, id: &str, kreis: &str, state: Option<ConnectionState>) -> Result<ServicePage, AppError> {
    if matches!(scope, Scope::Public) {
        return Err(AppError::Unauthorized);
    }
    let as_operator = super::operators::operates(db, scope, id).await?;
    if !as_operator {
        crate::access::policy::require_kommune_list(scope)?;
    }
    let efa = efa(db, id).await?;
    let leistungen = super::plan::leistungen_of(db, id).await?;
    let land = matches!(scope, Scope::Land | Scope::Admin);
    // The operator sees every connection to its service, as the Land does.
    let all = land || as_operator;
    let mut q = items().filter(connection::Column::EfaServiceId.eq(id));
    if !kreis.trim().is_empty() {
        q = q.filter(connection::Column::KreisKey.eq(kreis.trim()));
    }
    if let Some(state) = state {
        q = q.filter(connection::Column::State.eq(state));
    }
    let own: Vec<String> = match scope {
        Scope::Municipal { org_ids } => org_ids.iter().cloned().collect(),
        _ => Vec::new(),
    };
    if !all {
        q = q.filter(connection::Column::OrganisationId.is_in(own.iter().cloned()));
    }
    let list = q.order_by_asc(organisation::Column::Name).limit(MAX_LISTED as u64 + 1).into_model::<ItemRow>().all(db).await?;
    let connected: std::collections::HashSet<String> = list.iter().map(|r| r.organisation_id.clone()).collect();
    let connections: Vec<ConnectionItem> = list.into_iter().map(ConnectionItem::from).collect();
    let counts: Vec<(ConnectionState, i64)> = if land {
        let got: Vec<(ConnectionState, i64)> = crate::core::db::rows(
            db,
            "SELECT state, kommunen FROM agg_rollout WHERE efa_service_id = ? AND kreis_key = ?",
            vec![id.into(), super::rollup::LAND.into()],
        )
        .await?
        .iter()
        .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
        .collect::<Result<_, AppError>>()?;
        ConnectionState::ALL.iter().map(|s| (*s, got.iter().find(|(g, _)| g == s).map(|(_, n)| *n).unwrap_or(0))).collect()
    } else {
        ConnectionState::ALL.iter().map(|s| (*s, connections.iter().filter(|c| c.state == *s).count() as i64)).collect()
    };
    let may_declare = if own.is_empty() {
        Vec::new()
    } else {
        own_kommunen(db, &own).await?.into_iter().filter(|(org, ..)| !connected.contains(org)).map(|(_, key, name)| (key, name)).collect()
    };
    let partner_choices = if scope.is_admin() {
        crate::catalogue::service::partners::list(db).await?.into_iter().map(|p| (p.key, p.name)).collect()
    } else {
        Vec::new()
    };
    Ok(ServicePage {
        efa,
        leistungen,
        connections,
        may_declare,
        counts,
        advisor: crate::access::policy::is_advisor(scope),
        operators: super::operators::of_service(db, id).await?,
        partner_choices,
        may_set_operators: scope.is_admin(),
        as_operator,
        status: super::operating::of_service(db, id).await?,
        may_set_state: crate::access::policy::is_advisor(scope) || as_operator,
    })
}

/// The connections of the caller's Kommunen (clerks) over every service.
#[tracing::instrument(skip_all)]
pub async fn mine(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<ConnectionItem>, AppError> {
    let Scope::Municipal { org_ids } = scope else { return Ok(Vec::new()) };
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = items()
        .filter(connection::Column::OrganisationId.is_in(org_ids.iter().cloned()))
        .order_by_asc(efa_service::Column::Name)
        .order_by_asc(organisation::Column::Name)
        .into_model::<ItemRow>()
        .all(db)
        .await?;
    Ok(list.into_iter().map(ConnectionItem::from).collect())
}

/// The connections the caller works with, for the REST API: a clerk's Kommunen, an operator's
/// services, every connection for the Land (the first `MAX_LISTED` by service and Kommune).
#[tracing::instrument(skip_all)]
pub async fn listed(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<ConnectionItem>, AppError> {
    let q = match scope {
        Scope::Municipal { .. } => return mine(db, scope).await,
        Scope::Partner { .. } => items().filter(connection::Column::EfaServiceId.is_in(super::operators::operated(db, scope).await?)),
        Scope::Land | Scope::Admin => items(),
        Scope::Public => return Err(AppError::Unauthorized),
        Scope::Association { .. } => return Err(AppError::Forbidden),
    };
    let list = q.order_by_asc(efa_service::Column::Name).order_by_asc(organisation::Column::Name).limit(MAX_LISTED as u64).into_model::<ItemRow>().all(db).await?;
    Ok(list.into_iter().map(ConnectionItem::from).collect())
}

/// A step as the connection's page lists it.
#[derive(Debug, FromQueryResult)]
struct StepRow {
    state: ConnectionState,
    at: chrono::DateTime<chrono::Utc>,
    note: Option<String>,
    who: Option<String>,
}

/// One connection (advisors and administrators; clerks of its Kommune; the service's operator,
/// without the costs).
#[tracing::instrument(skip_all, fields(id = id))]
pub async fn connection(db: &impl ConnectionTrait, scope: &Scope, live_by_land: bool, id: i64) -> Result<ConnectionView, AppError> {
    let c = super::lifecycle::current(db, id).await?;
    // Administrators read every connection without working on it.
    let side = match super::operators::side(db, scope, &c).await {
        Ok(side) => Some(side),
        Err(_) if scope.is_admin() => None,
        Err(e) => return Err(e),
    };
    let as_operator = side == Some(Side::Operator);
    let org = organisation::Entity::find_by_id(c.organisation_id.clone()).one(db).await?.ok_or(AppError::NotFound)?;
    let steps = connection_step::Entity::find()
        .select_only()
        .columns([connection_step::Column::State, connection_step::Column::At, connection_step::Column::Note])
        .column_as(app_user::Column::Name, "who")
        .join(JoinType::LeftJoin, connection_step::Relation::User.def())
        .filter(connection_step::Column::ConnectionId.eq(id))
        .order_by_asc(connection_step::Column::Id)
        .into_model::<StepRow>()
        .all(db)
        .await?
        .into_iter()
        .map(|r| StepEntry { state: r.state, at: crate::core::time::format_berlin(r.at), by: r.who.unwrap_or_else(|| "–".into()), note: r.note })
        .collect();
    let checklist = connection_item::Entity::find()
        .filter(connection_item::Column::ConnectionId.eq(id))
        .order_by_asc(connection_item::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|i| ChecklistEntry { may_edit: side.is_some_and(|s| s.works_item(i.operator)), position: i.position, label: i.label, status: i.status, note: i.note, case_id: i.case_id, operator: i.operator })
        .collect();
    // Costs are the Land's and the Kommune's business, not the operator's.
    let costs = if as_operator { Vec::new() } else { connection_cost::Entity::find()
        .filter(connection_cost::Column::ConnectionId.eq(id))
        .order_by_asc(connection_cost::Column::Year)
        .order_by_asc(connection_cost::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|k| CostEntry { id: k.id, kind: k.kind, year: k.year, amount_cents: k.amount_cents, bearer: k.bearer, note: k.note })
        .collect() };
    let next = side.map(|s| s.steps(&c, live_by_land)).unwrap_or_default();
    let operators = super::operators::of_service(db, &c.efa_service_id).await?.into_iter().map(|(_, name)| name).collect();
    let iso = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    Ok(ConnectionView {
        id,
        kommune: org.name,
        kommune_key: org.key,
        efa: efa(db, &c.efa_service_id).await?,
        state: c.state,
        paused_from: c.paused_from,
        reason: c.reason,
        version: c.version,
        steps,
        checklist,
        costs,
        next,
        may_edit_checklist: side.is_some(),
        may_file_case: side == Some(Side::Kommune) && crate::access::policy::files_cases(scope),
        may_edit_costs: side == Some(Side::Land),
        live_by_land,
        leistungen: leistungen_of(db, &c.efa_service_id).await?,
        operators,
        planned_test: iso(c.planned_test),
        planned_live: iso(c.planned_live),
        may_propose_dates: matches!(side, Some(Side::Land | Side::Operator)),
        as_operator,
    })
}

/// The OZG-Leistungen the Land implements with an EfA service, as (OZG-ID, name).
#[tracing::instrument(skip_all)]
pub async fn leistungen_of(db: &impl ConnectionTrait, efa_service_id: &str) -> Result<Vec<(String, String)>, AppError> {
    use crate::core::entities::{ozg_service, rollout_plan};
    let ids: Vec<String> = rollout_plan::Entity::find()
        .select_only()
        .column(rollout_plan::Column::OzgId)
        .filter(rollout_plan::Column::EfaServiceId.eq(efa_service_id))
        .into_tuple()
        .all(db)
        .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(ozg_service::Entity::find()
        .select_only()
        .columns([ozg_service::Column::OzgId, ozg_service::Column::Name])
        .filter(ozg_service::Column::OzgId.is_in(ids))
        .order_by_asc(ozg_service::Column::OzgId)
        .into_tuple()
        .all(db)
        .await?)
}

/// The steps of connections a person set, for the Auskunft (Art. 15 DSGVO): (connection, step, at, note).
pub async fn steps_of_person(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<(i64, ConnectionState, chrono::DateTime<chrono::Utc>, Option<String>)>, AppError> {
    Ok(connection_step::Entity::find()
        .select_only()
        .columns([connection_step::Column::ConnectionId, connection_step::Column::State, connection_step::Column::At, connection_step::Column::Note])
        .filter(connection_step::Column::UserId.eq(user_id))
        .order_by_asc(connection_step::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}
