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
