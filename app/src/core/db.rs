//! Connecting to SQLite or PostgreSQL, and how write transactions are started.

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult, QueryResult,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use tokio::sync::{Semaphore, SemaphorePermit};
use std::time::Duration;

/// Why a database could not be opened; each names the setting to fix.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("DATABASE_URL ist ungültig: {0} (erwartet sqlite://PFAD oder postgres://BENUTZER@HOST/DATENBANK)")]
    BadUrl(String),
    #[error("DATABASE_URL: das Datenverzeichnis {0} ist nicht beschreibbar: {1}")]
    Unwritable(String, String),
    #[error("DATABASE_URL: die Datenbank ist nicht erreichbar: {0}")]
    Unreachable(String),
}

/// Opens the database named by `url` with the portal's settings:
/// SQLite in WAL mode with `synchronous=FULL`, a 10 s busy timeout, foreign keys and a real pool.
pub async fn connect(url: &str) -> Result<DatabaseConnection, ConnectError> {
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let path = rest.trim_start_matches("//");
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() || path == ":memory:" {
            return Err(ConnectError::BadUrl("eine SQLite-Datei wird benötigt".into()));
        }
        let file = std::path::Path::new(path);
        let dir = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
        if let Err(e) = std::fs::create_dir_all(dir) {
            return Err(ConnectError::Unwritable(dir.display().to_string(), e.to_string()));
        }
        let probe = dir.join(format!(".schreibtest-{}", std::process::id()));
        match std::fs::write(&probe, b"") {
            Ok(()) => {
                let _ = std::fs::remove_file(&probe);
            }
            Err(e) => return Err(ConnectError::Unwritable(dir.display().to_string(), e.to_string())),
        }
        let mut opts = ConnectOptions::new(format!("sqlite://{path}?mode=rwc"));
        opts.max_connections(8)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
                    .create_if_missing(true)
            });
        Database::connect(opts).await.map_err(|e| ConnectError::Unreachable(e.to_string()))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let mut opts = ConnectOptions::new(url.to_string());
        opts.max_connections(16)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            .sqlx_logging(false);
        Database::connect(opts).await.map_err(|e| ConnectError::Unreachable(redact(&e.to_string(), url)))
    } else {
        Err(ConnectError::BadUrl(format!(
            "unbekanntes Schema in »{}«",
            url.split(':').next().unwrap_or_default()
        )))
    }
}

/// Keeps a password that is part of the URL out of error messages.
fn redact(message: &str, url: &str) -> String {
    match url.split_once("://").and_then(|(_, rest)| rest.split_once('@')).and_then(|(cred, _)| cred.split_once(':')) {
        Some((_, password)) if !password.is_empty() => message.replace(password, "***"),
        _ => message.to_string(),
    }
}

/// SQLite has one writer at a time. Its busy handler lets waiting writers poll, which is not
/// fair: a request that writes again and again (a bulk edit, say) can keep another waiting
/// until its busy timeout ends in "database is locked". Write transactions of this process
/// therefore queue here first come, first served; the busy timeout is left for other processes.
static SQLITE_WRITERS: Semaphore = Semaphore::const_new(1);

/// A write transaction (with its place in the SQLite writers' queue, held until it ends).
pub struct WriteTxn {
    txn: DatabaseTransaction,
    _turn: Option<SemaphorePermit<'static>>,
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }
    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }
    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }
    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }
    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }
}

/// Starts a write transaction. On SQLite it waits for its turn among this process's writers and
/// is `BEGIN IMMEDIATE`, so concurrent writers never fail with "database is locked" when
/// upgrading a read lock.
pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    let sqlite = db.get_database_backend() == DbBackend::Sqlite;
    let turn = if sqlite {
        // Bounded like SQLite's own busy timeout, so that a mistake (a write transaction begun
        // while the same task holds one) ends in an error instead of waiting forever.
        match tokio::time::timeout(Duration::from_secs(30), SQLITE_WRITERS.acquire()).await {
            Ok(Ok(permit)) => Some(permit),
            Ok(Err(_)) => return Err(DbErr::Custom("Die Schreibwarteschlange ist geschlossen.".into())),
            Err(_) => return Err(DbErr::Custom("Zeitüberschreitung in der Schreibwarteschlange der Datenbank.".into())),
        }
    } else {
        None
    };
    let options = TransactionOptions { sqlite_transaction_mode: sqlite.then_some(SqliteTransactionMode::Immediate), ..Default::default() };
    let txn = db.begin_with_options(options).await?;
    Ok(WriteTxn { txn, _turn: turn })
}

/// A write transaction that replaces what a background job computed: one instance at a time.
/// SQLite's `BEGIN IMMEDIATE` already serialises writers; on PostgreSQL two instances' jobs would
/// otherwise both delete and insert the same rows, and the later one fail on the primary key.
pub async fn begin_job_write(db: &DatabaseConnection, job: &str) -> Result<WriteTxn, DbErr> {
    let txn = begin_write(db).await?;
    if db.get_database_backend() == DbBackend::Postgres {
        txn.execute_raw(sea_orm::Statement::from_sql_and_values(DbBackend::Postgres, "SELECT pg_advisory_xact_lock(hashtext($1))", [job.into()])).await?;
    }
    Ok(txn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_is_redacted_from_connection_errors() {
        let msg = redact("failed for postgres://u:geheim@h/db", "postgres://u:geheim@h/db");
        assert!(!msg.contains("geheim"));
    }
}

/// A statement written with `?` placeholders, numbered for PostgreSQL.
/// Runs a hand-written query with `?` placeholders: only where SQL must be written by hand
/// (rollups, full-text, aggregations a builder cannot say).
pub async fn rows(db: &impl sea_orm::ConnectionTrait, sql: &str, values: Vec<sea_orm::Value>) -> Result<Vec<sea_orm::QueryResult>, crate::error::AppError> {
    Ok(db.query_all_raw(stmt(db.get_database_backend(), sql, values)).await?)
}

/// Reads the rows of a hand-written query into a type (`#[derive(FromQueryResult)]`).
pub async fn read<T: sea_orm::FromQueryResult>(db: &impl sea_orm::ConnectionTrait, sql: &str, values: Vec<sea_orm::Value>) -> Result<Vec<T>, crate::error::AppError> {
    Ok(T::find_by_statement(stmt(db.get_database_backend(), sql, values)).all(db).await?)
}

/// Runs a hand-written statement with `?` placeholders; the number of rows it touched.
pub async fn exec(db: &impl sea_orm::ConnectionTrait, sql: &str, values: Vec<sea_orm::Value>) -> Result<u64, crate::error::AppError> {
    Ok(db.execute_raw(stmt(db.get_database_backend(), sql, values)).await?.rows_affected())
}

pub fn stmt(backend: sea_orm::DbBackend, sql: &str, values: Vec<sea_orm::Value>) -> sea_orm::Statement {
    // Written with `?`; PostgreSQL numbers its placeholders.
    let sql = if backend == sea_orm::DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 16);
        let mut n = 0;
        for ch in sql.chars() {
            if ch == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(ch);
            }
        }
        out
    } else {
        sql.to_string()
    };
    sea_orm::Statement::from_sql_and_values(backend, sql, values)
}
