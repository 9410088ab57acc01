//! `server bench nachnutzung`: the roll-out's and funding's figures at national scale on a fresh
//! database (a new SQLite file, or an empty PostgreSQL database): every Kommune of the
//! Gemeindeverzeichnis that connects itself × one EfA service per Fokusleistung, each
//! connection in a step with its history, and applications of a third of the Kommunen to three
//! programmes. Prints p50/p95/p99/max of the Lagebild pages and the open-data endpoints.

use crate::bench::measure;
use app::funding::model::{Action, Status};
use app::rollout::model::{ConnectionState, Model, Phase};
use app::identity::Role;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, DbBackend, Value};


/// Multi-row inserts of `width` columns, `rows` at a time.
pub(crate) async fn insert(db: &impl ConnectionTrait, table_cols: &str, width: usize, rows: Vec<Vec<Value>>) -> anyhow::Result<()> {
    for chunk in rows.chunks(400) {
        let marks = vec![format!("({})", vec!["?"; width].join(", ")); chunk.len()].join(", ");
        let sql = format!("INSERT INTO {table_cols} VALUES {marks}");
        db.execute_raw(app::core::db::stmt(db.get_database_backend(), &sql, chunk.iter().flatten().cloned().collect())).await?;
    }
    Ok(())
}

pub async fn run(file: &std::path::Path, rounds: usize, postgres: Option<String>) -> anyhow::Result<()> {
    use migrations::MigratorTrait;
    let dir = tempfile::tempdir()?;
    let db_url = postgres.unwrap_or_else(|| format!("sqlite://{}/nachnutzung.sqlite", dir.path().display()));
    let db = app::core::db::connect(&db_url).await?;
    migrations::Migrator::up(&db, None).await?;
    let rows = db.query_one_raw(app::core::db::stmt(db.get_database_backend(), "SELECT COUNT(*) FROM connection", vec![])).await?;
    anyhow::ensure!(rows.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0) == 0, "Die Datenbank enthält schon Anbindungen; die Messung braucht eine leere Datenbank.");
    let started = std::time::Instant::now();
    app::catalogue::service::import::import_shipped(&db, &mut |_, _, _| {}).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let (added, _) = crate::bench::national::add_organisations(&db, file).await?;
    println!("Referenzdaten und {added} weitere Kommunen in {:.1} s", started.elapsed().as_secs_f64());

    // One EfA service per Fokusleistung, assigned in the overview.
    let backend = db.get_database_backend();
    let focus = db.query_all_raw(app::core::db::stmt(backend, "SELECT ozg_id, name FROM ozg_service WHERE focus AND in_catalogue ORDER BY ozg_id", vec![])).await?;
    anyhow::ensure!(!focus.is_empty(), "Der Katalog hat keine Fokusleistungen.");
    let now = app::core::time::now();
    let mut services = Vec::new();
    for r in &focus {
        let (ozg, name): (String, String) = (r.try_get("", "ozg_id")?, r.try_get("", "name")?);
        let id = uuid::Uuid::now_v7().to_string();
        let label = format!("EfA {name}");
        insert(&db, "efa_service (id, name, name_key, provider, active, updated_at)", 6, vec![vec![id.clone().into(), label.clone().into(), label.to_lowercase().into(), Some("Hessen".to_string()).into(), true.into(), now.into()]]).await?;
        insert(
            &db,
            "rollout_plan (ozg_id, model, efa_service_id, priority, phase, land_pays, version, updated_by, updated_at)",
            9,
            vec![vec![ozg.clone().into(), Model::Efa.into(), id.clone().into(), 1.into(), Phase::Rollout.into(), true.into(), 1.into(), Option::<String>::None.into(), now.into()]],
        )
        .await?;
        insert(&db, "rollout_plan_item (ozg_id, position, label)", 3, vec![vec![ozg.clone().into(), 1.into(), "DVDV-Eintrag".into()], vec![ozg.into(), 2.into(), "Fachverfahren".into()]]).await?;
        services.push(id);
    }
    let orgs = db
        .query_all_raw(app::core::db::stmt(
            backend,
            &format!("SELECT id, COALESCE(kreis_key, key) AS k FROM organisation WHERE kind IN {} AND active ORDER BY key", app::rollout::service::figures::CONNECTING),
            vec![],
        ))
        .await?
        .iter()
        .map(|r| Ok((r.try_get::<String>("", "id")?, r.try_get::<String>("", "k")?)))
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;

    // Connections with their steps, reproducibly.
    let mut rng = StdRng::seed_from_u64(2027);
    let (mut conns, mut steps) = (Vec::new(), Vec::new());
    let mut id: i64 = 0;
    for (org, kreis) in &orgs {
        for s in &services {
            if rng.gen_bool(0.3) {
                continue;
            }
            id += 1;
            let reached = rng.gen_range(0..ConnectionState::ORDER.len());
            let paused = rng.gen_bool(0.05);
            let mut at = now - chrono::Duration::days(rng.gen_range(60..730));
            let interest = at;
            let mut live_at = None;
            for st in &ConnectionState::ORDER[..=reached] {
                steps.push(vec![id.into(), (*st).into(), at.into()]);
                if *st == ConnectionState::Live {
                    live_at = Some(at);
                }
                at += chrono::Duration::days(rng.gen_range(5..60)).min(now - at);
            }
            let state = if paused { ConnectionState::Paused } else { ConnectionState::ORDER[reached] };
            if paused {
                steps.push(vec![id.into(), ConnectionState::Paused.into(), at.into()]);
            }
            conns.push(vec![
                id.into(),
                org.clone().into(),
                s.clone().into(),
                state.into(),
                paused.then_some(ConnectionState::ORDER[reached]).into(),
                kreis.clone().into(),
                interest.into(),
                live_at.into(),
                1.into(),
                now.into(),
            ]);
        }
    }
    let n_conns = conns.len();
    let n_steps = steps.len();
    let started = std::time::Instant::now();
    let txn = app::core::db::begin_write(&db).await?;
    insert(&txn, "connection (id, organisation_id, efa_service_id, state, paused_from, kreis_key, interest_at, live_at, version, updated_at)", 10, conns).await?;
    insert(&txn, "connection_step (connection_id, state, at)", 3, steps).await?;
    // Funding: three programmes; a third of the Kommunen applied once.
    let mut apps = Vec::new();
    let mut app_id: i64 = 0;
    for p in 1..=3_i64 {
        insert(
            &txn,
            "funding_programme (id, name, description, budget_cents, rate_percent, max_cents, opens_on, closes_on, committed_cents, disbursed_cents, active, demo, version, updated_at)",
            14,
            vec![vec![p.into(), format!("Programm {p}").into(), "Messprogramm".into(), 50_000_000_000_i64.into(), 80.into(), 5_000_000_i64.into(), (now.date_naive() - chrono::Duration::days(400)).into(), (now.date_naive() + chrono::Duration::days(60)).into(), 0_i64.into(), 0_i64.into(), true.into(), false.into(), 1.into(), now.into()]],
        )
        .await?;
    }
    for (org, kreis) in orgs.iter().step_by(3) {
        app_id += 1;
        let status = [Status::Received, Status::Review, Status::Granted, Status::Rejected, Status::Called, Status::Closed][rng.gen_range(0..6)];
        let requested: i64 = rng.gen_range(100_000..5_000_000);
        let granted = status.counts_as_granted();
        let created = now - chrono::Duration::days(rng.gen_range(1..365));
        apps.push(vec![
            app_id.into(),
            ((app_id % 3) + 1).into(),
            org.clone().into(),
            kreis.clone().into(),
            "Vorhaben".into(),
            "Messvorhaben".into(),
            (requested * 100 / 80).into(),
            requested.into(),
            granted.then_some(requested).into(),
            (if status == Status::Called || status == Status::Closed { requested / 2 } else { 0 }).into(),
            status.into(),
            uuid::Uuid::new_v4().simple().to_string().into(),
            1.into(),
            false.into(),
            created.into(),
            created.into(),
        ]);
    }
    let n_apps = apps.len();
    let approvals: Vec<Vec<Value>> = apps
        .iter()
        .filter(|a| matches!(&a[8], Value::BigInt(Some(_))))
        .map(|a| vec![a[0].clone(), Action::Grant.into(), Status::Granted.into(), a[8].clone(), a[14].clone()])
        .collect();
    insert(
        &txn,
        "funding_application (id, programme_id, organisation_id, kreis_key, title, description, total_cents, requested_cents, approved_cents, disbursed_cents, status, idempotency_key, version, demo, created_at, updated_at)",
        16,
        apps,
    )
    .await?;
    insert(&txn, "funding_step (application_id, action, status, amount_cents, at)", 5, approvals).await?;
    txn.execute_unprepared(
        "UPDATE funding_programme SET committed_cents = (SELECT COALESCE(SUM(approved_cents), 0) FROM funding_application a WHERE a.programme_id = funding_programme.id), \
         disbursed_cents = (SELECT COALESCE(SUM(disbursed_cents), 0) FROM funding_application a WHERE a.programme_id = funding_programme.id)",
    )
    .await?;
    app::rollout::service::rollup::rebuild(&txn).await.map_err(crate::fail)?;
    txn.commit().await?;
    if backend == DbBackend::Postgres {
        for id in ["connection", "connection_step", "agg_rollout", "funding_application", "organisation"] {
            db.execute_unprepared(&format!("SELECT setval(pg_get_serial_sequence('{id}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {id}))")).await.ok();
        }
        db.execute_unprepared("ANALYZE").await?;
    } else {
        db.execute_unprepared("PRAGMA analysis_limit = 1000; ANALYZE").await?;
    }
    println!(
        "{} Kommunen × {} EfA-Dienste: {n_conns} Anbindungen mit {n_steps} Schritten, {n_apps} Förderanträge; geschrieben mit Kennzahlen in {:.1} s",
        orgs.len(),
        services.len(),
        started.elapsed().as_secs_f64()
    );

    let config = app::core::config::Config { open_data_rate: 0, cookie_secure: false, ..Default::default() };
    let state = app::core::state::AppState::new(db.clone(), config);
    let email = "mess.nachnutzung@ozg-portal.example";
    app::accounts::service::users::create(
        &db,
        &state.hasher,
        None,
        app::accounts::service::users::NewUser { email: email.into(), name: "Messung Nachnutzung".into(), role: Role::Advisor, org_keys: vec!["LAND".into()], password: format!("Messung {}", uuid::Uuid::new_v4()), is_demo: false },
    )
    .await
    .map_err(crate::fail)?;
    let advisor = app::accounts::service::users::find_by_email(&db, email).await?.ok_or_else(|| anyhow::anyhow!("Messkonto fehlt"))?;
    let cookie = format!("{}={}", app::core::session::cookie_name(&state.config), app::core::session::create(&db, &advisor.id).await?);
    let addr: std::net::SocketAddr = "127.0.0.1:3000".parse()?;
    let router = crate::http::router::build(state.clone(), crate::http::router::leptos_options("target/site", addr));
    let some: Vec<&String> = services.iter().step_by((services.len() / 8).max(1)).collect();
    let kinds: Vec<(&str, Vec<String>, &str)> = vec![
        ("Roll-out (offene Daten, JSON)", some.iter().map(|s| format!("/api/v1/public/rollout?dienst={s}")).collect(), ""),
        ("Roll-out (offene Daten, CSV)", some.iter().map(|s| format!("/api/v1/public/rollout?dienst={s}&format=csv")).collect(), ""),
        ("Roll-out (Lagebild, öffentlich)", some.iter().map(|s| format!("/lagebild/nachnutzung?dienst={s}")).collect(), ""),
        ("Roll-out (Lagebild, Land)", some.iter().map(|s| format!("/lagebild/nachnutzung?dienst={s}")).collect(), &cookie),
        ("Förderung (offene Daten, JSON)", vec!["/api/v1/public/funding".to_string()], ""),
        ("Förderung (Lagebild, öffentlich)", vec!["/lagebild/foerderung".to_string()], ""),
        ("Förderung (Lagebild, Land)", vec!["/lagebild/foerderung".to_string()], &cookie),
    ];
    println!("Datenbank: {backend:?}, {rounds} Durchgänge");
    println!("{:<34} {:>7} {:>9} {:>9} {:>9} {:>9}", "ANFRAGE", "N", "p50 ms", "p95 ms", "p99 ms", "max ms");
    let mut worst = 0.0_f64;
    for (label, paths, cookie) in kinds {
        worst = worst.max(measure(&router, label, &paths, cookie, rounds, 34).await?.0);
    }
    println!("Ziel: p95 ≤ 50 ms je Anfrageart. Schlechtestes p95: {worst:.2} ms → {}", if worst <= 50.0 { "erfüllt" } else { "NICHT erfüllt" });
    // Informative: a service's page with its first 1,000 connections (advisors).
    measure(&router, "Dienstseite (Land, 1.000 Zeilen)", &some.iter().take(3).map(|s| format!("/nachnutzung/dienst/{s}")).collect::<Vec<_>>(), &cookie, rounds.min(5), 34).await?;
    Ok(())
}
