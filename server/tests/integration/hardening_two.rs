//! The second security review's findings, each as it was reproduced: funding sums that isolate
//! one grant, second-factor codes guessed in parallel, anonymous limits switched off with a
//! cookie, mail an outsider writes, and a review that approves a version it never saw.

use crate::common::cases::{HALLE, MAGDEBURG};
use crate::common::{client, spawn_with, test_config, TestApp, PASSWORD};
use crate::common::funding::{apply, programme};
use app::identity::Role;
use serde_json::Value;
use std::collections::BTreeSet;

/// Every money figure (cents) of a JSON answer: the fields named `*_cents`.
fn money(v: &Value, out: &mut Vec<i64>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k.ends_with("_cents") {
                    if let Some(n) = x.as_i64() {
                        out.push(n);
                    }
                } else {
                    money(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| money(x, out)),
        _ => {}
    }
}

/// Every euro amount of a CSV answer (`123,45`), in cents.
fn csv_money(text: &str, out: &mut Vec<i64>) {
    for cell in text.split(['\n', ';', ',']).collect::<Vec<_>>().windows(2) {
        if let (Ok(e), Ok(c)) = (cell[0].trim().trim_matches('"').parse::<i64>(), cell[1].trim().trim_matches('"').parse::<i64>())
            && cell[1].trim().trim_matches('"').len() == 2
        {
            out.push(e * 100 + c);
        }
    }
}

/// What outsiders read of funding now: the anonymous figures (server function, JSON, CSV), the
/// programme list as the public, an association and another Kommune's clerk see it.
async fn public_money(app: &TestApp, outsiders: &[&reqwest::Client]) -> Vec<i64> {
    let mut out = Vec::new();
    let anonymous = client();
    for c in std::iter::once(&anonymous).chain(outsiders.iter().copied()) {
        let f: Value = app.server_fn(c, "funding_figures", &[]).await.json().await.expect("figures");
        money(&f, &mut out);
        let page: Value = app.server_fn(c, "funding_page", &[]).await.json().await.expect("page");
        money(&page["programmes"], &mut out);
    }
    let json: Value = anonymous.get(app.url("/api/v1/public/funding")).send().await.expect("json").json().await.expect("json");
    money(&json, &mut out);
    let csv = anonymous.get(app.url("/api/v1/public/funding?format=csv")).send().await.expect("csv").text().await.expect("csv");
    csv_money(&csv, &mut out);
    out
}

#[tokio::test]
async fn no_pair_of_public_funding_answers_isolates_a_single_kommunes_money() {
    let app = spawn_with(app::core::config::Config { open_data_rate: 100_000, ..test_config() }, true).await;
    let p = programme(&app, "Sachsen-Anhalt Digital 2027", "10.000.000,00").await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let (assoc, _) = app.signed_in(Role::Association, "SGSA").await;
    let (stranger, _) = app.signed_in(Role::Clerk, "15082").await;
    // Five Kommunen in five Kreise. Every grant and every call of funds is a distinct power of
    // three (in euros), so a difference of two sums equals one of them only when it truly is
    // that one amount (balanced ternary has one representation).
    let kommunen = ["15001000", HALLE, MAGDEBURG, "15081", "15083"];
    let mut ids = Vec::new();
    for k in kommunen {
        let (clerk, _) = app.signed_in(Role::Clerk, k).await;
        let (status, id) = apply(&app, &clerk, p, k, "Software; 50.000,00", "40.000,00").await;
        assert_eq!(status, 200, "application of {k}");
        ids.push((clerk, id.expect("application")));
    }
    let pow = |k: u32| 3i64.pow(k) * 100;
    let grants: Vec<i64> = (5..10).map(pow).collect();
    let calls: Vec<i64> = (0..5).map(pow).collect();
    let singles: BTreeSet<i64> = grants.iter().chain(&calls).copied().collect();
    let euros = |cents: i64| format!("{},{:02}", cents / 100, cents % 100);
    let step = |c: &reqwest::Client, id: i64, action: &str, amount: String| {
        let (c, id, action) = (c.clone(), id.to_string(), action.to_string());
        let app = &app;
        async move { app.server_fn(&c, "funding_step", &[("id", &id), ("aktion", &action), ("amount", &amount), ("note", "")]).await.status().as_u16() }
    };
    let outsiders = [&assoc, &stranger];
    let mut seen: Vec<Vec<i64>> = vec![public_money(&app, &outsiders).await];
    for (i, (_, id)) in ids.iter().enumerate() {
        assert_eq!(step(&advisor, *id, "pruefen", String::new()).await, 200);
        assert_eq!(step(&advisor, *id, "bewilligen", euros(grants[i])).await, 200, "grant {i}");
        seen.push(public_money(&app, &outsiders).await);
        // Each Kommune calls part of its grant once the next one was granted.
        if i > 0 {
            let (clerk, prev) = &ids[i - 1];
            assert_eq!(step(clerk, *prev, "abrufen", euros(calls[i - 1])).await, 200, "call {}", i - 1);
            seen.push(public_money(&app, &outsiders).await);
        }
    }
    // The Land sees the live sum; the public sums were released at least once.
    let all: Vec<i64> = seen.iter().flatten().copied().collect();
    assert!(all.contains(&(grants[0] + grants[1] + grants[2])), "three grants at once reach the public: {all:?}");
    for v in &all {
        assert!(!singles.contains(v), "a public figure is one Kommune's amount: {v}");
    }
    let distinct: BTreeSet<i64> = all.iter().copied().collect();
    for a in &distinct {
        for b in &distinct {
            assert!(!singles.contains(&(a - b)), "{a} − {b} is one Kommune's amount");
        }
    }
    // Per Kreis the public reads no sums at all.
    let f: Value = client().get(app.url("/api/v1/public/funding")).send().await.expect("json").json().await.expect("json");
    assert!(f["kreise"].as_array().expect("kreise").iter().all(|k| k["approved_cents"].is_null()), "{f}");
}

fn code(secret: &str, at: u64) -> String {
    let s = totp_rs::Secret::try_from_base32(secret).expect("base32 key");
    totp_rs::Builder::new().with_secret(s).build().expect("totp").generate(at).to_string()
}

/// An advisor with the second factor set up (through the service); returns (email, user id, key).
async fn advisor_with_totp(app: &TestApp) -> (String, String, String) {
    let email = app.user(Role::Advisor, "LAND").await;
    let id = app::accounts::service::users::find_by_email(&app.db, &email).await.expect("db").expect("user").id;
    let e = app::accounts::service::mfa::enrolment(&app.db, &id).await.expect("enrolment");
    let now = app::core::time::now().timestamp() as u64;
    app::accounts::service::mfa::confirm(&app.db, &id, &code(&e.secret, now), "127.0.0.1").await.expect("confirm");
    (email, id, e.secret)
}

#[tokio::test]
async fn two_hundred_parallel_wrong_codes_are_counted_and_the_waiting_sign_in_ends() {
    let app = spawn_with(app::core::config::Config { mfa_required_roles: vec![Role::Advisor], ..test_config() }, false).await;
    let (email, id, secret) = advisor_with_totp(&app).await;
    let attacker = client();
    assert_eq!(app.server_fn(&attacker, "login", &[("email", &email), ("password", PASSWORD)]).await.status(), 200);
    let now = app::core::time::now().timestamp() as u64;
    let valid: BTreeSet<String> = [now - 30, now, now + 30].iter().map(|t| code(&secret, *t)).collect();
    let guesses: Vec<String> = (0..200u32).map(|n| format!("{:06}", 100_000 + n * 7)).filter(|g| !valid.contains(g)).collect();
    let before = app.count("audit_log WHERE action = 'mfa_failure'").await;
    let mut tasks = tokio::task::JoinSet::new();
    for g in &guesses {
        let (c, url, g) = (attacker.clone(), app.url("/api/submit_second_factor"), g.clone());
        tasks.spawn(async move { c.post(url).header("accept", "application/json").form(&[("code", g)]).send().await.expect("request").status().as_u16() });
    }
    let statuses: Vec<u16> = tasks.join_all().await;
    let evaluated = app.count("audit_log WHERE action = 'mfa_failure'").await - before;
    assert!(evaluated <= app::accounts::service::mfa::CHALLENGE_ATTEMPTS as i64, "{evaluated} codes were checked: {statuses:?}");
    assert!(statuses.iter().all(|s| *s != 200), "no guess signs in");
    // The waiting sign-in is over: even the right code no longer completes it.
    let right = code(&secret, app::core::time::now().timestamp() as u64 + 30);
    assert_ne!(app.server_fn(&attacker, "submit_second_factor", &[("code", &right)]).await.status(), 200);
    assert_eq!(app.count(&format!("login_challenge WHERE user_id = '{id}'")).await, 0);
}

#[tokio::test]
async fn a_password_change_ends_waiting_sign_ins_and_recovery_codes_are_never_kept_in_clear() {
    let app = spawn_with(app::core::config::Config { mfa_required_roles: vec![Role::Advisor], ..test_config() }, false).await;
    let email = app.user(Role::Advisor, "LAND").await;
    let id = app::accounts::service::users::find_by_email(&app.db, &email).await.expect("db").expect("user").id;
    let e = app::accounts::service::mfa::enrolment(&app.db, &id).await.expect("enrolment");
    let pending = app.count(&format!("app_user WHERE id = '{id}' AND totp_pending_codes LIKE '%{}%'", e.recovery_codes[0])).await;
    assert_eq!(pending, 0, "codes being set up are kept as hashes only");
    let now = app::core::time::now().timestamp() as u64;
    app::accounts::service::mfa::confirm(&app.db, &id, &code(&e.secret, now), "127.0.0.1").await.expect("confirm");
    assert_eq!(app.count(&format!("recovery_code WHERE user_id = '{id}' AND code_hash LIKE 's1$%'")).await, 10, "each code with its own salt");
    // The codes shown last count.
    let other = client();
    assert_eq!(app.server_fn(&other, "login", &[("email", &email), ("password", PASSWORD)]).await.status(), 200);
    assert_eq!(app.server_fn(&other, "submit_second_factor", &[("code", &e.recovery_codes[3])]).await.status(), 200);
    // A sign-in waits for its code; the password is changed meanwhile: the waiting one ends.
    let waiting = client();
    assert_eq!(app.server_fn(&waiting, "login", &[("email", &email), ("password", PASSWORD)]).await.status(), 200);
    assert_eq!(app.count(&format!("login_challenge WHERE user_id = '{id}'")).await, 1);
    app::accounts::service::users::set_password(&app.db, &app.state.hasher, None, &id, "ein ganz anderes Passwort 2026").await.expect("set password");
    assert_eq!(app.count(&format!("login_challenge WHERE user_id = '{id}'")).await, 0);
    let right = code(&e.secret, app::core::time::now().timestamp() as u64 + 30);
    assert_ne!(app.server_fn(&waiting, "submit_second_factor", &[("code", &right)]).await.status(), 200, "the old password's sign-in cannot be finished");
}

#[tokio::test]
async fn a_forged_session_cookie_is_anonymous_for_the_rate_limit() {
    // One request a second, ten at once: a visitor is refused long before 200 requests.
    let app = spawn_with(app::core::config::Config { open_data_rate: 1, ..test_config() }, false).await;
    let name = app::core::session::cookie_name(&app.state.config);
    let c = client();
    let mut refused_after = None;
    for n in 0..200 {
        let status = c.get(app.url("/api/v1/events")).header("cookie", format!("{name}=gefaelscht")).send().await.expect("request").status();
        if status == 429 {
            refused_after = Some(n);
            break;
        }
    }
    assert!(refused_after.is_some(), "a cookie with the session's name but no session is limited like any visitor");
    // A real session is not.
    let (signed_in, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    for _ in 0..30 {
        assert_ne!(signed_in.get(app.url("/api/v1/events")).send().await.expect("request").status(), 429);
    }
}

#[tokio::test]
async fn a_forged_session_cookie_gets_the_kept_public_page() {
    use sea_orm::ConnectionTrait;
    let app = spawn_with(test_config(), true).await;
    let name = app::core::session::cookie_name(&app.state.config);
    let c = client();
    let page = |cookie: Option<String>| {
        let mut req = c.get(app.url("/lagebild"));
        if let Some(v) = cookie {
            req = req.header("cookie", v);
        }
        async move { req.send().await.expect("page").text().await.expect("html") }
    };
    let first = page(None).await;
    assert!(first.contains(">Harz<"), "the Kreise are listed");
    // The name a Kreis has in the figures is changed beside the portal without moving the stand
    // the kept page is stored under, so an answer with the old name came from the page cache.
    // The figures kept behind the page are computed anew under another stand, which is then put
    // back: a page rendered afresh shows the new name.
    app.db.execute_unprepared("UPDATE agg_area SET name = 'Umbenannter Harz' WHERE area_key = '15085'").await.expect("rename");
    app.db.execute_unprepared("UPDATE data_version SET reference = reference + 1 WHERE id = 1").await.expect("stand");
    let figures = app.server_fn(&client(), "lagebild", &[]).await.text().await.expect("figures");
    assert!(figures.contains("Umbenannter Harz"), "the figures are computed from the database");
    app.db.execute_unprepared("UPDATE data_version SET reference = reference - 1 WHERE id = 1").await.expect("stand back");
    let forged = page(Some(format!("{name}=gefaelscht"))).await;
    assert!(forged.contains(">Harz<") && !forged.contains("Umbenannter Harz"), "a forged cookie is served the kept copy like any visitor");
    let (signed_in, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let fresh = signed_in.get(app.url("/lagebild")).send().await.expect("page").text().await.expect("html");
    assert!(fresh.contains("Umbenannter Harz"), "a valid session is not served from the cache");
}

#[tokio::test]
async fn a_barrier_reports_confirmation_quotes_nothing_and_host_like_links_count() {
    let config = app::core::config::Config { mail_enabled: true, barrier_mail: Some("barrieren@sachsen-anhalt.example".into()), ..test_config() };
    let app = spawn_with(config, false).await;
    let spam = "Gewinn! www.a-werbung.de www.b-werbung.de c-werbung.com/x d-werbung.shop";
    let res = app.server_fn(&client(), "report_barrier", &[("beschreibung", spam), ("kontakt", "opfer@example.org")]).await;
    assert_eq!(res.status(), 422, "links without http count too");
    assert_eq!(app.count("mail_outbox").await, 0);
    let text = "Rufen Sie 0800 123 an und geben Sie Ihr Passwort durch.";
    let res = app.server_fn(&client(), "report_barrier", &[("seite", "/lagebild"), ("beschreibung", text), ("kontakt", "opfer@example.org")]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.count("mail_outbox WHERE recipient = 'opfer@example.org'").await, 1, "a confirmation is sent");
    assert_eq!(app.count("mail_outbox WHERE recipient = 'opfer@example.org' AND (body LIKE '%Passwort%' OR body LIKE '%/lagebild%')").await, 0, "with nothing the sender wrote");
    assert_eq!(app.count("mail_outbox WHERE recipient = 'opfer@example.org' AND body LIKE '%Vorgangsnummer%'").await, 1);
}

#[tokio::test]
async fn publishing_names_the_version_seen_and_a_reviewers_edit_makes_no_writer_a_reviewer() {
    use app::knowledge::service::store;
    let app = spawn_with(test_config(), true).await;
    let id_of = |app: &TestApp, e: String| {
        let db = app.db.clone();
        async move { app::accounts::service::users::find_by_email(&db, &e).await.expect("db").expect("user").id }
    };
    let author = id_of(&app, app.user(Role::Advisor, "LAND").await).await;
    let reviewer = id_of(&app, app.user(Role::Advisor, "LAND").await).await;
    let third = id_of(&app, app.user(Role::Advisor, "LAND").await).await;
    let input = |body: &str, version: i32| store::ArticleInput {
        title: "Zahlungsverkehr anbinden".into(),
        summary: "Wie die Anbindung gelingt.".into(),
        body: body.into(),
        category: "Technik".into(),
        tags: String::new(),
        audience: Some(app::knowledge::model::Audience::Public),
        ozg_ids: Vec::new(),
        themenfelder: Vec::new(),
        version,
    };
    let cfg = &app.state.config;
    let now = app::core::time::now();
    let id = store::create(&app.db, &author, input("Fassung eins", 0), None, now).await.expect("create");
    store::step(&app.db, cfg, &author, id, store::Step::Submit, None, now).await.expect("submit");
    // The reviewer opens version 1; the author saves version 2 in between.
    store::update(&app.db, cfg, &author, id, input("Fassung zwei mit anderem Inhalt", 1), now).await.expect("update");
    let stale = store::step(&app.db, cfg, &reviewer, id, store::Step::Publish, Some(1), now).await;
    assert!(matches!(stale, Err(app::error::AppError::Conflict(_))), "approving version 1 when 2 is the newest: {stale:?}");
    // A trivial edit by the reviewer: now neither the author nor the reviewer may approve.
    store::update(&app.db, cfg, &reviewer, id, input("Fassung zwei mit anderem Inhalt.", 2), now).await.expect("update");
    for who in [&author, &reviewer] {
        let r = store::step(&app.db, cfg, who, id, store::Step::Publish, Some(3), now).await;
        assert!(matches!(r, Err(app::error::AppError::Conflict(_))), "{r:?}");
    }
    store::step(&app.db, cfg, &third, id, store::Step::Publish, Some(3), now).await.expect("a third advisor approves what they saw");
    assert_eq!(app.count(&format!("article WHERE id = {id} AND status = 'veroeffentlicht' AND published_version = 3")).await, 1);
}

#[tokio::test]
async fn a_lone_carriage_return_in_an_events_title_or_place_starts_no_line_in_the_calendar() {
    use app::events::service::store;
    let app = spawn_with(test_config(), false).await;
    let advisor = app::accounts::service::users::find_by_email(&app.db, &app.user(Role::Advisor, "LAND").await).await.expect("db").expect("user").id;
    let now = app::core::time::now();
    let starts = now + chrono::Duration::days(3);
    let input = app::events::model::EventForm {
        title: "Sprechstunde\rDTSTART:19700101T000000Z".into(),
        description: "Fragen und Antworten.".into(),
        starts: store::utc_to_local_input(starts),
        ends: store::utc_to_local_input(starts + chrono::Duration::hours(1)),
        place: "Magdeburg\rATTENDEE:mailto:fremd@example.org".into(),
        audience: "oeffentlich".into(),
        ..Default::default()
    };
    let input = app::events::model::EventInput::try_from(input).expect("a valid event");
    store::create(&app.db, &advisor, input, now).await.expect("event");
    let body = client().get(app.url("/termine.ics")).send().await.expect("feed").text().await.expect("body");
    assert!(!body.lines().any(|l| l.starts_with("DTSTART:1970") || l.starts_with("ATTENDEE")), "{body}");
    use sea_orm::EntityTrait;
    let stored = app::core::entities::event::Entity::find().one(&app.db).await.expect("db").expect("event");
    assert!(!stored.title.contains(char::is_control) && !stored.place.unwrap_or_default().contains(char::is_control), "control characters are gone on input");
}

#[tokio::test]
async fn invented_methods_share_one_metrics_label() {
    let app = spawn_with(app::core::config::Config { metrics_token: Some("kennzahlen-schluessel-0123456789abcdef".into()), ..test_config() }, false).await;
    let c = client();
    for n in 0..1000 {
        let m = reqwest::Method::from_bytes(format!("ERFUNDEN{n}").as_bytes()).expect("method");
        c.request(m, app.url("/livez")).send().await.expect("request");
    }
    let body = c.get(app.url("/metrics")).bearer_auth("kennzahlen-schluessel-0123456789abcdef").send().await.expect("metrics").text().await.expect("body");
    assert!(!body.contains("ERFUNDEN"), "no series per invented method");
    assert!(body.contains(r#"method="(andere)""#), "counted under one label");
    let methods: BTreeSet<&str> = body.lines().filter_map(|l| l.split("method=\"").nth(1)).filter_map(|r| r.split('"').next()).collect();
    assert!(methods.len() <= 10, "{methods:?}");
}

#[tokio::test]
async fn a_set_password_ends_open_links_and_a_withdrawn_invitation_gets_no_reset() {
    use app::accounts::service::links;
    let config = app::core::config::Config { mail_enabled: true, ..test_config() };
    let app = spawn_with(config, false).await;
    let email = app.user(Role::Clerk, MAGDEBURG).await;
    let id = app::accounts::service::users::find_by_email(&app.db, &email).await.expect("db").expect("user").id;
    let invite = links::create(&app.db, &id, links::LinkPurpose::Invite, None, std::time::Duration::from_secs(3600)).await.expect("invite");
    let reset = links::create(&app.db, &id, links::LinkPurpose::Reset, None, std::time::Duration::from_secs(3600)).await.expect("reset");
    links::redeem(&app.db, &app.state.hasher, links::LinkPurpose::Reset, &reset, "ein neues langes Passwort 1", "ein neues langes Passwort 1", "127.0.0.1").await.expect("reset redeemed");
    let late = links::redeem(&app.db, &app.state.hasher, links::LinkPurpose::Invite, &invite, "ein anderes langes Passwort 2", "ein anderes langes Passwort 2", "127.0.0.1").await;
    assert!(late.is_err(), "the invitation no longer replaces the password set through the reset");
    // An account never activated whose invitation was withdrawn: "Passwort vergessen" sends nothing.
    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    let _ = admin;
    let closed = "zurueckgezogen@kommune.example";
    app::accounts::service::users::create(
        &app.db,
        &app.state.hasher,
        None,
        app::accounts::service::users::NewUser { email: closed.into(), name: "Nie aktiviert".into(), role: Role::Clerk, org_keys: vec![MAGDEBURG.into()], password: PASSWORD.into(), is_demo: false },
    )
    .await
    .expect("account");
    use sea_orm::ConnectionTrait;
    app.db.execute_unprepared(&format!("UPDATE app_user SET password_hash = '' WHERE email = '{closed}'")).await.expect("no password");
    let closed_id = app::accounts::service::users::find_by_email(&app.db, closed).await.expect("db").expect("user").id;
    links::create(&app.db, &closed_id, links::LinkPurpose::Invite, None, std::time::Duration::from_secs(3600)).await.expect("invite");
    links::withdraw_open(&app.db, &closed_id, links::LinkPurpose::Invite, app::core::time::now()).await.expect("withdraw");
    let res = app.server_fn(&client(), "request_password_reset", &[("email", closed)]).await;
    assert_eq!(res.status(), 200, "the same answer as for any address");
    assert_eq!(app.count(&format!("mail_outbox WHERE recipient = '{closed}'")).await, 0, "no reset mail activates what was withdrawn");
}

#[tokio::test]
async fn an_ansprechperson_needs_the_second_factor_and_keeps_its_right_only_with_role_and_kommunen() {
    let config = app::core::config::Config { mfa_contact_persons: true, ..test_config() };
    let app = spawn_with(config, false).await;
    let email = app.user(Role::Clerk, MAGDEBURG).await;
    let id = app::accounts::service::users::find_by_email(&app.db, &email).await.expect("db").expect("user").id;
    use sea_orm::ConnectionTrait;
    app.db.execute_unprepared(&format!("UPDATE app_user SET manages_clerks = true WHERE id = '{id}'")).await.expect("ansprechperson");
    let res = app.login(&client(), &email, PASSWORD).await;
    assert_ne!(res.status(), 204, "an Ansprechperson signs in with a second factor");
    // A change of Kommunen ends the right.
    app::accounts::service::users::change_access(&app.db, None, &id, Role::Clerk, &[HALLE.to_string()]).await.expect("change");
    assert_eq!(app.count(&format!("app_user WHERE id = '{id}' AND manages_clerks")).await, 0);
}

#[tokio::test]
async fn an_ansprechperson_neither_reactivates_what_the_administration_closed_nor_learns_of_accounts_elsewhere() {
    let config = app::core::config::Config { mail_enabled: true, ..test_config() };
    let app = spawn_with(config, true).await;
    let manager_email = app.user(Role::Clerk, MAGDEBURG).await;
    use sea_orm::ConnectionTrait;
    app.db.execute_unprepared(&format!("UPDATE app_user SET manages_clerks = true WHERE email = '{manager_email}'")).await.expect("ansprechperson");
    let manager = client();
    assert_eq!(app.login(&manager, &manager_email, PASSWORD).await.status(), 204);
    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    let clerk = app.user(Role::Clerk, MAGDEBURG).await;
    let clerk_id = app::accounts::service::users::find_by_email(&app.db, &clerk).await.expect("db").expect("user").id;
    assert_eq!(app.server_fn(&admin, "admin_deactivate_user", &[("user_id", &clerk_id)]).await.status(), 200);
    assert_eq!(app.server_fn(&manager, "admin_reactivate_user", &[("user_id", &clerk_id)]).await.status(), 409, "the administration's deactivation stands");
    assert_eq!(app.count(&format!("app_user WHERE id = '{clerk_id}' AND active")).await, 0);
    // Inviting an address that has an account in another Kommune answers as any invitation.
    let elsewhere = app.user(Role::Clerk, HALLE).await;
    let invite = |email: String| {
        let (c, url) = (manager.clone(), app.url("/verwaltung/benutzer/einladen"));
        async move {
            let res = c.post(url).form(&[("name", "Neue Kollegin"), ("email", email.as_str()), ("role", "clerk"), ("orgs", MAGDEBURG)]).send().await.expect("invite");
            (res.status().as_u16(), res.text().await.expect("body"))
        }
    };
    let (known_status, known) = invite(elsewhere.clone()).await;
    let (new_status, new) = invite("ganz-neu@kommune.example".into()).await;
    assert_eq!((known_status, new_status), (200, 200));
    let strip = |t: &str, e: &str| t.replace(e, "ADRESSE");
    assert_eq!(strip(&known, &elsewhere), strip(&new, "ganz-neu@kommune.example"), "the same page either way");
    assert_eq!(app.count(&format!("mail_outbox WHERE recipient = '{elsewhere}' AND body LIKE '%schon ein Konto%'")).await, 1, "the holder is told");
}

#[tokio::test]
async fn a_key_that_may_write_needs_the_current_password_again() {
    let app = spawn_with(test_config(), false).await;
    let (c, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let create = |reauth: Option<&str>| {
        let mut body = serde_json::json!({ "name": "Fachverfahren", "scope": "write" });
        if let Some(r) = reauth {
            body["reauth"] = r.into();
        }
        let (c, url) = (c.clone(), app.url("/api/v1/tokens"));
        async move { c.post(url).json(&body).send().await.expect("create").status().as_u16() }
    };
    assert_eq!(create(None).await, 422, "without the password");
    assert_eq!(create(Some("falsch geraten")).await, 422, "with a wrong one");
    assert_eq!(app.count("api_token").await, 0);
    assert_eq!(create(Some(PASSWORD)).await, 201);
    // A key that only reads needs no confirmation.
    let read = c.post(app.url("/api/v1/tokens")).json(&serde_json::json!({ "name": "Lesen" })).send().await.expect("create");
    assert_eq!(read.status(), 201);
    // The browser form asks the same.
    let form = c.post(app.url("/konto/api-schluessel")).form(&[("name", "Schreiben"), ("scope", "write")]).send().await.expect("form");
    assert_eq!(form.status(), 422);
    assert!(form.text().await.expect("html").contains("aktuellen Passwort"));
    assert_eq!(app.count("api_token").await, 2);
}
