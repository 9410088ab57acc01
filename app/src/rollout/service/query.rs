//! Reading the roll-out: a service with the connections the caller may see, and one connection
//! with its steps, checklist and costs.

use super::{opt, rows};
use crate::access::scope::Scope;
use crate::error::AppError;
use crate::rollout::model::{ChecklistEntry, ConnectionItem, ConnectionView, CostEntry, EfaInfo, ServicePage, StepEntry, ConnectionState};
use sea_orm::ConnectionTrait;

/// At most this many connections are listed on a service's page (filter by Kreis or step).
pub const MAX_LISTED: usize = 1000;

/// One EfA service of the list (also an inactive one).
pub async fn efa(db: &impl ConnectionTrait, id: &str) -> Result<EfaInfo, AppError> {
    let list = rows(db, "SELECT id, name, provider, operator, marketplace_url FROM efa_service WHERE id = ?", vec![id.into()]).await?;
    let r = list.first().ok_or(AppError::NotFound)?;
    Ok(EfaInfo { id: r.try_get("", "id")?, name: r.try_get("", "name")?, provider: opt(r, "provider")?, operator: opt(r, "operator")?, marketplace_url: opt(r, "marketplace_url")? })
}

/// A service's page: advisors and administrators see every connection (filtered by `kreis` and
/// `state`), clerks those of their Kommunen and where they can still declare interest.
#[tracing::instrument(skip_all)]
pub async fn service_page(db: &impl ConnectionTrait, scope: &Scope, id: &str, kreis: &str, state: Option<ConnectionState>) -> Result<ServicePage, AppError> {
    if matches!(scope, Scope::Public) {
        return Err(AppError::Unauthorized);
    }
    crate::access::policy::require_kommune_list(scope)?;
    let efa = efa(db, id).await?;
    let leistungen = super::plan::leistungen_of(db, id).await?;
    let land = matches!(scope, Scope::Land | Scope::Admin);
    let mut sql = String::from(
        "SELECT c.id, c.state, c.updated_at, o.name, o.key, o.id AS org_id FROM connection c JOIN organisation o ON o.id = c.organisation_id WHERE c.efa_service_id = ?",
    );
    let mut values: Vec<sea_orm::Value> = vec![id.into()];
    if !kreis.trim().is_empty() {
        sql.push_str(" AND c.kreis_key = ?");
        values.push(kreis.trim().into());
    }
    if let Some(state) = state {
        sql.push_str(" AND c.state = ?");
        values.push(state.into());
    }
    let own: Vec<String> = match scope {
        Scope::Municipal { org_ids } => org_ids.iter().cloned().collect(),
        _ => Vec::new(),
    };
    if !land {
        if own.is_empty() {
            sql.push_str(" AND 1 = 0");
        } else {
            sql.push_str(&format!(" AND c.organisation_id IN ({})", vec!["?"; own.len()].join(", ")));
            values.extend(own.iter().map(|o| sea_orm::Value::from(o.clone())));
        }
    }
    sql.push_str(&format!(" ORDER BY o.name LIMIT {}", MAX_LISTED + 1));
    let list = rows(db, &sql, values).await?;
    let mut connections = Vec::with_capacity(list.len());
    let mut connected = std::collections::HashSet::new();
    for r in &list {
        connected.insert(r.try_get::<String>("", "org_id")?);
        connections.push(ConnectionItem {
            id: r.try_get("", "id")?,
            kommune: r.try_get("", "name")?,
            kommune_key: r.try_get("", "key")?,
            service: efa.name.clone(),
            state: r.try_get("", "state")?,
            since: crate::core::time::berlin_date(r.try_get("", "updated_at")?),
        });
    }
    let counts: Vec<(ConnectionState, i64)> = if land {
        let list = rows(db, "SELECT state, kommunen AS n FROM agg_rollout WHERE efa_service_id = ? AND kreis_key = ?", vec![id.into(), super::rollup::LAND.into()]).await?;
        let got: Vec<(ConnectionState, i64)> = list.iter().map(|r| Ok((r.try_get("", "state")?, r.try_get("", "n")?))).collect::<Result<_, AppError>>()?;
        ConnectionState::ALL.iter().map(|s| (*s, got.iter().find(|(g, _)| g == s).map(|(_, n)| *n).unwrap_or(0))).collect()
    } else {
        ConnectionState::ALL.iter().map(|s| (*s, connections.iter().filter(|c| c.state == *s).count() as i64)).collect()
    };
    let mut may_declare = Vec::new();
    if !own.is_empty() {
        let sql = format!("SELECT id, key, name FROM organisation WHERE id IN ({}) AND kind <> 'mitgliedsgemeinde' ORDER BY name", vec!["?"; own.len()].join(", "));
        for r in rows(db, &sql, own.iter().map(|o| sea_orm::Value::from(o.clone())).collect()).await? {
            let org_id: String = r.try_get("", "id")?;
            if !connected.contains(&org_id) {
                may_declare.push((r.try_get("", "key")?, r.try_get("", "name")?));
            }
        }
    }
    Ok(ServicePage { efa, leistungen, connections, may_declare, counts, advisor: crate::access::policy::is_advisor(scope) })
}

/// The connections of the caller's Kommunen (clerks) over every service.
#[tracing::instrument(skip_all)]
pub async fn mine(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<ConnectionItem>, AppError> {
    let Scope::Municipal { org_ids } = scope else { return Ok(Vec::new()) };
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT c.id, c.state, c.updated_at, o.name, o.key, e.name AS service FROM connection c JOIN organisation o ON o.id = c.organisation_id \
         JOIN efa_service e ON e.id = c.efa_service_id WHERE c.organisation_id IN ({}) ORDER BY e.name, o.name",
        vec!["?"; org_ids.len()].join(", ")
    );
    let list = rows(db, &sql, org_ids.iter().map(|o| sea_orm::Value::from(o.clone())).collect()).await?;
    list.iter()
        .map(|r| {
            Ok(ConnectionItem {
                id: r.try_get("", "id")?,
                kommune: r.try_get("", "name")?,
                kommune_key: r.try_get("", "key")?,
                service: r.try_get("", "service")?,
                state: r.try_get("", "state")?,
                since: crate::core::time::berlin_date(r.try_get("", "updated_at")?),
            })
        })
        .collect()
}

/// One connection (advisors and administrators; clerks of its Kommune).
#[tracing::instrument(skip_all, fields(id = id))]
pub async fn connection(db: &impl ConnectionTrait, scope: &Scope, live_by_land: bool, id: i64) -> Result<ConnectionView, AppError> {
    let c = super::lifecycle::current(db, id).await?;
    if !(matches!(scope, Scope::Admin) || super::lifecycle::may_work(scope, &c).is_ok()) {
        return Err(if matches!(scope, Scope::Public) { AppError::Unauthorized } else { AppError::Forbidden });
    }
    let advisor = crate::access::policy::is_advisor(scope);
    let works = super::lifecycle::may_work(scope, &c).is_ok();
    let org = rows(db, "SELECT name, key FROM organisation WHERE id = ?", vec![c.organisation_id.clone().into()]).await?;
    let org = org.first().ok_or(AppError::NotFound)?;
    let reason = rows(db, "SELECT reason FROM connection WHERE id = ?", vec![id.into()]).await?;
    let reason = reason.first().map(|r| opt(r, "reason")).transpose()?.flatten();
    let steps = rows(
        db,
        "SELECT s.state, s.at, s.note, u.name AS who FROM connection_step s LEFT JOIN app_user u ON u.id = s.user_id WHERE s.connection_id = ? ORDER BY s.id",
        vec![id.into()],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(StepEntry {
            state: r.try_get("", "state")?,
            at: crate::core::time::format_berlin(r.try_get("", "at")?),
            by: opt(r, "who")?.unwrap_or_else(|| "–".into()),
            note: opt(r, "note")?,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let checklist = rows(db, "SELECT position, label, status, note, case_id FROM connection_item WHERE connection_id = ? ORDER BY position", vec![id.into()])
        .await?
        .iter()
        .map(|r| Ok(ChecklistEntry { position: r.try_get("", "position")?, label: r.try_get("", "label")?, status: r.try_get("", "status")?, note: opt(r, "note")?, case_id: r.try_get("", "case_id")? }))
        .collect::<Result<Vec<_>, AppError>>()?;
    let costs = rows(db, "SELECT id, kind, year, amount_cents, bearer, note FROM connection_cost WHERE connection_id = ? ORDER BY year, id", vec![id.into()])
        .await?
        .iter()
        .map(|r| Ok(CostEntry { id: r.try_get("", "id")?, kind: r.try_get("", "kind")?, year: r.try_get("", "year")?, amount_cents: r.try_get("", "amount_cents")?, bearer: r.try_get("", "bearer")?, note: opt(r, "note")? }))
        .collect::<Result<Vec<_>, AppError>>()?;
    let next = if works { c.state.allowed(c.paused_from, advisor, live_by_land) } else { Vec::new() };
    Ok(ConnectionView {
        id,
        kommune: org.try_get("", "name")?,
        kommune_key: org.try_get("", "key")?,
        efa: efa(db, &c.efa_service_id).await?,
        state: c.state,
        reason,
        version: c.version,
        steps,
        checklist,
        costs,
        next,
        may_edit_checklist: works,
        may_file_case: works && crate::access::policy::files_cases(scope),
        may_edit_costs: advisor,
        live_by_land,
    })
}

/// The steps of connections a person set, for the Auskunft (Art. 15 DSGVO): (connection, step, at, note).
pub async fn steps_of_person(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<(i64, ConnectionState, chrono::DateTime<chrono::Utc>, Option<String>)>, AppError> {
    rows(db, "SELECT connection_id, state, at, note FROM connection_step WHERE user_id = ? ORDER BY id", vec![user_id.into()])
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "connection_id")?, r.try_get("", "state")?, r.try_get("", "at")?, opt(r, "note")?)))
        .collect()
}
