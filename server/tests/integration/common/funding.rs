//! Funding to work with: a programme open today, and filing an application.

use crate::common::TestApp;
use crate::common::db::{scalar, user_id};
use app::access::scope::Scope;
use app::funding::model::{ProgrammeForm, ProgrammeInput};
use app::funding::service::programmes;
use app::identity::Role;

/// A programme open today with the given budget (euros), 80 % and at most 50.000 € per project.
pub async fn programme(app: &TestApp, name: &str, budget: &str) -> i64 {
    let admin = user_id(app, &app.user(Role::Admin, "LAND").await).await;
    let today = chrono::Utc::now().date_naive();
    let input = ProgrammeForm {
        name: name.into(),
        description: "Förderung digitaler Vorhaben der Kommunen".into(),
        budget: budget.into(),
        rate: "80".into(),
        max: "50.000,00".into(),
        opens_on: (today - chrono::Duration::days(30)).format("%Y-%m-%d").to_string(),
        closes_on: (today + chrono::Duration::days(30)).format("%Y-%m-%d").to_string(),
        active: "ja".into(),
        version: "0".into(),
    };
    let input = ProgrammeInput::try_from(input).expect("a valid programme");
    programmes::save(&app.db, &Scope::Admin, &admin, None, &input).await.expect("programme")
}

/// Files an application; returns the status and the new application's id (if any).
pub async fn apply(app: &TestApp, c: &reqwest::Client, programme: i64, kommune: &str, plan: &str, requested: &str) -> (u16, Option<i64>) {
    let before = app.count("funding_application").await;
    let key = uuid::Uuid::new_v4().simple().to_string();
    let res = app
        .server_fn(
            c,
            "apply_funding",
            &[
                ("programm", &programme.to_string()),
                ("kommune", kommune),
                ("title", "Digitale Akte im Bürgeramt"),
                ("description", "Einführung einer digitalen Akte mit Anbindung an das Fachverfahren."),
                ("cost_plan", plan),
                ("requested", requested),
                ("ozg_ids", "10000, 10001"),
                ("idempotency_key", &key),
            ],
        )
        .await;
    let status = res.status().as_u16();
    let id = (app.count("funding_application").await > before).then_some(0);
    match id {
        Some(_) => (status, Some(scalar(app, "SELECT MAX(id) FROM funding_application").await)),
        None => (status, None),
    }
}
