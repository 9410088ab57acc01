//! Login, logout, sessions, throttling, password changes and deactivation.

use crate::common::{PASSWORD, client, session_cookie, spawn, spawn_with, test_config};
use app::identity::Role;
use std::time::{Duration, Instant};

#[tokio::test]
async fn login_sets_a_hardened_cookie_and_me_reports_role_and_organisation() {
    let app = spawn().await;
    let email = app.user(Role::Clerk, "15003000").await;
    let c = client();
    assert_eq!(app.me_status(&c).await, 401);
    let res = app.login(&c, &email, PASSWORD).await;
    assert_eq!(res.status(), 204);
    let cookie = session_cookie(&res).expect("session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    let me: serde_json::Value = c.get(app.url("/api/v1/me")).send().await.expect("me").json().await.expect("json");
    assert_eq!(me["email"], email);
    assert_eq!(me["role"], "clerk");
    assert_eq!(me["organisations"][0]["key"], "15003000");
    assert_eq!(me["organisations"][0]["name"], "Magdeburg, Landeshauptstadt");
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = spawn().await;
    let (c, _) = app.signed_in(Role::Advisor, "LAND").await;
    let sessions = app.count("session").await;
    let res = c.delete(app.url("/api/v1/session")).send().await.expect("logout");
    assert_eq!(res.status(), 204);
    assert_eq!(app.count("session").await, sessions - 1);
    assert_eq!(app.me_status(&c).await, 401);
    assert_eq!(app.count("audit_log WHERE action = 'logout'").await, 1);
}

#[tokio::test]
async fn secure_cookies_use_the_host_prefix() {
    let app = spawn_with(app::core::config::Config { mfa_required_roles: Vec::new(), mfa_contact_persons: false, ..app::core::config::Config::default() }, false).await;
    let email = app.user(Role::Advisor, "LAND").await;
    let res = app.login(&client(), &email, PASSWORD).await;
    let cookie = session_cookie(&res).expect("cookie");
    assert!(cookie.starts_with("__Host-ozg_session=") && cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn session_id_rotates_at_login_and_the_old_one_is_dead() {
    let app = spawn().await;
    let email = app.user(Role::Clerk, "15003000").await;
    let c = client();
    let first = session_cookie(&app.login(&c, &email, PASSWORD).await).expect("first cookie");
    let second = session_cookie(&app.login(&c, &email, PASSWORD).await).expect("second cookie");
    let value = |c: &str| c.split(';').next().unwrap_or_default().to_string();
    assert_ne!(value(&first), value(&second));
    // Replaying the first cookie finds no session.
    let res = reqwest::Client::new().get(app.url("/api/v1/me")).header("cookie", value(&first)).send().await.expect("me");
    assert_eq!(res.status(), 401);
    let res = reqwest::Client::new().get(app.url("/api/v1/me")).header("cookie", value(&second)).send().await.expect("me");
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn idle_sessions_expire_and_activity_keeps_them_alive() {
    let config = app::core::config::Config { session_idle: Duration::from_secs(2), ..test_config() };
    let app = spawn_with(config, false).await;
    let (c, _) = app.signed_in(Role::Advisor, "LAND").await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(app.me_status(&c).await, 200, "active within the idle window");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(app.me_status(&c).await, 200, "activity moved the idle deadline");
    tokio::time::sleep(Duration::from_millis(2300)).await;
    assert_eq!(app.me_status(&c).await, 401, "idle longer than the timeout");
}

#[tokio::test]
async fn sessions_end_after_the_absolute_timeout_despite_activity() {
    let config = app::core::config::Config {
        session_idle: Duration::from_secs(60),
        session_absolute: Duration::from_secs(2),
        ..test_config()
    };
    let app = spawn_with(config, false).await;
    let (c, _) = app.signed_in(Role::Advisor, "LAND").await;
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(app.me_status(&c).await, 200);
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(app.me_status(&c).await, 401);
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer_in_similar_time() {
    let app = spawn().await;
    let email = app.user(Role::Clerk, "15003000").await;
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    let mut bodies = Vec::new();
    for i in 0..4 {
        // Alternate to spread any warm-up evenly; different accounts keep throttling out of the way.
        let t = Instant::now();
        let a = app.login(&client(), &email, &format!("falsches Passwort {i}")).await;
        known.push(t.elapsed());
        let t = Instant::now();
        let b = app.login(&client(), &format!("niemand{i}@test.example"), "falsches Passwort").await;
        unknown.push(t.elapsed());
        assert_eq!(a.status(), 401);
        assert_eq!(b.status(), 401);
        bodies.push((a.text().await.expect("body"), b.text().await.expect("body")));
    }
    for (a, b) in &bodies {
        assert_eq!(a, b);
        assert!(a.contains("E-Mail-Adresse oder Passwort ist falsch"), "{a}");
    }
    known.sort();
    unknown.sort();
    let (k, u) = (known[2].as_secs_f64(), unknown[2].as_secs_f64());
    assert!(k / u < 3.0 && u / k < 3.0, "median known {k:.3}s vs unknown {u:.3}s");
    assert_eq!(app.count("audit_log WHERE action = 'login_failure'").await, 8);
}

#[tokio::test]
async fn repeated_failures_are_throttled_per_account_but_never_for_a_known_browser() {
    let config = app::core::config::Config { trust_proxy_headers: true, ..test_config() };
    let app = spawn_with(config, false).await;
    let email = app.user(Role::Clerk, "15003000").await;
    let attempt = |ip: &'static str, pw: &'static str| {
        let c = client();
        let url = app.url("/api/v1/session");
        let email = email.clone();
        async move {
            c.post(url)
                .header("x-forwarded-for", ip)
                .json(&serde_json::json!({ "email": email, "password": pw }))
                .send()
                .await
                .expect("request")
        }
    };
    // The rightful user signed in from their browser before.
    let known = client();
    let res = known.post(app.url("/api/v1/session")).header("x-forwarded-for", "198.51.100.7").json(&serde_json::json!({ "email": email, "password": PASSWORD })).send().await.expect("login");
    assert_eq!(res.status(), 204);
    for _ in 0..5 {
        assert_eq!(attempt("203.0.113.9", "falsch falsch falsch").await.status(), 401);
    }
    // The sixth attempt waits, even with the right password, from that address or any other
    // browser that never signed in to the account.
    let res = attempt("203.0.113.9", PASSWORD).await;
    assert_eq!(res.status(), 429);
    let body: serde_json::Value = res.json().await.expect("json");
    assert!(body["error"].as_str().unwrap_or_default().contains("Bitte warten Sie"), "{body}");
    assert_eq!(attempt("192.0.2.1", PASSWORD).await.status(), 429);
    // The rightful user's browser is not locked out.
    let res = known.post(app.url("/api/v1/session")).header("x-forwarded-for", "198.51.100.7").json(&serde_json::json!({ "email": email, "password": PASSWORD })).send().await.expect("login");
    assert_eq!(res.status(), 204);
    assert!(app.count("audit_log WHERE action = 'login_throttled'").await >= 1);
}

#[tokio::test]
async fn deactivating_a_user_ends_their_sessions_and_blocks_login() {
    let app = spawn().await;
    let (user, email) = app.signed_in(Role::Clerk, "15003000").await;
    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    let id: serde_json::Value = user.get(app.url("/api/v1/me")).send().await.expect("me").json().await.expect("json");
    let id = id["id"].as_str().expect("id").to_string();
    let res = app.server_fn(&admin, "admin_deactivate_user", &[("user_id", &id)]).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(app.me_status(&user).await, 401);
    assert_eq!(app.login(&client(), &email, PASSWORD).await.status(), 401);
    assert_eq!(app.count("audit_log WHERE action = 'user_deactivated'").await, 1);
}

#[tokio::test]
async fn changing_the_password_ends_every_other_session() {
    let app = spawn().await;
    let email = app.user(Role::Clerk, "15003000").await;
    let (a, b) = (client(), client());
    assert_eq!(app.login(&a, &email, PASSWORD).await.status(), 204);
    assert_eq!(app.login(&b, &email, PASSWORD).await.status(), 204);
    let new = "ein ganz neues Passwort für 2026";
    let res = app
        .server_fn(&a, "change_password", &[("current", PASSWORD), ("new_password", new), ("confirm", new)])
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(app.me_status(&a).await, 200, "the changing browser keeps a fresh session");
    assert_eq!(app.me_status(&b).await, 401, "every other session ended");
    assert_eq!(app.login(&client(), &email, PASSWORD).await.status(), 401);
    assert_eq!(app.login(&client(), &email, new).await.status(), 204);
}

#[tokio::test]
async fn password_change_refuses_bad_input_and_changes_nothing() {
    let app = spawn().await;
    let (c, email) = app.signed_in(Role::Clerk, "15003000").await;
    let cases: [(&str, &str, &str, &str); 4] = [
        ("falsches aktuelles Passwort", "ein ganz neues Passwort 1", "ein ganz neues Passwort 1", "current"),
        (PASSWORD, "zu kurz", "zu kurz", "new_password"),
        (PASSWORD, "passwortpasswort", "passwortpasswort", "new_password"),
        (PASSWORD, "ein ganz neues Passwort 1", "ein anderes Passwort 22", "confirm"),
    ];
    for (current, new, confirm, field) in cases {
        let res = app.server_fn(&c, "change_password", &[("current", current), ("new_password", new), ("confirm", confirm)]).await;
        assert_eq!(res.status(), 422, "{field}");
        let body: serde_json::Value = res.json().await.expect("json");
        let msg = body["Validation"][field][0].as_str().unwrap_or_default().to_string();
        assert!(!msg.is_empty(), "German message for {field}: {body}");
    }
    assert_eq!(app.me_status(&c).await, 200);
    assert_eq!(app.login(&client(), &email, PASSWORD).await.status(), 204, "old password still valid");
}

#[tokio::test]
async fn the_login_form_works_without_javascript() {
    let app = spawn().await;
    let email = app.user(Role::Advisor, "LAND").await;
    let c = client();
    let referer = app.url("/anmelden");
    // Wrong password: back to the form, which renders the German error.
    let res = c
        .post(app.url("/api/login"))
        .header("accept", "text/html")
        .header("referer", &referer)
        .form(&[("email", email.as_str()), ("password", "falsch falsch falsch")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().expect("location").to_string();
    assert!(location.starts_with(&referer), "{location}");
    let html = c.get(&location).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("E-Mail-Adresse oder Passwort ist falsch"), "error shown on the page");
    // Right password: to the start page, signed in.
    let res = c
        .post(app.url("/api/login"))
        .header("accept", "text/html")
        .header("referer", &referer)
        .form(&[("email", email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/");
    let html = c.get(app.url("/")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("Beratung des Landes"), "role start page");
}

#[tokio::test]
async fn every_role_gets_its_own_start_page() {
    let app = spawn().await;
    for (role, org, heading) in [
        (Role::Clerk, "150815051", "Meine Kommune"),
        (Role::Advisor, "LAND", "Beratung des Landes"),
        (Role::Association, "SGSA", "Übersicht für den Verband"),
        (Role::Admin, "LAND", "Verwaltung"),
    ] {
        let (c, _) = app.signed_in(role, org).await;
        let html = c.get(app.url("/")).send().await.expect("page").text().await.expect("html");
        assert!(html.contains(&format!("<h1>{heading}</h1>")), "{role:?}");
        if role == Role::Clerk {
            // A Verbandsgemeinde clerk sees the member Gemeinden they act for.
            assert!(html.contains("Mitgliedsgemeinden"), "members listed");
        }
    }
    let html = client().get(app.url("/")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("OZG-Portal Sachsen-Anhalt") && html.contains("Anmelden"));
}
