//! Start pages per role: a clerk sees, for their Kommune, its progress, what needs them (each
//! with a link to the filtered page where it is done) and the comparison with Kreis and Land.

use crate::common::{spawn_with, test_config};
use app::identity::Role;
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

const WERNIGERODE: &str = "15085370";

async fn put(app: &crate::common::TestApp, c: &reqwest::Client, ozg: &str, body: Value) {
    let res = c.put(app.url(&format!("/api/v1/municipalities/{WERNIGERODE}/services/{ozg}"))).json(&body).send().await.expect("put");
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
}

#[tokio::test]
async fn a_clerks_start_page_shows_what_needs_them_with_links_to_where_it_is_done() {
    let app = spawn_with(test_config(), true).await;
    let (clerk, _) = app.signed_in(Role::Clerk, WERNIGERODE).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    // Register: one online, one overdue (planned start passed), one unchanged for 100 days.
    put(&app, &clerk, "10000", json!({ "offered": true, "responsibility": "own", "stage": "online", "stage_dates": { "online": "2025-06-30" }, "maturity_model": "1.1", "maturity_level": 3, "version": 0 })).await;
    put(&app, &clerk, "10005", json!({ "offered": false, "responsibility": "own", "stage": "planned", "planned_go_live": "2025-01-01", "version": 0 })).await;
    put(&app, &clerk, "10092", json!({ "offered": false, "responsibility": "own", "stage": "in_progress", "version": 0 })).await;
    let old = (app::core::time::now() - chrono::Duration::days(100)).to_rfc3339();
    app.db.execute_unprepared(&format!("UPDATE service_record SET updated_at = '{old}' WHERE ozg_id = '10092'")).await.expect("age the record");
    // Cases: one waiting for the Kommune, one solved, one in progress.
    let mut ids = Vec::new();
    for subject in ["Rückfrage zur Schnittstelle", "Gelöst: Zugang", "Läuft noch"] {
        let res = clerk.post(app.url("/api/v1/cases")).json(&json!({ "subject": subject, "category": "technik", "description": "x" })).send().await.expect("case");
        assert_eq!(res.status(), 201);
        ids.push(res.json::<Value>().await.expect("json")["id"].as_i64().expect("id"));
    }
    app.db.execute_unprepared(&format!("UPDATE support_case SET status = 'waiting' WHERE id = {}", ids[0])).await.expect("status");
    app.db.execute_unprepared(&format!("UPDATE support_case SET status = 'solved' WHERE id = {}", ids[1])).await.expect("status");
    // An advisor's annotation.
    let res = advisor.post(app.url(&format!("/api/v1/municipalities/{WERNIGERODE}/services/10005/annotations"))).json(&json!({ "body": "Bitte den Starttermin prüfen." })).send().await.expect("annotate");
    assert_eq!(res.status(), 201);

    let o: Value = app.server_fn(&clerk, "overview", &[]).await.json().await.expect("overview");
    let k = &o["kommunen"][0];
    assert_eq!(k["key"], WERNIGERODE);
    assert_eq!(k["online"], 1);
    assert_eq!(k["compliant"], 1);
    let need = |label: &str| k["needs"].as_array().expect("needs").iter().find(|n| n["label"].as_str().is_some_and(|l| l.contains(label))).cloned().expect(label);
    assert_eq!(need("warten")["count"], 1);
    assert_eq!(need("bestätigen")["count"], 1);
    assert_eq!(need("90 Tagen")["count"], 1);
    assert_eq!(need("überschrittenem")["count"], 1);
    assert_eq!(k["notes"][0]["body"], "Bitte den Starttermin prüfen.");
    assert_eq!(k["notes"][0]["href"], format!("/kommunen/{WERNIGERODE}/leistungen/10005"));
    // Compared with its Kreis (Harz) and the Land.
    let names: Vec<&str> = k["comparison"].as_array().expect("comparison").iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(names[0], "Wernigerode, Stadt");
    assert!(names[1].contains("Harz"), "{names:?}");
    // As the Lagebild counts: every service of the catalogue the Kommune has not declared
    // someone else responsible for, one of them online.
    let catalogue = k["catalogue"].as_f64().expect("catalogue");
    let online_share = k["comparison"][0]["online_share"].as_f64().expect("share");
    assert!((online_share - 100.0 / catalogue).abs() < 1e-9, "{online_share}");
    assert_eq!(k["progress"]["months"].as_array().expect("months").len(), 12);

    // Each link leads to the page where it is done, filtered to exactly those items.
    let page = |href: String| {
        let c = clerk.clone();
        let url = app.url(&href);
        async move { c.get(url).send().await.expect("page").text().await.expect("html") }
    };
    let overdue = page(need("überschrittenem")["href"].as_str().expect("href").to_string()).await;
    assert!(overdue.contains("10005") && !overdue.contains(">10092<") && !overdue.contains(">10000<"), "only the overdue service");
    let stale = page(need("90 Tagen")["href"].as_str().expect("href").to_string()).await;
    assert!(stale.contains("10092") && !stale.contains(">10005<"), "only the stale record");
    let waiting = page(need("warten")["href"].as_str().expect("href").to_string()).await;
    assert!(waiting.contains("Rückfrage zur Schnittstelle") && !waiting.contains("Läuft noch") && !waiting.contains("Gelöst: Zugang"));
    let solved = page(need("bestätigen")["href"].as_str().expect("href").to_string()).await;
    assert!(solved.contains("Gelöst: Zugang") && !solved.contains("Rückfrage zur Schnittstelle"));

    // The same filter in the REST API; an unknown value is refused, not ignored.
    let api = |q: &str| clerk.get(app.url(&format!("/api/v1/municipalities/{WERNIGERODE}/services?care={q}"))).send();
    let overdue: Value = api("overdue").await.expect("api").json().await.expect("json");
    let ids: Vec<&str> = overdue.as_array().expect("list").iter().filter_map(|i| i["ozg_id"].as_str()).collect();
    assert_eq!(ids, vec!["10005"]);
    let bad = api("irgendwas").await.expect("api");
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.expect("body").contains("ungültigen Wert"));

    // The page itself, rendered on the server.
    let html = page("/".into()).await;
    assert!(html.contains("Was Sie erwartet") && html.contains("/faelle?status=waiting&amp;kommune=15085370"), "links on the start page");
    assert!(html.contains("Im Vergleich"));
}

#[tokio::test]
async fn an_advisors_start_page_counts_cases_by_timer_and_links_to_the_same_inbox_filters() {
    let app = spawn_with(test_config(), true).await;
    let (clerk, _) = app.signed_in(Role::Clerk, WERNIGERODE).await;
    let (advisor, advisor_email) = app.signed_in(Role::Advisor, "LAND").await;
    let mut ids = Vec::new();
    for subject in ["Meiner und überfällig", "Meiner und im Plan", "Noch niemandem zugewiesen"] {
        let res = clerk.post(app.url("/api/v1/cases")).json(&json!({ "subject": subject, "category": "technik", "description": "x" })).send().await.expect("case");
        assert_eq!(res.status(), 201);
        ids.push(res.json::<Value>().await.expect("json")["id"].as_i64().expect("id"));
    }
    let me: String = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(app.db.get_database_backend(), format!("SELECT id FROM app_user WHERE email = '{advisor_email}'")))
        .await
        .expect("query")
        .expect("row")
        .try_get_by_index(0)
        .expect("id");
    let past = (app::core::time::now() - chrono::Duration::days(3)).to_rfc3339();
    app.db.execute_unprepared(&format!("UPDATE support_case SET owner_id = '{me}', status = 'in_progress' WHERE id IN ({}, {})", ids[0], ids[1])).await.expect("assign");
    app.db.execute_unprepared(&format!("UPDATE support_case SET resolution_due_at = '{past}', response_due_at = '{past}' WHERE id = {}", ids[0])).await.expect("breach");

    let o: Value = app.server_fn(&advisor, "overview", &[]).await.json().await.expect("overview");
    let need = |label: &str| o["needs"].as_array().expect("needs").iter().find(|n| n["label"].as_str() == Some(label)).cloned().unwrap_or_else(|| panic!("{label}: {o}"));
    assert_eq!(need("Ihre offenen Fälle")["count"], 2);
    assert_eq!(need("davon mit überschrittener Servicezeit")["count"], 1);
    assert_eq!(need("Fälle ohne Zuständigkeit")["count"], 1);
    assert_eq!(need("Neue, noch nicht gesichtete Fälle")["count"], 1);
    // The link shows exactly what was counted.
    let html = advisor.get(app.url(need("davon mit überschrittener Servicezeit")["href"].as_str().expect("href"))).send().await.expect("inbox").text().await.expect("html");
    assert!(html.contains("Meiner und überfällig") && !html.contains("Meiner und im Plan") && !html.contains("Noch niemandem zugewiesen"));
    let html = advisor.get(app.url(need("Fälle ohne Zuständigkeit")["href"].as_str().expect("href"))).send().await.expect("inbox").text().await.expect("html");
    assert!(html.contains("Noch niemandem zugewiesen") && !html.contains("Meiner und im Plan"));
    // The Land's key figures, all Kommunen counted.
    assert_eq!(o["area"]["name"], "Sachsen-Anhalt");
    assert_eq!(o["area"]["figures"][0]["label"], "Online-Quote");

    // An association sees its members' figures; no case lines.
    let (association, _) = app.signed_in(Role::Association, "SGSA").await;
    let o: Value = app.server_fn(&association, "overview", &[]).await.json().await.expect("overview");
    assert!(o["needs"].as_array().expect("needs").is_empty());
    assert!(o["area"]["whose"].as_str().expect("whose").contains("Städte- und Gemeindebunds"), "{o}");
    let html = association.get(app.url("/")).send().await.expect("start").text().await.expect("html");
    assert!(html.contains("auf einen Blick") && html.contains("Zum Lagebild"));
}

#[tokio::test]
async fn new_since_the_last_sign_in_counts_what_came_after_the_previous_sign_in() {
    let app = spawn_with(test_config(), true).await;
    let (clerk, _) = app.signed_in(Role::Clerk, WERNIGERODE).await;
    let file = |subject: &'static str| {
        let clerk = clerk.clone();
        let url = app.url("/api/v1/cases");
        async move {
            let res = clerk.post(url).json(&json!({ "subject": subject, "category": "technik", "description": "x" })).send().await.expect("case");
            assert_eq!(res.status(), 201);
        }
    };
    let email = app.user(Role::Advisor, "LAND").await;
    file("Vor der ersten Anmeldung").await;
    let first = crate::common::client();
    assert_eq!(app.login(&first, &email, crate::common::PASSWORD).await.status(), 204);
    let line = |o: &Value| o["needs"].as_array().expect("needs").iter().find(|n| n["label"] == "Neu seit Ihrer letzten Anmeldung").cloned().expect("line");
    // At the first sign-in everything since the account was created is new.
    let o: Value = app.server_fn(&first, "overview", &[]).await.json().await.expect("overview");
    assert_eq!(line(&o)["count"], 1);
    file("Nach der ersten Anmeldung").await;
    let second = crate::common::client();
    assert_eq!(app.login(&second, &email, crate::common::PASSWORD).await.status(), 204);
    let o: Value = app.server_fn(&second, "overview", &[]).await.json().await.expect("overview");
    assert_eq!(line(&o)["count"], 1, "only what came after the first sign-in: {o}");
    let href = line(&o)["href"].as_str().expect("href").to_string();
    assert_eq!(href, "/faelle?ansicht=all&seit=last_sign_in");
    let html = second.get(app.url(&href)).send().await.expect("inbox").text().await.expect("html");
    assert!(html.contains("Nach der ersten Anmeldung") && !html.contains("Vor der ersten Anmeldung"));
    assert!(html.contains("1 Fall gefunden"), "the list says as many, in the singular");
    // The REST API filters the same way; an unknown period is refused in German.
    let page: Value = second.get(app.url("/api/v1/cases?view=all&since=last_sign_in")).send().await.expect("rest").json().await.expect("json");
    assert_eq!(page["total"], 1, "{page}");
    let res = second.get(app.url("/api/v1/cases?since=gestern")).send().await.expect("rest");
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("kein bekannter Zeitraum"));
}

#[tokio::test]
async fn an_administrators_start_page_shows_accounts_mail_and_the_jobs_last_runs() {
    let app = spawn_with(test_config(), true).await;
    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    // An invited person (no password yet) with an open invitation, one whose invitation expired.
    let id_of = |email: String| {
        let db = app.db.clone();
        async move {
            db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), format!("SELECT id FROM app_user WHERE email = '{email}'")))
                .await
                .expect("query")
                .expect("row")
                .try_get_by_index::<String>(0)
                .expect("id")
        }
    };
    let invited = id_of(app.user(Role::Clerk, WERNIGERODE).await).await;
    let expired = id_of(app.user(Role::Clerk, WERNIGERODE).await).await;
    app.db.execute_unprepared(&format!("UPDATE app_user SET password_hash = '' WHERE id IN ('{invited}', '{expired}')")).await.expect("no password");
    app::accounts::service::links::create(&app.db, &invited, app::accounts::service::links::LinkPurpose::Invite, None, std::time::Duration::from_secs(3600)).await.expect("invite");
    app::accounts::service::links::create(&app.db, &expired, app::accounts::service::links::LinkPurpose::Invite, None, std::time::Duration::from_secs(3600)).await.expect("invite");
    let past = (app::core::time::now() - chrono::Duration::days(1)).to_rfc3339();
    app.db.execute_unprepared(&format!("UPDATE account_link SET expires_at = '{past}' WHERE user_id = '{expired}'")).await.expect("expire");
    // A deactivated advisor who still owns an open case.
    let (clerk, _) = app.signed_in(Role::Clerk, WERNIGERODE).await;
    let res = clerk.post(app.url("/api/v1/cases")).json(&json!({ "subject": "Verwaist", "category": "technik", "description": "x" })).send().await.expect("case");
    let case = res.json::<Value>().await.expect("json")["id"].as_i64().expect("id");
    let gone = id_of(app.user(Role::Advisor, "LAND").await).await;
    app.db.execute_unprepared(&format!("UPDATE support_case SET owner_id = '{gone}', status = 'in_progress' WHERE id = {case}")).await.expect("assign");
    app.db.execute_unprepared(&format!("UPDATE app_user SET active = false WHERE id = '{gone}'")).await.expect("deactivate");
    // Mail: one waiting, one given up.
    app::core::outbox::enqueue(&app.db, "a@kommune.example", "Betreff", "Text").await.expect("queue");
    app::core::outbox::enqueue(&app.db, "b@kommune.example", "Betreff", "Text").await.expect("queue");
    app.db.execute_unprepared("UPDATE mail_outbox SET dead_at = created_at WHERE recipient = 'b@kommune.example'").await.expect("dead");
    // The jobs run once (as the lease holder would).
    server::ops::jobs::run_once(&app.state, None).await;

    let o: Value = app.server_fn(&admin, "overview", &[]).await.json().await.expect("overview");
    let need = |label: &str| o["needs"].as_array().expect("needs").iter().find(|n| n["label"].as_str() == Some(label)).cloned().unwrap_or_else(|| panic!("{label}: {o}"));
    assert_eq!(need("Einladungen, noch nicht angenommen")["count"], 1);
    assert_eq!(need("Einladungen abgelaufen, ohne neue Einladung")["count"], 1);
    assert_eq!(need("Deaktivierte Konten mit offenen Fällen")["count"], 1);
    assert_eq!(need("E-Mails im Postausgang")["count"], 1);
    assert_eq!(need("Unzustellbare E-Mails")["count"], 1);
    let jobs = o["jobs"].as_array().expect("jobs");
    let deadlines = jobs.iter().find(|j| j["label"] == "Fristen der Beratungsfälle").expect("the deadline job's run");
    assert_eq!(deadlines["ok"], true);
    assert_eq!(deadlines["runs"], 1);
    // The links lead to the lists where it is done.
    let html = admin.get(app.url(need("Deaktivierte Konten mit offenen Fällen")["href"].as_str().expect("href"))).send().await.expect("users").text().await.expect("html");
    assert!(html.contains("deaktiviert"));
    let html = admin.get(app.url("/")).send().await.expect("start").text().await.expect("html");
    assert!(html.contains("Hintergrundaufgaben") && html.contains("Fristen der Beratungsfälle") && html.contains("/verwaltung/postausgang"));
}
