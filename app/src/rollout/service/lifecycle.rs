//! A connection's lifecycle, enforced here: Interesse bekundet → Nutzungsvereinbarung
//! unterzeichnet → Anbindung in Vorbereitung → Test → Live, or Zurückgestellt (with a reason)
//! from any state and back to where it stood. Clerks take the next step for their own
//! Kommune(s), except confirming "Live" when the Land requires it; advisors may set any later
//! step; the service's operator sets "Test" once the connection is prepared (and "Live" only where
//! the Land does not confirm it). Every step is recorded with its date and who set it, kept in the rollups, and going
//! live sets the register in the same transaction.

use crate::core::entities::{connection, connection_item, connection_step, efa_service, organisation};
use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::rollout::model::{ConnectionState, ItemState};
use super::operators::Side;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

/// At most this many connections in one bulk step.
pub const MAX_BULK: usize = 1000;

/// A connection as the lifecycle needs it: its row.
pub type Current = connection::Model;

pub(crate) async fn current(db: &impl ConnectionTrait, id: i64) -> Result<Current, AppError> {
    connection::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}

/// A Kommune declares interest in an EfA service (a clerk for their own Kommune(s); advisors
/// for any). The checklist starts from the service's template. A second declaration for the
/// same pair answers with the existing connection.
#[tracing::instrument(skip_all)]
pub async fn declare(db: &DatabaseConnection, scope: &Scope, user: &CurrentUser, kommune_key: &str, efa_service_id: &str) -> Result<i64, AppError> {
    let org = crate::register::service::kommune(db, kommune_key).await?;
    if !(crate::access::policy::is_advisor(scope) || scope.may_act_for(&org.id)) {
        return Err(if matches!(scope, Scope::Public) { AppError::Unauthorized } else { AppError::Forbidden });
    }
    // The figures count the Kommunen that connect themselves; a Verbandsgemeinde connects its members.
    if org.kind == "mitgliedsgemeinde" {
        return Err(AppError::field("kommune", "Mitgliedsgemeinden werden über ihre Verbandsgemeinde angebunden; bitte bekunden Sie das Interesse für die Verbandsgemeinde."));
    }
    let service = efa_service::Entity::find_by_id(efa_service_id.to_string()).filter(efa_service::Column::Active.eq(true)).one(db).await?;
    let Some(service) = service else {
        return Err(AppError::field("dienst", "Diesen EfA-Dienst gibt es in der Liste des Landes nicht."));
    };
    let service_name = service.name;
    let template = super::plan::template_of(db, efa_service_id).await?;
    let kreis = org.kreis_key.clone().unwrap_or_else(|| org.key.clone());
    let now = crate::core::time::now();
    let txn = crate::core::db::begin_write(db).await?;
    let existing = connection::Entity::find()
        .filter(connection::Column::OrganisationId.eq(org.id.clone()))
        .filter(connection::Column::EfaServiceId.eq(efa_service_id))
        .one(&txn)
        .await?;
    if let Some(e) = existing {
        txn.rollback().await?;
        return Ok(e.id);
    }
    let id = connection::ActiveModel {
        organisation_id: Set(org.id.clone()),
        efa_service_id: Set(efa_service_id.to_string()),
        state: Set(ConnectionState::Interest),
        paused_from: Set(None),
        reason: Set(None),
        kreis_key: Set(kreis.clone()),
        interest_at: Set(now),
        live_at: Set(None),
        planned_test: Set(None),
        planned_live: Set(None),
        version: Set(1),
        demo: Set(user.is_demo),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?
    .id;
    if !template.is_empty() {
        let items = template.iter().enumerate().map(|(i, (label, operator))| connection_item::ActiveModel {
            connection_id: Set(id),
            position: Set(i as i32 + 1),
            label: Set(label.clone()),
            operator: Set(*operator),
            status: Set(ItemState::Open),
            note: Set(None),
            case_id: Set(None),
            updated_by: Set(None),
            updated_at: Set(None),
        });
        connection_item::Entity::insert_many(items).exec(&txn).await?;
    }
    connection_step::ActiveModel { connection_id: Set(id), state: Set(ConnectionState::Interest), at: Set(now), user_id: Set(Some(user.id.clone())), note: Set(None), ..Default::default() }.insert(&txn).await?;
    super::rollup::step(&txn, efa_service_id, &kreis, None, ConnectionState::Interest, now, None).await?;
    audit::record(&txn, Entry { actor: Some(&user.id), action: crate::vocabulary::audit::AuditAction::ConnectionDeclared, object: Some(&id.to_string()), detail: Some(format!("{} – {service_name}", org.name)), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(id)
}

/// A step the form named (`None`: one that does not exist), checked after the caller's right.
fn known(target: Option<ConnectionState>) -> Result<ConnectionState, AppError> {
    target.ok_or_else(|| AppError::field("state", "Diesen Schritt gibt es nicht."))
}

/// Checks one step of one side; the German message says why it is not possible.
fn check(c: &Current, target: ConnectionState, reason: &str, side: Side, live_by_land: bool) -> Result<(), String> {
    if target == ConnectionState::Paused && reason.trim().chars().count() < 3 && side != Side::Operator {
        return Err("Bitte geben Sie einen Grund für das Zurückstellen an.".into());
    }
    if side.steps(c, live_by_land).contains(&target) {
        return Ok(());
    }
    if target == ConnectionState::Live && side != Side::Land && live_by_land && c.state == ConnectionState::Test {
        return Err("»Live« bestätigt die Landesberatung.".into());
    }
    if side == Side::Operator {
        return Err(format!("Als Betreiber setzen Sie »Test«, sobald die Anbindung vorbereitet ist; von »{}« ist »{}« nicht möglich.", c.state.label(), target.label()));
    }
    Err(format!("Von »{}« ist der Schritt »{}« nicht möglich.", c.state.label(), target.label()))
}

/// Takes one step inside the caller's write transaction (checked before). `Ok(false)`: the
/// connection changed in between.
async fn apply(txn: &crate::core::db::WriteTxn, user_id: &str, c: &Current, target: ConnectionState, reason: &str) -> Result<bool, AppError> {
    let now = crate::core::time::now();
    let reason = Some(reason.trim().to_string()).filter(|r| !r.is_empty());
    let paused = target == ConnectionState::Paused;
    let paused_from = paused.then_some(c.state);
    let live_at = (target == ConnectionState::Live).then_some(now);
    let n = connection::Entity::update_many()
        .col_expr(connection::Column::State, Expr::value(target))
        .col_expr(connection::Column::PausedFrom, Expr::value(paused_from))
        .col_expr(connection::Column::Reason, Expr::value(if paused { reason.clone() } else { None }))
        .col_expr(connection::Column::LiveAt, Expr::value(c.live_at.or(live_at)))
        .col_expr(connection::Column::Version, Expr::col(connection::Column::Version).add(1))
        .col_expr(connection::Column::UpdatedAt, Expr::value(now))
        .filter(connection::Column::Id.eq(c.id))
        .filter(connection::Column::Version.eq(c.version))
        .exec(txn)
        .await?
        .rows_affected;
    if n != 1 {
        return Ok(false);
    }
    connection_step::ActiveModel { connection_id: Set(c.id), state: Set(target), at: Set(now), user_id: Set(Some(user_id.to_string())), note: Set(reason), ..Default::default() }.insert(txn).await?;
    // The days to the first time live (a connection live again after a pause counts once).
    let days = (target == ConnectionState::Live && c.live_at.is_none()).then(|| Ord::max((now - c.interest_at).num_days(), 0) as i32);
    super::rollup::step(txn, &c.efa_service_id, &c.kreis_key, Some(c.state), target, now, days).await?;
    if target == ConnectionState::Live {
        register_live(txn, user_id, &c.organisation_id, &c.efa_service_id).await?;
    }
    Ok(true)
}

/// Sets the register of the Kommune to "online" with the EfA solution for every OZG-Leistung
/// the overview assigns to the service (history and rollups follow in the same transaction).
pub async fn register_live(txn: &crate::core::db::WriteTxn, user_id: &str, organisation_id: &str, efa_service_id: &str) -> Result<(), AppError> {
    use crate::register::model::{Responsibility, SolutionKind, Stage};
    use crate::register::service as register;
    let service = efa_service::Entity::find_by_id(efa_service_id.to_string()).one(txn).await?.ok_or(AppError::NotFound)?;
    let (name, provider) = (service.name, service.provider);
    let known = crate::catalogue::service::criteria::known(txn).await?;
    let today = crate::core::time::now().with_timezone(&chrono_tz::Europe::Berlin).date_naive();
    for (ozg_id, _) in super::plan::leistungen_of(txn, efa_service_id).await? {
        let rec = register::record_of(txn, organisation_id, &ozg_id).await?;
        let mut input = rec.as_ref().map(register::input_of).unwrap_or_else(register::default_input);
        input.version = rec.as_ref().map(|r| r.version).unwrap_or(0);
        input.offered = true;
        input.responsibility = Responsibility::Own;
        input.responsibility_note = None;
        input.stage = Stage::Online;
        input.stage_dates.retain(|s, _| *s <= Stage::Online && *s != Stage::NotStarted);
        input.stage_dates.insert(Stage::Online, today.format("%Y-%m-%d").to_string());
        input.solution_kind = Some(SolutionKind::Efa);
        input.solution_name = Some(name.clone());
        input.solution_provider = provider.clone();
        let valid = register::validate_on(&input, today, &known).map_err(|e| match e {
            AppError::Validation(m) => AppError::field(
                "state",
                format!("Der Registereintrag zu {ozg_id} lässt sich nicht auf »online« setzen: {}", m.into_values().flatten().collect::<Vec<_>>().join(" ")),
            ),
            e => e,
        })?;
        match register::apply(txn, user_id, organisation_id, organisation_id, &ozg_id, &valid).await? {
            register::Outcome::Stale => return Err(AppError::Conflict(format!("Der Registereintrag zu {ozg_id} wurde gerade geändert; bitte versuchen Sie es erneut."))),
            register::Outcome::Saved => register::mark_source(txn, organisation_id, &ozg_id, &format!("Nachnutzung: {name} ist live")).await?,
            register::Outcome::Unchanged => {}
        }
    }
    Ok(())
}

/// One step of one connection. `version`: the version the caller saw (a stale one is a 409).
#[tracing::instrument(skip_all, fields(id = id))]
pub async fn step(
    db: &DatabaseConnection,
    scope: &Scope,
    config: &crate::core::config::Config,
    user: &CurrentUser,
    id: i64,
    target: Option<ConnectionState>,
    reason: &str,
    version: Option<i32>,
    despite_open: bool,
) -> Result<(), AppError> {
    let live_by_land = config.rollout_live_by_land;
    let c = current(db, id).await?;
    let side = super::operators::side(db, scope, &c).await?;
    let target = known(target)?;
    if version.is_some_and(|v| v != c.version) {
        return Err(AppError::Conflict("Diese Anbindung wurde inzwischen geändert. Bitte laden Sie die Seite neu.".into()));
    }
    check(&c, target, reason, side, live_by_land).map_err(|m| AppError::field("state", m))?;
    // Moving on with items of the checklist still open needs a confirmation.
    if !despite_open && target.rank().zip(c.state.rank()).is_some_and(|(t, s)| t > s) {
        let items = connection_item::Entity::find().filter(connection_item::Column::ConnectionId.eq(id)).all(db).await?;
        let open: Vec<&str> = items.iter().filter(|i| matches!(i.status, ItemState::Open | ItemState::Blocked)).map(|i| i.label.as_str()).collect();
        if !open.is_empty() {
            return Err(AppError::field(
                "trotz_offener",
                format!(
                    "Noch {} von {} Punkten der Checkliste {} offen ({}). Bestätigen Sie, dass es trotzdem mit »{}« weitergeht.",
                    open.len(),
                    items.len(),
                    if open.len() == 1 { "ist" } else { "sind" },
                    open.join(", "),
                    target.label()
                ),
            ));
        }
    }
    let txn = crate::core::db::begin_write(db).await?;
    if !apply(&txn, &user.id, &c, target, reason).await? {
        txn.rollback().await?;
        return Err(AppError::Conflict("Diese Anbindung wurde inzwischen geändert. Bitte laden Sie die Seite neu.".into()));
    }
    audit::record(&txn, Entry { actor: Some(&user.id), action: crate::vocabulary::audit::AuditAction::ConnectionStep, object: Some(&id.to_string()), detail: Some(format!("{} → {}", c.state.code(), target.code())), ..Default::default() }).await?;
    super::notices::stepped(&txn, config, &c, &user.id, side, target).await?;
    txn.commit().await?;
    crate::core::outbox::wake();
    crate::core::webhooks::wake();
    Ok(())
}

/// An advisor moves many connections of one service to a step at once: all or none. Every
/// connection must belong to the service and allow the step; otherwise a 422 names the Kommunen.
/// Each Kommune (and the operator, its webhooks) is told of its step as of a single one.
#[tracing::instrument(skip_all, fields(n = ids.len()))]
#[allow(clippy::too_many_arguments)]
pub async fn bulk(db: &DatabaseConnection, scope: &Scope, config: &crate::core::config::Config, user: &CurrentUser, efa_service_id: &str, ids: &[i64], target: Option<ConnectionState>, reason: &str) -> Result<usize, AppError> {
    crate::access::policy::require_advisor(scope)?;
    let target = known(target)?;
    if ids.is_empty() {
        return Err(AppError::field("ids", "Bitte wählen Sie mindestens eine Kommune."));
    }
    if ids.len() > MAX_BULK {
        return Err(AppError::field("ids", format!("Höchstens {MAX_BULK} Anbindungen auf einmal.")));
    }
    let txn = crate::core::db::begin_write(db).await?;
    let mut problems = Vec::new();
    let mut list = Vec::with_capacity(ids.len());
    for id in ids {
        let c = match current(&txn, *id).await {
            Ok(c) if c.efa_service_id == efa_service_id => c,
            Ok(_) | Err(AppError::NotFound) => {
                problems.push(format!("Anbindung {id} gehört nicht zu diesem Dienst."));
                continue;
            }
            Err(e) => return Err(e),
        };
        if let Err(m) = check(&c, target, reason, Side::Land, true) {
            let name = organisation::Entity::find_by_id(c.organisation_id.clone()).one(&txn).await?.map(|o| o.name).unwrap_or_default();
            problems.push(format!("{name}: {m}"));
        }
        list.push(c);
    }
    if !problems.is_empty() {
        txn.rollback().await?;
        let mut map = std::collections::BTreeMap::new();
        problems.truncate(50);
        map.insert("ids".to_string(), problems);
        return Err(AppError::Validation(map));
    }
    for c in &list {
        if !apply(&txn, &user.id, c, target, reason).await? {
            txn.rollback().await?;
            return Err(AppError::Conflict("Eine der Anbindungen wurde inzwischen geändert; es wurde nichts übernommen.".into()));
        }
    }
    audit::record(&txn, Entry { actor: Some(&user.id), action: crate::vocabulary::audit::AuditAction::ConnectionBulk, object: Some(efa_service_id), detail: Some(format!("{} Anbindungen → {}", list.len(), target.code())), ..Default::default() }).await?;
    for c in &list {
        super::notices::stepped(&txn, config, c, &user.id, Side::Land, target).await?;
    }
    txn.commit().await?;
    crate::core::outbox::wake();
    crate::core::webhooks::wake();
    Ok(list.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn going_back_is_refused_in_german() {
        let c = Current {
            id: 1,
            organisation_id: "o".into(),
            efa_service_id: "s".into(),
            state: ConnectionState::Test,
            paused_from: None,
            reason: None,
            kreis_key: "15083".into(),
            interest_at: chrono::Utc::now(),
            live_at: None,
            planned_test: None,
            planned_live: None,
            version: 1,
            demo: false,
            updated_at: chrono::Utc::now(),
        };
        assert_eq!(check(&c, ConnectionState::Interest, "", Side::Land, true), Err("Von »Test« ist der Schritt »Interesse bekundet« nicht möglich.".into()));
        assert!(check(&c, ConnectionState::Paused, "", Side::Land, true).is_err());
        assert!(check(&c, ConnectionState::Paused, "Haushaltssperre", Side::Kommune, true).is_ok());
        assert!(check(&c, ConnectionState::Paused, "Haushaltssperre", Side::Operator, true).is_err());
        assert_eq!(check(&c, ConnectionState::Live, "", Side::Kommune, true), Err("»Live« bestätigt die Landesberatung.".into()));
        assert_eq!(check(&c, ConnectionState::Live, "", Side::Operator, true), Err("»Live« bestätigt die Landesberatung.".into()));
        assert!(check(&c, ConnectionState::Live, "", Side::Operator, false).is_ok());
    }
}
