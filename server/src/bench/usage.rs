//! `server bench nutzung`: the usage figures at national scale on a fresh database (a new SQLite
//! file, or an empty PostgreSQL database): every Gemeinde of the Gemeindeverzeichnis × the
//! Fokusleistungen × 24 months, imported as 24 monthly ZSK files through the importer (read,
//! checked, written, rolled up); prints the import time and p50/p95/p99/max of the usage page
//! and its open data.

use crate::bench::measure;
use app::identity::Role;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::ConnectionTrait;

pub async fn run(file: &std::path::Path, months: u32, rounds: usize, postgres: Option<String>) -> anyhow::Result<()> {
    use migrations::MigratorTrait;
    let dir = tempfile::tempdir()?;
    let db_url = postgres.unwrap_or_else(|| format!("sqlite://{}/nutzung.sqlite", dir.path().display()));
    let db = app::core::db::connect(&db_url).await?;
    migrations::Migrator::up(&db, None).await?;
    let backend = db.get_database_backend();
    let existing = db.query_one_raw(app::core::db::stmt(backend, "SELECT COUNT(*) FROM usage_figure", vec![])).await?;
    anyhow::ensure!(
        existing.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0) == 0,
        "Die Datenbank enthält schon Nutzungszahlen; die Messung braucht eine leere Datenbank."
    );
    let started = std::time::Instant::now();
    app::catalogue::service::import::import_shipped(&db, &mut |_, _, _| {}).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let (added, _) = crate::bench::national::add_organisations(&db, file).await?;
    println!("Referenzdaten und {added} weitere Kommunen in {:.1} s", started.elapsed().as_secs_f64());
    let focus: Vec<String> = db
        .query_all_raw(app::core::db::stmt(backend, "SELECT ozg_id FROM ozg_service WHERE focus AND in_catalogue ORDER BY ozg_id", vec![]))
        .await?
        .iter()
        .map(|r| r.try_get_by_index::<String>(0))
        .collect::<Result<_, _>>()?;
    let ars: Vec<(String, i64)> = db
        .query_all_raw(app::core::db::stmt(backend, "SELECT ars, COALESCE(population, 0) FROM organisation WHERE ars IS NOT NULL AND LENGTH(ars) = 12 ORDER BY ars", vec![]))
        .await?
        .iter()
        .map(|r| Ok::<_, sea_orm::DbErr>((r.try_get_by_index::<String>(0)?, r.try_get_by_index::<i64>(1)?)))
        .collect::<Result<_, _>>()?;
    let newest = app::usage::service::query::months_before(chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default(), 0);
    let mut rng = StdRng::seed_from_u64(0x0057_a6e5);
    let (mut rows, mut bytes) = (0usize, 0usize);
    let import_started = std::time::Instant::now();
    for back in (0..months).rev() {
        let month = app::usage::service::query::months_before(newest, back).format("%Y-%m").to_string();
        let mut csv = String::from("monat;onlinedienst;onlinedienst_id;leika_schluessel;ozg_id;ars;anzahl\n");
        for (a, population) in &ars {
            for ozg in &focus {
                let n = (*population as f64 / 1000.0 * rng.gen_range(0.0..4.0)).round() as i64;
                csv.push_str(&format!("{month};Onlinedienst {ozg};od-{ozg};;{ozg};{a};{n}\n"));
                rows += 1;
            }
        }
        bytes += csv.len();
        match app::usage::service::import_file(&db, &app::access::scope::Scope::Admin, None, csv.as_bytes(), app::core::time::now()).await {
            Ok(_) => {}
            Err(app::usage::service::Refused::Problems(p)) => anyhow::bail!("{month}: {}", p.first().map(ToString::to_string).unwrap_or_default()),
            Err(app::usage::service::Refused::Other(e)) => anyhow::bail!("{month}: {e}"),
        }
    }
    let import_secs = import_started.elapsed().as_secs_f64();
    if backend == sea_orm::DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    } else {
        db.execute_unprepared("PRAGMA analysis_limit = 1000; ANALYZE").await?;
    }
    println!(
        "{} Gemeinden × {} Fokusleistungen × {months} Monate = {rows} Zahlen ({:.0} MB CSV) eingelesen in {import_secs:.1} s ({:.0} Zahlen/s, je Monatsdatei {:.1} s)",
        ars.len(),
        focus.len(),
        bytes as f64 / 1e6,
        rows as f64 / import_secs,
        import_secs / f64::from(months.max(1))
    );

    let config = app::core::config::Config { open_data_rate: 0, cookie_secure: false, ..Default::default() };
    let state = app::core::state::AppState::new(db.clone(), config);
    let email = "mess.nutzung@ozg-portal.example";
    app::accounts::service::users::create(
        &db,
        &state.hasher,
        None,
        app::accounts::service::users::NewUser {
            email: email.into(),
            name: "Messung Nutzung".into(),
            role: Role::Advisor,
            org_keys: vec!["LAND".into()],
            password: format!("Messung {}", uuid::Uuid::new_v4()),
            is_demo: false,
        },
    )
    .await
    .map_err(crate::fail)?;
    let advisor = app::accounts::service::users::find_by_email(&db, email).await?.ok_or_else(|| anyhow::anyhow!("Messkonto fehlt"))?;
    let cookie = format!("{}={}", app::core::session::cookie_name(&state.config), app::core::session::create(&db, &advisor.id).await?);
    let addr: std::net::SocketAddr = "127.0.0.1:3000".parse()?;
    let router = crate::http::router::build(state.clone(), crate::http::router::leptos_options("target/site", addr));
    let some: Vec<&String> = focus.iter().step_by((focus.len() / 6).max(1)).collect();
    let kinds: Vec<(&str, Vec<String>, &str)> = vec![
        ("Nutzung (offene Daten, JSON)", some.iter().map(|s| format!("/api/v1/public/usage?leistung={s}")).collect(), ""),
        ("Nutzung (offene Daten, CSV)", some.iter().map(|s| format!("/api/v1/public/usage?leistung={s}&format=csv")).collect(), ""),
        (
            "Nutzung (Lagebild, öffentlich)",
            std::iter::once("/lagebild/nutzung".to_string()).chain(some.iter().map(|s| format!("/lagebild/nutzung?leistung={s}&kreis=15003"))).collect(),
            "",
        ),
        ("Nutzung (Lagebild, Land)", some.iter().map(|s| format!("/lagebild/nutzung?leistung={s}")).collect(), &cookie),
    ];
    println!("Datenbank: {backend:?}, {rounds} Durchgänge");
    println!("{:<34} {:>7} {:>9} {:>9} {:>9} {:>9}", "ANFRAGE", "N", "p50 ms", "p95 ms", "p99 ms", "max ms");
    let mut worst = 0.0_f64;
    for (label, paths, cookie) in kinds {
        worst = worst.max(measure(&router, label, &paths, cookie, rounds, 34).await?.0);
    }
    println!("Ziel: p95 ≤ 50 ms je Anfrageart. Schlechtestes p95: {worst:.2} ms → {}", if worst <= 50.0 { "erfüllt" } else { "NICHT erfüllt" });
    Ok(())
}
