//! The weekly check of the register's online addresses against a web server on loopback: good,
//! missing, failing, redirected, looping and internally redirected addresses; nothing on an
//! internal address is requested until the administrators list its host; each address is checked
//! once a week however many records name it; the Kommune sees its broken entries on its start
//! page, the Land every Kommune's per Kreis, nobody else any.

use crate::common::cases::{HALLE, MAGDEBURG};
use crate::common::db::scalar;
use app::identity::Role;
use app::vocabulary::register::LinkOutcome;
use axum::http::StatusCode;
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A web server on loopback; counts the requests it answers.
async fn site() -> (u16, Arc<AtomicUsize>) {
    use axum::response::Redirect;
    use axum::routing::get;
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    let app = axum::Router::new()
        .route("/gut", get(|| async { "Elterngeld beantragen" }))
        .route("/weg", get(|| async { (StatusCode::NOT_FOUND, "nicht gefunden") }))
        .route("/umleitung", get(|| async { Redirect::temporary("/gut") }))
        .route("/schleife", get(|| async { Redirect::temporary("/schleife") }))
        .route("/intern", get(|| async { Redirect::temporary("http://10.0.0.1/antrag") }))
        .layer(axum::middleware::from_fn(move |req: axum::extract::Request, next: axum::middleware::Next| {
            let counted = counted.clone();
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
                next.run(req).await
            }
        }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move { axum::serve(listener, app).await.expect("site") });
    (port, calls)
}

async fn record(app: &crate::common::TestApp, clerk: &reqwest::Client, kommune: &str, ozg: &str, url: &str) {
    let res = clerk
        .put(app.url(&format!("/api/v1/municipalities/{kommune}/services/{ozg}")))
        .json(&serde_json::json!({ "offered": true, "responsibility": "own", "stage": "online", "url": url, "version": 0 }))
        .send()
        .await
        .expect("record");
    assert!(res.status().is_success(), "{:?}", res.text().await);
}

#[tokio::test]
async fn broken_addresses_are_found_weekly_without_reaching_internal_hosts_and_shown_to_the_kommune_and_the_land() {
    let app = crate::common::spawn_with(crate::common::test_config(), true).await;
    let (port, calls) = site().await;
    let base = format!("http://127.0.0.1:{port}");
    let (magdeburg, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (halle, _) = app.signed_in(Role::Clerk, HALLE).await;
    for (ozg, path) in [("10000", "gut"), ("10001", "weg"), ("10002", "umleitung"), ("10003", "schleife"), ("10004", "intern")] {
        record(&app, &magdeburg, MAGDEBURG, ozg, &format!("{base}/{path}")).await;
    }
    // Halle names the same good address: it is requested once.
    record(&app, &halle, HALLE, "10000", &format!("{base}/gut")).await;
    let now = app::core::time::now();
    let pause = std::time::Duration::ZERO;

    // Loopback is internal: nothing is requested while its host is not listed.
    let run = app::register::service::links::run(&app.db, now, pause).await.expect("run");
    assert_eq!((run.checked, run.broken), (5, 5));
    assert_eq!(calls.load(Ordering::SeqCst), 0, "no request to an internal address");
    assert_eq!(app.count("link_check WHERE outcome = 'intern'").await, 5);
    // Not due again within the week.
    assert_eq!(app::register::service::links::run(&app.db, now, pause).await.expect("run").checked, 0);

    // The administrators list the host; a week later every address is requested.
    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    assert_eq!(app.server_fn(&admin, "admin_allow_webhook_host", &[("host", "127.0.0.1")]).await.status(), 200);
    let later = now + chrono::Duration::days(7);
    let run = app::register::service::links::run(&app.db, later, pause).await.expect("run");
    assert_eq!((run.checked, run.broken), (5, 3));
    let outcome = |path: &str| {
        let app = &app;
        let url = format!("{base}/{path}");
        async move {
            use sea_orm::EntityTrait;
            let row = app::core::entities::link_check::Entity::find_by_id(app::register::service::links::hash(&url)).one(&app.db).await.expect("db").expect("row");
            (row.outcome, row.http_status, row.broken_since.is_some())
        }
    };
    assert_eq!(outcome("gut").await, (Some(LinkOutcome::Reachable), Some(200), false));
    assert_eq!(outcome("umleitung").await, (Some(LinkOutcome::Reachable), Some(200), false));
    assert_eq!(outcome("weg").await, (Some(LinkOutcome::ErrorAnswer), Some(404), true));
    assert_eq!(outcome("schleife").await, (Some(LinkOutcome::Redirects), None, true));
    // The redirect to 10.0.0.1 is checked as its own address and never followed.
    assert_eq!(outcome("intern").await, (Some(LinkOutcome::Internal), None, true));
    // gut 1, weg 1, umleitung 2, schleife 6, intern 1.
    assert_eq!(calls.load(Ordering::SeqCst), 11);
    // Broken since the first failed check, not since the last.
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM link_check WHERE broken_since IS NOT NULL AND broken_since < checked_at").await, 3);

    // The Kommune's start page counts its broken entries and links to them.
    let overview: Value = app.server_fn(&magdeburg, "overview", &[]).await.json().await.expect("json");
    let needs = overview.to_string();
    assert!(needs.contains("Online-Adressen, die nicht erreichbar sind"), "{needs}");
    let page: Value = app.server_fn(&magdeburg, "broken_links", &[]).await.json().await.expect("json");
    let services: Vec<&str> = page["links"].as_array().expect("links").iter().map(|l| l["ozg_id"].as_str().unwrap_or_default()).collect();
    assert_eq!(services.len(), 3, "{page}");
    assert!(services.iter().all(|s| ["10001", "10003", "10004"].contains(s)), "{page}");
    let theirs: Value = app.server_fn(&halle, "broken_links", &[]).await.json().await.expect("json");
    assert_eq!(theirs["links"], serde_json::json!([]), "Halle's one address works");

    // The Land sees them per Kreis; an unknown Kreis is refused; associations and visitors see none.
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let land: Value = app.server_fn(&advisor, "broken_links", &[]).await.json().await.expect("json");
    assert_eq!(land["links"].as_array().map(Vec::len), Some(3));
    assert!(land["kreise"].as_array().expect("kreise").iter().any(|k| k[0] == "15003" && k[2] == 3), "{land}");
    let one: Value = app.server_fn(&advisor, "broken_links", &[("kreis", "15003")]).await.json().await.expect("json");
    assert_eq!(one["links"].as_array().map(Vec::len), Some(3));
    assert_eq!(app.server_fn(&advisor, "broken_links", &[("kreis", "99999")]).await.status(), 422);
    let (association, _) = app.signed_in(Role::Association, "SGSA").await;
    assert_eq!(app.server_fn(&association, "broken_links", &[]).await.status(), 403);
    assert_eq!(app.server_fn(&crate::common::client(), "broken_links", &[]).await.status(), 401);

    // Mended: the entry names a good address; the old one is forgotten at the next run.
    let version = scalar(&app, "SELECT CAST(version AS BIGINT) FROM service_record WHERE ozg_id = '10001' AND url LIKE '%/weg'").await;
    let res = magdeburg
        .put(app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services/10001")))
        .json(&serde_json::json!({ "offered": true, "responsibility": "own", "stage": "online", "url": format!("{base}/gut"), "version": version }))
        .send()
        .await
        .expect("record");
    assert!(res.status().is_success());
    let run = app::register::service::links::run(&app.db, later, pause).await.expect("run");
    assert_eq!((run.checked, run.removed), (0, 1));
    let page: Value = app.server_fn(&magdeburg, "broken_links", &[]).await.json().await.expect("json");
    assert_eq!(page["links"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn two_instances_checking_at_once_request_each_address_once() {
    let app = crate::common::spawn_with(crate::common::test_config(), true).await;
    let (port, calls) = site().await;
    let (magdeburg, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    assert_eq!(app.server_fn(&admin, "admin_allow_webhook_host", &[("host", "127.0.0.1")]).await.status(), 200);
    for (ozg, path) in [("10000", "gut"), ("10001", "weg"), ("10002", "umleitung")] {
        record(&app, &magdeburg, MAGDEBURG, ozg, &format!("http://127.0.0.1:{port}/{path}")).await;
    }
    let now = app::core::time::now();
    let pause = std::time::Duration::ZERO;
    let (a, b) = tokio::join!(app::register::service::links::run(&app.db, now, pause), app::register::service::links::run(&app.db, now, pause));
    assert_eq!(a.expect("a").checked + b.expect("b").checked, 3);
    assert_eq!(calls.load(Ordering::SeqCst), 4, "gut, weg, umleitung → gut");
}
