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
    assert_eq!(app.server_fn(&clerk, "save_notification_prefs", &[("mail[reply]", "ja"), ("mail[connection]", "ja"), ("mute_status", "ja")]).await.status(), 200);
    let before = app.count("notification").await;
    let v = version(&app, &advisor, other).await;
    assert_eq!(patch(&app, &advisor, other, json!({"version": v, "status": "waiting"})).await.status(), 200);
    assert_eq!(app.count("notification").await, before, "no entry for a muted status change");
    assert_eq!(message(&app, &advisor, other, "Noch eine Antwort.", false).await.status(), 201);
    assert_eq!(app.count("notification").await, before + 1);
    let page: Value = app.server_fn(&clerk, "notifications_page", &[]).await.json().await.expect("json");
    assert_eq!(page["status_muted"], true);
    let prefs = page["prefs"].as_array().expect("prefs");
    assert!(prefs.iter().any(|p| p[0] == "reply" && p[2] == true), "the e-mail choices stay");
    assert!(prefs.iter().any(|p| p[0] == "connection" && p[2] == true), "every kind is saved, the newer ones too");
    assert!(prefs.iter().any(|p| p[0] == "service_report" && p[2] == false));
}

#[tokio::test]
async fn the_weekly_digest_holds_what_waits_for_the_person_once_a_week_and_nothing_when_empty() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let sink = crate::common::start_sink(listener).await;
    let app = crate::common::spawn_with(app::core::config::Config { mail_enabled: true, ..crate::common::test_config() }, true).await;
    let cfg = server::ops::mail::SmtpConfig::unencrypted("127.0.0.1", port, "portal@sachsen-anhalt.example");
    let (clerk, clerk_email) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (halle, halle_email) = app.signed_in(Role::Clerk, "15002000").await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    for c in [&clerk, &halle] {
        assert_eq!(app.server_fn(c, "save_notification_prefs", &[("digest", "ja")]).await.status(), 200);
    }
    let page: Value = app.server_fn(&clerk, "notifications_page", &[]).await.json().await.expect("json");
    assert_eq!(page["digest"], true);
    // Magdeburg: a case waiting for its answer, and a Verwendungsnachweis due in two weeks.
    let waiting = file(&app, &clerk, "Schnittstelle zum Fachverfahren", "Wie binden wir an?").await;
    assert_eq!(message(&app, &advisor, waiting, "Welches Fachverfahren nutzen Sie?", false).await.status(), 201);
    let v = version(&app, &advisor, waiting).await;
    assert_eq!(patch(&app, &advisor, waiting, json!({"version": v, "status": "waiting"})).await.status(), 200);
    let answered = file(&app, &clerk, "Bereits erledigt", "Nichts mehr offen.").await;
    let p = crate::common::funding::programme(&app, "Digitalprogramm", "100.000,00").await;
    let (_, application) = crate::common::funding::apply(&app, &clerk, p, MAGDEBURG, "Software; 10.000,00", "5.000,00").await;
    let application = application.expect("application");
    for (aktion, amount) in [("pruefen", ""), ("bewilligen", "5.000")] {
        let res = app.server_fn(&advisor, "funding_step", &[("id", &application.to_string()), ("aktion", aktion), ("amount", amount)]).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
    }
    // Monday 7 December 2026, 07:30 in Berlin.
    let monday = chrono::DateTime::parse_from_rfc3339("2026-12-07T06:30:00Z").expect("time").with_timezone(&chrono::Utc);
    let due = (monday + chrono::Duration::days(14)).format("%Y-%m-%d").to_string();
    sea_orm::ConnectionTrait::execute_unprepared(&app.db, &format!("UPDATE funding_application SET proof_due_on = '{due}' WHERE id = {application}")).await.expect("due");

    assert_eq!(app::start::digest::run(&app.db, &app.state.config, monday - chrono::Duration::hours(1)).await.expect("digest"), 0, "not before 07:00");
    let mails_before = app.count("mail_outbox").await;
    let (a, b) = tokio::join!(app::start::digest::run(&app.db, &app.state.config, monday), app::start::digest::run(&app.db, &app.state.config, monday));
    assert_eq!(a.expect("digest") + b.expect("digest"), 1, "one mail: Halle has nothing this week");
    assert_eq!(app::start::digest::run(&app.db, &app.state.config, monday + chrono::Duration::hours(3)).await.expect("digest"), 0, "once a week");
    assert_eq!(app.count("mail_outbox").await, mails_before + 1);
    server::ops::mail::deliver_due(&app.db, &cfg, app::core::time::now()).await.expect("deliver");
    let digest: Vec<String> = sink.bodies_to(&clerk_email).into_iter().filter(|m| m.contains("Woche ab 07.12.2026")).collect();
    assert_eq!(digest.len(), 1, "{digest:?}");
    assert!(digest[0].contains(&format!("Fall {waiting}: Schnittstelle")) && !digest[0].contains(&format!("Fall {answered}:")), "{}", digest[0]);
    assert!(digest[0].contains("Verwendungsnachweis für »Digitale Akte im Bürgeramt« fällig am 21.12.2026"), "{}", digest[0]);
    assert!(sink.bodies_to(&halle_email).iter().all(|m| !m.contains("Woche ab")), "nothing for Halle");
    // The Auskunft names the order; cancelled, no more digest.
    let auskunft = app::accounts::service::disclosure::export(&app.db, "test", &crate::common::db::user_id(&app, &clerk_email).await).await.expect("auskunft");
    assert_eq!(auskunft["wochenuebersicht"]["zuletzt_fuer_woche"], "2026-12-07", "{auskunft}");
    assert_eq!(app.server_fn(&clerk, "save_notification_prefs", &[]).await.status(), 200);
    assert_eq!(app.count("digest_subscription").await, 1);
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
