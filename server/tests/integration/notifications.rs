//! Notifications people can read: grouped by case, cut after a word, quotes inside quotes as
//! ›‹, links to their page (the configured base address only in mails), and status-only
//! changes that a person may switch off.

use crate::common::cases::{MAGDEBURG, file, message, patch, version};
use crate::common::spawn;
use app::identity::Role;
use serde_json::{Value, json};

#[tokio::test]
async fn notifications_are_grouped_cut_at_a_word_quoted_once_linked_and_status_changes_can_be_muted() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let id = file(&app, &clerk, "»Baulastenverzeichnis« digital", "Wie geht das?").await;
    let other = file(&app, &clerk, "Zweite Frage", "Noch etwas.").await;
    let long = "Bitte prüfen Sie die Unterlagen zum Baulastenverzeichnis noch einmal, insbesondere die Auszüge der Liegenschaftskarte.";
    assert_eq!(message(&app, &advisor, id, long, false).await.status(), 201);
    assert_eq!(message(&app, &advisor, other, "Kurz: ja.", false).await.status(), 201);
    let v = version(&app, &advisor, id).await;
    assert_eq!(patch(&app, &advisor, id, json!({"version": v, "status": "waiting"})).await.status(), 200);

    let page: Value = app.server_fn(&clerk, "notifications_page", &[]).await.json().await.expect("json");
    let groups = page["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 2, "one group per case: {page}");
    assert_eq!(groups[0].as_array().expect("group").len(), 2, "the status change and the answer of the first case together");
    assert_eq!(groups[0][0]["link"], format!("/faelle/{id}"));
    let texts: Vec<&str> = groups.iter().flat_map(|g| g.as_array().expect("group")).map(|n| n["text"].as_str().expect("text")).collect();
    let answer = texts.iter().find(|t| t.starts_with("Neue Antwort zu Fall") && t.contains("Baulasten")).expect("the answer");
    assert!(answer.contains("»›Baulastenverzeichnis‹ digital«") && !answer.contains("««"), "{answer}");
    assert!(answer.ends_with('…'), "{answer}");
    let preview = answer.rsplit_once("«: ").map(|(_, p)| p).unwrap_or_default().trim_end_matches('…');
    assert!(long.starts_with(preview) && long[preview.len()..].starts_with([' ', ',']), "cut after a whole word: {answer}");

    // Muted, a status-only change leaves nothing; an answer still arrives.
    assert_eq!(app.server_fn(&clerk, "save_notification_prefs", &[("reply", "ja"), ("mute_status", "ja")]).await.status(), 200);
    let before = app.count("notification").await;
    let v = version(&app, &advisor, other).await;
    assert_eq!(patch(&app, &advisor, other, json!({"version": v, "status": "waiting"})).await.status(), 200);
    assert_eq!(app.count("notification").await, before, "no entry for a muted status change");
    assert_eq!(message(&app, &advisor, other, "Noch eine Antwort.", false).await.status(), 201);
    assert_eq!(app.count("notification").await, before + 1);
    let page: Value = app.server_fn(&clerk, "notifications_page", &[]).await.json().await.expect("json");
    assert_eq!(page["status_muted"], true);
    assert!(page["prefs"].as_array().expect("prefs").iter().any(|p| p[0] == "reply" && p[2] == true), "the e-mail choices stay");
}

#[tokio::test]
async fn notifications_carry_no_address_their_link_a_page_and_mails_the_base_address() {
    let mut config = crate::common::test_config();
    config.base_url = "https://ozg.example.org".into();
    config.mail_enabled = true;
    let app = crate::common::spawn_with(config, false).await;
    let (clerk, clerk_email) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let id = file(&app, &clerk, "Frage", "Text").await;
    assert_eq!(message(&app, &advisor, id, "Antwort mit »Zitat«.", false).await.status(), 201);
    // An announcement to every Kommune points to the start page, where announcements are read.
    let expires = (app::core::time::now() + chrono::Duration::days(7)).format("%Y-%m-%d").to_string();
    let form = [("title", "Neue »EfA«-Runde"), ("body", "Text"), ("target", "alle"), ("expires", expires.as_str())];
    assert_eq!(app.server_fn(&advisor, "publish_announcement", &form).await.status(), 200);
    let row = crate::common::db::text(&app, &format!("SELECT text || '|' || link FROM notification WHERE kind = 'announcement' AND user_id = '{}'", crate::common::db::user_id(&app, &clerk_email).await)).await;
    assert_eq!(row, "Mitteilung der Landesberatung: »Neue ›EfA‹-Runde«|/");
    use sea_orm::ConnectionTrait;
    let rows = app.db.query_all_raw(sea_orm::Statement::from_string(app.db.get_database_backend(), "SELECT text, link FROM notification")).await.expect("rows");
    for r in rows {
        let text: String = r.try_get_by_index(0).expect("text");
        assert!(!text.contains("http"), "no address in the text: {text}");
    }
    let mail = crate::common::db::text(&app, &format!("SELECT body FROM mail_outbox WHERE recipient = '{clerk_email}'")).await;
    assert!(mail.contains(&format!("Im Portal: https://ozg.example.org/faelle/{id}")), "{mail}");
}
