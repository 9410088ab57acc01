//! The roll-out's services: the overview per OZG-Leistung (`plan`, with its CSV in `plan_csv`),
//! the connections' lifecycle (`lifecycle`) with going live into the register, the checklist and
//! costs (`checklist`, `costs`), reading (`query`), the rollups (`rollup`) and the figures of the
//! Lagebild (`figures`).

pub mod checklist;
pub mod costs;
pub mod figures;
pub mod lifecycle;
pub mod plan;
pub mod plan_csv;
pub mod query;
pub mod rollup;

use crate::error::AppError;
use sea_orm::ConnectionTrait;

/// The text of a nullable column of a raw row.
pub(crate) fn opt(r: &sea_orm::QueryResult, col: &str) -> Result<Option<String>, AppError> {
    Ok(r.try_get::<Option<String>>("", col)?)
}

/// Runs a raw query with `?` placeholders.
pub(crate) async fn rows(db: &impl ConnectionTrait, sql: &str, values: Vec<sea_orm::Value>) -> Result<Vec<sea_orm::QueryResult>, AppError> {
    Ok(db.query_all_raw(crate::core::db::stmt(db.get_database_backend(), sql, values)).await?)
}

/// Runs a raw statement with `?` placeholders; the number of rows it touched.
pub(crate) async fn exec(db: &impl ConnectionTrait, sql: &str, values: Vec<sea_orm::Value>) -> Result<u64, AppError> {
    Ok(db.execute_raw(crate::core::db::stmt(db.get_database_backend(), sql, values)).await?.rows_affected())
}
