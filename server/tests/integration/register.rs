//! Leistungsregister API: recording, history, conflicts, scope, validation.

use crate::common::{TestApp, client, spawn_with, test_config};
use app::identity::Role;
use serde_json::{Value, json};

async fn app() -> TestApp {
    spawn_with(test_config(), true).await
}

const MAGDEBURG: &str = "15003000";
const HALLE: &str = "15002000";

fn url(app: &TestApp, ags: &str, ozg: &str) -> String {
    app.url(&format!("/api/v1/municipalities/{ags}/services/{ozg}"))
}

async fn put(app: &TestApp, c: &reqwest::Client, ags: &str, ozg: &str, body: Value) -> reqwest::Response {
    c.put(url(app, ags, ozg)).json(&body).send().await.expect("put")
}

fn planned(version: i64) -> Value {
    json!({ "offered": false, "responsibility": "own", "stage": "planned", "stage_dates": { "planned": "2025-01-15" },
            "planned_go_live": "2026-12-01", "version": version })
}

fn online(version: i64) -> Value {
    json!({ "offered": true, "responsibility": "own", "stage": "online",
            "stage_dates": { "planned": "2025-01-15", "online": "2025-06-30" },
            "maturity_model": "1.1", "maturity_level": 3,
            "solution_kind": "efa", "solution_name": "Elterngeld digital", "solution_provider": "Bremen",
            "url": "https://www.magdeburg.de/elterngeld", "contact": "Bürgerbüro", "version": version })
}

#[tokio::test]
async fn a_clerk_records_a_service_from_planned_to_online_and_the_history_keeps_every_step() {
    let app = app().await;
    let (c, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let fresh: Value = c.get(url(&app, MAGDEBURG, "10000")).send().await.expect("get").json().await.expect("json");
    assert_eq!(fresh["stage"], "not_started");
    assert_eq!(fresh["version"], 0);
    let res = put(&app, &c, MAGDEBURG, "10000", planned(0)).await;
    assert_eq!(res.status(), 200);
    let v1: Value = res.json().await.expect("json");
    assert_eq!((v1["stage"].as_str(), v1["version"].as_i64()), (Some("planned"), Some(1)));
    let res = put(&app, &c, MAGDEBURG, "10000", online(1)).await;
    assert_eq!(res.status(), 200);
    let v2: Value = res.json().await.expect("json");
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["maturity_level"], 3);
    assert_eq!(v2["stage_dates"]["online"], "2025-06-30");
    assert_eq!(v2["acting_organisation"], "Magdeburg, Landeshauptstadt");
    let history: Value = c.get(format!("{}/history", url(&app, MAGDEBURG, "10000"))).send().await.expect("h").json().await.expect("json");
    let entries = history.as_array().expect("array");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["version"], 2, "newest first");
    let stage_change = entries[0]["changes"].as_array().expect("changes").iter().find(|c| c["field"] == "stage").expect("stage changed");
    assert_eq!((stage_change["old"].as_str(), stage_change["new"].as_str()), (Some("planned"), Some("online")));
    assert!(entries[1]["user"].as_str().unwrap_or_default().starts_with("Test"));
    let list: Value = c.get(app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services?stage=online"))).send().await.expect("l").json().await.expect("j");
    assert_eq!(list.as_array().expect("array").len(), 1);
    let rated: Value = c
        .get(app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services?maturity_model=1.1&maturity_level=3&solution_kind=efa")))
        .send()
        .await
        .expect("l")
        .json()
        .await
        .expect("j");
    assert_eq!(rated.as_array().expect("array").len(), 1);
    let other_model: Value = c
        .get(app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services?maturity_model=2.0&maturity_level=3")))
        .send()
        .await
        .expect("l")
        .json()
        .await
        .expect("j");
    assert_eq!(other_model.as_array().expect("array").len(), 0, "levels of different models are not mixed");
    let page = c
        .post(app.url("/api/register_page"))
        .header("accept", "application/json")
        .form(&[("key", MAGDEBURG), ("reifegrad", "1.1:3"), ("sortierung", "name")])
        .send()
        .await
        .expect("page");
    let page: Value = page.json().await.expect("json");
    assert_eq!(page["total"], 1);
    assert_eq!(page["rows"][0]["ozg_id"], "10000");
    let all: Value = c.get(app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services"))).send().await.expect("l").json().await.expect("j");
    assert_eq!(all.as_array().expect("array").len(), 557);
}

#[tokio::test]
async fn a_stale_save_gets_a_conflict_with_the_newer_values_and_changes_nothing() {
    let app = app().await;
    let (a, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (b, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    assert_eq!(put(&app, &a, MAGDEBURG, "10000", planned(0)).await.status(), 200);
    assert_eq!(put(&app, &a, MAGDEBURG, "10000", online(1)).await.status(), 200);
    // b still works on version 1 and wants something else.
    let mut other = planned(1);
    other["note"] = json!("Rückfrage beim Landkreis");
    let res = put(&app, &b, MAGDEBURG, "10000", other).await;
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.expect("json");
    let msg = body["error"].as_str().unwrap_or_default();
    assert!(msg.contains("inzwischen") && msg.contains("online") && msg.contains("Reifegrad 3"), "{msg}");
    let now: Value = a.get(url(&app, MAGDEBURG, "10000")).send().await.expect("get").json().await.expect("json");
    assert_eq!(now["version"], 2);
    assert!(now["note"].is_null());
}

#[tokio::test]
async fn a_double_submit_records_one_change() {
    let app = app().await;
    let (c, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let first = put(&app, &c, MAGDEBURG, "10092", planned(0)).await;
    let second = put(&app, &c, MAGDEBURG, "10092", planned(0)).await;
    assert_eq!((first.status().as_u16(), second.status().as_u16()), (200, 200));
    let second: Value = second.json().await.expect("json");
    assert_eq!(second["version"], 1);
    assert_eq!(app.count("service_record_history").await, 1);
}

#[tokio::test]
async fn concurrent_saves_of_the_same_version_let_exactly_one_win() {
    let app = app().await;
    let (c, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    assert_eq!(put(&app, &c, MAGDEBURG, "10000", planned(0)).await.status(), 200);
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (c, u) = (c.clone(), url(&app, MAGDEBURG, "10000"));
        let mut body = planned(1);
        body["note"] = json!(format!("Fassung {i}"));
        tasks.push(tokio::spawn(async move { c.put(u).json(&body).send().await.expect("put").status().as_u16() }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("join"));
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 7, "{statuses:?}");
    assert_eq!(app.count("service_record_history").await, 2);
}

#[tokio::test]
async fn a_verbandsgemeinde_clerk_acts_for_members_only() {
    let app = app().await;
    let (c, _) = app.signed_in(Role::Clerk, "150815051").await;
    let vg = app::catalogue::service::orgs::by_key(&app.db, "150815051").await.expect("db").expect("vg");
    let member = app::catalogue::service::orgs::members_of(&app.db, &vg.id).await.expect("members").remove(0);
    let res = put(&app, &c, &member.key, "10000", planned(0)).await;
    assert_eq!(res.status(), 200);
    let saved: Value = res.json().await.expect("json");
    assert_eq!(saved["acting_organisation"], "Beetzendorf-Diesdorf", "the record says which organisation entered it");
    assert_eq!(put(&app, &c, MAGDEBURG, "10000", planned(0)).await.status(), 403, "not a member");
    assert_eq!(put(&app, &c, "150815051", "10000", planned(0)).await.status(), 200, "the VG itself");
}

#[tokio::test]
async fn only_the_kommunes_clerks_write_advisors_read_associations_and_the_public_do_not() {
    let app = app().await;
    let (own, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (foreign, _) = app.signed_in(Role::Clerk, HALLE).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let (assoc, _) = app.signed_in(Role::Association, "SGSA").await;
    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    let anon = client();
    assert_eq!(put(&app, &own, MAGDEBURG, "10000", planned(0)).await.status(), 200);
    let get = |c: reqwest::Client| {
        let u = url(&app, MAGDEBURG, "10000");
        async move { c.get(u).send().await.expect("get").status().as_u16() }
    };
    assert_eq!(get(own.clone()).await, 200);
    assert_eq!(get(foreign.clone()).await, 403);
    assert_eq!(get(advisor.clone()).await, 200);
    assert_eq!(get(assoc.clone()).await, 403);
    assert_eq!(get(admin.clone()).await, 200);
    assert_eq!(get(anon.clone()).await, 401);
    for (c, expected) in [(&foreign, 403), (&advisor, 403), (&assoc, 403), (&admin, 403), (&anon, 401)] {
        assert_eq!(put(&app, c, MAGDEBURG, "10000", online(1)).await.status(), expected);
    }
    assert_eq!(app.count("service_record_history").await, 1, "no denied write changed anything");
    let res = assoc.get(app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services"))).send().await.expect("list");
    assert_eq!(res.status(), 403);
    assert_eq!(get(reqwest::Client::new()).await, 401);
    let unknown = own.get(url(&app, "99999999", "10000")).send().await.expect("get");
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn bad_input_gets_field_level_german_messages_and_changes_nothing() {
    let app = app().await;
    let (c, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("99999", planned(0), "ozg_id"),
        ("10000", json!({ "offered": false, "responsibility": "own", "stage": "planned", "maturity_model": "1.1", "maturity_level": 6, "version": 0 }), "maturity_level"),
        ("10000", json!({ "offered": true, "responsibility": "own", "stage": "online", "stage_dates": { "planned": "2025-05-01", "online": "2025-02-01" }, "version": 0 }), "stage_dates"),
        ("10000", json!({ "offered": true, "responsibility": "own", "stage": "online", "url": "javascript:alert(document.cookie)", "version": 0 }), "url"),
        ("10000", json!({ "offered": false, "responsibility": "own", "stage": "planned", "note": "x".repeat(10 * 1024 * 1024), "version": 0 }), "note"),
        ("10000", json!({ "offered": false, "responsibility": "own", "stage": "irgendwas", "version": 0 }), ""),
    ];
    for (ozg, body, field) in cases {
        let res = put(&app, &c, MAGDEBURG, ozg, body).await;
        assert_eq!(res.status(), 422, "{field}");
        let body: Value = res.json().await.expect("json");
        let messages = &body["fields"][field];
        assert!(messages.as_array().is_some_and(|m| !m.is_empty()), "{field}: {body}");
    }
    assert_eq!(app.count("service_record").await, 0);
    assert_eq!(app.count("service_record_history").await, 0);
}

fn csv_url(app: &TestApp, ags: &str) -> String {
    app.url(&format!("/api/v1/municipalities/{ags}/services.csv"))
}

#[tokio::test]
async fn the_csv_export_reimports_unchanged_and_an_edited_row_becomes_one_history_entry() {
    let app = app().await;
    let (c, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    assert_eq!(put(&app, &c, MAGDEBURG, "10000", online(0)).await.status(), 200);
    let res = c.get(csv_url(&app, MAGDEBURG)).send().await.expect("export");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().expect("ascii").starts_with("attachment"));
    let body = res.bytes().await.expect("body");
    assert!(body.starts_with("\u{feff}OZG-ID;Leistung;".as_bytes()), "BOM and German headers");
    let text = std::str::from_utf8(&body).expect("utf8").to_string();
    assert_eq!(text.lines().count(), 558, "header and every catalogue entry");
    let elterngeld = text.lines().find(|l| l.starts_with("10000;")).expect("row");
    assert!(elterngeld.contains(";online;") && elterngeld.contains(";30.06.2025;") && elterngeld.contains("EfA-Nachnutzung"), "{elterngeld}");

    // Unchanged re-import: nothing changes.
    let report: Value = c.post(csv_url(&app, MAGDEBURG)).body(body.clone()).send().await.expect("import").json().await.expect("json");
    assert_eq!((report["changed"].as_u64(), report["unchanged"].as_u64()), (Some(0), Some(557)));
    assert_eq!(app.count("service_record_history").await, 1);

    // One row edited in a spreadsheet: one new history entry.
    let edited = text.replacen("10005;Kindergeld;Familie & Kind;nein;zuständig;;nicht begonnen;", "10005;Kindergeld;Familie & Kind;nein;zuständig;;geplant;", 1);
    assert_ne!(edited, text);
    let res = c.post(csv_url(&app, MAGDEBURG)).body(edited).send().await.expect("import");
    assert_eq!(res.status(), 200);
    let report: Value = res.json().await.expect("json");
    assert_eq!(report["changed"], 1);
    assert_eq!(app.count("service_record_history").await, 2);
}

#[tokio::test]
async fn a_csv_import_with_errors_names_line_and_column_and_changes_nothing() {
    let app = app().await;
    let (c, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let text = c.get(csv_url(&app, MAGDEBURG)).send().await.expect("export").text().await.expect("text");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Line 2 becomes valid and changed, line 5 gets an impossible Reifegrad: nothing may be applied.
    lines[1] = lines[1].replacen(";nicht begonnen;", ";geplant;", 1);
    let parts: Vec<&str> = lines[4].split(';').collect();
    let mut bad: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
    bad[13] = "1.1".into();
    bad[14] = "9".into();
    lines[4] = bad.join(";");
    let res = c.post(csv_url(&app, MAGDEBURG)).body(lines.join("\n")).send().await.expect("import");
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    let msgs = body["fields"]["datei"].as_array().expect("messages");
    assert!(msgs.iter().any(|m| m.as_str().unwrap_or_default().starts_with("Zeile 5, Spalte »Reifegrad«")), "{body}");
    assert_eq!(app.count("service_record").await, 0);
    // Another Kommune's clerk cannot import here.
    let (other, _) = app.signed_in(Role::Clerk, HALLE).await;
    assert_eq!(other.post(csv_url(&app, MAGDEBURG)).body(text.clone()).send().await.expect("import").status(), 403);
    assert_eq!(other.get(csv_url(&app, MAGDEBURG)).send().await.expect("export").status(), 403);
}

#[tokio::test]
async fn bulk_edit_sets_values_on_each_selected_service_with_one_history_entry_each() {
    let app = app().await;
    let (c, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let bulk_url = app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services/bulk"));
    let res = c
        .post(&bulk_url)
        .json(&json!({ "ozg_ids": ["10000", "10005", "10092"], "stage": "planned", "planned_go_live": "2026-10-01" }))
        .send()
        .await
        .expect("bulk");
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.expect("json")["changed"], 3);
    assert_eq!(app.count("service_record_history").await, 3);
    let r: Value = c.get(url(&app, MAGDEBURG, "10092")).send().await.expect("get").json().await.expect("json");
    assert_eq!((r["stage"].as_str(), r["planned_go_live"].as_str()), (Some("planned"), Some("2026-10-01")));
    // All matching a filter: the Fokusleistungen.
    let res = c.post(&bulk_url).json(&json!({ "filter": { "focus": true }, "solution_kind": "state_service" })).send().await.expect("bulk");
    assert_eq!(res.json::<Value>().await.expect("json")["changed"], 16);
    // Invalid for one service: nothing changes.
    let before = app.count("service_record_history").await;
    let res = c.post(&bulk_url).json(&json!({ "ozg_ids": ["10000", "99999"], "stage": "online" })).send().await.expect("bulk");
    assert_eq!(res.status(), 422);
    assert_eq!(app.count("service_record_history").await, before);
    // Another Kommune's clerk and an advisor cannot.
    let (other, _) = app.signed_in(Role::Clerk, HALLE).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    for c in [&other, &advisor] {
        let res = c.post(&bulk_url).json(&json!({ "ozg_ids": ["10000"], "stage": "online" })).send().await.expect("bulk");
        assert_eq!(res.status(), 403);
    }
}

#[tokio::test]
async fn the_bulk_form_works_as_a_plain_form_post() {
    let app = app().await;
    let (c, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let form = "suche=geld&ozg=10000&ozg=10092&stage=in_progress&solution_kind=&planned_go_live=";
    let res = c
        .post(app.url(&format!("/kommunen/{MAGDEBURG}/leistungen/sammelaenderung")))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", &app.base)
        .body(form)
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().expect("ascii").to_string();
    assert_eq!(location, format!("/kommunen/{MAGDEBURG}/leistungen?suche=geld&sammel=2"));
    let html = c.get(app.url(&location)).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("Sammeländerung gespeichert: 2 Leistungen geändert."));
    // A foreign site's form is refused by the CSRF guard.
    let res = c
        .post(app.url(&format!("/kommunen/{MAGDEBURG}/leistungen/sammelaenderung")))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://angreifer.example")
        .body(form)
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("service_record_history").await, 2);
}

#[tokio::test]
async fn advisors_annotate_a_register_entry_and_the_kommune_sees_it() {
    let app = app().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let (assoc, _) = app.signed_in(Role::Association, "SGSA").await;
    let notes = format!("{}/annotations", url(&app, MAGDEBURG, "10000"));
    let res = advisor.post(&notes).json(&json!({ "body": "Bitte EfA-Lösung aus Bremen prüfen." })).send().await.expect("post");
    assert_eq!(res.status(), 201);
    let seen: Value = clerk.get(&notes).send().await.expect("get").json().await.expect("json");
    assert_eq!(seen[0]["body"], "Bitte EfA-Lösung aus Bremen prüfen.");
    assert!(seen[0]["author"].as_str().unwrap_or_default().starts_with("Test"));
    for (c, status) in [(&clerk, 403), (&assoc, 403), (&client(), 401)] {
        let res = c.post(&notes).json(&json!({ "body": "x" })).send().await.expect("post");
        assert_eq!(res.status(), status);
    }
    assert_eq!(assoc.get(&notes).send().await.expect("get").status(), 403);
    let res = advisor.post(&notes).json(&json!({ "body": "   " })).send().await.expect("post");
    assert_eq!(res.status(), 422);
    assert_eq!(app.count("service_annotation").await, 1);
}
