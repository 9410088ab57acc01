//! Leases in the database: a background job runs on the one instance that holds its lease, so
//! several instances on one database run each job once. A lease is renewed by its holder at
//! every run and passes to another instance when it has not been renewed in time (the holder
//! stopped or hangs).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use std::sync::OnceLock;

/// This process's name as a lease holder.
pub fn instance() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| uuid::Uuid::new_v4().to_string())
}

/// Takes or renews the lease `name` for `holder` until `now + ttl`; `false` when another holder
/// has it. One statement, so two instances asking at once cannot both get it.
pub async fn acquire(db: &impl ConnectionTrait, name: &str, holder: &str, now: DateTime<Utc>, ttl: Duration) -> Result<bool, DbErr> {
    let sql = "INSERT INTO job_lease (name, holder, until) VALUES (?, ?, ?) \
               ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until \
               WHERE job_lease.holder = excluded.holder OR job_lease.until < ?";
    let res = db
        .execute_raw(crate::core::db::stmt(db.get_database_backend(), sql, vec![name.into(), holder.into(), (now + ttl).into(), now.into()]))
        .await?;
    Ok(res.rows_affected() == 1)
}

/// Gives the lease up (at shutdown), so another instance takes over at once.
pub async fn release(db: &impl ConnectionTrait, name: &str, holder: &str) -> Result<(), DbErr> {
    db.execute_raw(crate::core::db::stmt(db.get_database_backend(), "DELETE FROM job_lease WHERE name = ? AND holder = ?", vec![name.into(), holder.into()]))
        .await?;
    Ok(())
}
