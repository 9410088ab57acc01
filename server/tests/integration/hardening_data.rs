//! Hardening of what the portal publishes and shows: no single Kommune's words in public
//! figures, no formula in any CSV, and no trace of internal work for the Kommune.

use crate::common::cases::{case_json, file, message, patch};
use crate::common::{TestApp, spawn, spawn_with, test_config};
use app::identity::Role;
use app::register::model::SolutionKind;
use app::core::entities::organisation;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

const MAGDEBURG: &str = "15003000";

/// Records an EfA solution with `name` for OZG-Leistung 10000 in each of `kommunen`.
async fn efa(app: &TestApp, kommunen: &[organisation::Model], name: &str) {
    let email = app.user(Role::Clerk, MAGDEBURG).await;
    let user = crate::common::db::current(app, &email).await;
    for k in kommunen {
        let scope = app::access::scope::Scope::Municipal { org_ids: [k.id.clone()].into_iter().collect() };
        let mut input = app::register::service::default_input();
        input.solution_kind = Some(SolutionKind::Efa);
        input.solution_name = Some(name.to_string());
        input.solution_provider = Some("Schleswig-Holstein".into());
        app::register::service::put(&app.db, &user, &scope, &k.key, "10000", &input).await.expect("saved");
    }
}

#[tokio::test]
async fn public_figures_name_only_listed_efa_services_behind_enough_kommunen() {
    let app = spawn_with(test_config(), true).await;
    let einheit = organisation::Entity::find()
        .filter(organisation::Column::Kind.eq("einheitsgemeinde"))
        .order_by_asc(organisation::Column::Key)
        .all(&app.db)
        .await
        .expect("orgs");
    // Three Kommunen reuse a listed service (in three spellings), three name a project in their
    // own words, two a listed service that too few reuse.
    efa(&app, &einheit[0..1], "Wohngeld-Plus").await;
    efa(&app, &einheit[1..2], "wohngeld-plus").await;
    efa(&app, &einheit[2..3], "  Wohngeld-Plus ").await;
    efa(&app, &einheit[3..6], "Projekt von Frau Beispiel, Tel. 0391 1234").await;
    efa(&app, &einheit[6..8], "Elterngeld Digital").await;
    let admin = app.user(Role::Admin, "LAND").await;
    let admin_id = app::accounts::service::users::find_by_email(&app.db, &admin).await.expect("db").expect("admin").id;
    app::catalogue::service::efa::save(&app.db, &admin_id, None, "Wohngeld-Plus", "Schleswig-Holstein", true).await.expect("listed");
    app::catalogue::service::efa::save(&app.db, &admin_id, None, "Elterngeld Digital", "", true).await.expect("listed");
    let dup = app::catalogue::service::efa::save(&app.db, &admin_id, None, " wohngeld-PLUS ", "", true).await;
    assert!(matches!(dup, Err(app::error::AppError::Validation(_))), "a name is listed once");

    let public: Value = crate::common::client().get(app.url("/api/v1/public/lagebild?format=json")).send().await.expect("get").json().await.expect("json");
    let rows = public["efa"].as_array().expect("efa rows");
    let text = public["efa"].to_string();
    assert!(!text.contains("Frau Beispiel"), "free text never reaches the public: {text}");
    assert!(!text.contains("Elterngeld Digital"), "a name behind two Kommunen is not published: {text}");
    let wohngeld = rows.iter().find(|r| r["service"] == "Wohngeld-Plus").expect("the listed service, in the list's spelling");
    assert_eq!(wohngeld["kommunen"], 3);
    let (association, _) = app.signed_in(Role::Association, "SGSA").await;
    let theirs = association.get(app.url("/api/v1/aggregates/lagebild?format=json")).send().await.expect("get").text().await.expect("t");
    assert!(!theirs.contains("Frau Beispiel") && !theirs.contains("Elterngeld Digital"));
    assert!(theirs.contains("Wohngeld-Plus"));
    // The Land sees what was entered.
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let land = advisor.get(app.url("/api/v1/aggregates/lagebild?format=json")).send().await.expect("get").text().await.expect("t");
    assert!(land.contains("Frau Beispiel") && land.contains("Elterngeld Digital"));
    // Administrators keep the list on the catalogue page.
    let (admin_c, _) = app.signed_in(Role::Admin, "LAND").await;
    let res = app.server_fn(&admin_c, "admin_save_efa_service", &[("name", "Digitaler Bauantrag"), ("provider", "Mecklenburg-Vorpommern")]).await;
    assert_eq!(res.status(), 200);
    let page = admin_c.get(app.url("/verwaltung/katalog")).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("Digitaler Bauantrag") && page.contains("EfA-Dienste für veröffentlichte Zahlen"));
}

/// Every cell of a `;`-separated CSV (BOM removed).
fn cells(csv_text: &str) -> Vec<String> {
    let text = csv_text.trim_start_matches('\u{feff}');
    let mut r = csv::ReaderBuilder::new().delimiter(b';').has_headers(false).flexible(true).from_reader(text.as_bytes());
    r.records().flat_map(|rec| rec.expect("record").iter().map(str::to_string).collect::<Vec<_>>()).collect()
}

fn assert_no_formula(context: &str, csv_text: &str) {
    for c in cells(csv_text) {
        let first = c.chars().next();
        let number = c.strip_prefix('-').is_some_and(|r| !r.is_empty() && r.chars().all(|ch| ch.is_ascii_digit() || ch == ','));
        assert!(number || !matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')), "{context}: a spreadsheet would run »{c}«");
    }
}

#[tokio::test]
async fn every_csv_neutralises_formulas_and_the_register_still_round_trips() {
    let app = spawn_with(test_config(), true).await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let record = app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services/10000"));
    let note = "=HYPERLINK(\"http://boese.example\";\"Hier klicken\")";
    let body = json!({
        "offered": true, "responsibility": "own", "stage": "online", "version": 0,
        "solution_kind": "efa", "solution_name": "=cmd|' /C calc'!A0", "solution_provider": "@Land", "contact": "+49 391 540-0", "note": note,
    });
    let res = clerk.put(&record).json(&body).send().await.expect("put");
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
    let csv_url = app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services.csv"));
    let exported = clerk.get(&csv_url).send().await.expect("csv").text().await.expect("t");
    assert_no_formula("register export", &exported);
    assert!(exported.contains("'=HYPERLINK") && exported.contains("'+49 391 540-0"));
    // The export reads back unchanged.
    let res = clerk.post(&csv_url).body(exported.clone()).send().await.expect("import");
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
    let again: Value = clerk.get(&record).send().await.expect("get").json().await.expect("json");
    assert_eq!(again["note"], note);
    assert_eq!(again["contact"], "+49 391 540-0");
    assert_eq!(clerk.get(&csv_url).send().await.expect("csv").text().await.expect("t"), exported);
    // The Lagebild's downloads (the Land sees the EfA name as entered) and open data.
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let land = advisor.get(app.url("/api/v1/aggregates/lagebild?format=csv")).send().await.expect("csv").text().await.expect("t");
    assert!(land.contains("'=cmd"), "the Land's download carries the name, neutralised");
    assert_no_formula("Lagebild of the Land", &land);
    let public = crate::common::client().get(app.url("/api/v1/public/lagebild?format=csv")).send().await.expect("csv").text().await.expect("t");
    assert_no_formula("open data", &public);
    let services = crate::common::client().get(app.url("/api/v1/public/areas/15/services?format=csv")).send().await.expect("csv").text().await.expect("t");
    assert_no_formula("open data per service", &services);
}

#[tokio::test]
async fn internal_work_leaves_no_trace_for_the_kommune() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, advisor_email) = app.signed_in(Role::Advisor, "LAND").await;
    let older = file(&app, &clerk, "Älterer Fall", "x").await;
    let newer = file(&app, &clerk, "Neuerer Fall", "x").await;
    let seen = case_json(&app, &clerk, older).await["case"].clone();
    let list = |c: reqwest::Client, q: &'static str| {
        let url = app.url(&format!("/api/v1/cases{q}"));
        async move {
            let v: Value = c.get(url).send().await.expect("list").json().await.expect("json");
            v["cases"].as_array().expect("cases").iter().map(|c| c["id"].as_i64().expect("id")).collect::<Vec<_>>()
        }
    };
    assert_eq!(list(clerk.clone(), "").await, vec![newer, older]);
    // The advisor works the older case internally: a note, owner, priority and tags.
    assert_eq!(message(&app, &advisor, older, "Intern: Rückfrage beim Dienstleister", true).await.status(), 201);
    let advisor_id = app::accounts::service::users::find_by_email(&app.db, &advisor_email).await.expect("db").expect("advisor").id;
    let res = patch(&app, &advisor, older, json!({ "owner_id": advisor_id, "priority": "urgent", "tags": ["eilig"] })).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
    let now_seen = case_json(&app, &clerk, older).await["case"].clone();
    assert_eq!(now_seen["version"], seen["version"], "the Kommune's version");
    assert_eq!(now_seen["updated_at"], seen["updated_at"], "the Kommune's time of last change");
    assert_eq!(list(clerk.clone(), "").await, vec![newer, older], "its place in the Kommune's list");
    // Sorting and filtering by what the Kommune cannot see change nothing.
    assert_eq!(list(clerk.clone(), "?sort=priority").await, vec![newer, older]);
    assert_eq!(list(clerk.clone(), "?sort=due").await, vec![newer, older]);
    assert_eq!(list(clerk.clone(), "?priority=urgent").await, vec![newer, older]);
    assert_eq!(list(clerk.clone(), "?view=overdue").await, vec![newer, older]);
    // The advisor sees the change; a public reply then moves the Kommune's view too.
    assert!(case_json(&app, &advisor, older).await["case"]["version"].as_i64() > seen["version"].as_i64());
    assert_eq!(message(&app, &advisor, older, "Antwort an die Kommune", false).await.status(), 201);
    let replied = case_json(&app, &clerk, older).await["case"].clone();
    assert!(replied["version"].as_i64() > seen["version"].as_i64());
    assert_eq!(list(clerk, "").await, vec![older, newer]);
}
