//! The partner organisations that operate an EfA service (IT-Dienstleister of this or another
//! Land), and what the caller is to a connection: the Land, the connecting Kommune or the
//! service's operator. An operator's people see the connections of the services their
//! organisation operates, never another service's, and never costs.

use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::core::entities::{connection, efa_service, efa_service_operator, organisation};
use crate::error::AppError;
use crate::identity::OrgKind;
use crate::rollout::model::ConnectionState;
use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set};

/// At most this many operators per service.
pub const MAX_OPERATORS: usize = 10;

/// What the caller is to a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The Land's advisors: every step, every item, the costs.
    Land,
    /// A clerk of the connecting Kommune: its next step and its own items.
    Kommune,
    /// A person of an organisation that operates the service: its items, the proposed dates,
    /// "Test" (and "Live" only where the Land does not confirm it).
    Operator,
}

impl Side {
    /// The code a webhook names the side with.
    pub const fn code(self) -> &'static str {
        match self {
            Side::Land => "land",
            Side::Kommune => "kommune",
            Side::Operator => "betreiber",
        }
    }

    /// The steps this side may take from where the connection stands.
    pub fn steps(self, c: &connection::Model, live_by_land: bool) -> Vec<ConnectionState> {
        match self {
            Side::Land => c.state.allowed(c.paused_from, true, live_by_land),
            Side::Kommune => c.state.allowed(c.paused_from, false, live_by_land),
            Side::Operator => c.state.allowed_for_operator(live_by_land),
        }
    }

    /// Whether this side works the item (the operator's items are the operator's; the Land works
    /// every item).
    pub const fn works_item(self, operator_item: bool) -> bool {
        match self {
            Side::Land => true,
            Side::Kommune => !operator_item,
            Side::Operator => operator_item,
        }
    }
}

/// The partner organisations of the caller (empty for everyone but partners).
fn partner_orgs(scope: &Scope) -> Vec<String> {
    match scope {
        Scope::Partner { org_ids } => org_ids.iter().cloned().collect(),
        _ => Vec::new(),
    }
}

/// The ids of the services the caller's organisations operate (empty for everyone but partners).
pub async fn operated(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<String>, AppError> {
    let orgs = partner_orgs(scope);
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    Ok(efa_service_operator::Entity::find()
        .select_only()
        .column(efa_service_operator::Column::EfaServiceId)
        .filter(efa_service_operator::Column::OrganisationId.is_in(orgs))
        .distinct()
        .into_tuple()
        .all(db)
        .await?)
}

/// Whether the caller's organisation operates the service.
pub async fn operates(db: &impl ConnectionTrait, scope: &Scope, efa_service_id: &str) -> Result<bool, AppError> {
    let orgs = partner_orgs(scope);
    if orgs.is_empty() {
        return Ok(false);
    }
    Ok(efa_service_operator::Entity::find()
        .filter(efa_service_operator::Column::EfaServiceId.eq(efa_service_id))
        .filter(efa_service_operator::Column::OrganisationId.is_in(orgs))
        .one(db)
        .await?
        .is_some())
}

/// What the caller is to the connection; a 403 (401 without a session) for everyone else.
pub async fn side(db: &impl ConnectionTrait, scope: &Scope, c: &connection::Model) -> Result<Side, AppError> {
    if crate::access::policy::is_advisor(scope) {
        return Ok(Side::Land);
    }
    if scope.may_act_for(&c.organisation_id) {
        return Ok(Side::Kommune);
    }
    if operates(db, scope, &c.efa_service_id).await? {
        return Ok(Side::Operator);
    }
    Err(if matches!(scope, Scope::Public) { AppError::Unauthorized } else { AppError::Forbidden })
}

/// The operators of a service: (key, name), by name.
pub async fn of_service(db: &impl ConnectionTrait, efa_service_id: &str) -> Result<Vec<(String, String)>, AppError> {
    Ok(efa_service_operator::Entity::find()
        .select_only()
        .column(organisation::Column::Key)
        .column(organisation::Column::Name)
        .join(JoinType::InnerJoin, efa_service_operator::Relation::Organisation.def())
        .filter(efa_service_operator::Column::EfaServiceId.eq(efa_service_id))
        .order_by_asc(organisation::Column::Name)
        .into_tuple()
        .all(db)
        .await?)
}

/// The operator a blocked item's case goes to: (organisation id, name), the first by name.
pub async fn first_of_service(db: &impl ConnectionTrait, efa_service_id: &str) -> Result<Option<(String, String)>, AppError> {
    Ok(efa_service_operator::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .column(organisation::Column::Name)
        .join(JoinType::InnerJoin, efa_service_operator::Relation::Organisation.def())
        .filter(efa_service_operator::Column::EfaServiceId.eq(efa_service_id))
        .order_by_asc(organisation::Column::Name)
        .into_tuple()
        .one(db)
        .await?)
}

/// The organisations operating a service (ids).
pub async fn org_ids_of(db: &impl ConnectionTrait, efa_service_id: &str) -> Result<Vec<String>, AppError> {
    Ok(efa_service_operator::Entity::find()
        .select_only()
        .column(efa_service_operator::Column::OrganisationId)
        .filter(efa_service_operator::Column::EfaServiceId.eq(efa_service_id))
        .into_tuple()
        .all(db)
        .await?)
}

/// The people of a service's operators (for notifications): user ids.
pub async fn people_of(db: &impl ConnectionTrait, efa_service_id: &str) -> Result<Vec<String>, AppError> {
    use crate::core::entities::{app_user, user_organisation};
    let orgs: Vec<String> = efa_service_operator::Entity::find()
        .select_only()
        .column(efa_service_operator::Column::OrganisationId)
        .filter(efa_service_operator::Column::EfaServiceId.eq(efa_service_id))
        .into_tuple()
        .all(db)
        .await?;
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = user_organisation::Entity::find()
        .select_only()
        .column(user_organisation::Column::UserId)
        .filter(user_organisation::Column::OrganisationId.is_in(orgs))
        .into_tuple()
        .all(db)
        .await?;
    Ok(app_user::Entity::find()
        .select_only()
        .column(app_user::Column::Id)
        .filter(app_user::Column::Id.is_in(ids))
        .filter(app_user::Column::Active.eq(true))
        .filter(app_user::Column::Role.eq(crate::identity::Role::Partner.code()))
        .into_tuple()
        .all(db)
        .await?)
}

/// Sets the operators of a service (administrators): partner organisations named by key. An
/// unknown key or an organisation of another kind is refused with a German message; audited.
#[tracing::instrument(skip_all)]
pub async fn set(db: &DatabaseConnection, scope: &Scope, actor: &str, efa_service_id: &str, keys: &[String]) -> Result<(), AppError> {
    crate::access::policy::require_admin(scope)?;
    let service = efa_service::Entity::find_by_id(efa_service_id.to_string()).one(db).await?.ok_or(AppError::NotFound)?;
    let mut keys: Vec<String> = keys.iter().map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect();
    keys.sort();
    keys.dedup();
    if keys.len() > MAX_OPERATORS {
        return Err(AppError::field("betreiber", format!("Höchstens {MAX_OPERATORS} Betreiber je Dienst.")));
    }
    let orgs = organisation::Entity::find().filter(organisation::Column::Key.is_in(keys.clone())).all(db).await?;
    if orgs.len() != keys.len() || orgs.iter().any(|o| o.kind != OrgKind::Partner.code()) {
        return Err(AppError::field("betreiber", "Betreiber eines EfA-Dienstes sind Partnerorganisationen; diese Auswahl enthält eine andere oder unbekannte Organisation."));
    }
    let txn = crate::core::db::begin_write(db).await?;
    efa_service_operator::Entity::delete_many().filter(efa_service_operator::Column::EfaServiceId.eq(efa_service_id)).exec(&txn).await?;
    if !orgs.is_empty() {
        efa_service_operator::Entity::insert_many(
            orgs.iter().map(|o| efa_service_operator::ActiveModel { efa_service_id: Set(efa_service_id.to_string()), organisation_id: Set(o.id.clone()) }),
        )
        .exec(&txn)
        .await?;
    }
    let names: Vec<&str> = orgs.iter().map(|o| o.name.as_str()).collect();
    audit::record(
        &txn,
        Entry {
            actor: Some(actor),
            action: crate::vocabulary::audit::AuditAction::EfaOperatorsSet,
            object: Some(efa_service_id),
            detail: Some(format!("{}: {}", service.name, if names.is_empty() { "keine".to_string() } else { names.join(", ") })),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A date of the form as `core::time::parse_day` reads it; empty: none, unreadable: `Err`.
fn date(text: &str) -> Result<Option<NaiveDate>, ()> {
    if text.trim().is_empty() { Ok(None) } else { crate::core::time::parse_day(text).map(Some).ok_or(()) }
}

/// The operator (or the Land) proposes the dates of the test and of going live; the go-live is
/// not before the test. `version`: the connection's version the caller saw (stale: 409).
#[tracing::instrument(skip_all, fields(id = id))]
pub async fn propose_dates(db: &DatabaseConnection, scope: &Scope, actor: &str, id: i64, test: &str, live: &str, version: Option<i32>) -> Result<(), AppError> {
    let c = connection::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let side = side(db, scope, &c).await?;
    if side == Side::Kommune {
        return Err(AppError::Forbidden);
    }
    let (test, live) = match (date(test), date(live)) {
        (Ok(t), Ok(l)) => (t, l),
        (t, l) => {
            let message = || vec!["Bitte geben Sie ein Datum an (TT.MM.JJJJ).".to_string()];
            let fields = [("test", t.is_err()), ("live", l.is_err())];
            return Err(AppError::Validation(fields.into_iter().filter(|(_, bad)| *bad).map(|(f, _)| (f.to_string(), message())).collect()));
        }
    };
    if let (Some(t), Some(l)) = (test, live)
        && l < t
    {
        return Err(AppError::field("live", "Der Live-Termin liegt nicht vor dem Testbeginn."));
    }
    let version = version.unwrap_or(c.version);
    let now = crate::core::time::now();
    let txn = crate::core::db::begin_write(db).await?;
    let n = connection::Entity::update_many()
        .col_expr(connection::Column::PlannedTest, Expr::value(test))
        .col_expr(connection::Column::PlannedLive, Expr::value(live))
        .col_expr(connection::Column::Version, Expr::col(connection::Column::Version).add(1))
        .col_expr(connection::Column::UpdatedAt, Expr::value(now))
        .filter(connection::Column::Id.eq(id))
        .filter(connection::Column::Version.eq(version))
        .exec(&txn)
        .await?
        .rows_affected;
    if n != 1 {
        txn.rollback().await?;
        return Err(AppError::Conflict("Diese Anbindung wurde inzwischen geändert. Bitte laden Sie die Seite neu.".into()));
    }
    let shown = |d: Option<NaiveDate>| d.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_else(|| "offen".into());
    audit::record(
        &txn,
        Entry {
            actor: Some(actor),
            action: crate::vocabulary::audit::AuditAction::ConnectionDates,
            object: Some(&id.to_string()),
            detail: Some(format!("Test {}, live {}", shown(test), shown(live))),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The services the caller's organisations operate (partners), with their connections in
/// preparation, test and live and the blocked items of the checklists, by name.
#[tracing::instrument(skip_all)]
pub async fn dashboard(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<crate::rollout::model::OperatedService>, AppError> {
    use crate::core::entities::connection_item;
    use crate::rollout::model::{ItemState, OperatedService};
    let ids = operated(db, scope).await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let services = efa_service::Entity::find().filter(efa_service::Column::Id.is_in(ids.clone())).order_by_asc(efa_service::Column::Name).all(db).await?;
    let states: Vec<(String, ConnectionState)> = connection::Entity::find()
        .select_only()
        .columns([connection::Column::EfaServiceId, connection::Column::State])
        .filter(connection::Column::EfaServiceId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let blocked: Vec<String> = connection_item::Entity::find()
        .select_only()
        .column(connection::Column::EfaServiceId)
        .join(JoinType::InnerJoin, connection_item::Relation::Connection.def())
        .filter(connection::Column::EfaServiceId.is_in(ids))
        .filter(connection_item::Column::Status.eq(ItemState::Blocked))
        .into_tuple()
        .all(db)
        .await?;
    Ok(services
        .into_iter()
        .map(|s| {
            let n = |st: ConnectionState| states.iter().filter(|(id, x)| *id == s.id && *x == st).count() as i64;
            OperatedService {
                preparing: n(ConnectionState::Preparation),
                testing: n(ConnectionState::Test),
                live: n(ConnectionState::Live),
                blocked: blocked.iter().filter(|id| **id == s.id).count() as i64,
                id: s.id,
                name: s.name,
            }
        })
        .collect())
}
