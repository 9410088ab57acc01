//! `server bench lagebild`: the Lagebild at national scale (after `server national load`).
//!
//! 1. Server time of the aggregate pages and API answers (complete router in-process) next to
//!    the live GROUP BY over the register that the rollups replace, with the ratio.
//! 2. Rollups equal to the live computation for a sample of areas.
//! 3. Throughput of the public page: the portal runs as its own process pinned to CPU 0, the
//!    load generator (this binary, `server bench load`) pinned to CPU 1; the same bytes served as
//!    a static file give the reference rate.

use crate::bench::{measure, ms, percentile};
use app::identity::Role;
use app::core::state::AppState;
use sea_orm::{EntityTrait, PaginatorTrait};
use std::time::{Duration, Instant};

/// Runs the measurements; returns the worst p95 of the rollup-served answers in ms.
pub async fn run(state: &AppState, database_url: &str, rounds: usize, load_seconds: u64) -> anyhow::Result<f64> {
    use app::core::entities::service_record;
    let db = &state.db;
    let records = service_record::Entity::find().count(db).await?;
    if records == 0 {
        anyhow::bail!("Die Datenbank enthält keine Registereinträge. Bitte zuerst »server national load« ausführen.");
    }
    if app::rollups::ensure(db).await.map_err(crate::fail)? {
        println!("Kennzahlen waren nicht berechnet und wurden aus dem Register erzeugt.");
    }
    let areas = app::rollups::area_keys(db).await.map_err(crate::fail)?;
    println!("Datenbank: {:?}, {records} Registereinträge, {} Gebiete, {rounds} Durchgänge", db.get_database_backend(), areas.len());

    // An association and an advisor session for the aggregate endpoints.
    let mut cookies = Vec::new();
    let mut users = Vec::new();
    for (role, org) in [(Role::Association, "SGSA"), (Role::Advisor, "LAND")] {
        let email = format!("bench-{}@ozg-portal.example", uuid::Uuid::now_v7().simple());
        app::accounts::service::users::create(
            db,
            &state.hasher,
            None,
            app::accounts::service::users::NewUser {
                email: email.clone(),
                name: "Messung".into(),
                role,
                org_keys: vec![org.into()],
                password: format!("Messung {}", uuid::Uuid::new_v4()),
                is_demo: false,
            },
        )
        .await
        .map_err(crate::fail)?;
        let user = app::accounts::service::users::find_by_email(db, &email).await?.ok_or_else(|| anyhow::anyhow!("Messkonto fehlt"))?;
        cookies.push(format!("{}={}", app::core::session::cookie_name(&state.config), app::core::session::create(db, &user.id).await?));
        users.push(user.id);
    }
    let (association, advisor) = (cookies[0].clone(), cookies[1].clone());
    let addr: std::net::SocketAddr = "127.0.0.1:3000".parse()?;
    // In-process requests share one client address: the open-data limit is off for them.
    let mut config = (*state.config).clone();
    config.open_data_rate = 0;
    let unlimited = AppState::new(state.db.clone(), config);
    let router = crate::http::router::build(unlimited, crate::http::router::leptos_options("target/site", addr));
    let kreise: Vec<String> = areas.iter().filter(|a| a.len() == 5 && a.starts_with("15")).cloned().collect();
    let vgs: Vec<String> = areas.iter().filter(|a| a.len() == 9 && a.starts_with("15") && a.bytes().all(|b| b.is_ascii_digit())).cloned().collect();
    // The trend job for Sachsen-Anhalt (what the running server does hourly).
    let started = Instant::now();
    app::lagebild::service::trend::refresh(db, &app::lagebild::service::cache(&state), "15", state.config.suppression_threshold, app::core::time::now(), true)
        .await
        .map_err(crate::fail)?;
    let trend_rows: i64 = {
        use sea_orm::ConnectionTrait;
        let row = db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), "SELECT COUNT(*) FROM agg_trend_cell")).await?;
        row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0)
    };
    println!("Verlauf (Job) für Sachsen-Anhalt aus dem Registerverlauf berechnet in {:.1} s: {trend_rows} Monatszellen gespeichert.", started.elapsed().as_secs_f64());
    let lage = app::lagebild::service::lagen(db).await.map_err(crate::fail)?.into_iter().next().unwrap_or_default();
    let lage_q: String = form_urlencoded::byte_serialize(lage.as_bytes()).collect();
    let big_land = areas.iter().filter(|a| a.len() == 2).max_by_key(|a| a.as_str() == "09").cloned().unwrap_or_else(|| "15".into());
    let kinds: Vec<(&str, Vec<String>, &str)> = vec![
        ("Öffentliche Seite Land", vec!["/lagebild".into(), "/lagebild?themenfeld=Bildung".into(), "/lagebild?fokus=true".into()], ""),
        ("Öffentliche Seite Kreis", kreise.iter().take(6).map(|k| format!("/lagebild?gebiet={k}")).collect(), ""),
        ("API Land (JSON)", vec!["/api/v1/public/lagebild".into(), "/api/v1/public/lagebild?ozg_id=10000".into()], ""),
        ("API Kreis (JSON)", kreise.iter().take(6).map(|k| format!("/api/v1/public/lagebild?gebiet={k}")).collect(), ""),
        ("API Leistungen Land (CSV)", vec!["/api/v1/public/areas/15/services?format=csv".into()], ""),
        ("API Leistungen Kreis (Seite)", kreise.iter().take(6).map(|k| format!("/api/v1/public/areas/{k}/services?per_page=100")).collect(), ""),
        ("Verband (API)", vec!["/api/v1/aggregates/lagebild".into(), "/api/v1/aggregates/lagebild?gebiet=15083".into()], association.as_str()),
        ("Land, ungefiltert (Seite)", vec!["/lagebild?gebiet=15083".into()], advisor.as_str()),
        ("Großes Land (API)", vec![format!("/api/v1/public/lagebild?gebiet={big_land}")], ""),
        (
            "Verlauf Leistung/Lage (API)",
            vec![
                "/api/v1/public/lagebild?ozg_id=10000".into(),
                format!("/api/v1/public/lagebild?lage={lage_q}"),
                format!("/api/v1/public/lagebild?gebiet={}&ozg_id=10000", kreise.first().cloned().unwrap_or_default()),
            ],
            "",
        ),
        ("Land, Verbandsgemeinde (Seite)", vgs.iter().take(4).map(|v| format!("/lagebild?gebiet={v}")).collect(), advisor.as_str()),
    ];
    println!("{:<30} {:>7} {:>9} {:>9} {:>9} {:>9}", "ANFRAGE (aus Rollups)", "N", "p50 ms", "p95 ms", "p99 ms", "max ms");
    let mut worst = 0.0_f64;
    let mut rollup_p50 = Vec::new();
    for (label, paths, cookie) in kinds {
        let (p95, p50) = measure(&router, label, &paths, cookie, rounds, 30).await?;
        worst = worst.max(p95);
        rollup_p50.push(p50);
    }

    // The live GROUP BY the rollups replace, for the same areas.
    println!("{:<30} {:>7} {:>9} {:>9} {:>9} {:>9}", "LIVE-BERECHNUNG (GROUP BY)", "N", "p50 ms", "p95 ms", "p99 ms", "max ms");
    let live_rounds = rounds.clamp(1, 5);
    let mut live_p50 = Vec::new();
    for (label, area) in [("Land Sachsen-Anhalt", "15".to_string()), ("Kreis", kreise.first().cloned().unwrap_or_default()), ("Großes Land", big_land.clone())] {
        let mut times = Vec::new();
        for _ in 0..live_rounds {
            let started = Instant::now();
            app::rollups::live(db, &area).await.map_err(crate::fail)?;
            times.push(started.elapsed());
        }
        times.sort();
        let p50 = percentile(&times, 50.0);
        println!(
            "{:<30} {:>7} {:>9} {:>9} {:>9} {:>9}",
            format!("{label} ({area})"),
            times.len(),
            ms(p50),
            ms(percentile(&times, 95.0)),
            ms(percentile(&times, 99.0)),
            ms(*times.last().unwrap_or(&Duration::ZERO))
        );
        live_p50.push(p50.as_secs_f64() * 1000.0);
    }
    let rollup_median = {
        let mut v = rollup_p50.clone();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let live_median = {
        let mut v = live_p50.clone();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "Median der p50: aus Rollups {rollup_median:.2} ms (komplette Antwort), live {live_median:.2} ms (nur die Abfrage) → Faktor {:.0}",
        live_median / rollup_median.max(0.001)
    );

    // Rollups equal the live computation.
    let sample: Vec<&String> = areas.iter().step_by((areas.len() / 40).max(1)).collect();
    let mut differing = 0;
    for a in &sample {
        let live = app::rollups::live(db, a).await.map_err(crate::fail)?;
        let stored = app::rollups::stored(db, a).await.map_err(crate::fail)?;
        if live != stored {
            differing += 1;
        }
    }
    println!("Rollups = Live-Berechnung: {} von {} geprüften Gebieten gleich.", sample.len() - differing, sample.len());

    for id in &users {
        app::core::session::destroy_all_for_user(db, id).await?;
        app::accounts::service::users::deactivate(db, None, id).await.map_err(crate::fail)?;
    }
    if load_seconds > 0 {
        throughput(database_url, load_seconds).await?;
    }
    println!("Ziel: p95 ≤ 50 ms je Anfrageart. Schlechtestes p95: {worst:.2} ms → {}", if worst <= 50.0 { "erfüllt" } else { "NICHT erfüllt" });
    if differing > 0 {
        anyhow::bail!("{differing} Gebiete weichen von der Live-Berechnung ab");
    }
    Ok(worst)
}

/// Serves the portal pinned to CPU 0 and measures the public page and the same bytes as a
/// static file with the load generator pinned to CPU 1.
async fn throughput(database_url: &str, seconds: u64) -> anyhow::Result<()> {
    let exe = std::env::current_exe()?;
    let port = 3917;
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    let mut server = crate::bench::load::spawn_portal(database_url, port, &site_root)?;
    let page = crate::bench::load::wait_for(port, "/lagebild", None).await?;
    let static_name = "lagebild-messung.html";
    let static_path = std::path::Path::new(&site_root).join(static_name);
    std::fs::create_dir_all(&site_root)?;
    std::fs::write(&static_path, &page)?;
    println!("Durchsatz der öffentlichen Seite ({} Bytes), Portal auf CPU 0 (Anfragerate je Adresse für die Messung aufgehoben), Lastgenerator auf CPU 1, je {seconds} s, 32 Verbindungen:", page.len());
    let mut rates = Vec::new();
    for (label, path) in [("Seite /lagebild", "/lagebild".to_string()), ("gleiche Bytes als statische Datei", format!("/{static_name}"))] {
        let out = tokio::process::Command::new("taskset")
            .arg("-c")
            .arg("1")
            .arg(&exe)
            .arg("bench")
            .arg("load")
            .arg("--port")
            .arg(port.to_string())
            .arg("--path")
            .arg(&path)
            .arg("--seconds")
            .arg(seconds.to_string())
            .output()
            .await?;
        let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let rate: f64 = text.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(0.0);
        println!("  {label:<36} {text}");
        rates.push(rate);
    }
    let _ = std::fs::remove_file(&static_path);
    // The portal's peak memory (taskset hands its process over to the portal).
    let (peak, now) = crate::bench::load::memory_mib(&server);
    println!("  Speicher des Portals: höchstens {peak} MiB, zuletzt {now} MiB (Ziel ≤ 150 MiB)");
    let _ = server.kill().await;
    println!(
        "  Verhältnis Seite / statische Datei: {:.2}; Ziel ≥ 1.000 Anfragen/s → {}",
        rates[0] / rates[1].max(1.0),
        if rates[0] >= 1000.0 { "erfüllt" } else { "NICHT erfüllt" }
    );
    Ok(())
}
