//! Webhooks through the real router and a receiver on loopback: a receiver is refused while its
//! host is internal and not allowed, each delivery is signed so the receiver can verify it, a
//! 500 is retried until it is delivered (its last answer visible to the administrators), only
//! the organisations concerned receive an event, and a host withdrawn gets nothing more.

use crate::common::TestApp;
use crate::common::db::scalar;
use app::identity::Role;
use axum::http::{HeaderMap, StatusCode};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// What the receiver was sent: (headers, body); it answers 500 to the first request, then 200.
#[derive(Clone, Default)]
struct Receiver {
    seen: Arc<Mutex<Vec<(HeaderMap, String)>>>,
    calls: Arc<AtomicUsize>,
}

async fn receiver() -> (Receiver, u16) {
    let r = Receiver::default();
    let state = r.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let state = state.clone();
            async move {
                state.seen.lock().expect("lock").push((headers, body));
                if state.calls.fetch_add(1, Ordering::SeqCst) == 0 { (StatusCode::INTERNAL_SERVER_ERROR, "Ticketsystem startet neu") } else { (StatusCode::OK, "angenommen") }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move { axum::serve(listener, app).await.expect("receiver") });
    (r, port)
}

async fn register(app: &TestApp, admin: &reqwest::Client, url: &str) -> u16 {
    app.server_fn(admin, "admin_add_webhook", &[("organisation", "ITDL-A"), ("url", url), ("ereignis[connection.step]", "ja"), ("ereignis[report.status]", "ja")]).await.status().as_u16()
}

#[tokio::test]
async fn a_signed_delivery_is_retried_after_a_500_and_internal_hosts_need_the_administrators_leave() {
    let app = crate::common::spawn_with(crate::common::test_config(), true).await;
    let (_a, _b, conn_a, conn_b) = crate::partners::two_services(&app).await;
    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let (r, port) = receiver().await;
    let url = format!("http://127.0.0.1:{port}/hook");

    // Internal addresses are refused (server-side request forgery) and nothing is stored.
    for bad in [url.as_str(), "https://10.0.0.1/hook", "https://169.254.169.254/latest/meta-data", "https://[::1]/hook", "ftp://example.org/hook"] {
        assert_eq!(register(&app, &admin, bad).await, 422, "{bad}");
    }
    let (clerk, _) = app.signed_in(Role::Clerk, crate::common::cases::MAGDEBURG).await;
    assert_eq!(app.server_fn(&clerk, "admin_allow_webhook_host", &[("host", "127.0.0.1")]).await.status(), 403);
    assert_eq!(app.count("webhook_receiver").await + app.count("webhook_host").await, 0);
    // The administrator allows the loopback host; now the receiver is registered.
    assert_eq!(app.server_fn(&admin, "admin_allow_webhook_host", &[("host", "https://127.0.0.1/")]).await.status(), 422);
    assert_eq!(app.server_fn(&admin, "admin_allow_webhook_host", &[("host", "127.0.0.1")]).await.status(), 200);
    assert_eq!(app.server_fn(&admin, "admin_add_webhook", &[("organisation", "ITDL-A"), ("url", url.as_str())]).await.status(), 422, "no event chosen");
    assert_eq!(register(&app, &admin, &url).await, 200);
    let secret = crate::common::db::text(&app, "SELECT secret FROM webhook_receiver").await;

    // A step of service A's connection concerns ITDL-A; one of service B's does not.
    for conn in [conn_a, conn_b] {
        let res = app.server_fn(&advisor, "connection_step", &[("id", &conn.to_string()), ("schritt", "vorbereitung"), ("trotz_offener", "ja")]).await;
        assert_eq!(res.status(), 200);
    }
    assert_eq!(app.count("webhook_delivery").await, 1);
    let now = app::core::time::now();
    let sent = server::ops::webhooks::deliver_due(&app.db, now).await.expect("deliver");
    assert_eq!((sent.delivered, sent.failed), (0, 1));
    assert_eq!(scalar(&app, "SELECT CAST(last_status AS BIGINT) FROM webhook_delivery").await, 500);
    // Not due again at once; delivered at the retry.
    assert_eq!(server::ops::webhooks::deliver_due(&app.db, now).await.expect("deliver").failed, 0);
    let sent = server::ops::webhooks::deliver_due(&app.db, now + chrono::Duration::hours(1)).await.expect("deliver");
    assert_eq!(sent.delivered, 1);
    assert_eq!(app.count("webhook_delivery WHERE delivered_at IS NOT NULL AND attempts = 2").await, 1);

    // The receiver verifies each request: the signature over timestamp and body with its secret.
    let seen = r.seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 2);
    for (headers, body) in &seen {
        let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let ts: i64 = h("x-ozg-timestamp").parse().expect("timestamp");
        assert!((now.timestamp() - ts).abs() < 7200, "a recent timestamp");
        assert_eq!(h("x-ozg-signature"), format!("sha256={}", app::core::webhooks::sign(&secret, ts, body)));
        assert_ne!(h("x-ozg-signature"), format!("sha256={}", app::core::webhooks::sign("falsch", ts, body)));
        assert_eq!(h("x-ozg-event"), "connection.step");
        let json: serde_json::Value = serde_json::from_str(body).expect("json");
        assert_eq!((json["data"]["connection"].as_i64(), json["data"]["state"].as_str()), (Some(conn_a), Some("vorbereitung")));
    }
    assert_eq!(seen[0].0.get("x-ozg-delivery"), seen[1].0.get("x-ozg-delivery"), "the same delivery, retried");
    // The administrators see the last answer.
    let page: serde_json::Value = app.server_fn(&admin, "admin_webhooks", &[]).await.json().await.expect("page");
    assert_eq!(page["receivers"][0]["last"]["last_status"], 200);
    assert_eq!(page["receivers"][0]["last"]["last_answer"], "angenommen");

    // The host withdrawn: the next event is queued but never sent there.
    assert_eq!(app.server_fn(&admin, "admin_remove_webhook_host", &[("host", "127.0.0.1")]).await.status(), 200);
    let res = app.server_fn(&advisor, "connection_step", &[("id", &conn_a.to_string()), ("schritt", "test"), ("trotz_offener", "ja")]).await;
    assert_eq!(res.status(), 200);
    server::ops::webhooks::deliver_due(&app.db, app::core::time::now()).await.expect("deliver");
    assert_eq!(r.seen.lock().expect("lock").len(), 2, "nothing sent to a host no longer allowed");
    let refused = crate::common::db::text(&app, "SELECT last_answer FROM webhook_delivery WHERE delivered_at IS NULL").await;
    assert!(refused.starts_with("Nicht gesendet:") && refused.contains("zugelassen"), "{refused}");
    assert_eq!(app.count("audit_log WHERE action IN ('webhook_added', 'webhook_host_allowed', 'webhook_host_removed')").await, 3);
}
