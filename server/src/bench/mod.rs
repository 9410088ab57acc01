//! `server bench register`: server-side response times of a Kommune's register pages on the
//! database at hand (meant for the national data set, release build). Requests go through the
//! complete router in-process — middleware, session lookup, queries, rendering, body — without
//! a network hop, so the figures are server time.

pub mod bulk;
pub mod command;
pub mod durability;
pub mod gremien;
pub mod knowledge;
pub mod cases_seed;
pub mod lagebild;
pub mod load;
pub mod national;
pub mod rollout;
pub mod usage;
pub mod selfcheck;
pub mod surveys;
pub mod throughput;
pub mod write_load;
pub mod writers;

use app::identity::Role;
use app::core::state::AppState;
use axum::body::Body;
use http::Request;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::time::{Duration, Instant};
use tower::ServiceExt;

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let idx = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[idx.clamp(1, sorted.len()) - 1]
}

pub(crate) fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// Runs the measurement and prints one line per request kind; returns the worst p95 in ms.
pub async fn register(state: &AppState, kommunen: usize, rounds: usize) -> anyhow::Result<f64> {
    use app::core::entities::{organisation, service_record};
    let db = &state.db;
    let records = service_record::Entity::find().count(db).await?;
    // Kommunen with records, spread over the whole key range (every n-th by AGS).
    let with_records: Vec<String> = service_record::Entity::find()
        .select_only()
        .column(service_record::Column::OrganisationId)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    if with_records.is_empty() {
        anyhow::bail!("Die Datenbank enthält keine Registereinträge. Bitte zuerst »server national load« ausführen.");
    }
    let mut keys: Vec<String> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Key)
        .filter(organisation::Column::Id.is_in(with_records.clone()))
        .order_by_asc(organisation::Column::Key)
        .into_tuple()
        .all(db)
        .await?;
    let step = (keys.len() / kommunen.max(1)).max(1);
    keys = keys.into_iter().step_by(step).take(kommunen).collect();

    // An advisor reads every Kommune's register.
    let email = format!("bench-{}@ozg-portal.example", uuid::Uuid::now_v7().simple());
    let password = format!("Messung {}", uuid::Uuid::new_v4());
    app::accounts::service::users::create(
        db,
        &state.hasher,
        None,
        app::accounts::service::users::NewUser { email: email.clone(), name: "Messung".into(), role: Role::Advisor, org_keys: vec!["LAND".into()], password, is_demo: false },
    )
    .await
    .map_err(crate::fail)?;
    let user = app::accounts::service::users::find_by_email(db, &email).await?.ok_or_else(|| anyhow::anyhow!("Messkonto fehlt"))?;
    let token = app::core::session::create(db, &user.id).await?;
    let cookie = format!("{}={token}", app::core::session::cookie_name(&state.config));

    let addr: std::net::SocketAddr = "127.0.0.1:3000".parse()?;
    let router = crate::http::router::build(state.clone(), crate::http::router::leptos_options("target/site", addr));
    let kinds: [(&str, fn(&str) -> String); 4] = [
        ("Übersicht (Seite)", |k| format!("/kommunen/{k}/leistungen")),
        ("Gefilterte Liste (Seite)", |k| format!("/kommunen/{k}/leistungen?stand=online&themenfeld=Familie+%26+Kind&seite=1")),
        ("Gefilterte Liste (API)", |k| format!("/api/v1/municipalities/{k}/services?stage=online&themenfeld=Familie%20%26%20Kind")),
        ("Suche (API)", |k| format!("/api/v1/municipalities/{k}/services?q=geburt")),
    ];
    println!("Datenbank: {:?}, {records} Registereinträge, {} Kommunen gemessen × {rounds} Durchgänge", db.get_database_backend(), keys.len());
    println!("{:<26} {:>7} {:>9} {:>9} {:>9} {:>9}", "ANFRAGE", "N", "p50 ms", "p95 ms", "p99 ms", "max ms");
    let mut worst = 0.0_f64;
    for (label, path) in kinds {
        let paths: Vec<String> = keys.iter().map(|k| path(k)).collect();
        worst = worst.max(measure(&router, label, &paths, &cookie, rounds, 26).await?.0);
    }
    app::core::session::destroy_all_for_user(db, &user.id).await?;
    app::accounts::service::users::deactivate(db, None, &user.id).await.map_err(crate::fail)?;
    println!("Ziel: p95 ≤ 50 ms je Anfrageart. Schlechtestes p95: {worst:.2} ms → {}", if worst <= 50.0 { "erfüllt" } else { "NICHT erfüllt" });
    Ok(worst)
}

/// Requests every path once to warm up (caches, prepared statements; not counted), then
/// `rounds` times; prints one line and returns (p95, p50) in ms.
pub(crate) async fn measure(router: &axum::Router, label: &str, paths: &[String], cookie: &str, rounds: usize, width: usize) -> anyhow::Result<(f64, f64)> {
    for p in paths {
        send(router, p, cookie).await?;
    }
    let mut times = Vec::with_capacity(paths.len() * rounds);
    for _ in 0..rounds {
        for p in paths {
            let started = Instant::now();
            send(router, p, cookie).await?;
            times.push(started.elapsed());
        }
    }
    times.sort();
    let p95 = percentile(&times, 95.0);
    println!(
        "{:<width$} {:>7} {:>9} {:>9} {:>9} {:>9}",
        label,
        times.len(),
        ms(percentile(&times, 50.0)),
        ms(p95),
        ms(percentile(&times, 99.0)),
        ms(*times.last().unwrap_or(&Duration::ZERO))
    );
    Ok((p95.as_secs_f64() * 1000.0, percentile(&times, 50.0).as_secs_f64() * 1000.0))
}

async fn send(router: &axum::Router, path: &str, cookie: &str) -> anyhow::Result<()> {
    let mut req = Request::builder().uri(path).header("accept", "text/html");
    if !cookie.is_empty() {
        req = req.header("cookie", cookie);
    }
    let req = req.body(Body::empty())?;
    let res = router.clone().oneshot(req).await?;
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX).await?;
    if !status.is_success() {
        anyhow::bail!("{path}: Status {status}: {}", String::from_utf8_lossy(&body).chars().take(200).collect::<String>());
    }
    Ok(())
}

/// `server bench cases`: server time of the advisors' inbox (first page with a filter, page and
/// API), the full-text search (API and page) and a Kommune's case list, on the database at hand
/// (meant for the set of `server cases seed`, release build). Prints p50/p95/p99/max per kind.
pub async fn cases(state: &AppState, rounds: usize) -> anyhow::Result<f64> {
    use app::core::entities::{case_message, support_case};
    let db = &state.db;
    let total = support_case::Entity::find().count(db).await?;
    let messages = case_message::Entity::find().count(db).await?;
    if total == 0 {
        anyhow::bail!("Die Datenbank enthält keine Beratungsfälle. Bitte zuerst »server cases seed« ausführen.");
    }
    let advisor = app::accounts::service::users::find_by_email(db, "mess.beratung0@ozg-portal.example").await?.ok_or_else(|| anyhow::anyhow!("Messkonto der Beratung fehlt (»server cases seed«)"))?;
    let clerk = app::accounts::service::users::find_by_email(db, "mess.kommune0@ozg-portal.example").await?.ok_or_else(|| anyhow::anyhow!("Messkonto der Kommune fehlt (»server cases seed«)"))?;
    let cookie_of = |token: String| format!("{}={token}", app::core::session::cookie_name(&state.config));
    let advisor_cookie = cookie_of(app::core::session::create(db, &advisor.id).await?);
    let clerk_cookie = cookie_of(app::core::session::create(db, &clerk.id).await?);
    let addr: std::net::SocketAddr = "127.0.0.1:3000".parse()?;
    let router = crate::http::router::build(state.clone(), crate::http::router::leptos_options("target/site", addr));
    // Search terms of three kinds: words of the common support vocabulary (each in most cases),
    // words from the middle and from the tail of the catalogue vocabulary, and two-word searches.
    let vocabulary = crate::bench::cases_seed::Vocabulary::load(db).await?;
    let rare = &vocabulary.rare;
    let common = crate::bench::cases_seed::WORDS;
    let q = |words: &[&str]| words.iter().map(|w| urlencode(w)).collect::<Vec<_>>().join("+");
    let middle: Vec<String> = rare.iter().skip(rare.len() / 4).step_by((rare.len() / 40).max(1)).take(10).map(|w| format!("/api/v1/cases?view=all&q={}", q(&[w]))).collect();
    let tail: Vec<String> = rare.iter().rev().step_by((rare.len() / 40).max(1)).take(10).map(|w| format!("/api/v1/cases?view=all&q={}", q(&[w]))).collect();
    let frequent: Vec<String> = common.iter().step_by(10).map(|w| format!("/api/v1/cases?view=all&q={}", q(&[w]))).collect();
    let pairs: Vec<String> = common.iter().zip(rare.iter().skip(rare.len() / 3)).step_by(10).map(|(a, b)| format!("/api/v1/cases?view=all&q={}", q(&[a, b]))).collect();
    let pages: Vec<String> = rare.iter().skip(rare.len() / 2).step_by((rare.len() / 20).max(1)).take(8).map(|w| format!("/faelle?ansicht=all&suche={}", q(&[w]))).collect();
    let kinds: Vec<(&str, Vec<String>, &String)> = vec![
        ("Posteingang Filter (Seite)", vec!["/faelle?ansicht=open&status=in_progress".into(), "/faelle?ansicht=unassigned".into(), "/faelle?ansicht=open&prioritaet=high&sortierung=due".into()], &advisor_cookie),
        ("Posteingang Filter (API)", vec!["/api/v1/cases?view=open&status=in_progress".into(), "/api/v1/cases?view=overdue".into(), "/api/v1/cases?view=open&priority=urgent&sort=priority".into()], &advisor_cookie),
        ("Suche Wort mittel (API)", middle, &advisor_cookie),
        ("Suche Wort selten (API)", tail, &advisor_cookie),
        ("Suche Wort + Wort (API)", pairs, &advisor_cookie),
        ("Suche (Seite)", pages, &advisor_cookie),
        ("Suche Allerweltswort (API)", frequent, &advisor_cookie),
        ("Fälle einer Kommune (API)", vec!["/api/v1/cases?view=all".into(), "/api/v1/cases?view=open".into()], &clerk_cookie),
    ];
    println!("Datenbank: {:?}, {total} Fälle, {messages} Nachrichten, {rounds} Durchgänge", db.get_database_backend());
    println!("{:<30} {:>7} {:>9} {:>9} {:>9} {:>9}", "ANFRAGE", "N", "p50 ms", "p95 ms", "p99 ms", "max ms");
    let mut worst = 0.0_f64;
    for (label, paths, cookie) in kinds {
        worst = worst.max(measure(&router, label, &paths, cookie, rounds, 30).await?.0);
    }
    app::core::session::destroy_all_for_user(db, &advisor.id).await?;
    app::core::session::destroy_all_for_user(db, &clerk.id).await?;
    println!("Ziel: p95 ≤ 50 ms je Anfrageart. Schlechtestes p95: {worst:.2} ms → {}", if worst <= 50.0 { "erfüllt" } else { "NICHT erfüllt" });
    Ok(worst)
}

fn urlencode(v: &str) -> String {
    form_urlencoded::byte_serialize(v.as_bytes()).collect()
}
