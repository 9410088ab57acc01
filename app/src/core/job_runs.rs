//! The last run of each background job (table `job_run`): written after every run by the
//! instance holding the jobs' lease, read by the administrators' start page.

use crate::core::db::stmt;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, Value};

/// One job's last run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRun {
    pub name: String,
    pub last_run_at: DateTime<Utc>,
    pub last_millis: i32,
    pub last_ok: bool,
    pub last_failure_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub runs: i64,
    pub failures: i64,
}

/// Records a run of `name` that ended at `at` after `millis`, with its error if it failed.
pub async fn record(db: &impl ConnectionTrait, name: &str, at: DateTime<Utc>, millis: i32, error: Option<&str>) -> Result<(), DbErr> {
    let ok = error.is_none();
    let failure_at: Option<DateTime<Utc>> = (!ok).then_some(at);
    let error: Option<String> = error.map(|e| e.chars().take(500).collect());
    let sql = "INSERT INTO job_run (name, last_run_at, last_millis, last_ok, last_failure_at, last_error, runs, failures) VALUES (?, ?, ?, ?, ?, ?, 1, ?) \
               ON CONFLICT (name) DO UPDATE SET last_run_at = excluded.last_run_at, last_millis = excluded.last_millis, last_ok = excluded.last_ok, \
               last_failure_at = COALESCE(excluded.last_failure_at, job_run.last_failure_at), last_error = COALESCE(excluded.last_error, job_run.last_error), \
               runs = job_run.runs + 1, failures = job_run.failures + excluded.failures";
    let values: Vec<Value> = vec![name.into(), at.into(), millis.into(), ok.into(), failure_at.into(), error.into(), i64::from(!ok).into()];
    db.execute_raw(stmt(db.get_database_backend(), sql, values)).await?;
    Ok(())
}

/// Every job's last run, by name.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<JobRun>, DbErr> {
    let rows = db
        .query_all_raw(stmt(db.get_database_backend(), "SELECT name, last_run_at, last_millis, last_ok, last_failure_at, last_error, runs, failures FROM job_run ORDER BY name", vec![]))
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(JobRun {
                name: r.try_get_by_index(0)?,
                last_run_at: r.try_get_by_index(1)?,
                last_millis: r.try_get_by_index(2)?,
                last_ok: r.try_get_by_index(3)?,
                last_failure_at: r.try_get_by_index(4)?,
                last_error: r.try_get_by_index(5)?,
                runs: r.try_get_by_index(6)?,
                failures: r.try_get_by_index(7)?,
            })
        })
        .collect()
}

/// When `name` last ran (on any instance), if ever.
pub async fn last_run(db: &impl ConnectionTrait, name: &str) -> Result<Option<DateTime<Utc>>, DbErr> {
    let row = db.query_one_raw(stmt(db.get_database_backend(), "SELECT last_run_at FROM job_run WHERE name = ?", vec![name.into()])).await?;
    row.map(|r| r.try_get_by_index(0)).transpose()
}
