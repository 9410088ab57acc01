//! Events and announcements through the real router: registration with places and a waiting
//! list (also under concurrent registrations), mails with the calendar entry, the reminder, the
//! public feed, and announcements that reach the selected Kommunen until read.

use crate::common::cases::{HALLE, MAGDEBURG};
use crate::common::events::{event, seed_events};
use crate::common::{spawn_with, test_config};
use app::events::service::attend;
use app::identity::Role;
use serde_json::Value;

fn mail_config() -> app::core::config::Config {
    app::core::config::Config { mail_enabled: true, ..test_config() }
}

#[tokio::test]
async fn places_fill_then_the_waiting_list_moves_up_and_mails_carry_the_calendar_entry() {
    let app = spawn_with(mail_config(), true).await;
    let id = event(&app, "OZG-Sprechstunde Januar", "kommunen", "1", 3).await;
    let (a, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (b, _) = app.signed_in(Role::Clerk, HALLE).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let reg = |c: &reqwest::Client, f: &'static str| {
        let req = c.post(app.url(&format!("/api/{f}"))).header("accept", "application/json").form(&[("id", id.to_string())]);
        async move { req.send().await.expect("request").status().as_u16() }
    };
    assert_eq!(reg(&advisor, "register_event").await, 403, "advisors hold the event, they do not register");
    assert_eq!(reg(&a, "register_event").await, 200);
    assert_eq!(reg(&a, "register_event").await, 409, "once");
    assert_eq!(reg(&b, "register_event").await, 200);
    assert_eq!(app.count(&format!("event_registration WHERE event_id = {id} AND status = 'angemeldet'")).await, 1);
    assert_eq!(app.count(&format!("event_registration WHERE event_id = {id} AND status = 'warteliste'")).await, 1);
    // Only those registered see the online link.
    let seen: Value = app.server_fn(&b, "load_event", &[("id", &id.to_string())]).await.json().await.expect("json");
    assert!(seen["online_url"].is_null() && seen["waiting_position"] == 1, "{seen}");
    let seen: Value = app.server_fn(&a, "load_event", &[("id", &id.to_string())]).await.json().await.expect("json");
    assert!(seen["online_url"].as_str().is_some_and(|u| u.contains("konferenz")), "{seen}");
    // The confirmation carries the calendar entry; the waiting list's mail does not.
    let ics = app.count("mail_outbox WHERE attachment_name = 'termin.ics' AND attachment_body LIKE '%BEGIN:VEVENT%' AND attachment_body LIKE '%DTSTART:%Z%'").await;
    assert_eq!(ics, 1, "one confirmation with the .ics");
    assert_eq!(app.count("mail_outbox WHERE subject LIKE 'Warteliste:%' AND attachment_name IS NULL").await, 1);
    // A cancels: B moves up and is told, with the calendar entry.
    assert_eq!(reg(&a, "unregister_event").await, 200);
    assert_eq!(app.count(&format!("event_registration WHERE event_id = {id} AND status = 'angemeldet'")).await, 1);
    assert_eq!(app.count("mail_outbox WHERE subject LIKE 'Nachgerückt:%' AND attachment_name = 'termin.ics'").await, 1);
    // The advisors see who is coming.
    let desk: Value = app.server_fn(&advisor, "load_event", &[("id", &id.to_string())]).await.json().await.expect("json");
    assert_eq!(desk["desk"]["registrants"].as_array().expect("list").len(), 1, "{desk}");
    // The reminder goes out once, the day before.
    let now = app::core::time::now();
    assert_eq!(attend::remind(&app.db, &app.state.config, now).await.expect("remind"), 0, "not yet");
    let day_before = now + chrono::Duration::days(2) + chrono::Duration::hours(12);
    assert_eq!(attend::remind(&app.db, &app.state.config, day_before).await.expect("remind"), 1);
    assert_eq!(attend::remind(&app.db, &app.state.config, day_before).await.expect("remind"), 0);
    assert_eq!(app.count("mail_outbox WHERE subject LIKE 'Erinnerung:%' AND attachment_name = 'termin.ics'").await, 1);
    // A cancelled event tells everyone and takes no registrations.
    let cancel = advisor.post(app.url("/api/cancel_event")).header("accept", "application/json").form(&[("id", id.to_string())]).send().await.expect("cancel");
    assert_eq!(cancel.status(), 200);
    assert_eq!(app.count("mail_outbox WHERE subject LIKE 'Abgesagt:%'").await, 1);
    assert_eq!(reg(&a, "register_event").await, 409);
}

#[tokio::test]
async fn concurrent_registrations_never_take_more_places_than_there_are() {
    let app = spawn_with(test_config(), true).await;
    let id = event(&app, "Workshop mit drei Plätzen", "kommunen", "3", 5).await;
    let mut clients = Vec::new();
    for _ in 0..10 {
        clients.push(app.signed_in(Role::Clerk, MAGDEBURG).await.0);
    }
    let url = app.url("/api/register_event");
    let tasks: Vec<_> = clients
        .iter()
        .map(|c| {
            let req = c.post(url.clone()).header("accept", "application/json").form(&[("id", id.to_string())]);
            tokio::spawn(async move { req.send().await.expect("request").status().as_u16() })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.expect("task"), 200);
    }
    assert_eq!(app.count(&format!("event_registration WHERE event_id = {id} AND status = 'angemeldet'")).await, 3);
    assert_eq!(app.count(&format!("event_registration WHERE event_id = {id} AND status = 'warteliste'")).await, 7);
}

#[tokio::test]
async fn bad_event_input_gets_german_messages_and_the_feed_lists_public_events_only() {
    let app = spawn_with(test_config(), true).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let res = app.server_fn(&advisor, "save_event", &[("title", "OZG"), ("starts", "2027-01-12T10:00"), ("ends", "2027-01-12T09:00"), ("online_url", "javascript:alert(1)"), ("capacity", "0"), ("audience", "oeffentlich")]).await;
    assert_eq!(res.status(), 422);
    let text = res.text().await.expect("text");
    for m in ["Das Ende muss nach dem Beginn liegen", "muss mit https:// beginnen", "ganze Zahl von 1 bis 10.000", "Bitte beschreiben Sie den Termin"] {
        assert!(text.contains(m), "{m}: {text}");
    }
    assert_eq!(app.count("event").await, 0);
    let [public, kommunen] = seed_events(&app).await;
    let res = crate::common::client().get(app.url("/termine.ics")).send().await.expect("feed");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().expect("type").starts_with("text/calendar"));
    let body = res.text().await.expect("body");
    assert!(body.starts_with("BEGIN:VCALENDAR\r\n") && body.contains("\r\nEND:VCALENDAR"), "{body}");
    assert!(body.contains(&format!("UID:termin-{public}@")) && body.contains("SUMMARY:Offene Sprechstunde"), "{body}");
    assert!(!body.contains(&format!("termin-{kommunen}@")) && !body.contains("konferenz"), "Kommunen-only events and links stay out: {body}");
    assert_eq!(crate::common::client().get(app.url(&format!("/api/v1/events/{kommunen}"))).send().await.expect("read").status(), 401);
}

#[tokio::test]
async fn an_announcement_reaches_the_selected_kommunen_until_it_is_read() {
    let app = spawn_with(mail_config(), true).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let (magdeburg, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (halle, _) = app.signed_in(Role::Clerk, HALLE).await;
    let expires = (app::core::time::now() + chrono::Duration::days(7)).format("%Y-%m-%d").to_string();
    let publish = |form: Vec<(&'static str, String)>| {
        let req = advisor.post(app.url("/api/publish_announcement")).header("accept", "application/json").form(&form);
        async move { req.send().await.expect("publish") }
    };
    // Nothing selected for "Kreise": refused, nothing stored.
    let res = publish(vec![("title", "Neue Förderrichtlinie".into()), ("body", "Text".into()), ("target", "kreise".into()), ("expires", expires.clone())]).await;
    assert_eq!(res.status(), 422);
    assert_eq!(app.count("announcement").await, 0);
    // The kind "kreisfreie Stadt": Magdeburg and Halle, no Landkreis.
    let res = publish(vec![
        ("title", "Neue Förderrichtlinie".into()),
        ("body", "Die **Richtlinie** gilt ab sofort. <script>alert(1)</script>".into()),
        ("target", "arten".into()),
        ("wahl[a1]", "kreisfreie_stadt".into()),
        ("expires", expires.clone()),
    ])
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.count("announcement_target").await, 3, "the three kreisfreie Städte");
    let overview: Value = app.server_fn(&magdeburg, "overview", &[]).await.json().await.expect("json");
    assert_eq!(overview["announcements"][0]["title"], "Neue Förderrichtlinie", "{overview}");
    let page = magdeburg.get(app.url("/")).send().await.expect("start").text().await.expect("html");
    assert!(page.contains("Mitteilungen der Landesberatung") && page.contains("<strong>Richtlinie") && page.contains("&lt;script&gt;"), "shown, script as text: {page}");
    assert!(app.count("notification WHERE kind = 'announcement'").await >= 2, "the clerks are notified");
    // Read: gone for Magdeburg's clerk, still there for Halle's.
    let id = overview["announcements"][0]["id"].as_i64().expect("id").to_string();
    assert_eq!(app.server_fn(&magdeburg, "read_announcement", &[("id", &id)]).await.status(), 200);
    let after: Value = app.server_fn(&magdeburg, "overview", &[]).await.json().await.expect("json");
    assert_eq!(after["announcements"], serde_json::json!([]));
    let other: Value = app.server_fn(&halle, "overview", &[]).await.json().await.expect("json");
    assert_eq!(other["announcements"].as_array().expect("list").len(), 1);
    // "OZG-Leistung not yet online": Magdeburg with 10000 online is left out.
    let record = magdeburg
        .put(app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services/10000")))
        .json(&serde_json::json!({ "offered": true, "responsibility": "own", "stage": "online", "url": "https://magdeburg.example/elterngeld", "version": 0 }))
        .send()
        .await
        .expect("record");
    assert!(record.status().is_success(), "{:?}", record.text().await);
    let res = publish(vec![("title", "Elterngeld online anbieten".into()), ("body", "Hilfe dazu".into()), ("target", "leistung_offen".into()), ("wert", "10000".into()), ("expires", expires)]).await;
    assert_eq!(res.status(), 200);
    let ann = {
        use sea_orm::{EntityTrait, QueryOrder};
        app::core::entities::announcement::Entity::find().order_by_desc(app::core::entities::announcement::Column::Id).one(&app.db).await.expect("db").expect("announcement").id
    };
    let magdeburg_org: String = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        app::core::entities::organisation::Entity::find().filter(app::core::entities::organisation::Column::Key.eq(MAGDEBURG)).one(&app.db).await.expect("db").expect("org").id
    };
    assert_eq!(app.count(&format!("announcement_target WHERE announcement_id = {ann} AND organisation_id = '{magdeburg_org}'")).await, 0);
    assert!(app.count(&format!("announcement_target WHERE announcement_id = {ann}")).await > 100, "the other Kommunen");
    // Clerks and the public do not publish.
    assert_eq!(app.server_fn(&halle, "publish_announcement", &[("title", "x")]).await.status(), 403);
}
