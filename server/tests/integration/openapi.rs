//! The OpenAPI document against the running router: every documented operation exists, and the
//! answers of the real endpoints match the schemas the document gives for them (JSON Schema
//! 2020-12 validation of each body against the documented response of its status).

use crate::common::{TestApp, client, spawn_with, test_config};
use app::identity::Role;
use serde_json::{Value, json};

const MAGDEBURG: &str = "15003000";

/// Validates answers against the document.
struct Checker {
    doc: Value,
    checked: Vec<String>,
}

impl Checker {
    async fn new(app: &TestApp) -> Checker {
        let res = client().get(app.url("/api/v1/openapi.json")).send().await.expect("doc");
        assert_eq!(res.status(), 200);
        Checker { doc: res.json().await.expect("json"), checked: Vec::new() }
    }

    /// The documented JSON schema of an answer, with the document's components beside it so
    /// that `#/components/schemas/…` references resolve.
    fn schema(&self, method: &str, path: &str, status: u16) -> Value {
        let schema = &self.doc["paths"][path][method]["responses"][status.to_string()]["content"]["application/json"]["schema"];
        assert!(schema.is_object(), "{method} {path} documents no JSON answer for {status}");
        json!({ "$schema": "https://json-schema.org/draft/2020-12/schema", "components": self.doc["components"], "allOf": [schema] })
    }

    fn errors(&self, method: &str, path: &str, status: u16, body: &Value) -> Vec<String> {
        let validator = jsonschema::validator_for(&self.schema(method, path, status)).expect("the documented schema compiles");
        validator.iter_errors(body).map(|e| format!("{} at {}", e, e.instance_path)).collect()
    }

    /// Sends the request and checks status and body against the document.
    async fn call(&mut self, req: reqwest::RequestBuilder, method: &str, path: &str, status: u16) -> Value {
        let res = req.send().await.expect("request");
        let got = res.status().as_u16();
        let text = res.text().await.expect("body");
        assert_eq!(got, status, "{method} {path}: {text}");
        let body: Value = serde_json::from_str(&text).expect("a JSON answer");
        let errors = self.errors(method, path, status, &body);
        assert!(errors.is_empty(), "{method} {path} {status} does not match its documented schema: {errors:#?}\n{body}");
        self.checked.push(format!("{method} {path} {status}"));
        body
    }

    /// Sends a request whose documented answer has no body (204).
    async fn empty(&mut self, req: reqwest::RequestBuilder, method: &str, path: &str, status: u16) {
        let res = req.send().await.expect("request");
        let got = res.status().as_u16();
        let text = res.text().await.expect("body");
        assert_eq!((got, text.as_str()), (status, ""), "{method} {path}");
        assert!(self.doc["paths"][path][method]["responses"][status.to_string()].is_object(), "{method} {path} documents no {status}");
        self.checked.push(format!("{method} {path} {status}"));
    }
}

#[tokio::test]
async fn real_answers_match_the_documented_schemas() {
    let app = spawn_with(test_config(), true).await;
    let mut k = Checker::new(&app).await;
    let url = |p: &str| app.url(&format!("/api/v1{p}"));
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let (association, _) = app.signed_in(Role::Association, "SGSA").await;
    let anonymous = client();

    // A bad body fails the check: the validation is not a formality.
    assert!(!k.errors("get", "/me", 200, &json!({ "id": 5 })).is_empty());
    assert!(!k.errors("get", "/me", 401, &json!({ "error": 5 })).is_empty());

    // Accounts.
    k.call(clerk.get(url("/me")), "get", "/me", 200).await;
    k.call(anonymous.get(url("/me")), "get", "/me", 401).await;
    k.call(clerk.post(url("/tokens")).json(&json!({ "name": "Auswertung" })), "post", "/tokens", 201).await;
    k.call(clerk.get(url("/tokens")), "get", "/tokens", 200).await;

    // Leistungsregister.
    let svc = |p: &str| url(&format!("/municipalities/{MAGDEBURG}/services{p}"));
    k.call(clerk.get(svc("")), "get", "/municipalities/{ags}/services", 200).await;
    k.call(clerk.get(svc("?stage=online&focus=true")), "get", "/municipalities/{ags}/services", 200).await;
    k.call(clerk.get(svc("/10000")), "get", "/municipalities/{ags}/services/{ozg_id}", 200).await;
    let record = json!({ "offered": true, "responsibility": "own", "stage": "online", "stage_dates": { "online": "2025-03-01" },
        "maturity_model": "2.0", "maturity_level": 3, "solution_kind": "efa", "solution_name": "Elterngeld digital", "solution_provider": "Bremen",
        "url": "https://www.magdeburg.de/elterngeld", "version": 0 });
    k.call(clerk.put(svc("/10000")).json(&record), "put", "/municipalities/{ags}/services/{ozg_id}", 200).await;
    k.call(clerk.put(svc("/10000")).json(&json!({ "stage": "gibt es nicht" })), "put", "/municipalities/{ags}/services/{ozg_id}", 422).await;
    let mut stale = record.clone();
    stale["note"] = json!("auf Grundlage einer veralteten Version");
    k.call(clerk.put(svc("/10000")).json(&stale), "put", "/municipalities/{ags}/services/{ozg_id}", 409).await;
    k.call(clerk.get(svc("/10000/history")), "get", "/municipalities/{ags}/services/{ozg_id}/history", 200).await;
    k.call(clerk.get(url(&format!("/municipalities/{MAGDEBURG}/progress?months=3"))), "get", "/municipalities/{ags}/progress", 200).await;
    k.call(clerk.post(svc("/bulk")).json(&json!({ "ozg_ids": ["10001", "10002"], "stage": "planned" })), "post", "/municipalities/{ags}/services/bulk", 200).await;
    let csv = clerk.get(url(&format!("/municipalities/{MAGDEBURG}/services.csv"))).send().await.expect("export").text().await.expect("csv");
    k.call(clerk.post(url(&format!("/municipalities/{MAGDEBURG}/services.csv"))).body(csv), "post", "/municipalities/{ags}/services.csv", 200).await;
    assert_eq!(advisor.post(svc("/10000/annotations")).json(&json!({ "body": "Bitte Link prüfen." })).send().await.expect("note").status(), 201);
    k.call(clerk.get(svc("/10000/annotations")), "get", "/municipalities/{ags}/services/{ozg_id}/annotations", 200).await;
    k.call(association.get(svc("")), "get", "/municipalities/{ags}/services", 403).await;

    // Beratungsfälle.
    let case = k
        .call(clerk.post(url("/cases")).json(&json!({ "subject": "Anbindung ePayment", "category": "technik", "description": "Wie binden wir ePayment an?", "ozg_ids": ["10000"] })), "post", "/cases", 201)
        .await;
    let id = case["id"].as_i64().expect("id");
    k.call(clerk.get(url("/cases")), "get", "/cases", 200).await;
    k.call(advisor.get(url("/cases?view=all&q=ePayment")), "get", "/cases", 200).await;
    k.call(advisor.post(url(&format!("/cases/{id}/messages"))).json(&json!({ "body": "Intern: Fachverfahren prüfen", "internal": true })), "post", "/cases/{id}/messages", 201).await;
    let detail = k.call(advisor.get(url(&format!("/cases/{id}"))), "get", "/cases/{id}", 200).await;
    let version = detail["case"]["version"].as_i64().expect("version");
    k.call(advisor.patch(url(&format!("/cases/{id}"))).json(&json!({ "version": version, "status": "triage", "priority": "high", "tags": ["epayment"] })), "patch", "/cases/{id}", 200).await;
    k.call(advisor.patch(url(&format!("/cases/{id}"))).json(&json!({ "version": version, "status": "solved" })), "patch", "/cases/{id}", 409).await;
    k.call(clerk.get(url(&format!("/cases/{id}"))), "get", "/cases/{id}", 200).await;
    k.call(clerk.get(url(&format!("/cases/{id}/messages"))), "get", "/cases/{id}/messages", 200).await;
    let form = reqwest::multipart::Form::new().part("datei", reqwest::multipart::Part::bytes(b"Ablauf der Anbindung\n".to_vec()).file_name("ablauf.txt").mime_str("text/plain").expect("mime"));
    k.call(clerk.post(url(&format!("/cases/{id}/attachments"))).multipart(form), "post", "/cases/{id}/attachments", 201).await;
    k.call(clerk.get(url(&format!("/cases/{id}/attachments"))), "get", "/cases/{id}/attachments", 200).await;
    k.call(advisor.post(url("/cases/bulk")).json(&json!({ "ids": [id], "add_tag": "sprechstunde" })), "post", "/cases/bulk", 200).await;
    k.call(clerk.get(url("/case-categories")), "get", "/case-categories", 200).await;
    k.call(advisor.get(url("/case-teams")), "get", "/case-teams", 200).await;
    k.call(clerk.get(url("/case-teams")), "get", "/case-teams", 403).await;
    k.call(clerk.get(url("/notifications")), "get", "/notifications", 200).await;
    k.call(clerk.get(url("/cases/999999")), "get", "/cases/{id}", 404).await;

    // Lagebild: open data and the associations' aggregates.
    k.call(anonymous.get(url("/public/lagebild")), "get", "/public/lagebild", 200).await;
    k.call(anonymous.get(url("/public/lagebild?gebiet=15003&fokus=true")), "get", "/public/lagebild", 200).await;
    k.call(anonymous.get(url("/public/lagebild?gebiet=abc")), "get", "/public/lagebild", 422).await;
    k.call(anonymous.get(url("/public/areas/15/services?per_page=5")), "get", "/public/areas/{ars}/services", 200).await;
    k.call(anonymous.get(url("/public/services/10000")), "get", "/public/services/{ozg_id}", 200).await;
    k.call(association.get(url("/aggregates/lagebild")), "get", "/aggregates/lagebild", 200).await;
    k.call(advisor.get(url("/aggregates/areas/15/services")), "get", "/aggregates/areas/{ars}/services", 200).await;
    k.call(clerk.get(url("/aggregates/lagebild")), "get", "/aggregates/lagebild", 403).await;

    // Abfragen: published results as open data, and what a signed-in caller may read.
    let survey = crate::survey_results::published_survey(&app).await;
    k.call(anonymous.get(url("/public/surveys")), "get", "/public/surveys", 200).await;
    let public = k.call(anonymous.get(url(&format!("/public/surveys/{survey}/results"))), "get", "/public/surveys/{id}/results", 200).await;
    assert!(public["sections"][0]["questions"].as_array().is_some_and(|q| q.len() == 4), "{public}");
    k.call(anonymous.get(url("/public/surveys/999999/results")), "get", "/public/surveys/{id}/results", 404).await;
    let land = k.call(advisor.get(url(&format!("/surveys/{survey}/results"))), "get", "/surveys/{id}/results", 200).await;
    assert_eq!(land["audience"], "Land");
    k.call(association.get(url(&format!("/surveys/{survey}/results"))), "get", "/surveys/{id}/results", 200).await;
    k.call(anonymous.get(url(&format!("/surveys/{survey}/results"))), "get", "/surveys/{id}/results", 401).await;

    assert!(k.checked.len() >= 40, "checked {} answers", k.checked.len());
}

#[tokio::test]
async fn the_roll_out_faults_and_funding_answer_as_documented() {
    let app = spawn_with(test_config(), true).await;
    let mut k = Checker::new(&app).await;
    let url = |p: &str| app.url(&format!("/api/v1{p}"));
    let (a, b, conn_a, _conn_b) = crate::partners::two_services(&app).await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let (operator, _) = app.signed_in(Role::Partner, "ITDL-A").await;
    let (association, _) = app.signed_in(Role::Association, "SGSA").await;
    let conn = format!("/connections/{conn_a}");

    let list = k.call(operator.get(url("/connections")), "get", "/connections", 200).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1), "the operator's own service only: {list}");
    k.call(advisor.get(url("/connections")), "get", "/connections", 200).await;
    k.call(association.get(url("/connections")), "get", "/connections", 403).await;
    let view = k.call(operator.get(url(&conn)), "get", "/connections/{id}", 200).await;
    assert!(view["costs"].as_array().is_some_and(Vec::is_empty));
    let version = view["version"].as_i64().expect("version");
    k.call(clerk.get(url(&conn)), "get", "/connections/{id}", 200).await;
    k.empty(operator.put(url(&format!("{conn}/items/2"))).json(&json!({ "status": "erledigt", "note": "Mandant angelegt" })), "put", "/connections/{id}/items/{position}", 204).await;
    k.call(operator.put(url(&format!("{conn}/items/1"))).json(&json!({ "status": "erledigt" })), "put", "/connections/{id}/items/{position}", 422).await;
    k.call(operator.put(url(&format!("{conn}/dates"))).json(&json!({ "test": "2027-02-01", "live": "2027-01-01", "version": version })), "put", "/connections/{id}/dates", 422).await;
    k.empty(operator.put(url(&format!("{conn}/dates"))).json(&json!({ "test": "2027-02-01", "live": "2027-03-01", "version": version })), "put", "/connections/{id}/dates", 204).await;
    let version = k.call(advisor.get(url(&conn)), "get", "/connections/{id}", 200).await["version"].as_i64().expect("version");
    k.call(advisor.post(url(&format!("{conn}/step"))).json(&json!({ "state": "vorbereitung", "version": version - 1, "despite_open": true })), "post", "/connections/{id}/step", 409).await;
    k.empty(advisor.post(url(&format!("{conn}/step"))).json(&json!({ "state": "vorbereitung", "version": version, "despite_open": true })), "post", "/connections/{id}/step", 204).await;
    k.call(operator.get(url("/connections/999999")), "get", "/connections/{id}", 404).await;

    // Reports of faults and requirements.
    let service = format!("/efa-services/{a}/reports");
    let report = json!({ "kommune": MAGDEBURG, "kind": "stoerung", "title": "Antragsabruf bricht ab", "description": "Der Abruf endet mit Fehler 500.", "severity": "hoch", "since": "2026-12-01" });
    let mut bad = report.clone();
    bad["severity"] = json!("egal");
    k.call(clerk.post(url(&service)).json(&bad), "post", "/efa-services/{id}/reports", 422).await;
    let id = k.call(clerk.post(url(&service)).json(&report), "post", "/efa-services/{id}/reports", 201).await["id"].as_i64().expect("id");
    k.call(operator.get(url(&service)), "get", "/efa-services/{id}/reports", 200).await;
    k.call(operator.get(url(&format!("/efa-services/{b}/reports"))), "get", "/efa-services/{id}/reports", 403).await;
    let seen = k.call(operator.get(url(&format!("/reports/{id}"))), "get", "/reports/{id}", 200).await;
    let version = seen["version"].as_i64().expect("version");
    k.call(operator.post(url(&format!("/reports/{id}/answers"))).json(&json!({ "status": "umgesetzt", "version": version })), "post", "/reports/{id}/answers", 422).await;
    k.empty(operator.post(url(&format!("/reports/{id}/answers"))).json(&json!({ "body": "Behoben mit Version 2.3.", "status": "behoben", "version": version })), "post", "/reports/{id}/answers", 204).await;
    k.call(clerk.post(url(&format!("/reports/{id}/join"))).json(&json!({ "kommune": "15001000" })), "post", "/reports/{id}/join", 422).await;
    k.call(operator.post(url(&format!("/reports/{id}/join"))).json(&json!({ "kommune": MAGDEBURG })), "post", "/reports/{id}/join", 403).await;

    // The funding applications of one's own Kommune.
    let p = crate::common::funding::programme(&app, "Sachsen-Anhalt Digital 2027", "1.000.000,00").await;
    let (_, application) = crate::common::funding::apply(&app, &clerk, p, MAGDEBURG, "Software; 30.000,00", "20.000,00").await;
    let application = application.expect("application");
    let page = k.call(clerk.get(url("/funding/applications")), "get", "/funding/applications", 200).await;
    assert_eq!(page["applications"].as_array().map(Vec::len), Some(1));
    k.call(clerk.get(url(&format!("/funding/applications/{application}"))), "get", "/funding/applications/{id}", 200).await;
    k.call(operator.get(url("/funding/applications")), "get", "/funding/applications", 403).await;
    let (halle, _) = app.signed_in(Role::Clerk, "15002000").await;
    k.call(halle.get(url(&format!("/funding/applications/{application}"))), "get", "/funding/applications/{id}", 403).await;

    // The usage figures' open data, after the Land imported the example file.
    let part = reqwest::multipart::Part::bytes(include_bytes!("../../../data/beispiel-nutzungszahlen.csv").to_vec()).file_name("zsk.csv").mime_str("text/csv").expect("mime");
    let imported = advisor.post(app.url("/lagebild/nutzung/import")).multipart(reqwest::multipart::Form::new().part("datei", part)).send().await.expect("import");
    assert_eq!(imported.status(), 303);
    let usage = k.call(client().get(url("/public/usage?leistung=10124&kreis=15003")), "get", "/public/usage", 200).await;
    assert_eq!(usage["months"].as_array().and_then(|m| m.last()).cloned(), Some(json!("2026-11")), "{usage}");
    k.call(client().get(url("/public/usage?kreis=99999")), "get", "/public/usage", 422).await;
    assert_eq!(k.checked.len(), 28, "checked {:?}", k.checked);
}
