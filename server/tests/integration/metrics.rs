//! `/metrics`: off by default, behind a bearer token on the portal's address or open on a
//! separate address; requests by route with latencies, job runs, the outbox and its dead
//! letters, the database pool.

use crate::common::{client, spawn_with, test_config};
use app::identity::Role;
use sea_orm::ConnectionTrait;

const TOKEN: &str = "kennzahlen-schluessel-0123456789abcdef";

/// The value of a sample line `name{labels} value` (or `name value`).
fn sample(body: &str, series: &str) -> Option<f64> {
    body.lines().find_map(|l| l.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')).and_then(|v| v.trim().parse().ok()))
}

#[tokio::test]
async fn metrics_need_the_token_and_count_requests_jobs_and_the_outbox() {
    let app = spawn_with(app::core::config::Config { metrics_token: Some(TOKEN.into()), ..test_config() }, false).await;
    let anonymous = client();
    for _ in 0..3 {
        assert_eq!(anonymous.get(app.url("/livez")).send().await.expect("livez").status(), 200);
    }
    anonymous.get(app.url("/gibt/es/nicht")).send().await.expect("404");
    // Two mails waiting, one of them given up.
    app::core::outbox::enqueue(&app.db, "a@kommune.example", "Betreff", "Text").await.expect("queue");
    app::core::outbox::enqueue(&app.db, "b@kommune.example", "Betreff", "Text").await.expect("queue");
    app.db.execute_unprepared("UPDATE mail_outbox SET dead_at = created_at, attempts = 10 WHERE recipient = 'b@kommune.example'").await.expect("dead letter");
    server::ops::jobs::run_once(&app.state, None).await;

    // Without the token, with a wrong one, and with an administrator's session: refused.
    assert_eq!(anonymous.get(app.url("/metrics")).send().await.expect("get").status(), 401);
    assert_eq!(anonymous.get(app.url("/metrics")).bearer_auth("falsch").send().await.expect("get").status(), 401);
    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    assert_eq!(admin.get(app.url("/metrics")).send().await.expect("get").status(), 401);

    let res = anonymous.get(app.url("/metrics")).bearer_auth(TOKEN).send().await.expect("get");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().expect("type").starts_with("application/openmetrics-text"));
    let body = res.text().await.expect("body");
    let livez = sample(&body, r#"ozg_portal_http_requests_total{method="GET",route="/livez",status="200"}"#).expect("requests of /livez");
    assert!(livez >= 3.0, "{livez}");
    assert!(sample(&body, r#"ozg_portal_http_request_duration_seconds_count{method="GET",route="/livez"}"#).expect("latency count") >= 3.0);
    let inf = body
        .lines()
        .find(|l| l.starts_with("ozg_portal_http_request_duration_seconds_bucket{") && l.contains(r#"route="/livez""#) && l.contains(r#"le="+Inf""#))
        .expect("the +Inf bucket of /livez");
    assert!(inf.rsplit(' ').next().and_then(|v| v.parse::<f64>().ok()).expect("value") >= 3.0, "{inf}");
    assert!(body.contains(r#"route="(andere)""#), "an unknown path counts under one label, not its own");
    assert!(!body.contains("/gibt/es/nicht"));
    assert!(sample(&body, r#"ozg_portal_job_runs_total{job="fristen",outcome="ok"}"#).expect("job runs") >= 1.0);
    assert!(sample(&body, r#"ozg_portal_job_duration_seconds_count{job="speicherfristen",outcome="ok"}"#).expect("job duration") >= 1.0);
    assert_eq!(sample(&body, "ozg_portal_mail_outbox_waiting"), Some(1.0));
    assert_eq!(sample(&body, "ozg_portal_mail_dead_letters"), Some(1.0));
    assert!(sample(&body, "ozg_portal_db_pool_connections").expect("pool") >= 1.0);
    assert!(body.trim_end().ends_with("# EOF"));
}

#[tokio::test]
async fn a_separate_metrics_address_serves_them_while_the_portal_address_does_not() {
    let app = spawn_with(test_config(), false).await;
    let free = || std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
    let (port, metrics_port) = (free(), free());
    let _child = tokio::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["serve"])
        .env("DATABASE_URL", &app.test_db.url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("PORTAL_METRICS_ADDR", format!("127.0.0.1:{metrics_port}"))
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn serve");
    let base = format!("http://127.0.0.1:{port}");
    crate::common::wait_ready(&base).await;
    assert_eq!(reqwest::get(format!("{base}/metrics")).await.expect("get").status(), 404, "not on the portal's address");
    let res = reqwest::get(format!("http://127.0.0.1:{metrics_port}/metrics")).await.expect("get");
    assert_eq!(res.status(), 200);
    let body = res.text().await.expect("body");
    assert!(body.contains(r#"ozg_portal_http_requests_total{method="GET",route="/readyz",status="200"}"#), "{body}");
    assert_eq!(reqwest::get(format!("http://127.0.0.1:{metrics_port}/")).await.expect("get").status(), 404, "nothing else there");
}
