//! "Barriere melden" (BITV 2.0 § 7): anyone reports without an account; the report is kept,
//! forwarded to the configured address and confirmed to a sender who left one; bad input and
//! spam are refused in German and change nothing; one address reports five times an hour; the
//! administrators work the reports; done reports go a year later.

use crate::common::{client, spawn_with, test_config, TestApp};
use app::identity::Role;
use sea_orm::{ConnectionTrait, Statement};

async fn report(app: &TestApp, form: &[(&str, &str)]) -> (u16, String) {
    let res = app.server_fn(&client(), "report_barrier", form).await;
    (res.status().as_u16(), res.text().await.unwrap_or_default())
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let row = app.db.query_one_raw(Statement::from_string(app.db.get_database_backend(), sql.to_string())).await.expect("query").expect("row");
    row.try_get_by_index::<i64>(0).expect("number")
}

#[tokio::test]
async fn anyone_reports_a_barrier_which_is_forwarded_confirmed_and_worked_by_the_administrators() {
    let mut config = test_config();
    config.mail_enabled = true;
    config.barrier_mail = Some("barrieren@sachsen-anhalt.example".into());
    let app = spawn_with(config, false).await;

    // Bad input and spam: a German reason, nothing kept, nothing sent.
    let long = "x".repeat(5001);
    for (form, reason) in [
        (vec![("seite", "/lagebild"), ("beschreibung", "  ")], "Bitte beschreiben Sie die Barriere."),
        (vec![("beschreibung", long.as_str())], "höchstens 5.000 Zeichen"),
        (vec![("beschreibung", "Tabelle nicht lesbar"), ("kontakt", "keine Adresse")], "gültige E-Mail-Adresse"),
        (vec![("beschreibung", "Tabelle nicht lesbar"), ("website", "http://werbung.example")], "nicht angenommen"),
        (vec![("beschreibung", "http://a.example http://b.example http://c.example http://d.example")], "nicht angenommen"),
    ] {
        let (status, body) = report(&app, &form).await;
        assert_eq!(status, 422, "{form:?}: {body}");
        assert!(body.contains(reason), "{form:?}: {body}");
    }
    assert_eq!(app.count("barrier_report").await, 0);
    assert_eq!(app.count("mail_outbox").await, 0);

    // A report with an address: kept, forwarded, confirmed.
    let (status, body) = report(&app, &[("seite", "/lagebild"), ("beschreibung", "Die Karte ist mit der Tastatur nicht bedienbar."), ("kontakt", "Erika@Example.org")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM barrier_report WHERE status = 'offen' AND page = '/lagebild'").await, 1);
    let forwarded = scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM mail_outbox WHERE recipient = 'barrieren@sachsen-anhalt.example' AND body LIKE '%Karte ist mit der Tastatur%' AND body LIKE '%/verwaltung/barrieren%'").await;
    assert_eq!(forwarded, 1, "forwarded to the configured address");
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM mail_outbox WHERE recipient = 'Erika@Example.org' AND subject LIKE '%eingegangen%'").await, 1, "confirmed to the sender");
    // Without an address: forwarded only.
    let (status, _) = report(&app, &[("beschreibung", "Der Kontrast der Hinweise ist zu gering.")]).await;
    assert_eq!(status, 200);
    assert_eq!(app.count("mail_outbox").await, 3);
    // The sender's address is kept only as a hash.
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM barrier_report WHERE address_hash LIKE '127.%' OR length(address_hash) <> 64").await, 0);

    // Five an hour from one address: the sixth is refused, nothing kept.
    for _ in 0..3 {
        assert_eq!(report(&app, &[("beschreibung", "Noch eine Barriere.")]).await.0, 200);
    }
    let (status, body) = report(&app, &[("beschreibung", "Die sechste Meldung.")]).await;
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("fünf Meldungen"), "{body}");
    assert_eq!(app.count("barrier_report").await, 5);

    // The administrators see and work the reports; others do not.
    let (clerk, _) = app.signed_in(Role::Clerk, "15003000").await;
    assert_eq!(app.server_fn(&clerk, "admin_barrier_reports", &[]).await.status(), 403);
    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    let list: serde_json::Value = app.server_fn(&admin, "admin_barrier_reports", &[]).await.json().await.expect("list");
    let first = list.as_array().expect("list").iter().find(|r| r["page"] == "/lagebild").cloned().expect("the report");
    assert_eq!(first["contact"], "Erika@Example.org");
    let id = first["id"].as_str().expect("id").to_string();
    let res = app.server_fn(&admin, "admin_set_barrier_status", &[("id", &id), ("status", "geloescht")]).await;
    assert_eq!(res.status(), 422);
    for status in ["in_bearbeitung", "erledigt"] {
        assert_eq!(app.server_fn(&admin, "admin_set_barrier_status", &[("id", &id), ("status", status)]).await.status(), 200);
    }
    assert_eq!(scalar(&app, &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM barrier_report WHERE id = '{id}' AND status = 'erledigt'")).await, 1);
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'barrier_report_status'").await, 2);

    // A year after it was done, a report goes (the open ones stay).
    let later = app::core::time::now() + chrono::Duration::days(app::accounts::service::housekeeping::BARRIER_REPORT_DAYS + 1);
    let pruned = app::accounts::service::housekeeping::prune(&app.db, &app.state.config, later).await.expect("prune");
    assert_eq!(pruned.barrier_reports, 1);
    assert_eq!(app.count("barrier_report").await, 4);
}
