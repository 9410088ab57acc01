//! Costs of a connection (one-off or yearly, in cents, and who bears them), entered by advisors,
//! and their totals per Kommune, Kreis, service and year. Never public: the Lagebild shows no
//! single Kommune's costs.

use super::read;
use crate::core::entities::connection_cost;
use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::error::AppError;
use crate::rollout::model::{Bearer, CostInput, CostKind, CostReport, CostTotal};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

/// Adds a cost to a connection (advisors).
#[tracing::instrument(skip_all, fields(id = id))]
pub async fn add(db: &DatabaseConnection, scope: &Scope, actor: &str, id: i64, input: &CostInput) -> Result<(), AppError> {
    crate::access::policy::require_advisor(scope)?;
    super::lifecycle::current(db, id).await?;
    let CostInput { kind, year, amount, bearer, note } = input.clone();
    let cents = amount.0;
    let txn = crate::core::db::begin_write(db).await?;
    connection_cost::ActiveModel {
        connection_id: Set(id),
        kind: Set(kind),
        year: Set(year),
        amount_cents: Set(cents),
        bearer: Set(bearer),
        note: Set(note),
        created_by: Set(Some(actor.to_string())),
        created_at: Set(crate::core::time::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::ConnectionCostAdded, object: Some(&id.to_string()), detail: Some(crate::ui::format::euro(cents)), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// Removes a cost (advisors).
#[tracing::instrument(skip_all)]
pub async fn remove(db: &DatabaseConnection, scope: &Scope, actor: &str, id: i64, cost_id: i64) -> Result<(), AppError> {
    crate::access::policy::require_advisor(scope)?;
    let txn = crate::core::db::begin_write(db).await?;
    let n = connection_cost::Entity::delete_many().filter(connection_cost::Column::Id.eq(cost_id)).filter(connection_cost::Column::ConnectionId.eq(id)).exec(&txn).await?.rows_affected;
    if n != 1 {
        txn.rollback().await?;
        return Err(AppError::NotFound);
    }
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::ConnectionCostRemoved, object: Some(&format!("{id}/{cost_id}")), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

async fn totals(db: &impl ConnectionTrait, group: &str, join: &str) -> Result<Vec<CostTotal>, AppError> {
    let sql = format!(
        "SELECT {group} AS label, \
         CAST(SUM(CASE WHEN k.kind = ? THEN k.amount_cents ELSE 0 END) AS BIGINT) AS one_off, \
         CAST(SUM(CASE WHEN k.kind = ? THEN k.amount_cents ELSE 0 END) AS BIGINT) AS yearly, \
         CAST(SUM(CASE WHEN k.bearer = ? THEN k.amount_cents ELSE 0 END) AS BIGINT) AS land, \
         CAST(SUM(CASE WHEN k.bearer = ? THEN k.amount_cents ELSE 0 END) AS BIGINT) AS kommune, \
         CAST(SUM(CASE WHEN k.bearer = ? THEN k.amount_cents ELSE 0 END) AS BIGINT) AS other \
         FROM connection_cost k JOIN connection c ON c.id = k.connection_id {join} GROUP BY {group} ORDER BY {group}"
    );
    let codes = vec![CostKind::Once.into(), CostKind::Yearly.into(), Bearer::Land.into(), Bearer::Kommune.into(), Bearer::Other.into()];
    /// A total as the query sums it.
    #[derive(sea_orm::FromQueryResult)]
    struct Sum {
        label: Option<String>,
        one_off: i64,
        yearly: i64,
        land: i64,
        kommune: i64,
        other: i64,
    }
    let list: Vec<Sum> = read(db, &sql, codes).await?;
    Ok(list
        .into_iter()
        .map(|s| CostTotal { label: s.label.unwrap_or_default(), one_off: s.one_off, yearly: s.yearly, land: s.land, kommune: s.kommune, other: s.other })
        .collect())
}

/// Totals per Kommune, Kreis, service and year (advisors and administrators).
#[tracing::instrument(skip_all)]
pub async fn report(db: &impl ConnectionTrait, scope: &Scope) -> Result<CostReport, AppError> {
    if !matches!(scope, Scope::Land | Scope::Admin) {
        return Err(if matches!(scope, Scope::Public) { AppError::Unauthorized } else { AppError::Forbidden });
    }
    let by_kommune = totals(db, "o.name", "JOIN organisation o ON o.id = c.organisation_id").await?;
    let by_kreis = totals(db, "COALESCE(kr.name, c.kreis_key)", "LEFT JOIN organisation kr ON COALESCE(kr.kreis_key, kr.key) = c.kreis_key AND kr.kind IN ('landkreis', 'kreisfreie_stadt')").await?;
    let by_service = totals(db, "e.name", "JOIN efa_service e ON e.id = c.efa_service_id").await?;
    let by_year = totals(db, "CAST(k.year AS TEXT)", "").await?;
    let mut all = CostTotal { label: "Insgesamt".into(), ..Default::default() };
    for t in &by_year {
        all.one_off += t.one_off;
        all.yearly += t.yearly;
        all.land += t.land;
        all.kommune += t.kommune;
        all.other += t.other;
    }
    Ok(CostReport { by_kommune, by_kreis, by_service, by_year, all })
}
