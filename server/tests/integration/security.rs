//! CSRF guard, security headers, error pages, health checks.

use crate::common::{client, spawn};
use app::identity::Role;

#[tokio::test]
async fn cross_site_posts_are_refused_and_change_nothing() {
    let app = spawn().await;
    let email = app.user(Role::Clerk, "15003000").await;
    let sessions = app.count("session").await;
    // A login posted from a foreign origin.
    let res = client()
        .post(app.url("/api/v1/session"))
        .header("origin", "https://angreifer.example")
        .json(&serde_json::json!({ "email": email, "password": crate::common::PASSWORD }))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 403);
    assert!(res.text().await.expect("body").contains("Sicherheitsgründen"));
    // A browser's cross-site form post to a server function.
    let (c, _) = app.signed_in(Role::Advisor, "LAND").await;
    let res = c
        .post(app.url("/api/logout"))
        .header("sec-fetch-site", "cross-site")
        .header("accept", "text/html")
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 403);
    assert_eq!(app.me_status(&c).await, 200, "session survived the forged logout");
    assert_eq!(app.count("session").await, sessions + 1);
    // The same request from the portal itself passes.
    let res = c
        .post(app.url("/api/logout"))
        .header("sec-fetch-site", "same-origin")
        .header("origin", &app.base)
        .header("accept", "application/json")
        .send()
        .await
        .expect("post");
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    assert_eq!(app.me_status(&c).await, 401);
}

fn assert_security_headers(res: &reqwest::Response, what: &str) {
    let h = res.headers();
    let csp = h.get("content-security-policy").unwrap_or_else(|| panic!("CSP on {what}")).to_str().expect("ascii");
    for part in ["script-src 'nonce-", "'strict-dynamic'", "'wasm-unsafe-eval'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
        assert!(csp.contains(part), "{what}: {part} in {csp}");
    }
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(h["referrer-policy"], "same-origin", "{what}");
    assert_eq!(h["x-frame-options"], "DENY", "{what}");
    assert_eq!(h["cache-control"], "no-store", "{what}");
    assert!(h.contains_key("x-request-id"), "{what}");
}

#[tokio::test]
async fn security_headers_are_on_pages_api_and_errors_and_scripts_carry_the_nonce() {
    let app = spawn().await;
    let (c, _) = app.signed_in(Role::Advisor, "LAND").await;
    let page = c.get(app.url("/")).send().await.expect("page");
    assert_security_headers(&page, "page");
    let csp = page.headers()["content-security-policy"].to_str().expect("csp").to_string();
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("nonce").to_string();
    let html = page.text().await.expect("html");
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "hydration scripts carry this request's nonce");
    assert!(html.contains("<html lang=\"de\""));
    let other = c.get(app.url("/")).send().await.expect("page");
    assert_ne!(other.headers()["content-security-policy"].to_str().expect("csp"), csp, "a fresh nonce per request");
    assert_security_headers(&c.get(app.url("/api/v1/me")).send().await.expect("api"), "api");
    assert_security_headers(&client().get(app.url("/gibt-es-nicht")).send().await.expect("404"), "404");
}

#[tokio::test]
async fn unknown_pages_get_a_german_404() {
    let app = spawn().await;
    let res = client().get(app.url("/gibt-es-nicht")).send().await.expect("get");
    assert_eq!(res.status(), 404);
    let html = res.text().await.expect("html");
    assert!(html.contains("Seite nicht gefunden"));
    let res = client().get(app.url("/api/v1/gibt-es-nicht")).send().await.expect("get");
    assert_eq!(res.status(), 404);
    assert!(res.text().await.expect("body").contains("Diese Schnittstelle gibt es nicht"));
}

#[tokio::test]
async fn server_function_errors_never_show_internal_text() {
    let app = spawn().await;
    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    // Missing argument: the framework's English detail must not reach the user.
    let res = app.server_fn(&admin, "admin_deactivate_user", &[]).await;
    assert_eq!(res.status(), 400);
    let body = res.text().await.expect("body");
    assert!(!body.to_lowercase().contains("missing") && !body.contains("argument"), "{body}");
    assert_eq!(body, "\"BadRequest\"");
    // Not found: a German message.
    let res = app.server_fn(&admin, "admin_deactivate_user", &[("user_id", "gibt-es-nicht")]).await;
    assert_eq!(res.status(), 404);
    let res = client().post(app.url("/api/gibt_es_nicht")).send().await.expect("post");
    assert_eq!(res.status(), 404);
    assert!(res.text().await.expect("body").contains("Diese Schnittstelle gibt es nicht"));
}

#[tokio::test]
async fn health_endpoints_report_liveness_and_readiness() {
    let app = spawn().await;
    let c = client();
    assert_eq!(c.get(app.url("/livez")).send().await.expect("livez").status(), 200);
    assert_eq!(c.get(app.url("/readyz")).send().await.expect("readyz").status(), 200);
    app.state.start_draining();
    assert_eq!(c.get(app.url("/readyz")).send().await.expect("readyz").status(), 503);
    assert_eq!(c.get(app.url("/livez")).send().await.expect("livez").status(), 200);
}

#[tokio::test]
async fn a_cookie_of_an_ended_session_is_removed() {
    let app = spawn().await;
    let res = client()
        .get(app.url("/"))
        .header("cookie", format!("ozg_session={}", "A".repeat(43)))
        .send()
        .await
        .expect("get");
    let cleared = res.headers().get_all("set-cookie").iter().any(|v| v.to_str().is_ok_and(|v| v.contains("Max-Age=0")));
    assert!(cleared);
}
