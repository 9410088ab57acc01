//! What an advisor's answer does to a case: it moves a new case into work or, on request, to
//! "wartet auf Kommune"; whoever answers an unassigned case takes it (unless the Land has turned
//! that off); and the Kommune's clerks find the answer on their start page until they read it.

use crate::common::cases::{MAGDEBURG, case_json, file, message};
use crate::common::{TestApp, spawn};
use app::identity::Role;
use serde_json::json;

async fn case(app: &TestApp, c: &reqwest::Client, id: i64) -> serde_json::Value {
    case_json(app, c, id).await["case"].clone()
}

#[tokio::test]
async fn an_answer_moves_a_new_case_into_work_and_its_author_takes_it_when_nobody_has() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let id = file(&app, &clerk, "Frage zum Bauantrag", "Welche Unterlagen?").await;
    assert_eq!(case(&app, &advisor, id).await["status"], "new");

    // An internal note changes neither status nor owner.
    assert_eq!(message(&app, &advisor, id, "Erst intern klären", true).await.status(), 201);
    let c = case(&app, &advisor, id).await;
    assert_eq!((c["status"].as_str(), c["owner_id"].is_null()), (Some("new"), true));

    // The first public answer: "In Bearbeitung", and the advisor owns the case.
    assert_eq!(message(&app, &advisor, id, "Wir prüfen das.", false).await.status(), 201);
    let c = case(&app, &advisor, id).await;
    assert_eq!(c["status"], "in_progress");
    assert_eq!(c["owner_name"].as_str().map(|n| !n.is_empty()), Some(true), "{c}");
    let owner = c["owner_id"].as_str().expect("owner").to_string();

    // A second advisor's answer leaves the owner as it is.
    let (other, _) = app.signed_in(Role::Advisor, "LAND").await;
    assert_eq!(message(&app, &other, id, "Ergänzung der Kollegin.", false).await.status(), 201);
    assert_eq!(case(&app, &advisor, id).await["owner_id"].as_str(), Some(owner.as_str()));
}

#[tokio::test]
async fn answering_and_waiting_pauses_the_case_until_the_kommune_replies() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let id = file(&app, &clerk, "Zugang zum Fachverfahren", "Wer schaltet frei?").await;

    // Through the form's second button (a plain form post to the server function).
    let res = app.server_fn(&advisor, "reply_case", &[("id", &id.to_string()), ("body", "Welches Fachverfahren nutzen Sie?"), ("warten", "ja")]).await;
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    let c = case(&app, &advisor, id).await;
    assert_eq!(c["status"], "waiting");
    let timers = c["sla"].as_array().expect("timers");
    assert!(timers.iter().any(|t| t["state"] == "paused"), "the clock pauses: {timers:?}");

    // The Kommune's answer takes the case back into work.
    assert_eq!(message(&app, &clerk, id, "Wir nutzen das Landesverfahren.", false).await.status(), 201);
    assert_eq!(case(&app, &advisor, id).await["status"], "in_progress", "the Kommune's answer resumes the case");

    // Through REST: `wait: true`.
    let res = advisor
        .post(app.url(&format!("/api/v1/cases/{id}/messages")))
        .json(&json!({ "body": "Bitte senden Sie uns noch den Bescheid.", "wait": true }))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 201);
    assert_eq!(case(&app, &advisor, id).await["status"], "waiting");
}

#[tokio::test]
async fn with_taking_over_turned_off_an_answer_leaves_the_case_unassigned() {
    let app = spawn().await;
    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let res = app.server_fn(&admin, "admin_save_assignment", &[]).await;
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    let id = file(&app, &clerk, "Schnittstelle", "XÖV-Frage").await;
    assert_eq!(message(&app, &advisor, id, "Wir melden uns.", false).await.status(), 201);
    let c = case(&app, &advisor, id).await;
    assert!(c["owner_id"].is_null(), "{c}");
    assert_eq!(c["status"], "in_progress");
    // Advisors cannot change the setting.
    assert_eq!(app.server_fn(&advisor, "admin_save_assignment", &[("uebernehmen", "ja")]).await.status(), 403);
}

#[tokio::test]
async fn the_clerk_finds_the_land_s_answer_on_the_start_page_until_reading_it() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let id = file(&app, &clerk, "Frage zur E-Akte", "Wie binden wir sie an?").await;
    let start = |c: reqwest::Client| {
        let app = &app;
        async move { c.get(app.url("/")).send().await.expect("start").text().await.expect("html") }
    };
    assert!(!start(clerk.clone()).await.contains("Neue Antworten der Beratung"));
    assert_eq!(message(&app, &advisor, id, "So geht es: …", false).await.status(), 201);
    let html = start(clerk.clone()).await;
    assert!(html.contains("Neue Antworten der Beratung") && html.contains(&format!("Fall {id} »Frage zur E-Akte«")), "the answer is named on the start page");
    // Reading the case marks the answer read: it leaves the start page.
    case_json(&app, &clerk, id).await;
    let page = clerk.get(app.url(&format!("/faelle/{id}"))).send().await.expect("case page");
    assert_eq!(page.status(), 200);
    assert!(!start(clerk.clone()).await.contains(&format!("Fall {id} »Frage zur E-Akte«")));
    // An internal note is no answer to the Kommune; the next public answer is named again.
    assert_eq!(message(&app, &advisor, id, "Intern: Rückfrage beim IT-Dienstleister", true).await.status(), 201);
    assert!(!start(clerk.clone()).await.contains(&format!("Fall {id} »Frage zur E-Akte«")), "an internal note does not count");
    assert_eq!(message(&app, &advisor, id, "Nachtrag: die Schnittstelle ist freigeschaltet", false).await.status(), 201);
    assert!(start(clerk.clone()).await.contains(&format!("Fall {id} »Frage zur E-Akte«")), "a later answer is named again");
}

#[tokio::test]
async fn the_newest_land_answer_of_cases_that_exist_is_filled_in_when_its_column_arrives() {
    use migrations::{Migrator, MigratorTrait};
    use sea_orm::ConnectionTrait;
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let answered = file(&app, &clerk, "Frage zur E-Akte", "Wie binden wir sie an?").await;
    let noted = file(&app, &clerk, "Frage zum Bauantrag", "Wer prüft?").await;
    assert_eq!(message(&app, &advisor, answered, "So geht es: …", false).await.status(), 201);
    assert_eq!(message(&app, &advisor, noted, "Intern: erst klären", true).await.status(), 201);
    let column = |id: i64| {
        let db = app.db.clone();
        async move {
            let sql = format!(
                "SELECT CASE WHEN s.land_answered_at IS NULL THEN 'leer' \
                 WHEN s.land_answered_at = (SELECT MAX(m.created_at) FROM case_message m WHERE m.case_id = s.id AND m.author_side = 'land') THEN 'gleich' ELSE 'anders' END \
                 FROM support_case s WHERE s.id = {id}"
            );
            db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await.expect("query").expect("row").try_get_by_index::<String>(0).expect("text")
        }
    };
    assert_eq!((column(answered).await, column(noted).await), ("gleich".to_string(), "leer".to_string()), "kept by the trigger");
    // The column arrives on a database with cases and answers (PostgreSQL's deferred triggers
    // of the data versions must not stand in the way): it is filled in from the messages.
    let all = Migrator::migrations();
    let at = all.iter().position(|m| m.name() == "m0042_case_land_answer").expect("m0042");
    Migrator::down(&app.db, Some((all.len() - at) as u32)).await.expect("down to before m0042");
    Migrator::up(&app.db, None).await.expect("up with cases in the table");
    assert_eq!((column(answered).await, column(noted).await), ("gleich".to_string(), "leer".to_string()), "filled in from the messages");
}
