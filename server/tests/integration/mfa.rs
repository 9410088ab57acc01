//! The second factor: required roles set it up at their first sign-in, then sign in with a
//! TOTP code (each once) or a recovery code (each once); wrong codes are throttled; an
//! administrator's reset ends the person's sessions.

use crate::common::{PASSWORD, TestApp, client, spawn_with, test_config};
use app::identity::Role;

fn code(secret: &str, at: u64) -> String {
    let s = totp_rs::Secret::try_from_base32(secret).expect("base32 key");
    totp_rs::Builder::new().with_secret(s).build().expect("totp").generate(at).to_string()
}

fn now() -> u64 {
    app::core::time::now().timestamp() as u64
}

async fn mfa_app() -> TestApp {
    spawn_with(app::core::config::Config { mfa_required_roles: vec![Role::Admin, Role::Advisor], ..test_config() }, false).await
}

/// Password step in the browser: a waiting sign-in, no session yet.
async fn password_step(app: &TestApp, c: &reqwest::Client, email: &str) {
    let res = app.server_fn(c, "login", &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(app.me_status(c).await, 401, "no session before the second factor");
}

async fn state(app: &TestApp, c: &reqwest::Client) -> serde_json::Value {
    let res = app.server_fn(c, "second_factor_state", &[]).await;
    assert_eq!(res.status(), 200);
    res.json().await.expect("json")
}

#[tokio::test]
async fn a_required_role_sets_up_totp_then_signs_in_with_codes_once_each() {
    let app = mfa_app().await;
    let email = app.user(Role::Advisor, "LAND").await;
    // REST without a code: refused with a message naming the field.
    let rest = app.login(&client(), &email, PASSWORD).await;
    assert_eq!(rest.status(), 422);
    let c = client();
    password_step(&app, &c, &email).await;
    let s = state(&app, &c).await;
    let secret = s["enrol"]["secret"].as_str().expect("a key to set up").to_string();
    let qr = s["enrol"]["qr_image"].as_str().expect("qr").strip_prefix("data:image/svg+xml;base64,").expect("an SVG data URI").to_string();
    let svg = String::from_utf8(base64::Engine::decode(&base64::engine::general_purpose::STANDARD, qr).expect("base64")).expect("utf-8");
    assert!(svg.contains("<svg") && !svg.contains(&email), "QR code drawn on the server, the address only inside the code");
    let first_codes: Vec<String> = s["enrol"]["recovery_codes"].as_array().expect("codes").iter().map(|c| c.as_str().expect("code").to_string()).collect();
    assert_eq!(first_codes.len(), 10);
    let again = state(&app, &c).await;
    assert_eq!(again["enrol"]["secret"], secret.as_str(), "the key stays while it is set up");
    // The recovery codes are made anew with every showing (only their hashes are kept): the
    // ones shown last count.
    let recovery: Vec<String> = again["enrol"]["recovery_codes"].as_array().expect("codes").iter().map(|c| c.as_str().expect("code").to_string()).collect();
    assert_eq!(recovery.len(), 10);
    assert_ne!(recovery, first_codes);
    let wrong = app.server_fn(&c, "submit_second_factor", &[("code", "000000")]).await;
    assert!(wrong.status() == 422 || code(&secret, now()) == "000000");
    let first = code(&secret, now());
    let res = app.server_fn(&c, "submit_second_factor", &[("code", &first)]).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(app.me_status(&c).await, 200, "signed in after setting it up");
    assert_eq!(app.count("recovery_code").await, 10);
    assert_eq!(app.count("recovery_code WHERE code_hash NOT LIKE 's1$%'").await, 0, "only salted hashes");
    // The same code cannot be used again (replay), nor through the REST API.
    let replay = app.login_with_code(&client(), &email, &first).await;
    assert_eq!(replay.status(), 422, "a code counts once");
    // A recovery code works once.
    let c2 = client();
    password_step(&app, &c2, &email).await;
    assert!(state(&app, &c2).await["enrol"].is_null(), "set up: only a code is asked");
    let res = app.server_fn(&c2, "submit_second_factor", &[("code", &recovery[0].to_uppercase())]).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(app.me_status(&c2).await, 200);
    let c3 = client();
    password_step(&app, &c3, &email).await;
    assert_eq!(app.server_fn(&c3, "submit_second_factor", &[("code", &recovery[0])]).await.status(), 422, "a recovery code counts once");
    assert_eq!(app.count("audit_log WHERE action = 'mfa_enrolled'").await, 1);
    assert_eq!(app.count("audit_log WHERE action = 'mfa_recovery_code_used'").await, 1);
}

#[tokio::test]
async fn wrong_codes_are_throttled_and_an_administrator_reset_ends_sessions() {
    let app = mfa_app().await;
    let email = app.user(Role::Advisor, "LAND").await;
    let c = client();
    password_step(&app, &c, &email).await;
    let secret = state(&app, &c).await["enrol"]["secret"].as_str().expect("key").to_string();
    assert_eq!(app.server_fn(&c, "submit_second_factor", &[("code", &code(&secret, now()))]).await.status(), 200);
    let signed_in = c;
    let attacker = client();
    password_step(&app, &attacker, &email).await;
    let mut statuses = Vec::new();
    for guess in ["111111", "222222", "333333", "444444", "555555", "666666"] {
        statuses.push(app.server_fn(&attacker, "submit_second_factor", &[("code", guess)]).await.status().as_u16());
    }
    assert_eq!(&statuses[..5], &[422; 5], "{statuses:?}");
    assert_eq!(statuses[5], 409, "the waiting sign-in ends after five wrong codes: {statuses:?}");
    // A new sign-in finds the codes throttled like passwords.
    let again = client();
    password_step(&app, &again, &email).await;
    assert_eq!(app.server_fn(&again, "submit_second_factor", &[("code", "777777")]).await.status(), 429);
    let admin_email = app.user(Role::Admin, "LAND").await;
    // The administrator must set up a second factor too; done here through the service.
    let admin_id = app::accounts::service::users::find_by_email(&app.db, &admin_email).await.expect("db").expect("admin").id;
    let e = app::accounts::service::mfa::enrolment(&app.db, &admin_id).await.expect("enrolment");
    app::accounts::service::mfa::confirm(&app.db, &admin_id, &code(&e.secret, now()), "127.0.0.1").await.expect("confirm");
    let admin = client();
    let res = app.login_with_code(&admin, &admin_email, &code(&e.secret, now() + 30)).await;
    assert_eq!(res.status(), 204, "REST sign-in with password and code");
    let user_id = app::accounts::service::users::find_by_email(&app.db, &email).await.expect("db").expect("user").id;
    assert_eq!(app.server_fn(&admin, "admin_reset_mfa", &[("user_id", &user_id)]).await.status(), 200);
    assert_eq!(app.me_status(&signed_in).await, 401, "the reset ended the person's sessions");
    assert_eq!(app.count(&format!("recovery_code WHERE user_id = '{user_id}'")).await, 0);
    assert_eq!(app.count("audit_log WHERE action = 'mfa_reset'").await, 1);
    let again = client();
    password_step(&app, &again, &email).await;
    assert!(!state(&app, &again).await["enrol"].is_null(), "after a reset the factor is set up again");
}

#[tokio::test]
async fn optional_roles_may_set_it_up_from_their_account_and_turn_it_off() {
    let app = mfa_app().await;
    let email = app.user(Role::Clerk, "15003000").await;
    let c = client();
    assert_eq!(app.login(&c, &email, PASSWORD).await.status(), 204, "clerks need no second factor");
    let e: serde_json::Value = app.server_fn(&c, "my_enrolment", &[]).await.json().await.expect("json");
    let secret = e["secret"].as_str().expect("key").to_string();
    // Each time step counts once and one step either side is accepted: the first code is the
    // current step's, the second the next step's (computed when sent, so it is always newer
    // than the first and within the window however slowly the machine runs).
    let recovery = e["recovery_codes"][0].as_str().expect("recovery code").to_string();
    // Setting it up is a sensitive change: without the current password it is refused.
    let unconfirmed = app.server_fn(&c, "confirm_my_mfa", &[("code", &code(&secret, now()))]).await;
    assert_eq!(unconfirmed.status(), 422);
    assert!(unconfirmed.text().await.expect("text").contains("aktuellen Passwort"));
    assert_eq!(app.server_fn(&c, "confirm_my_mfa", &[("code", &code(&secret, now())), ("reauth", "falsch geraten")]).await.status(), 422);
    assert_eq!(app.server_fn(&c, "confirm_my_mfa", &[("code", &code(&secret, now())), ("reauth", PASSWORD)]).await.status(), 200);
    let c2 = client();
    password_step(&app, &c2, &email).await;
    assert_eq!(app.server_fn(&c2, "submit_second_factor", &[("code", &code(&secret, now() + 30))]).await.status(), 200);
    assert_eq!(app.server_fn(&c2, "disable_my_mfa", &[("code", "123")]).await.status(), 422);
    assert_eq!(app.server_fn(&c2, "disable_my_mfa", &[("code", &recovery)]).await.status(), 200);
    assert_eq!(app.login(&client(), &email, PASSWORD).await.status(), 204, "off again");
}
