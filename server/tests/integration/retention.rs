//! Speicherfristen: the job deletes attachments of cases closed longer than their period,
//! old notifications and sent mail, and leaves everything younger alone.

use crate::common::{spawn, test_config};
use app::identity::Role;
use sea_orm::ConnectionTrait;

const OLD: &str = "2020-01-01 00:00:00+00:00";

#[tokio::test]
async fn personal_data_past_its_period_is_deleted_and_younger_data_stays() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, "15003000").await;
    let mut cases = Vec::new();
    for subject in ["Alt und geschlossen", "Neu"] {
        let filed = clerk
            .post(app.url("/api/v1/cases"))
            .json(&serde_json::json!({ "subject": subject, "category": "technik", "description": "x" }))
            .send()
            .await
            .expect("file");
        let id = filed.json::<serde_json::Value>().await.expect("json")["id"].as_i64().expect("id");
        let part = reqwest::multipart::Part::bytes(b"Name;Wert\n".to_vec()).file_name("liste.csv");
        let up = clerk.post(app.url(&format!("/faelle/{id}/anhaenge"))).multipart(reqwest::multipart::Form::new().part("datei", part)).send().await.expect("upload");
        assert_eq!(up.status(), 303);
        cases.push(id);
    }
    let old_case = cases[0];
    app.db.execute_unprepared(&format!("UPDATE support_case SET status = 'closed', last_activity_at = '{OLD}' WHERE id = {old_case}")).await.expect("age case");
    for to in ["alt@kommune.example", "neu@kommune.example"] {
        app::core::outbox::enqueue(&app.db, to, "Betreff", "Text").await.expect("queue");
    }
    app.db.execute_unprepared(&format!("UPDATE mail_outbox SET sent_at = '{OLD}' WHERE recipient = 'alt@kommune.example'")).await.expect("age mail");
    let user = app.count("app_user").await;
    assert!(user > 0);
    app.db
        .execute_unprepared(&format!(
            "INSERT INTO notification (id, user_id, case_id, kind, text, created_at, read_at) \
             SELECT 'alt', id, NULL, 'status', 'alt', '{OLD}', NULL FROM app_user LIMIT 1"
        ))
        .await
        .expect("old notification");
    let notifications = app.count("notification").await;
    let sessions = app.count("session").await;
    app.db.execute_unprepared(&format!("INSERT INTO session (id_hash, user_id, created_at, last_seen_at) SELECT 'abgelaufen', id, '{OLD}', '{OLD}' FROM app_user LIMIT 1")).await.expect("old session");
    let pruned = app::accounts::service::housekeeping::prune(&app.db, &test_config(), app::core::time::now()).await.expect("prune");
    assert_eq!((pruned.attachments, pruned.notifications, pruned.mails), (1, 1, 1), "{pruned:?}");
    assert_eq!(app.count(&format!("attachment WHERE case_id = {old_case}")).await, 0);
    assert_eq!(app.count("attachment").await, 1, "the open case keeps its attachment");
    assert_eq!(app.count("attachment_blob").await, 1, "and its bytes; the old bytes are gone");
    assert_eq!(app.count("support_case").await, 2, "cases themselves stay");
    assert_eq!(app.count("notification").await, notifications - 1);
    assert_eq!(app.count("mail_outbox").await, 1, "the unsent and the recent stay");
    assert_eq!(pruned.sessions, 1, "the expired session goes");
    assert_eq!(app.count("session").await, sessions, "live sessions stay");
    assert_eq!(app.me_status(&clerk).await, 200);
}

#[tokio::test]
async fn the_retention_deletes_run_once_an_hour_not_with_every_run_of_the_jobs() {
    let app = spawn().await;
    let runs = |app: &crate::common::TestApp| {
        let db = app.db.clone();
        async move { app::core::job_runs::list(&db).await.expect("runs").into_iter().find(|r| r.name == "speicherfristen").map_or(0, |r| r.runs) }
    };
    server::ops::jobs::run_once(&app.state, None).await;
    assert_eq!(runs(&app).await, 1);
    app::core::outbox::enqueue(&app.db, "alt@kommune.example", "Betreff", "Text").await.expect("queue");
    app.db.execute_unprepared(&format!("UPDATE mail_outbox SET sent_at = '{OLD}'")).await.expect("age mail");
    server::ops::jobs::run_once(&app.state, None).await;
    assert_eq!(runs(&app).await, 1, "not again within the hour");
    assert_eq!(app.count("mail_outbox").await, 1);
    let hour_ago = app::core::time::now() - server::ops::jobs::RETENTION_EVERY - chrono::Duration::minutes(1);
    app.db.execute_unprepared(&format!("UPDATE job_run SET last_run_at = '{}' WHERE name = 'speicherfristen'", hour_ago.to_rfc3339())).await.expect("an hour ago");
    server::ops::jobs::run_once(&app.state, None).await;
    assert_eq!(runs(&app).await, 2, "an hour later it runs");
    assert_eq!(app.count("mail_outbox").await, 0, "and deletes what has passed its period");
}
