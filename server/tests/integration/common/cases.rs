//! Beratungsfälle for any test: two Kommunen, and filing, reading and changing a case through
//! the REST API.

use crate::common::TestApp;
use serde_json::{Value, json};

pub const MAGDEBURG: &str = "15003000";

pub const HALLE: &str = "15002000";

pub async fn file(app: &TestApp, c: &reqwest::Client, subject: &str, description: &str) -> i64 {
    let res = c
        .post(app.url("/api/v1/cases"))
        .json(&json!({ "subject": subject, "category": "technik", "description": description }))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 201, "filing a case");
    res.json::<Value>().await.expect("json")["id"].as_i64().expect("id")
}

pub async fn case_json(app: &TestApp, c: &reqwest::Client, id: i64) -> Value {
    let res = c.get(app.url(&format!("/api/v1/cases/{id}"))).send().await.expect("request");
    assert_eq!(res.status(), 200);
    res.json().await.expect("json")
}

pub async fn version(app: &TestApp, c: &reqwest::Client, id: i64) -> i64 {
    case_json(app, c, id).await["case"]["version"].as_i64().expect("version")
}

pub async fn patch(app: &TestApp, c: &reqwest::Client, id: i64, mut body: Value) -> reqwest::Response {
    body["version"] = json!(version(app, c, id).await);
    c.patch(app.url(&format!("/api/v1/cases/{id}"))).json(&body).send().await.expect("request")
}

pub async fn message(app: &TestApp, c: &reqwest::Client, id: i64, body: &str, internal: bool) -> reqwest::Response {
    c.post(app.url(&format!("/api/v1/cases/{id}/messages"))).json(&json!({ "body": body, "internal": internal })).send().await.expect("request")
}
