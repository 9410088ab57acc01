//! Accounts in the browser: invitations and password resets through a real SMTP conversation
//! with a sink on loopback (the tests follow the links in the mails), the Ansprechperson's
//! reach, the CSV import, and the audit log for administrators.

use crate::common::{PASSWORD, Sink, TestApp, client, spawn_with, start_sink, test_config};
use app::identity::Role;
use sea_orm::ConnectionTrait;

const MAGDEBURG: &str = "15003000";
const HALLE: &str = "15002000";

async fn with_mail() -> (TestApp, Sink, server::ops::mail::SmtpConfig) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let sink = start_sink(listener).await;
    let app = spawn_with(app::core::config::Config { mail_enabled: true, ..test_config() }, false).await;
    let cfg = server::ops::mail::SmtpConfig { max_attempts: 10, ..server::ops::mail::SmtpConfig::unencrypted("127.0.0.1", port, "portal@sachsen-anhalt.example") };
    (app, sink, cfg)
}

async fn deliver(app: &TestApp, cfg: &server::ops::mail::SmtpConfig) {
    server::ops::mail::deliver_due(&app.db, cfg, app::core::time::now()).await.expect("outbox");
}

/// The path and query of the first portal link in a mail body (the mail names the configured
/// public address; the test server listens elsewhere).
fn link_in(body: &str, _base: &str) -> String {
    let start = body.find("http://").expect("a link in the mail");
    let url = body[start..].split_whitespace().next().expect("link");
    let path_start = url["http://".len()..].find('/').expect("path") + "http://".len();
    url[path_start..].to_string()
}

fn secret_of(path: &str) -> String {
    path.split("schluessel=").nth(1).expect("secret in link").to_string()
}

async fn signed_in_as(app: &TestApp, email: &str) -> reqwest::Client {
    let c = client();
    assert_eq!(app.login(&c, email, PASSWORD).await.status(), 204, "login of {email}");
    c
}

async fn invite(app: &TestApp, c: &reqwest::Client, email: &str, role: &str, orgs: &str) -> reqwest::Response {
    c.post(app.url("/verwaltung/benutzer/einladen"))
        .form(&[("name", "Erika Muster"), ("email", email), ("role", role), ("orgs", orgs)])
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn an_invitation_goes_by_mail_and_its_link_sets_the_password_once() {
    let (app, sink, cfg) = with_mail().await;
    let admin = signed_in_as(&app, &app.user(Role::Admin, "LAND").await).await;
    let res = invite(&app, &admin, "Erika.Muster@magdeburg.example", "clerk", MAGDEBURG).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("html").contains("Einladung verschickt"));
    assert_eq!(app.count("account_link WHERE purpose = 'invite'").await, 1);
    assert_eq!(app.count("account_link WHERE token_hash LIKE '%-%'").await, 0, "only hex hashes are stored");
    deliver(&app, &cfg).await;
    let bodies = sink.bodies_to("erika.muster@magdeburg.example");
    assert_eq!(bodies.len(), 1, "one invitation mail");
    let path = link_in(&bodies[0], &app.base);
    assert!(path.starts_with("/einladung?schluessel="), "{path}");
    // The invited person cannot sign in before setting a password.
    assert_eq!(app.login(&client(), "erika.muster@magdeburg.example", "irgendein Passwort").await.status(), 401);
    assert_eq!(app.login(&client(), "erika.muster@magdeburg.example", "").await.status(), 422, "an empty password is named");
    let page = client().get(app.url(&path)).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("Guten Tag Erika Muster"), "the link's page greets the person");
    let browser = client();
    let res = app
        .server_fn(&browser, "redeem_link", &[("kind", "einladung"), ("key", &secret_of(&path)), ("password", PASSWORD), ("confirm", PASSWORD)])
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    assert_eq!(app.login(&client(), "erika.muster@magdeburg.example", PASSWORD).await.status(), 204);
    // Single use.
    let again = app
        .server_fn(&browser, "redeem_link", &[("kind", "einladung"), ("key", &secret_of(&path)), ("password", "ein anderes langes Passwort"), ("confirm", "ein anderes langes Passwort")])
        .await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.expect("body").contains("ungültig, abgelaufen"));
    assert_eq!(app.count("audit_log WHERE action = 'invitation_accepted'").await, 1);
    assert_eq!(app.count("audit_log WHERE action = 'invitation_sent'").await, 1);
}

#[tokio::test]
async fn withdrawn_resent_and_expired_invitations_stop_working() {
    let (app, sink, cfg) = with_mail().await;
    let admin = signed_in_as(&app, &app.user(Role::Admin, "LAND").await).await;
    invite(&app, &admin, "neu@halle.example", "clerk", HALLE).await;
    deliver(&app, &cfg).await;
    let first = secret_of(&link_in(&sink.bodies_to("neu@halle.example")[0], &app.base));
    let id = app::accounts::service::users::find_by_email(&app.db, "neu@halle.example").await.expect("db").expect("user").id;
    // Resent: the old link ends, the new one works.
    let res = admin.post(app.url(&format!("/verwaltung/benutzer/{id}/einladung"))).send().await.expect("resend");
    assert_eq!(res.status(), 200);
    deliver(&app, &cfg).await;
    let bodies = sink.bodies_to("neu@halle.example");
    assert_eq!(bodies.len(), 2);
    let second = secret_of(&link_in(&bodies[1], &app.base));
    let redeem = |key: String| {
        let app = &app;
        async move { app.server_fn(&client(), "redeem_link", &[("kind", "einladung"), ("key", &key), ("password", PASSWORD), ("confirm", PASSWORD)]).await.status().as_u16() }
    };
    assert_eq!(redeem(first).await, 409, "the first link ended with the second");
    // Withdrawn: the second one ends too.
    assert_eq!(app.server_fn(&admin, "admin_withdraw_invitation", &[("user_id", &id)]).await.status(), 200);
    assert_eq!(redeem(second).await, 409);
    // Expired: a third link, its time set into the past.
    admin.post(app.url(&format!("/verwaltung/benutzer/{id}/einladung"))).send().await.expect("resend");
    deliver(&app, &cfg).await;
    let third = secret_of(&link_in(&sink.bodies_to("neu@halle.example")[2], &app.base));
    app.db.execute_unprepared("UPDATE account_link SET expires_at = created_at WHERE used_at IS NULL AND withdrawn_at IS NULL").await.expect("expire");
    assert_eq!(redeem(third).await, 409);
    let list = app.server_fn(&admin, "admin_users", &[("filter[state]", "eingeladen")]).await.text().await.expect("json");
    assert!(list.contains("abgelaufen"), "the list shows the invitation's state: {list}");
}

#[tokio::test]
async fn password_reset_answers_alike_mails_only_real_accounts_and_ends_other_sessions() {
    let (app, sink, cfg) = with_mail().await;
    let email = app.user(Role::Clerk, MAGDEBURG).await;
    let other_session = signed_in_as(&app, &email).await;
    let known = app.server_fn(&client(), "request_password_reset", &[("email", &email)]).await;
    let unknown = app.server_fn(&client(), "request_password_reset", &[("email", "niemand@nirgends.example")]).await;
    assert_eq!(known.status(), unknown.status());
    assert_eq!(known.text().await.expect("body"), unknown.text().await.expect("body"), "the same answer either way");
    deliver(&app, &cfg).await;
    assert!(sink.bodies_to("niemand@nirgends.example").is_empty());
    let bodies = sink.bodies_to(&email);
    assert_eq!(bodies.len(), 1);
    assert!(bodies[0].contains("gültig 60 Minuten"));
    let key = secret_of(&link_in(&bodies[0], &app.base));
    let new = "ein ganz neues Passwort fuer mich";
    let bad = app.server_fn(&client(), "redeem_link", &[("kind", "zuruecksetzen"), ("key", &key), ("password", new), ("confirm", "anders")]).await;
    assert_eq!(bad.status(), 422, "a mismatch changes nothing");
    let ok = app.server_fn(&client(), "redeem_link", &[("kind", "zuruecksetzen"), ("key", &key), ("password", new), ("confirm", new)]).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(app.me_status(&other_session).await, 401, "every other session ended");
    assert_eq!(app.login(&client(), &email, new).await.status(), 204);
    assert_eq!(app.login(&client(), &email, PASSWORD).await.status(), 401);
    // An invitation link is not a reset link.
    let wrong_kind = app.server_fn(&client(), "redeem_link", &[("kind", "einladung"), ("key", &key), ("password", new), ("confirm", new)]).await;
    assert_eq!(wrong_kind.status(), 409);
}

#[tokio::test]
async fn password_reset_requests_are_limited_per_address() {
    let (app, _sink, _cfg) = with_mail().await;
    let email = app.user(Role::Clerk, MAGDEBURG).await;
    let mut statuses = Vec::new();
    for _ in 0..7 {
        statuses.push(app.server_fn(&client(), "request_password_reset", &[("email", &email)]).await.status().as_u16());
    }
    assert_eq!(&statuses[..5], &[200; 5]);
    assert_eq!(statuses[6], 429, "{statuses:?}");
    assert_eq!(app.count("mail_outbox").await, 5, "no mail after the limit");
}

#[tokio::test]
async fn a_kommunes_ansprechperson_manages_only_its_own_clerks() {
    let (app, _sink, _cfg) = with_mail().await;
    let admin_email = app.user(Role::Admin, "LAND").await;
    let admin = signed_in_as(&app, &admin_email).await;
    let manager_email = app.user(Role::Clerk, MAGDEBURG).await;
    let manager_id = app::accounts::service::users::find_by_email(&app.db, &manager_email).await.expect("db").expect("u").id;
    let plain_clerk = signed_in_as(&app, &manager_email).await;
    assert_eq!(invite(&app, &plain_clerk, "x@magdeburg.example", "clerk", MAGDEBURG).await.status(), 403, "not yet Ansprechperson");
    assert_eq!(app.server_fn(&admin, "admin_set_manager", &[("user_id", &manager_id), ("on", "ja")]).await.status(), 200);
    assert_eq!(app.me_status(&plain_clerk).await, 401, "the change of rights ended the session");
    let manager = signed_in_as(&app, &manager_email).await;
    assert_eq!(invite(&app, &manager, "kollegin@magdeburg.example", "clerk", MAGDEBURG).await.status(), 200);
    assert_eq!(invite(&app, &manager, "fremd@halle.example", "clerk", HALLE).await.status(), 422, "another Kommune");
    assert_eq!(invite(&app, &manager, "berater@land.example", "advisor", "LAND").await.status(), 422, "a role above its own");
    let res = manager
        .post(app.url("/verwaltung/benutzer/einladen"))
        .form(&[("name", "Chefin"), ("email", "chefin@magdeburg.example"), ("role", "clerk"), ("orgs", MAGDEBURG), ("manages_clerks", "ja")])
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 422, "only administrators appoint Ansprechpersonen");
    let halle_clerk = app.user(Role::Clerk, HALLE).await;
    let halle_id = app::accounts::service::users::find_by_email(&app.db, &halle_clerk).await.expect("db").expect("u").id;
    assert_eq!(app.server_fn(&manager, "admin_deactivate_user", &[("user_id", &halle_id)]).await.status(), 403);
    let admin_id = app::accounts::service::users::find_by_email(&app.db, &admin_email).await.expect("db").expect("u").id;
    assert_eq!(app.server_fn(&manager, "admin_change_user_access", &[("user_id", &admin_id), ("role", "clerk"), ("orgs", MAGDEBURG)]).await.status(), 403);
    assert_eq!(app.server_fn(&manager, "admin_set_manager", &[("user_id", &halle_id), ("on", "ja")]).await.status(), 403);
    let colleague = app::accounts::service::users::find_by_email(&app.db, "kollegin@magdeburg.example").await.expect("db").expect("u").id;
    let res = app.server_fn(&manager, "admin_change_user_access", &[("user_id", &colleague), ("role", "advisor"), ("orgs", "LAND")]).await;
    assert_eq!(res.status(), 422, "no role above its own for others either");
    assert_eq!(app.server_fn(&manager, "admin_deactivate_user", &[("user_id", &colleague)]).await.status(), 200);
    assert_eq!(app.server_fn(&manager, "admin_reactivate_user", &[("user_id", &colleague)]).await.status(), 200);
    let list = app.server_fn(&manager, "admin_users", &[]).await.text().await.expect("json");
    assert!(list.contains("kollegin@magdeburg.example"));
    assert!(!list.contains(&halle_clerk) && !list.contains(&admin_email) && !list.contains(&manager_email), "only the clerks it manages: {list}");
    assert_eq!(app.server_fn(&manager, "admin_audit_log", &[]).await.status(), 403, "the audit log is for administrators");
    let audit = app.count(&format!("audit_log WHERE actor_user_id = '{manager_id}' AND action IN ('user_created', 'user_deactivated', 'user_reactivated')")).await;
    assert_eq!(audit, 3, "every change is audited with who made it");
}

#[tokio::test]
async fn the_csv_import_creates_all_or_nothing_and_names_the_lines() {
    let (app, sink, cfg) = with_mail().await;
    let admin = signed_in_as(&app, &app.user(Role::Admin, "LAND").await).await;
    let upload = |csv: &'static str| {
        let part = reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("konten.csv").mime_str("text/csv").expect("mime");
        admin.post(app.url("/verwaltung/benutzer/import")).multipart(reqwest::multipart::Form::new().part("datei", part)).send()
    };
    let bad = "E-Mail;Name;Rolle;Organisationen;Ansprechperson\n\
               a@magdeburg.example;Anna A;clerk;15003000;nein\n\
               b@magdeburg.example;Bernd B;Chef;15003000;\n\
               a@magdeburg.example;Anna Doppelt;clerk;15003000;\n\
               c@land.example;Carl C;advisor;99999999;\n";
    let res = upload(bad).await.expect("upload");
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    for line in ["Zeile 3:", "Zeile 4:", "Zeile 5:"] {
        assert!(html.contains(line), "{line} named: {html}");
    }
    assert!(!html.contains("Zeile 2:"));
    assert_eq!(app.count("app_user WHERE email LIKE '%example' AND email NOT LIKE '%test.example'").await, 0, "nothing stored");
    let good = "\u{feff}E-Mail;Name;Rolle;Organisationen;Ansprechperson\n\
                a@magdeburg.example;Anna A;clerk;15003000;ja\n\
                c@land.example;Carl C;Beratung Land;LAND;\n";
    let res = upload(good).await.expect("upload");
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/verwaltung/benutzer?importiert=2");
    deliver(&app, &cfg).await;
    assert_eq!(sink.bodies_to("a@magdeburg.example").len(), 1);
    assert_eq!(sink.bodies_to("c@land.example").len(), 1);
    let anna = app::accounts::service::users::find_by_email(&app.db, "a@magdeburg.example").await.expect("db").expect("anna");
    assert!(anna.manages_clerks);
}

#[tokio::test]
async fn administrators_read_filter_and_export_the_audit_log_and_old_entries_expire() {
    let app = spawn_with(test_config(), false).await;
    let admin = signed_in_as(&app, &app.user(Role::Admin, "LAND").await).await;
    let clerk = app.user(Role::Clerk, MAGDEBURG).await;
    assert_eq!(app.login(&client(), &clerk, "falsch falsch falsch").await.status(), 401);
    let page = app.server_fn(&admin, "admin_audit_log", &[("filter[person]", &clerk), ("filter[action]", "login_failure")]).await;
    assert_eq!(page.status(), 200);
    let body: serde_json::Value = page.json().await.expect("json");
    assert_eq!(body["total"], 1, "{body}");
    assert_eq!(body["rows"][0]["action"], "login_failure");
    let by_org = app.server_fn(&admin, "admin_audit_log", &[("filter[org]", MAGDEBURG)]).await.json::<serde_json::Value>().await.expect("json");
    assert!(by_org["rows"].as_array().expect("rows").iter().all(|r| r["action"] != "login_success" || r["actor"].as_str().unwrap_or_default().contains(&clerk)));
    // Paging: 50 entries a page, newest first.
    for i in 0..60 {
        app::core::audit::record(&app.db, app::core::audit::Entry { action: app::vocabulary::audit::AuditAction::DemoFilled, detail: Some(format!("{i}")), ..Default::default() }).await.expect("entry");
    }
    let second: serde_json::Value = app
        .server_fn(&admin, "admin_audit_log", &[("filter[action]", "demo_filled"), ("filter[page]", "2")])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!((second["total"].as_u64(), second["pages"].as_u64(), second["page"].as_u64()), (Some(60), Some(2), Some(2)));
    assert_eq!(second["rows"].as_array().expect("rows").len(), 10);
    assert_eq!(second["rows"][0]["detail"], "9", "the oldest ten on the second page");
    let bad = app.server_fn(&admin, "admin_audit_log", &[("filter[from]", "gestern")]).await;
    assert_eq!(bad.status(), 422);
    let csv = admin.get(app.url(&format!("/verwaltung/protokoll.csv?person={clerk}"))).send().await.expect("csv");
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().expect("type").starts_with("text/csv"));
    let text = csv.text().await.expect("text");
    assert!(text.contains("Anmeldung fehlgeschlagen") && text.starts_with("\u{feff}Nr.;Zeitpunkt"), "{text}");
    let clerk_client = signed_in_as(&app, &clerk).await;
    assert_eq!(clerk_client.get(app.url("/verwaltung/protokoll.csv")).send().await.expect("csv").status(), 403);
    // Retention: entries older than the configured days go.
    app.db.execute_unprepared("UPDATE audit_log SET at = '2020-01-01 00:00:00+00:00' WHERE action = 'login_failure'").await.expect("age");
    let before = app.count("audit_log").await;
    let pruned = app::accounts::service::housekeeping::prune(&app.db, &app.state.config, app::core::time::now()).await.expect("prune");
    assert_eq!(pruned.audit_entries, 1);
    assert_eq!(app.count("audit_log").await, before - 1);
}

#[tokio::test]
async fn a_person_downloads_everything_the_portal_holds_about_them_and_an_administrator_can_too() {
    let app = spawn_with(test_config(), false).await;
    let email = app.user(Role::Clerk, MAGDEBURG).await;
    let clerk = signed_in_as(&app, &email).await;
    let filed = clerk
        .post(app.url("/api/v1/cases"))
        .json(&serde_json::json!({ "subject": "Auskunftsfall", "category": "technik", "description": "Beschreibung der Person" }))
        .send()
        .await
        .expect("file");
    assert_eq!(filed.status(), 201);
    let res = clerk.get(app.url("/konto/auskunft.json")).send().await.expect("own");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().expect("header").starts_with("attachment;"));
    let text = res.text().await.expect("body");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(doc["konto"]["email"], email.as_str());
    assert_eq!(doc["organisationen"][0]["schluessel"], MAGDEBURG);
    assert_eq!(doc["beratungsfaelle"][0]["betreff"], "Auskunftsfall");
    assert!(doc["protokoll"].as_array().expect("log").iter().any(|e| e["aktion"] == "login_success"), "sign-ins are in it");
    assert!(!text.contains("argon2") && !text.contains("token_hash") && !text.contains("password_hash"), "no secrets or hashes");
    let id = app::accounts::service::users::find_by_email(&app.db, &email).await.expect("db").expect("user").id;
    let admin = signed_in_as(&app, &app.user(Role::Admin, "LAND").await).await;
    let res = admin.get(app.url(&format!("/verwaltung/benutzer/{id}/auskunft.json"))).send().await.expect("admin");
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<serde_json::Value>().await.expect("json")["konto"]["id"], id.as_str());
    let other = signed_in_as(&app, &app.user(Role::Clerk, MAGDEBURG).await).await;
    assert_eq!(other.get(app.url(&format!("/verwaltung/benutzer/{id}/auskunft.json"))).send().await.expect("other").status(), 403);
    assert_eq!(app.count("audit_log WHERE action = 'data_disclosed'").await, 2, "each disclosure audited");
}

/// The case statistics of the Lagebild as rows, for comparing before and after.
async fn case_stats(app: &TestApp) -> Vec<(String, String, String, i64, i64)> {
    use sea_orm::FromQueryResult;
    #[derive(FromQueryResult)]
    struct Row {
        area_key: String,
        month: String,
        category: String,
        cases: i64,
        solved: i64,
    }
    app::lagebild::service::case_stats::refresh(&app.db, 3, app::core::time::now(), true).await.expect("refresh");
    Row::find_by_statement(sea_orm::Statement::from_string(
        app.db.get_database_backend(),
        "SELECT area_key, month, category, cases, solved FROM agg_case_stats ORDER BY area_key, month, category",
    ))
    .all(&app.db)
    .await
    .expect("stats")
    .into_iter()
    .map(|r| (r.area_key, r.month, r.category, r.cases, r.solved))
    .collect()
}

#[tokio::test]
async fn deleting_a_person_anonymises_them_and_leaves_cases_and_statistics_intact() {
    let (app, _sink, _cfg) = with_mail().await;
    let email = app.user(Role::Clerk, MAGDEBURG).await;
    let clerk = signed_in_as(&app, &email).await;
    let filed = clerk
        .post(app.url("/api/v1/cases"))
        .json(&serde_json::json!({ "subject": "Fall der Person", "category": "technik", "description": "Text" }))
        .send()
        .await
        .expect("file");
    let case_id = filed.json::<serde_json::Value>().await.expect("json")["id"].as_i64().expect("id");
    let reply = clerk.post(app.url(&format!("/api/v1/cases/{case_id}/messages"))).json(&serde_json::json!({ "body": "Meine Nachricht" })).send().await.expect("reply");
    assert!(reply.status().is_success(), "{}", reply.status());
    let before = case_stats(&app).await;
    assert!(!before.is_empty());
    let id = app::accounts::service::users::find_by_email(&app.db, &email).await.expect("db").expect("user").id;
    let admin_email = app.user(Role::Admin, "LAND").await;
    let admin = signed_in_as(&app, &admin_email).await;
    let other = signed_in_as(&app, &app.user(Role::Clerk, MAGDEBURG).await).await;
    assert_eq!(app.server_fn(&other, "admin_erase_user", &[("user_id", &id)]).await.status(), 403);
    let admin_id = app::accounts::service::users::find_by_email(&app.db, &admin_email).await.expect("db").expect("admin").id;
    assert_eq!(app.server_fn(&admin, "admin_erase_user", &[("user_id", &admin_id)]).await.status(), 409, "not oneself");
    assert_eq!(app.server_fn(&admin, "admin_erase_user", &[("user_id", &id)]).await.status(), 200);
    assert_eq!(app.me_status(&clerk).await, 401, "the person's sessions ended");
    assert!(app::accounts::service::users::find_by_email(&app.db, &email).await.expect("db").is_none(), "the address is gone");
    assert_eq!(app.count(&format!("audit_log WHERE object = '{email}'")).await, 0, "the audit log no longer names the address");
    assert_eq!(app.count(&format!("user_organisation WHERE user_id = '{id}'")).await, 0);
    // The case and its message stay, signed by the former person.
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let messages = advisor.get(app.url(&format!("/api/v1/cases/{case_id}/messages"))).send().await.expect("messages").text().await.expect("text");
    assert!(messages.contains("Meine Nachricht") && messages.contains("Ehemalige Person"), "{messages}");
    assert!(!messages.contains(&email));
    assert_eq!(case_stats(&app).await, before, "the Lagebild's case statistics are unchanged");
    assert_eq!(app.server_fn(&admin, "admin_erase_user", &[("user_id", &id)]).await.status(), 409, "once");
    assert_eq!(app.count("audit_log WHERE action = 'user_erased'").await, 1);
}
