//! Hardening of the portal's limits: oversize bodies, anonymous uploads, attachment quotas,
//! bulk caps and anonymous load on the public Lagebild.

use crate::common::{TestApp, client, spawn, spawn_with, test_config};
use app::identity::Role;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const MAGDEBURG: &str = "15003000";

/// Sends raw bytes and returns the status line of the answer (waiting at most 20 s).
async fn raw(app: &TestApp, request: Vec<u8>, then: Option<Vec<u8>>) -> String {
    let mut s = tokio::net::TcpStream::connect(app.addr).await.expect("connect");
    s.write_all(&request).await.expect("write");
    if let Some(body) = then {
        // The server may answer (and stop reading) before everything is sent.
        let _ = s.write_all(&body).await;
    }
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(20), s.read(&mut buf)).await.expect("an answer without the rest of the body").expect("read");
    String::from_utf8_lossy(&buf[..n]).lines().next().unwrap_or_default().to_string()
}

#[tokio::test]
async fn an_oversize_server_function_body_gets_413_not_500() {
    let app = spawn().await;
    let big = format!("email=a%40b.de&password={}", "x".repeat(3 * 1024 * 1024));
    let res = client().post(app.url("/api/login")).header("accept", "application/json").header("content-type", "application/x-www-form-urlencoded").body(big.clone()).send().await.expect("post");
    assert_eq!(res.status(), 413);
    assert!(res.text().await.expect("t").contains("zu groß"));
    // Without a declared length (chunked), the body is read only up to the limit.
    let mut chunked = Vec::new();
    for part in big.as_bytes().chunks(64 * 1024) {
        chunked.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        chunked.extend_from_slice(part);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let head = b"POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    assert!(raw(&app, head, Some(chunked)).await.contains(" 413"), "chunked oversize body");
    // REST routes as before.
    let res = client().post(app.url("/api/v1/session")).header("content-type", "application/json").body(big).send().await.expect("post");
    assert_eq!(res.status(), 413);
    assert_eq!(app.count("audit_log WHERE action = 'login_failure'").await, 0, "nothing was processed");
}

#[tokio::test]
async fn anonymous_uploads_are_refused_before_their_body_is_read() {
    let app = spawn().await;
    for (path, expect) in [
        ("/faelle/1/anhaenge", " 303"),
        ("/wissen/1/dateien", " 303"),
        ("/kommunen/15003000/leistungen/import", " 303"),
        ("/api/v1/cases/1/attachments", " 401"),
        ("/api/v1/municipalities/15003000/services.csv", " 401"),
    ] {
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=grenze\r\nContent-Length: 90000000\r\n\r\n"
        );
        let status = raw(&app, head.into_bytes(), None).await;
        assert!(status.contains(expect), "{path}: {status}");
    }
    // A signed-in person declaring more than the limit is refused at once too.
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let id = crate::common::cases::file(&app, &clerk, "Anhang", "x").await;
    let cookie = {
        let email = app.user(Role::Clerk, MAGDEBURG).await;
        let res = app.login(&client(), &email, crate::common::PASSWORD).await;
        crate::common::session_cookie(&res).expect("cookie").split(';').next().expect("pair").to_string()
    };
    let head = format!(
        "POST /api/v1/cases/{id}/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nContent-Type: multipart/form-data; boundary=grenze\r\nContent-Length: 900000000\r\n\r\n"
    );
    assert!(raw(&app, head.into_bytes(), None).await.contains(" 413"));
}

#[tokio::test]
async fn attachments_are_held_to_quotas_per_case_and_per_person() {
    let mut config = test_config();
    config.attachment_max_bytes = 4096;
    config.attachment_case_quota_bytes = 5000;
    config.attachment_user_quota_bytes = 7000;
    let app = spawn_with(config, false).await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let upload = |c: &reqwest::Client, id: i64, name: &str, size: usize| {
        let part = reqwest::multipart::Part::bytes(vec![b'a'; size]).file_name(name.to_string());
        c.post(app.url(&format!("/api/v1/cases/{id}/attachments"))).multipart(reqwest::multipart::Form::new().part("datei", part)).send()
    };
    let first = crate::common::cases::file(&app, &clerk, "Erster", "x").await;
    assert_eq!(upload(&clerk, first, "a.txt", 3000).await.expect("upload").status(), 201);
    let res = upload(&clerk, first, "b.txt", 3000).await.expect("upload");
    assert_eq!(res.status(), 422);
    let msg = res.json::<Value>().await.expect("json")["fields"]["datei"][0].as_str().expect("msg").to_string();
    assert!(msg.contains("alle Anhänge eines Falls"), "{msg}");
    // Two files of one upload that do not fit together: neither is stored.
    let second = crate::common::cases::file(&app, &clerk, "Zweiter", "x").await;
    let form = reqwest::multipart::Form::new()
        .part("datei", reqwest::multipart::Part::bytes(vec![b'a'; 2500]).file_name("c.txt"))
        .part("datei", reqwest::multipart::Part::bytes(vec![b'a'; 2500]).file_name("d.txt"));
    let res = clerk.post(app.url(&format!("/api/v1/cases/{second}/attachments"))).multipart(form).send().await.expect("upload");
    assert_eq!(res.status(), 422);
    assert_eq!(app.count("attachment").await, 1);
    assert_eq!(upload(&clerk, second, "e.txt", 3000).await.expect("upload").status(), 201);
    // The person's quota (7000) is used up across cases.
    let third = crate::common::cases::file(&app, &clerk, "Dritter", "x").await;
    let res = upload(&clerk, third, "f.txt", 1500).await.expect("upload");
    assert_eq!(res.status(), 422);
    assert!(res.json::<Value>().await.expect("json")["fields"]["datei"][0].as_str().expect("msg").contains("Kontingent"));
    assert_eq!(app.count("attachment").await, 2);
    assert_eq!(app.count("attachment_blob").await, 2);
}

#[tokio::test]
async fn bulk_requests_are_deduplicated_and_capped() {
    let app = spawn_with(test_config(), true).await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let bulk = app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services/bulk"));
    let res = clerk.post(&bulk).json(&json!({ "ozg_ids": ["10003", "10003", " 10003"], "stage": "planned" })).send().await.expect("bulk");
    assert_eq!(res.status(), 200);
    assert_eq!(app.count("service_record_history").await, 1, "one service, one history entry");
    let many: Vec<String> = (0..1001).map(|i| format!("{}", 10000 + i)).collect();
    let res = clerk.post(&bulk).json(&json!({ "ozg_ids": many, "stage": "online" })).send().await.expect("bulk");
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("t").contains("Höchstens 1000"));
    assert_eq!(app.count("service_record_history").await, 1, "nothing changed");

    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let id = crate::common::cases::file(&app, &clerk, "Sammel", "x").await;
    let res = advisor.post(app.url("/api/v1/cases/bulk")).json(&json!({ "ids": [id, id, id], "add_tag": "doppelt" })).send().await.expect("bulk");
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.expect("json")["changed"], 1);
    let ids: Vec<i64> = (0..501).collect();
    let res = advisor.post(app.url("/api/v1/cases/bulk")).json(&json!({ "ids": ids, "add_tag": "x" })).send().await.expect("bulk");
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("t").contains("höchstens 500"));
}

/// Tries a request until it gets 429, at most 20 times; returns the 429 answer and how many
/// were let through before it. The bucket refills one request a second, so on a busy machine a
/// try may find a fresh token; a route outside the bucket never gets 429.
async fn until_limited(make: impl Fn() -> reqwest::RequestBuilder) -> Option<(reqwest::Response, u32)> {
    let mut through = 0;
    for _ in 0..20 {
        let res = make().send().await.expect("request");
        if res.status() == 429 {
            return Some((res, through));
        }
        through += 1;
    }
    None
}

#[tokio::test]
async fn anonymous_lagebild_requests_share_the_open_data_rate() {
    let mut config = test_config();
    config.open_data_rate = 1;
    let app = spawn_with(config, true).await;
    let visitor = client();
    let started = std::time::Instant::now();
    // The page (cached after the first view) and the server function draw on one bucket of ten.
    for i in 0..10 {
        let status = if i % 2 == 0 {
            visitor.get(app.url("/lagebild")).send().await.expect("page").status()
        } else {
            visitor.post(app.url("/api/lagebild")).header("accept", "application/json").form(&[("gebiet", "15")]).send().await.expect("fn").status()
        };
        assert_eq!(status, 200, "request {i}");
    }
    let (res, through) = until_limited(|| visitor.get(app.url("/lagebild?x=1"))).await.expect("the page is limited");
    assert!(res.headers().contains_key("retry-after"));
    // One bucket for both: after its ten, only what refilled meanwhile (one a second) gets through
    // (two buckets of ten would let five more pages through).
    let refilled = started.elapsed().as_secs_f64().ceil() as u32;
    assert!(through <= refilled, "{through} more let through in {refilled} s: the page and the function share one bucket");
    assert!(until_limited(|| visitor.get(app.url("/api/v1/public/services/10000"))).await.is_some(), "the open data share it");
    // Every route of the public groups draws on the same bucket; the other pages do not.
    for path in [
        "/lagebild/nachnutzung", "/lagebild/foerderung", "/wissen", "/wissen/1", "/nachnutzung", "/foerderung", "/termine.ics",
        "/nachnutzung.csv", "/anmelden/landeskonto", "/api/v1/articles", "/api/v1/events/1", "/api/v1/public/nachnutzung",
    ] {
        assert!(until_limited(|| visitor.get(app.url(path))).await.is_some(), "{path}");
    }
    assert!(until_limited(|| visitor.post(app.url("/api/rollout_overview")).header("accept", "application/json")).await.is_some());
    for path in ["/", "/anmelden", "/termine", "/impressum"] {
        assert_eq!(visitor.get(app.url(path)).send().await.expect("get").status(), 200, "{path}");
    }
    // Signed-in people are not held to the visitors' rate, but to the open data's.
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    assert_eq!(advisor.get(app.url("/lagebild")).send().await.expect("page").status(), 200);
    assert_eq!(advisor.get(app.url("/wissen")).send().await.expect("page").status(), 200);
    assert!(until_limited(|| advisor.get(app.url("/api/v1/public/nachnutzung"))).await.is_some());
}
