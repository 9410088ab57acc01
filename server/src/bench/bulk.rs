//! `server bench bulk`: how long a login takes while a Kommune's largest possible bulk edit
//! (every OZG-Leistung of the catalogue at once) runs again and again. Logins come at a steady
//! pace (10 per second) through the complete router in-process, first alone, then beside the
//! bulk edits; the figures show what a bulk edit's write transaction costs everyone else.

use crate::bench::{ms, percentile};
use app::identity::Role;
use app::core::state::AppState;
use axum::body::Body;
use http::Request;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tower::ServiceExt;

async fn account(state: &AppState, role: Role, org: &str) -> anyhow::Result<(String, String)> {
    let email = format!("bench-{}@ozg-portal.example", uuid::Uuid::now_v7().simple());
    let password = format!("Messung {}", uuid::Uuid::new_v4());
    app::accounts::service::users::create(
        &state.db,
        &state.hasher,
        None,
        app::accounts::service::users::NewUser { email: email.clone(), name: "Messung".into(), role, org_keys: vec![org.into()], password: password.clone(), is_demo: false },
    )
    .await
    .map_err(crate::fail)?;
    Ok((email, password))
}

/// `n` logins, one every 100 ms; returns each one's time.
async fn logins(router: &axum::Router, email: &str, password: &str, n: usize) -> anyhow::Result<Vec<Duration>> {
    let body = serde_json::json!({ "email": email, "password": password }).to_string();
    let mut device = None::<String>;
    let mut times = Vec::with_capacity(n);
    let mut pace = tokio::time::interval(Duration::from_millis(100));
    for _ in 0..n {
        pace.tick().await;
        let mut req = Request::post("/api/v1/session").header("content-type", "application/json");
        if let Some(d) = &device {
            req = req.header("cookie", d.as_str());
        }
        let t = Instant::now();
        let res = router.clone().oneshot(req.body(Body::from(body.clone()))?).await?;
        times.push(t.elapsed());
        if res.status() != 204 {
            anyhow::bail!("Anmeldung mit Status {}", res.status());
        }
        // The browser keeps its device cookie, as a person's would.
        if device.is_none() {
            device = res
                .headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find(|v| v.starts_with(app::core::throttle::DEVICE_COOKIE))
                .and_then(|v| v.split(';').next())
                .map(str::to_string);
        }
    }
    times.sort();
    Ok(times)
}

fn line(label: &str, sorted: &[Duration]) {
    println!(
        "{label:<34} {:>5} {:>9} {:>9} {:>9}",
        sorted.len(),
        ms(percentile(sorted, 50.0)),
        ms(percentile(sorted, 95.0)),
        ms(sorted.last().copied().unwrap_or_default())
    );
}

/// Runs the measurement and prints its figures.
pub async fn run(state: &AppState, n: usize) -> anyhow::Result<()> {
    let catalogue = app::lagebild::service::slice_services(&state.db, &Default::default()).await?.len();
    if catalogue == 0 {
        anyhow::bail!("Der OZG-Katalog ist leer. Bitte zuerst »server import« ausführen.");
    }
    let (clerk_email, clerk_password) = account(state, Role::Clerk, "15003000").await?;
    let (login_email, login_password) = account(state, Role::Advisor, "LAND").await?;
    let addr: std::net::SocketAddr = "127.0.0.1:3000".parse()?;
    let router = crate::http::router::build(state.clone(), crate::http::router::leptos_options("target/site", addr));

    // The clerk's session for the bulk edits.
    let res = router
        .clone()
        .oneshot(Request::post("/api/v1/session").header("content-type", "application/json").body(Body::from(
            serde_json::json!({ "email": clerk_email, "password": clerk_password }).to_string(),
        ))?)
        .await?;
    let clerk_cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("ozg_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("keine Sitzung für die Sammeländerung"))?;

    println!("Datenbank: {:?}; Sammeländerung über alle {catalogue} OZG-Leistungen einer Kommune; {n} Anmeldungen je Messung (10/s)", state.db.get_database_backend());
    println!("{:<34} {:>5} {:>9} {:>9} {:>9}", "MESSUNG", "N", "p50 ms", "p95 ms", "max ms");
    let alone = logins(&router, &login_email, &login_password, n).await?;
    line("Anmeldung allein", &alone);

    let running = Arc::new(AtomicBool::new(true));
    let bulk_router = router.clone();
    let flag = running.clone();
    let bulk = tokio::spawn(async move {
        let mut times = Vec::new();
        // Every record changes with every edit (the planned go-live moves back and forth).
        let dates = ["2030-01-15", "2030-02-15"];
        let mut i = 0;
        while flag.load(Ordering::Relaxed) {
            let body = serde_json::json!({ "filter": {}, "planned_go_live": dates[i % 2] }).to_string();
            let req = Request::post("/api/v1/municipalities/15003000/services/bulk")
                .header("content-type", "application/json")
                .header("cookie", clerk_cookie.as_str())
                .body(Body::from(body));
            let Ok(req) = req else { break };
            let t = Instant::now();
            match bulk_router.clone().oneshot(req).await {
                Ok(res) if res.status() == 200 => times.push(t.elapsed()),
                Ok(res) => {
                    let status = res.status();
                    let body = axum::body::to_bytes(res.into_body(), 64 * 1024).await.unwrap_or_default();
                    eprintln!("Sammeländerung mit Status {status}: {}", String::from_utf8_lossy(&body));
                    break;
                }
                Err(_) => break,
            }
            i += 1;
        }
        times.sort();
        times
    });
    // Let the first bulk edit start before measuring.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let beside = logins(&router, &login_email, &login_password, n).await?;
    running.store(false, Ordering::Relaxed);
    let bulk_times = bulk.await?;
    line("Anmeldung während Sammeländerungen", &beside);
    line("Sammeländerung (alle Leistungen)", &bulk_times);
    println!(
        "Verhältnis p95 während/allein: {:.1}",
        percentile(&beside, 95.0).as_secs_f64() / percentile(&alone, 95.0).as_secs_f64().max(1e-9)
    );
    Ok(())
}
