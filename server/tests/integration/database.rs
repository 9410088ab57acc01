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

/// How many migrations to undo so that `name` is undone too (every later one with it).
fn undo_through(name: &str) -> u32 {
    let all = Migrator::migrations();
    let at = all.iter().position(|m| m.name() == name).unwrap_or_else(|| panic!("no migration {name}"));
    (all.len() - at) as u32
}

#[tokio::test]
async fn a_filed_cost_plan_and_a_kept_checklist_become_rows_and_go_back_to_text_unchanged() {
    let t = fresh_db().await;
    let db = app::core::db::connect(&t.url).await.expect("connect");
    Migrator::up(&db, None).await.expect("up");
    app::catalogue::service::import::import_bytes(&db, "k", app::catalogue::service::import::SHIPPED_KOMMUNEN, &mut |_, _| {}).await.expect("kommunen");
    // The schema before the cost plan (m0026) and the checklist (m0027) became rows, with an
    // application filed and a row of the overview kept then.
    Migrator::down(&db, Some(undo_through("m0026_funding_cost_items"))).await.expect("down to before the cost plan rows (and every later migration)");
    let run = |sql: &str, values: Vec<sea_orm::Value>| {
        let (db, stmt) = (db.clone(), app::core::db::stmt(db.get_database_backend(), sql, values));
        async move { db.execute_raw(stmt).await.expect("statement") }
    };
    let now = chrono::Utc::now();
    let day = now.date_naive();
    run(
        "INSERT INTO funding_programme (name, description, budget_cents, rate_percent, max_cents, opens_on, closes_on, committed_cents, disbursed_cents, active, demo, version, updated_at) VALUES ('Alt', '', 100000000, 80, 5000000, ?, ?, 0, 0, true, false, 1, ?)",
        vec![day.into(), day.into(), now.into()],
    )
    .await;
    run(
        "INSERT INTO funding_application (programme_id, organisation_id, kreis_key, title, description, cost_plan, total_cents, requested_cents, disbursed_cents, status, idempotency_key, version, demo, created_at, updated_at) \
         SELECT (SELECT MAX(id) FROM funding_programme), id, '15003', 'Akte', 'Digitale Akte', ?, 1000050, 800000, 0, 'eingegangen', 'schluessel-vor-m0026', 1, false, ?, ? FROM organisation WHERE key = '15003000'",
        vec!["Software; 8.000,00\nSchulung; 2.000,50".into(), now.into(), now.into()],
    )
    .await;
    run(
        "INSERT INTO rollout_plan (ozg_id, model, efa_service_id, priority, phase, land_pays, checklist, demo, version, updated_at) VALUES ('10000', 'offen', NULL, 2, 'planung', false, ?, false, 1, ?)",
        vec!["DVDV-Eintrag\n\n Fachverfahren angebunden \n".into(), now.into()],
    )
    .await;
    let checklist = || {
        let db = db.clone();
        async move {
            let stmt = app::core::db::stmt(db.get_database_backend(), "SELECT position, label FROM rollout_plan_item WHERE ozg_id = '10000' ORDER BY position", vec![]);
            db.query_all_raw(stmt)
                .await
                .expect("items")
                .iter()
                .map(|r| (r.try_get_by_index::<i32>(0).expect("position"), r.try_get_by_index::<String>(1).expect("label")))
                .collect::<Vec<_>>()
        }
    };
    let items = || {
        let db = db.clone();
        async move {
            let stmt = app::core::db::stmt(db.get_database_backend(), "SELECT position, what, cents FROM funding_cost_item ORDER BY position", vec![]);
            db.query_all_raw(stmt)
                .await
                .expect("items")
                .iter()
                .map(|r| (r.try_get_by_index::<i32>(0).expect("position"), r.try_get_by_index::<String>(1).expect("what"), r.try_get_by_index::<i64>(2).expect("cents")))
                .collect::<Vec<_>>()
        }
    };
    Migrator::up(&db, None).await.expect("up with the plan");
    let expected = vec![(1, "Software".to_string(), 800_000_i64), (2, "Schulung".to_string(), 200_050)];
    assert_eq!(items().await, expected, "every position of the filed plan is a row");
    let kept = vec![(1, "DVDV-Eintrag".to_string()), (2, "Fachverfahren angebunden".to_string())];
    assert_eq!(checklist().await, kept, "every line of the kept checklist is a row, empty ones left out");
    // Back and forth again: the texts written back read to the same rows.
    Migrator::down(&db, Some(undo_through("m0027_rollout_plan_items"))).await.expect("down again");
    Migrator::up(&db, None).await.expect("up again");
    assert_eq!(items().await, expected);
    assert_eq!(checklist().await, kept);
}
