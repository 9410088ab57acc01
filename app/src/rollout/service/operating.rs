//! A service's operating state (in Betrieb, eingeschränkt, gestört, Wartung angekündigt with its
//! window), set by the operator or the Land's advisors; the connected Kommunen are told when it
//! changes, and their start pages show every service of theirs that is not running normally.

use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::core::config::Config;
use crate::core::entities::{connection, efa_service, efa_service_state};
use crate::core::notify::{NotificationKind, notify};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::rollout::model::{NewState, OperatingState, ServiceStatus};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

fn status(service: &efa_service::Model, row: Option<efa_service_state::Model>) -> ServiceStatus {
    match row {
        None => ServiceStatus { service_id: service.id.clone(), service: service.name.clone(), state: OperatingState::Running, note: None, window: None, since: None },
        Some(r) => ServiceStatus {
            service_id: service.id.clone(),
            service: service.name.clone(),
            state: r.state,
            note: r.note,
            window: r.window_from.zip(r.window_to).map(|(a, b)| (crate::core::time::format_berlin(a), crate::core::time::format_berlin(b))),
            since: Some(crate::core::time::format_berlin(r.set_at)),
        },
    }
}

/// How the service runs now (no row: in operation).
pub async fn of_service(db: &impl ConnectionTrait, service_id: &str) -> Result<ServiceStatus, AppError> {
    let service = efa_service::Entity::find_by_id(service_id.to_string()).one(db).await?.ok_or(AppError::NotFound)?;
    let row = efa_service_state::Entity::find_by_id(service_id.to_string()).one(db).await?;
    Ok(status(&service, row))
}

/// The EfA services the caller's Kommunen (clerks) are connected to, in any step; empty for
/// everyone else.
pub async fn connected_services(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<String>, AppError> {
    let Scope::Municipal { org_ids } = scope else { return Ok(Vec::new()) };
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(connection::Entity::find()
        .select_only()
        .column(connection::Column::EfaServiceId)
        .filter(connection::Column::OrganisationId.is_in(org_ids.iter().cloned()))
        .distinct()
        .into_tuple()
        .all(db)
        .await?)
}

/// The services of the caller's Kommunen (clerks) that do not run normally, by name.
pub async fn notable_for(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<ServiceStatus>, AppError> {
    let services = connected_services(db, scope).await?;
    if services.is_empty() {
        return Ok(Vec::new());
    }
    let rows = efa_service_state::Entity::find()
        .filter(efa_service_state::Column::EfaServiceId.is_in(services))
        .filter(efa_service_state::Column::State.ne(OperatingState::Running))
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let list =
        efa_service::Entity::find().filter(efa_service::Column::Id.is_in(rows.iter().map(|r| r.efa_service_id.clone()))).order_by_asc(efa_service::Column::Name).all(db).await?;
    Ok(list.iter().map(|s| status(s, rows.iter().find(|r| r.efa_service_id == s.id).cloned())).collect())
}

/// The operator or an advisor sets the operating state; the connected Kommunen are told.
#[tracing::instrument(skip_all)]
pub async fn set(db: &DatabaseConnection, config: &Config, scope: &Scope, user: &CurrentUser, input: &NewState) -> Result<(), AppError> {
    if matches!(scope, Scope::Public) {
        return Err(AppError::Unauthorized);
    }
    if !(crate::access::policy::is_advisor(scope) || super::operators::operates(db, scope, &input.service_id).await?) {
        return Err(AppError::Forbidden);
    }
    let service = efa_service::Entity::find_by_id(input.service_id.clone()).one(db).await?.ok_or(AppError::NotFound)?;
    let before = efa_service_state::Entity::find_by_id(service.id.clone()).one(db).await?.map(|r| r.state).unwrap_or(OperatingState::Running);
    let now = crate::core::time::now();
    let txn = crate::core::db::begin_write(db).await?;
    efa_service_state::Entity::insert(efa_service_state::ActiveModel {
        efa_service_id: Set(service.id.clone()),
        state: Set(input.state),
        note: Set(input.note.clone()),
        window_from: Set(input.window.map(|w| w.0)),
        window_to: Set(input.window.map(|w| w.1)),
        set_by: Set(Some(user.id.clone())),
        set_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(efa_service_state::Column::EfaServiceId)
            .update_columns([
                efa_service_state::Column::State,
                efa_service_state::Column::Note,
                efa_service_state::Column::WindowFrom,
                efa_service_state::Column::WindowTo,
                efa_service_state::Column::SetBy,
                efa_service_state::Column::SetAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    audit::record(
        &txn,
        Entry {
            actor: Some(&user.id),
            action: crate::vocabulary::audit::AuditAction::ServiceStateSet,
            object: Some(&service.id),
            detail: Some(input.state.code().to_string()),
            ..Default::default()
        },
    )
    .await?;
    // A change the Kommunen must know of: into or out of a notable state, or a new window.
    if input.state.is_notable() || before.is_notable() {
        let orgs: Vec<String> = connection::Entity::find()
            .select_only()
            .column(connection::Column::OrganisationId)
            .filter(connection::Column::EfaServiceId.eq(service.id.clone()))
            .into_tuple()
            .all(&txn)
            .await?;
        let mut people = Vec::new();
        for org in orgs {
            people.extend(crate::core::notify::clerks_of(&txn, &org).await?);
        }
        let window = input.window.map(|(a, b)| format!(" ({} bis {})", crate::core::time::format_berlin(a), crate::core::time::format_berlin(b))).unwrap_or_default();
        let text = format!("»{}«: {}{window}", service.name, input.state.label());
        notify(&txn, config, &people, Some(&user.id), None, Some(&format!("/nachnutzung/dienst/{}", service.id)), NotificationKind::ServiceReport, &text, now).await?;
    }
    txn.commit().await?;
    crate::core::outbox::wake();
    Ok(())
}
