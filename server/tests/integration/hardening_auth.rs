//! Hardening of sign-in and credentials: throttling that can neither be bypassed nor used to
//! lock people out, shared by instances; the client address behind proxies; credentials that
//! end when they should; token scopes.

use crate::common::{PASSWORD, TestApp, client, spawn, spawn_with, test_config};
use app::identity::Role;
use serde_json::{Value, json};

const MAGDEBURG: &str = "15003000";

async fn login_from(app: &TestApp, c: &reqwest::Client, email: &str, password: &str, forwarded: Option<&str>) -> u16 {
    let mut req = c.post(app.url("/api/v1/session")).json(&json!({ "email": email, "password": password }));
    if let Some(f) = forwarded {
        req = req.header("x-forwarded-for", f);
    }
    req.send().await.expect("login").status().as_u16()
}

fn behind_proxy() -> app::core::config::Config {
    let mut c = test_config();
    c.trust_proxy_headers = true;
    c.trusted_proxies = vec!["127.0.0.1/32".parse().expect("net")];
    c
}

#[tokio::test]
async fn failures_of_others_on_a_shared_address_do_not_keep_known_browsers_out() {
    let app = spawn().await;
    let email = app.user(Role::Clerk, MAGDEBURG).await;
    // The clerk signed in from this browser before: it carries a device cookie.
    let known = client();
    assert_eq!(login_from(&app, &known, &email, PASSWORD, None).await, 204);
    // Someone on the same egress address (all tests come from 127.0.0.1) fails 50 times with
    // other accounts and 5 times with the clerk's.
    let attacker = client();
    for i in 0..45 {
        assert_eq!(login_from(&app, &attacker, &format!("niemand{i}@test.example"), "falsch falsch falsch", None).await, 401);
    }
    for _ in 0..5 {
        assert_eq!(login_from(&app, &attacker, &email, "falsch falsch falsch", None).await, 401);
    }
    // Unknown clients from that address are refused now, the correct password included …
    assert_eq!(login_from(&app, &client(), &email, PASSWORD, None).await, 429);
    // … but the browser that signed in before is not.
    assert_eq!(login_from(&app, &known, &email, PASSWORD, None).await, 204);
    // Its own failures count on their own.
    for _ in 0..5 {
        assert_eq!(login_from(&app, &known, &email, "falsch falsch falsch", None).await, 401);
    }
    assert_eq!(login_from(&app, &known, &email, PASSWORD, None).await, 429);
}

#[tokio::test]
async fn guessing_one_account_from_many_addresses_is_throttled() {
    let app = spawn_with(behind_proxy(), false).await;
    let email = app.user(Role::Clerk, MAGDEBURG).await;
    for i in 0..5 {
        let from = format!("198.51.100.{}", i + 1);
        assert_eq!(login_from(&app, &client(), &email, "falsch falsch falsch", Some(&from)).await, 401);
    }
    // A sixth address gets no fresh tries for the same account.
    assert_eq!(login_from(&app, &client(), &email, PASSWORD, Some("198.51.100.77")).await, 429);
    // Repeated refusals are one audit entry per account and window, not one per request.
    for i in 0..4 {
        assert_eq!(login_from(&app, &client(), &email, "falsch falsch falsch", Some(&format!("203.0.113.{i}"))).await, 429);
    }
    assert_eq!(app.count(&format!("audit_log WHERE action = 'login_throttled' AND object = '{email}'")).await, 1);
    assert_eq!(app.count(&format!("audit_log WHERE action = 'login_failure' AND object = '{email}'")).await, 5);
}

#[tokio::test]
async fn the_client_address_is_the_right_most_entry_not_written_by_the_client() {
    let app = spawn_with(behind_proxy(), false).await;
    let email = app.user(Role::Clerk, MAGDEBURG).await;
    // The client forges the left-most entry; the proxy appended the real address.
    assert_eq!(login_from(&app, &client(), &email, "falsch falsch falsch", Some("1.1.1.1, 192.0.2.44")).await, 401);
    assert_eq!(app.count("audit_log WHERE action = 'login_failure' AND ip = '192.0.2.44'").await, 1);
    assert_eq!(app.count("audit_log WHERE action = 'login_failure' AND ip = '1.1.1.1'").await, 0);
    // Varying the forged part does not escape the address limit.
    for i in 0..49 {
        let forged = format!("10.9.{}.{}, 192.0.2.44", i / 200, i % 200);
        assert_eq!(login_from(&app, &client(), &format!("x{i}@test.example"), "falsch falsch falsch", Some(&forged)).await, 401);
    }
    assert_eq!(login_from(&app, &client(), "y@test.example", "falsch falsch falsch", Some("8.8.8.8, 192.0.2.44")).await, 429);
}

async fn change_password(app: &TestApp, c: &reqwest::Client, current: &str) -> u16 {
    app.server_fn(c, "change_password", &[("current", current), ("new_password", "ein ganz neues Passwort 9"), ("confirm", "ein ganz neues Passwort 9")])
        .await
        .status()
        .as_u16()
}

async fn new_token(app: &TestApp, c: &reqwest::Client) -> String {
    let res = c.post(app.url("/api/v1/tokens")).json(&json!({ "name": "Fachverfahren" })).send().await.expect("create");
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.expect("json")["token"].as_str().expect("token").to_string()
}

async fn me_with(app: &TestApp, token: &str) -> u16 {
    client().get(app.url("/api/v1/me")).bearer_auth(token).send().await.expect("me").status().as_u16()
}

#[tokio::test]
async fn the_current_password_check_is_throttled_like_a_login() {
    let app = spawn().await;
    let (c, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    for _ in 0..5 {
        assert_eq!(change_password(&app, &c, "nicht das Passwort").await, 422);
    }
    // Refused without checking, the correct password too, and audited once.
    for _ in 0..3 {
        assert_eq!(change_password(&app, &c, PASSWORD).await, 429);
    }
    assert_eq!(app.count("audit_log WHERE action = 'password_check_throttled'").await, 1);
    assert_eq!(app.count("audit_log WHERE action = 'password_check_failure'").await, 5);
    assert_eq!(app.me_status(&c).await, 200, "the password did not change");
}

#[tokio::test]
async fn two_instances_on_one_database_throttle_logins_and_open_data_together() {
    let mut config = test_config();
    config.open_data_rate = 1;
    let app = spawn_with(config.clone(), true).await;
    let peer = app.peer(config).await;
    let email = app.user(Role::Clerk, MAGDEBURG).await;
    // Failures spread over both instances count together.
    for i in 0..5 {
        let base = if i % 2 == 0 { &app.base } else { &peer };
        let res = client().post(format!("{base}/api/v1/session")).json(&json!({ "email": email, "password": "falsch falsch falsch" })).send().await.expect("login");
        assert_eq!(res.status(), 401);
    }
    let res = client().post(format!("{peer}/api/v1/session")).json(&json!({ "email": email, "password": PASSWORD })).send().await.expect("login");
    assert_eq!(res.status(), 429, "the second instance knows the first one's failures");

    // Open data: one address uses its whole burst on the first instance …
    let url = |base: &str| format!("{base}/api/v1/public/services/10000");
    let c = client();
    let mut allowed = 0u64;
    let started = std::time::Instant::now();
    while c.get(url(&app.base)).send().await.expect("get").status() == 200 {
        allowed += 1;
        // The bucket refills at the rate while the burst is used (slowly, on a busy machine).
        let refilled = started.elapsed().as_secs() + 1;
        assert!(allowed <= 10 + refilled, "the burst is ten times the rate: {allowed} let through in {:?}", started.elapsed());
    }
    assert!(allowed >= 10, "the whole burst: {allowed}");
    // … which the first instance writes down within a second or so, all of them (waited
    // for as a state: a synchronisation in the middle of the burst writes only a part first) …
    let recorded = async {
        loop {
            use sea_orm::ConnectionTrait;
            let sum = app
                .db
                .query_one_raw(sea_orm::Statement::from_string(app.db.get_database_backend(), "SELECT CAST(COALESCE(SUM(requests), 0) AS BIGINT) FROM rate_usage"))
                .await
                .expect("sum")
                .and_then(|r| r.try_get_by_index::<i64>(0).ok())
                .unwrap_or(0);
            if sum >= allowed as i64 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(8), recorded).await.expect("usage recorded");
    // … so the second instance refuses the same address at once.
    assert_eq!(c.get(url(&peer)).send().await.expect("get").status(), 429);
}

#[tokio::test]
async fn tokens_end_with_a_password_change_or_reset() {
    let app = spawn().await;
    let (c, email) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let first = new_token(&app, &c).await;
    assert_eq!(me_with(&app, &first).await, 200);
    let status = change_password(&app, &c, PASSWORD).await;
    assert!((200..400).contains(&status), "{status}");
    assert_eq!(me_with(&app, &first).await, 401, "a password change ends the token");
    // A reset by the administration (or `server user set-password`) too.
    let c2 = client();
    assert_eq!(app.login(&c2, &email, "ein ganz neues Passwort 9").await.status(), 204);
    let second = new_token(&app, &c2).await;
    assert_eq!(me_with(&app, &second).await, 200);
    let user = app::accounts::service::users::find_by_email(&app.db, &email).await.expect("db").expect("user");
    app::accounts::service::users::set_password(&app.db, &app.state.hasher, None, &user.id, "noch ein neues Passwort 7").await.expect("reset");
    assert_eq!(me_with(&app, &second).await, 401, "a reset ends the token");
}

#[tokio::test]
async fn read_only_tokens_read_and_cannot_write() {
    let app = spawn_with(test_config(), true).await;
    let (c, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let res = c.post(app.url("/api/v1/tokens")).json(&json!({ "name": "Nur lesen" })).send().await.expect("create");
    let created: Value = res.json().await.expect("json");
    assert_eq!(created["info"]["scope"], "read", "read-only unless chosen otherwise");
    let token = created["token"].as_str().expect("token").to_string();
    let record = app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services/10000"));
    let bare = client();
    assert_eq!(bare.get(&record).bearer_auth(&token).send().await.expect("get").status(), 200);
    let body = json!({ "offered": false, "responsibility": "own", "stage": "planned", "version": 0 });
    let res = bare.put(&record).bearer_auth(&token).json(&body).send().await.expect("put");
    assert_eq!(res.status(), 403);
    assert!(res.text().await.expect("t").contains("nur lesen"));
    assert_eq!(app.count("service_record").await, 0, "nothing was written");
    let res = c.post(app.url("/api/v1/tokens")).json(&json!({ "name": "Schreiben", "scope": "write", "reauth": crate::common::PASSWORD })).send().await.expect("create");
    let writer = res.json::<Value>().await.expect("json")["token"].as_str().expect("token").to_string();
    assert_eq!(bare.put(&record).bearer_auth(&writer).json(&body).send().await.expect("put").status(), 200);
    let res = c.post(app.url("/api/v1/tokens")).json(&json!({ "name": "x", "scope": "alles" })).send().await.expect("create");
    assert_eq!(res.status(), 422);
    // The list shows each token's scope and its last use.
    let list: Value = c.get(app.url("/api/v1/tokens")).send().await.expect("list").json().await.expect("json");
    let scopes: Vec<&str> = list.as_array().expect("list").iter().map(|t| t["scope"].as_str().expect("scope")).collect();
    assert_eq!(scopes.len(), 2);
    assert!(scopes.contains(&"read") && scopes.contains(&"write"));
    assert!(list.as_array().expect("list").iter().all(|t| t["last_used_at"].is_string()));
    let page = c.get(app.url("/konto")).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("nur lesen") && page.contains("lesen und schreiben"));
}

#[tokio::test]
async fn changing_role_or_organisations_ends_sessions_and_tokens() {
    let app = spawn().await;
    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    let (clerk, email) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let res = clerk.post(app.url("/api/v1/tokens")).json(&json!({ "name": "x" })).send().await.expect("create");
    let token = res.json::<Value>().await.expect("json")["token"].as_str().expect("token").to_string();
    let user = app::accounts::service::users::find_by_email(&app.db, &email).await.expect("db").expect("user");
    // Bad input changes nothing.
    let res = app.server_fn(&admin, "admin_change_user_access", &[("user_id", &user.id), ("role", "clerk"), ("orgs", "LAND")]).await;
    assert_eq!(res.status(), 422);
    assert_eq!(app.me_status(&clerk).await, 200);
    // Only administrators may.
    let res = app.server_fn(&clerk, "admin_change_user_access", &[("user_id", &user.id), ("role", "clerk"), ("orgs", "15002000")]).await;
    assert_eq!(res.status(), 403);
    let res = app.server_fn(&admin, "admin_change_user_access", &[("user_id", &user.id), ("role", "clerk"), ("orgs", "15002000")]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
    assert_eq!(app.me_status(&clerk).await, 401, "the session ended");
    assert_eq!(client().get(app.url("/api/v1/me")).bearer_auth(&token).send().await.expect("me").status(), 401, "the token ended");
    assert_eq!(app.count("audit_log WHERE action = 'user_access_changed'").await, 1);
    // Signed in again, the person acts for the new organisation only.
    let again = client();
    assert_eq!(app.login(&again, &email, PASSWORD).await.status(), 204);
    let me: Value = again.get(app.url("/api/v1/me")).send().await.expect("me").json().await.expect("json");
    assert_eq!(me["organisations"][0]["key"], "15002000");
    assert_eq!(me["organisations"].as_array().expect("orgs").len(), 1);
}
