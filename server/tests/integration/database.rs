//! Migrations and connection settings.

use crate::common::fresh_db;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

#[tokio::test]
async fn migrations_run_up_down_up() {
    let t = fresh_db().await;
    let db = app::core::db::connect(&t.url).await.expect("connect");
    Migrator::up(&db, None).await.expect("up");
    assert!(Migrator::get_pending_migrations(&db).await.expect("status").is_empty());
    Migrator::down(&db, None).await.expect("down");
    assert!(!Migrator::get_pending_migrations(&db).await.expect("status").is_empty());
    Migrator::up(&db, None).await.expect("up again");
    app::catalogue::service::import::import_bytes(&db, "k", app::catalogue::service::import::SHIPPED_KOMMUNEN, &mut |_, _| {})
        .await
        .expect("schema usable after up/down/up");
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_full_sync_and_foreign_keys() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = app::core::db::connect(&format!("sqlite://{}/x.sqlite", dir.path().display())).await.expect("connect");
    assert_eq!(db.get_database_backend(), DbBackend::Sqlite);
    let one = |sql: &'static str| {
        let db = db.clone();
        async move {
            let row = db.query_one_raw(Statement::from_string(DbBackend::Sqlite, sql)).await.expect("query").expect("row");
            row.try_get_by_index::<i64>(0).map(|v| v.to_string()).or_else(|_| row.try_get_by_index::<String>(0)).expect("value")
        }
    };
    assert_eq!(one("PRAGMA journal_mode").await, "wal");
    assert_eq!(one("PRAGMA synchronous").await, "2", "FULL");
    assert_eq!(one("PRAGMA foreign_keys").await, "1");
    assert!(one("PRAGMA busy_timeout").await.parse::<i64>().expect("number") >= 5000);
}

#[tokio::test]
async fn bad_database_settings_name_the_setting() {
    let e = app::core::db::connect("mysql://x").await.err().expect("error").to_string();
    assert!(e.starts_with("DATABASE_URL"), "{e}");
    let e = app::core::db::connect("sqlite:///proc/kein-verzeichnis/portal.sqlite").await.err().expect("error").to_string();
    assert!(e.starts_with("DATABASE_URL") && e.contains("nicht beschreibbar"), "{e}");
    let e = app::core::db::connect("postgres://nutzer:geheim@127.0.0.1:1/portal").await.err().expect("error").to_string();
    assert!(e.starts_with("DATABASE_URL") && e.contains("nicht erreichbar"), "{e}");
    assert!(!e.contains("geheim"), "no password in messages: {e}");
}
