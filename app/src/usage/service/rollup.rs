//! The rollup of the usage figures: per month, OZG-Leistung and area (a Kreis's five digits and
//! the Land's two), the transactions and how many Kommunen (or Kreise) contributed. Rebuilt for
//! the months a change touched, in its transaction, so every page reads sums that are never
//! behind the figures.

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QuerySelect, Value};
use std::collections::BTreeSet;

/// Rebuilds the rollup of `months` from the figures.
pub async fn rebuild(db: &impl ConnectionTrait, months: &BTreeSet<chrono::NaiveDate>) -> Result<(), DbErr> {
    if months.is_empty() {
        return Ok(());
    }
    let marks = vec!["?"; months.len()].join(", ");
    let values = || months.iter().map(|m| Value::from(*m)).collect::<Vec<_>>();
    let run = |sql: String, values: Vec<Value>| async move { db.execute_raw(crate::core::db::stmt(db.get_database_backend(), &sql, values)).await.map(|_| ()) };
    run(format!("DELETE FROM usage_rollup WHERE month IN ({marks})"), values()).await?;
    for area in ["o.kreis_key", "SUBSTR(o.kreis_key, 1, 2)"] {
        run(
            format!(
                "INSERT INTO usage_rollup (area_key, month, ozg_id, transactions, contributors) \
                 SELECT {area}, f.month, f.ozg_id, SUM(f.transactions), COUNT(DISTINCT f.organisation_id) \
                 FROM usage_figure f JOIN organisation o ON o.id = f.organisation_id \
                 WHERE f.month IN ({marks}) AND o.kreis_key IS NOT NULL \
                 GROUP BY {area}, f.month, f.ozg_id"
            ),
            values(),
        )
        .await?;
    }
    Ok(())
}

/// Rebuilds the whole rollup (after figures of many months went, as with the demo).
pub async fn rebuild_all(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let months: BTreeSet<chrono::NaiveDate> = crate::core::entities::usage_figure::Entity::find()
        .select_only()
        .column(crate::core::entities::usage_figure::Column::Month)
        .distinct()
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    db.execute_raw(crate::core::db::stmt(db.get_database_backend(), "DELETE FROM usage_rollup", vec![])).await?;
    rebuild(db, &months).await
}
