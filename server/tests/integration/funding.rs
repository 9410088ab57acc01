//! Funding through the real router: programmes, applications checked against rate and maximum,
//! the typed workflow with its audit, a budget that two approvals at once cannot exceed, and the
//! figures with their suppression.

use crate::common::cases::{HALLE, MAGDEBURG};
use crate::common::funding::{apply, programme};
use crate::common::{spawn_with, test_config, TestApp};
use crate::common::db::{scalar, text, user_id};
use app::access::scope::Scope;
use app::funding::model::{ProgrammeForm, ProgrammeInput};
use app::funding::service::programmes;
use app::identity::Role;

async fn act(app: &TestApp, c: &reqwest::Client, id: i64, action: &str, amount: &str, note: &str) -> u16 {
    app.server_fn(c, "funding_step", &[("id", &id.to_string()), ("aktion", action), ("amount", amount), ("note", note)]).await.status().as_u16()
}

#[tokio::test]
async fn an_application_is_checked_against_rate_and_maximum_and_worked_through_its_workflow() {
    let app = spawn_with(test_config(), true).await;
    let p = programme(&app, "Sachsen-Anhalt Digital 2027", "1.000.000,00").await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (other, _) = app.signed_in(Role::Clerk, HALLE).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let (assoc, _) = app.signed_in(Role::Association, "SGSA").await;
    // 80 % of 40.000 € is 32.000 €: more is refused; a plan without amounts too.
    assert_eq!(apply(&app, &clerk, p, MAGDEBURG, "Software; 30.000,00\nSchulung; 10.000,00", "32.000,01").await, (422, None));
    assert_eq!(apply(&app, &clerk, p, MAGDEBURG, "Software ohne Betrag", "1.000").await, (422, None));
    assert_eq!(apply(&app, &clerk, p, HALLE, "Software; 30.000,00", "1.000").await.0, 403, "only for one's own Kommune");
    assert_eq!(apply(&app, &advisor, p, MAGDEBURG, "Software; 30.000,00", "1.000").await.0, 403, "Kommunen apply");
    let (status, id) = apply(&app, &clerk, p, MAGDEBURG, "Software; 30.000,00\nSchulung; 10.000,00", "32.000,00").await;
    assert_eq!(status, 200);
    let id = id.expect("application");
    assert_eq!(scalar(&app, &format!("SELECT total_cents FROM funding_application WHERE id = {id}")).await, 4_000_000);
    // Who reads it.
    assert_eq!(app.server_fn(&other, "funding_application", &[("id", &id.to_string())]).await.status(), 403);
    assert_eq!(app.server_fn(&assoc, "funding_application", &[("id", &id.to_string())]).await.status(), 403);
    // The workflow: the Kommune cannot decide; steps out of order are 422 and change nothing.
    assert_eq!(act(&app, &clerk, id, "pruefen", "", "").await, 403);
    assert_eq!(act(&app, &advisor, id, "bewilligen", "32.000", "").await, 422);
    assert_eq!(text(&app, &format!("SELECT status FROM funding_application WHERE id = {id}")).await, "eingegangen");
    assert_eq!(act(&app, &advisor, id, "pruefen", "", "").await, 200);
    assert_eq!(act(&app, &advisor, id, "bewilligen", "40.000", "").await, 422, "no more than requested");
    assert_eq!(act(&app, &advisor, id, "bewilligen", "30.000", "").await, 200);
    assert_eq!(scalar(&app, &format!("SELECT committed_cents FROM funding_programme WHERE id = {p}")).await, 3_000_000);
    assert_eq!(act(&app, &clerk, id, "abrufen", "31.000", "").await, 422, "no more than granted");
    assert_eq!(act(&app, &clerk, id, "abrufen", "20.000", "").await, 200);
    assert_eq!(act(&app, &clerk, id, "nachweisen", "", "kurz").await, 422);
    assert_eq!(act(&app, &clerk, id, "nachweisen", "", "Akte eingeführt, 40 Beschäftigte geschult.").await, 200);
    assert_eq!(act(&app, &clerk, id, "abschliessen", "", "").await, 403);
    assert_eq!(act(&app, &advisor, id, "abschliessen", "", "").await, 200);
    // What was not called is free again; every step is in the history and the audit log.
    assert_eq!(scalar(&app, &format!("SELECT committed_cents FROM funding_programme WHERE id = {p}")).await, 2_000_000);
    assert_eq!(scalar(&app, &format!("SELECT disbursed_cents FROM funding_programme WHERE id = {p}")).await, 2_000_000);
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM funding_step WHERE application_id = {id}")).await, 6);
    assert_eq!(app.count("audit_log WHERE action = 'funding_step'").await, 5);
    let view: serde_json::Value = app.server_fn(&clerk, "funding_application", &[("id", &id.to_string())]).await.json().await.expect("view");
    assert_eq!(view["item"]["status"], "abgeschlossen");
    assert!(view["actions"].as_array().expect("actions").is_empty());
    // The cost plan is kept as its positions, in the order written.
    assert_eq!(view["cost_plan"], serde_json::json!([{ "what": "Software", "cents": 3_000_000 }, { "what": "Schulung", "cents": 1_000_000 }]));
    assert_eq!(view["steps"][0]["action"], "stellen");
    // Unknown steps and filing again are refused in German and change nothing.
    assert_eq!(act(&app, &advisor, id, "zaubern", "", "").await, 422);
    assert_eq!(act(&app, &advisor, id, "stellen", "", "").await, 422);
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM funding_step WHERE application_id = {id}")).await, 6);
}

#[tokio::test]
async fn two_approvals_at_once_cannot_exceed_the_budget() {
    let app = spawn_with(test_config(), true).await;
    let p = programme(&app, "Kleines Programm", "100.000,00").await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let mut ids = Vec::new();
    for _ in 0..10 {
        let (status, id) = apply(&app, &clerk, p, MAGDEBURG, "Vorhaben; 40.000,00", "30.000,00").await;
        assert_eq!(status, 200);
        let id = id.expect("application");
        assert_eq!(act(&app, &advisor, id, "pruefen", "", "").await, 200);
        ids.push(id);
    }
    // Ten approvals of 30.000 € at once against 100.000 €: exactly three pass.
    let tasks: Vec<_> = ids
        .iter()
        .map(|id| {
            let req = advisor.post(app.url("/api/funding_step")).header("accept", "application/json").form(&[("id", id.to_string()), ("aktion", "bewilligen".into()), ("amount", "30.000".into())]);
            tokio::spawn(async move { req.send().await.expect("approve").status().as_u16() })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("join"));
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 3, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 7, "{statuses:?}");
    assert_eq!(scalar(&app, &format!("SELECT committed_cents FROM funding_programme WHERE id = {p}")).await, 9_000_000);
    assert_eq!(app.count("funding_application WHERE status = 'bewilligt'").await, 3);
    assert_eq!(app.count("funding_application WHERE status = 'pruefung'").await, 7, "the refused ones are unchanged");
    // A budget below what is granted is refused.
    let admin = user_id(&app, &app.user(Role::Admin, "LAND").await).await;
    let current = programmes::get(&app.db, p).await.expect("programme");
    let lower = ProgrammeForm { name: current.name, description: current.description, budget: "80.000".into(), rate: "80".into(), max: "50.000".into(), opens_on: current.opens_on, closes_on: current.closes_on, active: "ja".into(), version: current.version.to_string() };
    let lower = ProgrammeInput::try_from(lower).expect("a valid programme");
    assert!(matches!(programmes::save(&app.db, &Scope::Admin, &admin, Some(p), &lower).await, Err(app::error::AppError::Validation(_))));
}

#[tokio::test]
async fn public_funding_figures_never_show_a_single_kommunes_money() {
    let app = spawn_with(test_config(), true).await;
    let p = programme(&app, "Sachsen-Anhalt Digital", "500.000,00").await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let (_, id) = apply(&app, &clerk, p, MAGDEBURG, "Vorhaben; 40.000,00", "12.345,00").await;
    let id = id.expect("application");
    assert_eq!(act(&app, &advisor, id, "pruefen", "", "").await, 200);
    assert_eq!(act(&app, &advisor, id, "bewilligen", "12.345", "").await, 200);
    let land: serde_json::Value = app.server_fn(&advisor, "funding_figures", &[]).await.json().await.expect("land");
    assert_eq!(land["programmes"][0]["committed_cents"], 1_234_500, "{land}");
    let public: serde_json::Value = crate::common::client().get(app.url("/api/v1/public/funding")).send().await.expect("public").json().await.expect("json");
    assert!(public["programmes"][0]["committed_cents"].is_null(), "one granted Kommune: nothing released yet: {public}");
    assert!(public["programmes"][0]["free_cents"].is_null(), "nor what is free: {public}");
    assert_eq!(public["programmes"][0]["budget_cents"], 50_000_000);
    let magdeburg = public["kreise"].as_array().expect("kreise").iter().find(|k| k["kreis"] == "15003").expect("Magdeburg");
    assert!(magdeburg["approved_cents"].is_null(), "{magdeburg}");
    let csv = crate::common::client().get(app.url("/api/v1/public/funding?format=csv")).send().await.expect("csv").text().await.expect("text");
    assert!(!csv.contains("12345") && !csv.contains("12.345"), "{csv}");
    let (assoc, _) = app.signed_in(Role::Association, "SGSA").await;
    let seen: serde_json::Value = app.server_fn(&assoc, "funding_figures", &[]).await.json().await.expect("assoc");
    assert!(seen["programmes"][0]["committed_cents"].is_null(), "{seen}");
}

/// A Kommune's roll-out and funding as text, row by row, in a stable order.
async fn kommune_rows(db: &sea_orm::DatabaseConnection, org_key: &str) -> Vec<String> {
    use sea_orm::{ConnectionTrait, Statement};
    let org = format!("(SELECT id FROM organisation WHERE key = '{org_key}')");
    let mut out = Vec::new();
    for sql in [
        format!("SELECT CAST(id AS TEXT) || efa_service_id || state || COALESCE(paused_from, '') || COALESCE(reason, '') || kreis_key || CAST(interest_at AS TEXT) || COALESCE(CAST(live_at AS TEXT), '') || CAST(version AS TEXT) FROM connection WHERE organisation_id = {org} ORDER BY id"),
        format!("SELECT CAST(connection_id AS TEXT) || state || CAST(at AS TEXT) || COALESCE(user_id, '') || COALESCE(note, '') FROM connection_step WHERE connection_id IN (SELECT id FROM connection WHERE organisation_id = {org}) ORDER BY id"),
        format!("SELECT CAST(connection_id AS TEXT) || CAST(position AS TEXT) || label || status || COALESCE(note, '') || COALESCE(CAST(case_id AS TEXT), '') FROM connection_item WHERE connection_id IN (SELECT id FROM connection WHERE organisation_id = {org}) ORDER BY connection_id, position"),
        format!("SELECT kind || CAST(year AS TEXT) || CAST(amount_cents AS TEXT) || bearer || COALESCE(note, '') FROM connection_cost WHERE connection_id IN (SELECT id FROM connection WHERE organisation_id = {org}) ORDER BY id"),
        format!("SELECT CAST(application_id AS TEXT) || CAST(position AS TEXT) || what || CAST(cents AS TEXT) FROM funding_cost_item WHERE application_id IN (SELECT id FROM funding_application WHERE organisation_id = {org}) ORDER BY application_id, position"),
        format!("SELECT title || description || CAST(total_cents AS TEXT) || CAST(requested_cents AS TEXT) || COALESCE(CAST(approved_cents AS TEXT), '') || CAST(disbursed_cents AS TEXT) || status || CAST(version AS TEXT) FROM funding_application WHERE organisation_id = {org} ORDER BY id"),
        format!("SELECT action || status || COALESCE(CAST(amount_cents AS TEXT), '') || CAST(at AS TEXT) FROM funding_step WHERE application_id IN (SELECT id FROM funding_application WHERE organisation_id = {org}) ORDER BY id"),
        "SELECT ozg_id || model || COALESCE(efa_service_id, '') || CAST(priority AS TEXT) || phase FROM rollout_plan ORDER BY ozg_id".to_string(),
        "SELECT ozg_id || CAST(position AS TEXT) || label FROM rollout_plan_item ORDER BY ozg_id, position".to_string(),
        "SELECT name || CAST(budget_cents AS TEXT) || CAST(committed_cents AS TEXT) || CAST(disbursed_cents AS TEXT) FROM funding_programme ORDER BY id".to_string(),
    ] {
        for r in db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.expect("rows") {
            out.push(r.try_get_by_index::<String>(0).expect("text"));
        }
    }
    out
}

#[tokio::test]
async fn a_kommunes_roll_out_and_funding_survive_a_backup_and_restore_unchanged() {
    let app = spawn_with(test_config(), true).await;
    let seed = crate::common::rollout::seed_rollout(&app).await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let id = seed.connection.to_string();
    assert_eq!(app.server_fn(&clerk, "connection_step", &[("id", &id), ("schritt", "zurueckgestellt"), ("grund", "Haushaltssperre")]).await.status(), 200);
    assert_eq!(app.server_fn(&clerk, "connection_item", &[("id", &id), ("punkt", "2"), ("status", "blockiert"), ("notiz", "Schnittstelle fehlt")]).await.status(), 200);
    assert_eq!(app.server_fn(&advisor, "add_connection_cost", &[("id", &id), ("kind", "jaehrlich"), ("year", "2027"), ("amount", "3.000"), ("bearer", "kommune")]).await.status(), 200);
    let p = programme(&app, "Sicherungsprogramm", "200.000").await;
    let (_, a) = apply(&app, &clerk, p, MAGDEBURG, "Vorhaben; 20.000,00", "16.000,00").await;
    let a = a.expect("application");
    assert_eq!(act(&app, &advisor, a, "pruefen", "", "").await, 200);
    assert_eq!(act(&app, &advisor, a, "bewilligen", "15.000", "").await, 200);
    let before = kommune_rows(&app.db, MAGDEBURG).await;
    assert!(before.len() >= 12, "{before:?}");

    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join(if app.test_db.backend == "postgres" { "sicherung.dump" } else { "sicherung.sqlite" });
    let (url, target) = (app.test_db.url.clone(), file.to_str().expect("utf8").to_string());
    let (ok, out, err) = tokio::task::spawn_blocking(move || crate::common::cli::server(&url, &["backup", &target], None)).await.expect("join");
    assert!(ok, "{out}{err}");
    let fresh = crate::common::fresh_db().await;
    let (url, source) = (fresh.url.clone(), file.to_str().expect("utf8").to_string());
    let (ok, out, err) = tokio::task::spawn_blocking(move || crate::common::cli::server(&url, &["restore", &source], None)).await.expect("join");
    assert!(ok, "{out}{err}");
    let restored = app::core::db::connect(&fresh.url).await.expect("open restored");
    assert_eq!(kommune_rows(&restored, MAGDEBURG).await, before, "every row of the Kommune's roll-out and funding, unchanged");
    restored.close().await.ok();
}

#[tokio::test]
async fn the_auskunft_names_the_applications_and_steps_of_the_person() {
    let app = spawn_with(test_config(), true).await;
    let seed = crate::common::rollout::seed_rollout(&app).await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    assert_eq!(app.server_fn(&clerk, "connection_step", &[("id", &seed.connection.to_string()), ("schritt", "vereinbarung"), ("trotz_offener", "ja")]).await.status(), 200);
    let p = programme(&app, "Auskunftsprogramm", "100.000").await;
    assert_eq!(apply(&app, &clerk, p, MAGDEBURG, "Vorhaben; 10.000,00", "5.000,00").await.0, 200);
    let doc: serde_json::Value = clerk.get(app.url("/konto/auskunft.json")).send().await.expect("auskunft").json().await.expect("json");
    assert_eq!(doc["foerderantraege"][0]["titel"], "Digitale Akte im Bürgeramt", "{doc}");
    assert_eq!(doc["foerderschritte"][0]["schritt"], "stellen");
    assert_eq!(doc["anbindungsschritte"][0]["schritt"], "vereinbarung");
}

#[tokio::test]
async fn the_kommune_is_told_of_the_lands_steps_and_reminded_of_the_verwendungsnachweis_once() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let sink = crate::common::start_sink(listener).await;
    let app = spawn_with(app::core::config::Config { mail_enabled: true, ..test_config() }, true).await;
    let cfg = server::ops::mail::SmtpConfig::unencrypted("127.0.0.1", port, "portal@sachsen-anhalt.example");
    let p = programme(&app, "Sachsen-Anhalt Digital 2027", "1.000.000,00").await;
    let (clerk, clerk_email) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (_colleague, colleague_email) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (_halle, halle_email) = app.signed_in(Role::Clerk, HALLE).await;
    let (advisor, advisor_email) = app.signed_in(Role::Advisor, "LAND").await;
    let (_, id) = apply(&app, &clerk, p, MAGDEBURG, "Software; 30.000,00", "20.000,00").await;
    let (id, sid) = (id.expect("application"), id.expect("application").to_string());
    let count = |email: String| {
        let app = &app;
        async move {
            let uid = user_id(app, &email).await;
            scalar(app, &format!("SELECT COUNT(*) FROM notification WHERE user_id = '{uid}' AND kind = 'funding'")).await
        }
    };
    assert_eq!(act(&app, &advisor, id, "pruefen", "", "").await, 200);
    // A due date in the past or no date at all is refused and grants nothing.
    for bad in ["01.01.2020", "bald"] {
        let res = app.server_fn(&advisor, "funding_step", &[("id", sid.as_str()), ("aktion", "bewilligen"), ("amount", "20.000"), ("nachweis_bis", bad)]).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.expect("body").contains("Verwendungsnachweis") || bad == "bald");
    }
    assert_eq!(text(&app, &format!("SELECT status FROM funding_application WHERE id = {id}")).await, "pruefung");
    let res = app.server_fn(&advisor, "funding_step", &[("id", sid.as_str()), ("aktion", "bewilligen"), ("amount", "20.000"), ("nachweis_bis", "2099-06-30")]).await;
    assert_eq!(res.status(), 200);
    let view: serde_json::Value = app.server_fn(&clerk, "funding_application", &[("id", sid.as_str())]).await.json().await.expect("view");
    assert_eq!(view["proof_due_on"], "30.06.2099");
    assert_eq!(act(&app, &clerk, id, "abrufen", "5.000", "").await, 200);
    // Each step reaches the Kommune's clerks once, never the one who took it, another Kommune or the Land.
    assert_eq!((count(clerk_email.clone()).await, count(colleague_email.clone()).await), (2, 3));
    assert_eq!((count(halle_email.clone()).await, count(advisor_email.clone()).await), (0, 0));

    // Not yet due: no reminder. Due within 30 days: one reminder, however often (and at once) the job runs.
    let now = app::core::time::now();
    assert_eq!(app::funding::service::notices::remind(&app.db, &app.state.config, now).await.expect("remind"), 0);
    let soon = (now + chrono::Duration::days(10)).format("%Y-%m-%d").to_string();
    sea_orm::ConnectionTrait::execute_unprepared(&app.db, &format!("UPDATE funding_application SET proof_due_on = '{soon}' WHERE id = {id}")).await.expect("due soon");
    let (r1, r2) = tokio::join!(
        app::funding::service::notices::remind(&app.db, &app.state.config, now),
        app::funding::service::notices::remind(&app.db, &app.state.config, now)
    );
    assert_eq!(r1.expect("remind") + r2.expect("remind"), 1);
    assert_eq!(app::funding::service::notices::remind(&app.db, &app.state.config, now).await.expect("remind"), 0);
    assert_eq!((count(clerk_email.clone()).await, count(colleague_email.clone()).await, count(halle_email.clone()).await), (3, 4, 0));
    server::ops::mail::deliver_due(&app.db, &cfg, app::core::time::now()).await.expect("deliver");
    let mails = sink.bodies_to(&clerk_email);
    assert_eq!(mails.len(), 3, "{mails:?}");
    assert!(mails.iter().any(|m| m.contains("ist bewilligt")) && mails.iter().any(|m| m.contains("Verwendungsnachweis für Ihren Förderantrag")), "{mails:?}");
    assert!(sink.bodies_to(&halle_email).is_empty() && sink.bodies_to(&advisor_email).is_empty());
}
