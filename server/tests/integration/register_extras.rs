//! Leistungsregister, continued: per-criterion maturity assessment and its administration,
//! the monthly progress, the CSV upload form, personal API tokens and the OpenAPI document.

use crate::common::{TestApp, client, spawn_with, test_config};
use app::identity::Role;
use serde_json::{Value, json};

const MAGDEBURG: &str = "15003000";
const HALLE: &str = "15002000";

async fn app() -> TestApp {
    spawn_with(test_config(), true).await
}

fn record_url(app: &TestApp, ozg: &str) -> String {
    app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services/{ozg}"))
}

fn rated(criteria: Value, level: Option<i64>, version: i64) -> Value {
    json!({ "offered": true, "responsibility": "own", "stage": "online", "maturity_model": "2.0",
            "maturity_level": level, "maturity_criteria": criteria, "version": version })
}

#[tokio::test]
async fn the_lowest_rated_criterion_sets_the_level_and_bad_assessments_change_nothing() {
    let app = app().await;
    let (c, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    assert_eq!(app.count("maturity_criterion WHERE model = '2.0'").await, 13, "model 2.0 is seeded with 13 criteria");
    assert_eq!(app.count("maturity_criterion WHERE model = '1.1'").await, 10, "model 1.1 with its 10");

    let res = c.put(record_url(&app, "10000")).json(&rated(json!({ "information": 6, "nachweise": 4, "bezahlung": null }), None, 0)).send().await.expect("put");
    assert_eq!(res.status(), 200);
    let saved: Value = res.json().await.expect("json");
    assert_eq!(saved["maturity_level"], 4, "the lowest rated criterion");
    assert_eq!(saved["maturity_criteria"]["bezahlung"], Value::Null);
    let history: Value = c.get(format!("{}/history", record_url(&app, "10000"))).send().await.expect("h").json().await.expect("json");
    let change = history[0]["changes"].as_array().expect("changes").iter().find(|c| c["field"] == "maturity_criteria").cloned().expect("criteria in history");
    assert_eq!(change["new"], "bezahlung=ne, information=6, nachweise=4");

    for (body, field, needle) in [
        (rated(json!({ "information": 6, "nachweise": 4 }), Some(6), 1), "maturity_level", "daher 4"),
        (rated(json!({ "gibt_es_nicht": 3 }), None, 1), "maturity_criteria", "»gibt_es_nicht«"),
        (rated(json!({ "information": 9 }), None, 1), "maturity_criteria", "zwischen 0 und 7"),
        (json!({ "offered": true, "responsibility": "own", "stage": "online", "maturity_criteria": { "information": 3 }, "version": 1 }), "maturity_criteria", "Reifegradmodell"),
    ] {
        let res = c.put(record_url(&app, "10000")).json(&body).send().await.expect("put");
        assert_eq!(res.status(), 422, "{body}");
        let err: Value = res.json().await.expect("json");
        let msgs = err["fields"][field].as_array().cloned().unwrap_or_default();
        assert!(msgs.iter().any(|m| m.as_str().unwrap_or_default().contains(needle)), "{field}: {err}");
    }
    assert_eq!(app.count("service_record_history").await, 1, "refused assessments recorded nothing");

    // The CSV carries the assessment and re-imports unchanged.
    let csv_url = app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services.csv"));
    let text = c.get(&csv_url).send().await.expect("export").text().await.expect("text");
    assert!(text.lines().next().expect("header").contains(";Reifegrad;Kriterienbewertung;Lösung;"));
    assert!(text.contains(";bezahlung=ne, information=6, nachweise=4;"), "assessment in the export");
    let report: Value = c.post(&csv_url).body(text.clone()).send().await.expect("import").json().await.expect("json");
    assert_eq!(report["changed"], 0);
    // Rated in the spreadsheet: the level follows the criteria.
    let edited = text.replacen(";bezahlung=ne, information=6, nachweise=4;", ";bezahlung=2, information=6, nachweise=4;", 1);
    let res = c.post(&csv_url).body(edited.clone()).send().await.expect("import");
    assert_eq!(res.status(), 422, "the old level 4 contradicts the new lowest criterion");
    let edited = edited.replacen(";2.0;4;bezahlung=2", ";2.0;;bezahlung=2", 1);
    let report: Value = c.post(&csv_url).body(edited).send().await.expect("import").json().await.expect("json");
    assert_eq!(report["changed"], 1);
    let now: Value = c.get(record_url(&app, "10000")).send().await.expect("get").json().await.expect("json");
    assert_eq!(now["maturity_level"], 2);
}

#[tokio::test]
async fn administrators_add_rename_and_retire_criteria_and_the_record_form_follows() {
    let app = app().await;
    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let res = app
        .server_fn(&admin, "admin_save_criterion", &[("model", "2.0"), ("code", "barrierefreiheit"), ("label", "Barrierefreiheit"), ("position", "14"), ("active", "ja")])
        .await;
    assert_eq!(res.status(), 200);
    // The same code twice, a bad code, an empty label: refused with German messages.
    for (code, label, needle) in [("barrierefreiheit", "Doppelt", "bereits"), ("Groß Buchstaben", "X", "Kleinbuchstaben"), ("leer", "", "Bezeichnung")] {
        let res = app.server_fn(&admin, "admin_save_criterion", &[("model", "2.0"), ("code", code), ("label", label), ("position", "15")]).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.expect("text").contains(needle));
    }
    assert_eq!(app.count("maturity_criterion WHERE model = '2.0'").await, 14);
    let page = clerk.get(app.url(&format!("/kommunen/{MAGDEBURG}/leistungen/10000"))).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("name=\"criteria[m20_barrierefreiheit]\""), "the new criterion is offered");

    // Rate it, then retire it: it disappears from new assessments but stays readable in the record.
    let body = rated(json!({ "barrierefreiheit": 5, "information": 6 }), None, 0);
    assert_eq!(clerk.put(record_url(&app, "10000")).json(&body).send().await.expect("put").status(), 200);
    let list: Vec<Value> = app.server_fn(&admin, "admin_criteria", &[]).await.json().await.expect("json");
    let id = list.iter().find(|c| c["code"] == "barrierefreiheit").and_then(|c| c["id"].as_str()).expect("id").to_string();
    let res = app.server_fn(&admin, "admin_save_criterion", &[("id", &id), ("model", "2.0"), ("label", "Barrierefreiheit (alt)"), ("position", "14")]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.count("audit_log WHERE action IN ('criterion_created', 'criterion_updated')").await, 2);
    let rated_page = clerk.get(app.url(&format!("/kommunen/{MAGDEBURG}/leistungen/10000"))).send().await.expect("page").text().await.expect("html");
    assert!(rated_page.contains("Barrierefreiheit (alt)") && rated_page.contains("(nicht mehr verwendet)"), "still shown where it is rated");
    let other = clerk.get(app.url(&format!("/kommunen/{MAGDEBURG}/leistungen/10001"))).send().await.expect("page").text().await.expect("html");
    assert!(!other.contains("criteria[m20_barrierefreiheit]"), "not offered for new assessments");
    // The code cannot be changed, the model neither.
    let res = app.server_fn(&admin, "admin_save_criterion", &[("id", &id), ("model", "1.1"), ("label", "X"), ("position", "1")]).await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn the_record_form_takes_criteria_and_derives_the_level() {
    let app = app().await;
    let (c, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let res = app
        .server_fn(
            &c,
            "save_record",
            &[
                ("key", MAGDEBURG),
                ("ozg_id", "10000"),
                ("version", "0"),
                ("stage", "online"),
                ("responsibility", "own"),
                ("maturity", "2.0:"),
                ("criteria[m20_information]", "5"),
                ("criteria[m20_online_antrag]", "3"),
                ("criteria[m20_bezahlung]", "ne"),
                ("criteria[m20_statusmonitor]", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
    let rec: Value = c.get(record_url(&app, "10000")).send().await.expect("get").json().await.expect("json");
    assert_eq!(rec["maturity_level"], 3);
    assert_eq!(rec["maturity_criteria"], json!({ "information": 5, "online_antrag": 3, "bezahlung": null }));
    // Criteria of the other model than the chosen rating: refused.
    let res = app
        .server_fn(&c, "save_record", &[("key", MAGDEBURG), ("ozg_id", "10001"), ("version", "0"), ("stage", "online"), ("responsibility", "own"), ("maturity", "1.1:3"), ("criteria[m20_information]", "5")])
        .await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn progress_per_month_counts_online_and_compliant_services_and_the_page_shows_chart_and_table() {
    let app = app().await;
    let (c, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let body = json!({ "offered": true, "responsibility": "own", "stage": "online", "maturity_model": "1.1", "maturity_level": 3, "version": 0 });
    assert_eq!(c.put(record_url(&app, "10000")).json(&body).send().await.expect("put").status(), 200);
    let body = json!({ "offered": true, "responsibility": "own", "stage": "online", "maturity_model": "1.1", "maturity_level": 2, "version": 0 });
    assert_eq!(c.put(record_url(&app, "10001")).json(&body).send().await.expect("put").status(), 200);
    let url = app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/progress?months=3"));
    let p: Value = c.get(&url).send().await.expect("progress").json().await.expect("json");
    assert_eq!(p["catalogue"], 557);
    let months = p["months"].as_array().expect("months");
    assert_eq!(months.len(), 3);
    assert_eq!((months[2]["online"].as_u64(), months[2]["compliant"].as_u64()), (Some(2), Some(1)));
    assert_eq!((months[0]["online"].as_u64(), months[0]["compliant"].as_u64()), (Some(0), Some(0)), "nothing before it was recorded");
    for bad in ["0", "61", "zwölf"] {
        let res = c.get(app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/progress?months={bad}"))).send().await.expect("progress");
        assert_eq!(res.status(), 422, "months={bad}");
    }
    let (assoc, _) = app.signed_in(Role::Association, "SGSA").await;
    assert_eq!(assoc.get(&url).send().await.expect("progress").status(), 403);
    let html = c.get(app.url(&format!("/kommunen/{MAGDEBURG}/leistungen"))).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("<title id=\"entwicklung-titel\">Anteil der Leistungen online und OZG-konform je Monat</title>"), "chart with a title");
    assert!(html.contains("Entwicklung je Monat als Tabelle"), "table alternative");
    assert!(html.contains("Leistungen je Reifegrad"));
}

#[tokio::test]
async fn the_csv_upload_form_imports_all_or_nothing_and_reports_every_problem() {
    let app = app().await;
    let (c, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let text = c.get(app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services.csv"))).send().await.expect("export").text().await.expect("text");
    let upload = |body: String| {
        let part = reqwest::multipart::Part::bytes(body.into_bytes()).file_name("register.csv").mime_str("text/csv").expect("mime");
        c.post(app.url(&format!("/kommunen/{MAGDEBURG}/leistungen/import"))).multipart(reqwest::multipart::Form::new().part("datei", part)).send()
    };
    let res = upload(text.clone()).await.expect("upload");
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("/kommunen/{MAGDEBURG}/leistungen?importiert=0&unveraendert=557"));
    let edited = text.replacen("10005;Kindergeld;Familie & Kind;nein;zuständig;;nicht begonnen;", "10005;Kindergeld;Familie & Kind;nein;zuständig;;geplant;", 1);
    let broken = edited.replacen("10006;", "99999;", 1);
    let res = upload(broken).await.expect("upload");
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("html");
    assert!(html.contains("Es wurde nichts gespeichert.") && html.contains("»99999« ist nicht im Katalog"), "{html}");
    assert!(html.contains("<html lang=\"de\">") && html.contains("<main"), "a complete German page");
    assert_eq!(app.count("service_record").await, 0);
    let res = upload(edited).await.expect("upload");
    assert_eq!(res.headers()["location"], format!("/kommunen/{MAGDEBURG}/leistungen?importiert=1&unveraendert=556"));
    let page = c.get(app.url(&format!("/kommunen/{MAGDEBURG}/leistungen?importiert=1&unveraendert=556"))).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("CSV-Datei eingelesen: 1 Leistung geändert, 556 unverändert."));
    // From another site: refused before anything is read.
    let part = reqwest::multipart::Part::bytes(text.into_bytes()).file_name("r.csv");
    let res = c
        .post(app.url(&format!("/kommunen/{MAGDEBURG}/leistungen/import")))
        .header("origin", "https://evil.example")
        .multipart(reqwest::multipart::Form::new().part("datei", part))
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), 403);
    assert!(page.contains("id=\"import-datei\""), "the Kommune's clerk gets the upload form");
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let read_only = advisor.get(app.url(&format!("/kommunen/{MAGDEBURG}/leistungen"))).send().await.expect("p").text().await.expect("h");
    assert!(!read_only.contains("import-datei"), "advisors read the register but do not import");
}

#[tokio::test]
async fn api_tokens_authenticate_the_rest_api_until_revoked_or_expired() {
    let app = app().await;
    let (c, email) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let res = c.post(app.url("/api/v1/tokens")).json(&json!({ "name": "Fachverfahren", "days": 30, "scope": "write", "reauth": crate::common::PASSWORD })).send().await.expect("create");
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.expect("json");
    let token = created["token"].as_str().expect("token").to_string();
    assert!(token.starts_with("ozgp_") && token.len() == 48);
    let list: Value = c.get(app.url("/api/v1/tokens")).send().await.expect("list").json().await.expect("json");
    assert!(!list.to_string().contains(&token), "the secret is never listed");
    assert_eq!(app.count(&format!("api_token WHERE token_hash = '{}'", app::core::session::hash_token(&token))).await, 1, "stored as a hash");

    let bare = client();
    let services = app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services?stage=planned"));
    assert_eq!(bare.get(&services).send().await.expect("anon").status(), 401);
    assert_eq!(bare.get(&services).bearer_auth(&token).send().await.expect("token").status(), 200);
    // The token writes with its owner's rights, and only those.
    let body = json!({ "offered": false, "responsibility": "own", "stage": "planned", "version": 0 });
    let res = bare.put(record_url(&app, "10000")).bearer_auth(&token).json(&body).send().await.expect("put");
    assert_eq!(res.status(), 200);
    let halle = app.url(&format!("/api/v1/municipalities/{HALLE}/services/10000"));
    assert_eq!(bare.put(&halle).bearer_auth(&token).json(&body).send().await.expect("put").status(), 403);
    // A token cannot create tokens; a wrong token is refused, not treated as anonymous.
    assert_eq!(bare.post(app.url("/api/v1/tokens")).bearer_auth(&token).json(&json!({ "name": "x" })).send().await.expect("c").status(), 403);
    let wrong = format!("{}x", &token[..token.len() - 1]);
    let res = bare.get(&services).bearer_auth(&wrong).send().await.expect("wrong");
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    assert!(res.text().await.expect("t").contains("API-Schlüssel ist ungültig"));
    // Bad input when creating.
    let res = c.post(app.url("/api/v1/tokens")).json(&json!({ "name": "", "days": 400 })).send().await.expect("create");
    assert_eq!(res.status(), 422);
    let err: Value = res.json().await.expect("json");
    assert!(err["fields"]["name"].is_array() && err["fields"]["days"].is_array());

    // Another user cannot revoke it; its owner can, and it stops working at once.
    let id = created["info"]["id"].as_str().expect("id").to_string();
    let (other, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    assert_eq!(other.delete(app.url(&format!("/api/v1/tokens/{id}"))).send().await.expect("d").status(), 404);
    assert_eq!(bare.get(&services).bearer_auth(&token).send().await.expect("token").status(), 200);
    assert_eq!(c.delete(app.url(&format!("/api/v1/tokens/{id}"))).send().await.expect("d").status(), 204);
    assert_eq!(bare.get(&services).bearer_auth(&token).send().await.expect("token").status(), 401);
    assert_eq!(app.count("audit_log WHERE action IN ('api_token_created', 'api_token_revoked')").await, 2);

    // Expired, and the owner deactivated: refused.
    let res = c.post(app.url("/api/v1/tokens")).json(&json!({ "name": "zweiter" })).send().await.expect("create");
    let second = res.json::<Value>().await.expect("json")["token"].as_str().expect("token").to_string();
    use sea_orm::ConnectionTrait;
    let backend = app.db.get_database_backend();
    let past = if backend == sea_orm::DatabaseBackend::Postgres { "NOW() - INTERVAL '1 day'" } else { "'2020-01-01T00:00:00+00:00'" };
    app.db.execute_unprepared(&format!("UPDATE api_token SET expires_at = {past} WHERE name = 'zweiter'")).await.expect("expire");
    assert_eq!(bare.get(&services).bearer_auth(&second).send().await.expect("token").status(), 401);
    let res = c.post(app.url("/api/v1/tokens")).json(&json!({ "name": "dritter" })).send().await.expect("create");
    let third = res.json::<Value>().await.expect("json")["token"].as_str().expect("token").to_string();
    let user = app::accounts::service::users::find_by_email(&app.db, &email).await.expect("db").expect("user");
    app::accounts::service::users::deactivate(&app.db, None, &user.id).await.expect("deactivate");
    assert_eq!(bare.get(&services).bearer_auth(&third).send().await.expect("token").status(), 401);
}

#[tokio::test]
async fn the_account_form_shows_a_new_token_once() {
    let app = app().await;
    let (c, _) = app.signed_in(Role::Advisor, "LAND").await;
    let res = c.post(app.url("/konto/api-schluessel")).form(&[("name", "Auswertung <b>"), ("days", "7")]).send().await.expect("form");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let html = res.text().await.expect("html");
    let start = html.find("value=\"ozgp_").expect("secret shown") + 7;
    let token = &html[start..start + 48];
    assert!(html.contains("Auswertung &lt;b&gt;"), "the name is escaped");
    let bare = client();
    assert_eq!(bare.get(app.url("/api/v1/me")).bearer_auth(token).send().await.expect("me").status(), 200);
    let account = c.get(app.url("/konto")).send().await.expect("konto").text().await.expect("html");
    assert!(account.contains("Auswertung &lt;b&gt;") && !account.contains(token), "listed without its secret");
    let res = c.post(app.url("/konto/api-schluessel")).form(&[("name", ""), ("days", "0")]).send().await.expect("form");
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("html").contains("Gültigkeit beträgt 1 bis 365 Tage"));
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint_the_router_has() {
    let app = app().await;
    let c = client();
    let res = c.get(app.url("/api/v1/openapi.json")).send().await.expect("doc");
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.expect("json");
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 12);
    for (method, path) in server::rest::openapi::operations() {
        assert!(doc["paths"][&path][&method].is_object(), "{method} {path} documented");
        let concrete = path.replace("{ags}", MAGDEBURG).replace("{ozg_id}", "10000").replace("{id}", "unbekannt").replace("{aid}", "unbekannt");
        let url = app.url(&format!("/api/v1{concrete}"));
        let req = match method.as_str() {
            "get" => c.get(url),
            "post" => c.post(url).body("{}"),
            "put" => c.put(url).body("{}"),
            "patch" => c.patch(url).body("{}"),
            "delete" => c.delete(url),
            other => panic!("{other}"),
        };
        let status = req.send().await.expect("request").status().as_u16();
        // Anonymous calls end at 401/422/204/200 — never at "no such route" (404/405).
        assert!(![404, 405].contains(&status), "{method} {path} answered {status}: the router lacks it");
    }
    // Field names and codes as the issue fixes them.
    let input = &doc["components"]["schemas"]["ServiceRecordInput"]["properties"];
    for f in ["offered", "responsibility", "responsibility_note", "stage", "stage_dates", "planned_go_live", "maturity_model", "maturity_level", "solution_kind", "solution_name", "url", "contact", "note", "version"] {
        assert!(input[f].is_object(), "{f}");
    }
    // Every reference points at a schema of the document.
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.iter().any(|r| r.ends_with("/TrendPoint")));
    for r in found {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{r}: not a schema reference"));
        assert!(doc["components"]["schemas"][name].is_object(), "{r} is defined");
    }
}
