//! Several instances on one database: each mail of the outbox goes out once although two
//! instances send at the same time, and the background jobs run on the one instance holding
//! their lease until it stops renewing it. A mail the relay refuses too often becomes a dead
//! letter for the administrators.

use crate::common::{spawn, start_sink};
use app::core::lease;
use chrono::Duration;

#[tokio::test]
async fn two_instances_sending_the_outbox_at_once_send_each_mail_once() {
    let app = spawn().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let sink = start_sink(listener).await;
    for i in 0..12 {
        app::core::outbox::enqueue(&app.db, &format!("person{i}@kommune.example"), "Betreff", "Text").await.expect("queue");
    }
    // The second instance: its own connection pool on the same database.
    let other = app::core::db::connect(&app.test_db.url).await.expect("second pool");
    let cfg = server::ops::mail::SmtpConfig { max_attempts: 10, ..server::ops::mail::SmtpConfig::unencrypted("127.0.0.1", port, "portal@sachsen-anhalt.example") };
    let now = app::core::time::now();
    let (a, b) = tokio::join!(server::ops::mail::deliver_due(&app.db, &cfg, now), server::ops::mail::deliver_due(&other, &cfg, now));
    let (a, b) = (a.expect("first instance"), b.expect("second instance"));
    assert_eq!(a.sent + b.sent, 12, "every mail sent: {a:?} {b:?}");
    for i in 0..12 {
        assert_eq!(sink.bodies_to(&format!("person{i}@kommune.example")).len(), 1, "mail {i} exactly once");
    }
    assert_eq!(app.count("mail_outbox WHERE sent_at IS NULL").await, 0);
    let again = server::ops::mail::deliver_due(&other, &cfg, now + Duration::minutes(10)).await.expect("again");
    assert_eq!(again.sent, 0, "an acknowledged mail is never sent again");
}

#[tokio::test]
async fn the_jobs_run_on_the_lease_holder_until_it_stops_renewing() {
    let app = spawn().await;
    let other = app::core::db::connect(&app.test_db.url).await.expect("second pool");
    let ttl = Duration::seconds(90);
    let t0 = app::core::time::now();
    assert!(lease::acquire(&app.db, "jobs", "instanz-a", t0, ttl).await.expect("a"));
    assert!(!lease::acquire(&other, "jobs", "instanz-b", t0, ttl).await.expect("b"), "one holder at a time");
    let (first, second) = tokio::join!(
        lease::acquire(&app.db, "jobs", "instanz-a", t0 + Duration::seconds(30), ttl),
        lease::acquire(&other, "jobs", "instanz-b", t0 + Duration::seconds(30), ttl)
    );
    assert_eq!((first.expect("a"), second.expect("b")), (true, false), "the holder renews, the other waits");
    assert!(!lease::acquire(&other, "jobs", "instanz-b", t0 + Duration::seconds(100), ttl).await.expect("b"), "renewed until t0 + 120 s");
    assert!(lease::acquire(&other, "jobs", "instanz-b", t0 + Duration::seconds(121), ttl).await.expect("b"), "taken over once the holder stopped renewing");
    assert!(!lease::acquire(&app.db, "jobs", "instanz-a", t0 + Duration::seconds(122), ttl).await.expect("a"));
    lease::release(&other, "jobs", "instanz-b").await.expect("release");
    assert!(lease::acquire(&app.db, "jobs", "instanz-a", t0 + Duration::seconds(123), ttl).await.expect("a"), "released at shutdown: taken at once");
    assert!(lease::acquire(&app.db, "andere-aufgabe", "instanz-b", t0, ttl).await.expect("b"), "leases are per job");
}

#[tokio::test]
async fn a_mail_refused_too_often_becomes_a_dead_letter_that_administrators_resend_or_discard() {
    let app = spawn().await;
    let (admin, _) = app.signed_in(app::identity::Role::Admin, "LAND").await;
    let (clerk, _) = app.signed_in(app::identity::Role::Clerk, "15003000").await;
    for to in ["erste@kommune.example", "zweite@kommune.example"] {
        app::core::outbox::enqueue(&app.db, to, "Betreff", "Text").await.expect("queue");
    }
    // A relay that is not there: a port that was just free.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind").local_addr().expect("addr").port();
    let down = server::ops::mail::SmtpConfig { max_attempts: 2, ..server::ops::mail::SmtpConfig::unencrypted("127.0.0.1", closed, "portal@sachsen-anhalt.example") };
    let t0 = app::core::time::now();
    let first = server::ops::mail::deliver_due(&app.db, &down, t0).await.expect("run");
    assert_eq!((first.failed, first.dead), (2, 0), "first attempt failed, retried later");
    let second = server::ops::mail::deliver_due(&app.db, &down, t0 + Duration::minutes(10)).await.expect("run");
    assert_eq!((second.failed, second.dead), (2, 2), "given up after the last attempt");
    let third = server::ops::mail::deliver_due(&app.db, &down, t0 + Duration::hours(7)).await.expect("run");
    assert_eq!(third.failed + third.sent, 0, "dead letters are not retried");
    let letters: serde_json::Value = app.server_fn(&admin, "admin_dead_letters", &[]).await.json().await.expect("json");
    let list = letters.as_array().expect("list");
    assert_eq!(list.len(), 2);
    assert!(list[0]["last_error"].as_str().unwrap_or_default().contains("nicht erreichbar"), "{letters}");
    assert_eq!(app.server_fn(&clerk, "admin_dead_letters", &[]).await.status(), 403);
    let (a, b) = (list[0]["id"].to_string(), list[1]["id"].to_string());
    let retried_to = list[0]["recipient"].as_str().expect("recipient").to_string();
    assert_eq!(app.server_fn(&clerk, "admin_retry_mail", &[("id", &a)]).await.status(), 403);
    assert_eq!(app.server_fn(&admin, "admin_retry_mail", &[("id", &a)]).await.status(), 200);
    assert_eq!(app.server_fn(&admin, "admin_discard_mail", &[("id", &b)]).await.status(), 200);
    assert_eq!(app.server_fn(&admin, "admin_discard_mail", &[("id", &b)]).await.status(), 404, "gone");
    // The relay is back: the mail sent again goes out.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let sink = start_sink(listener).await;
    let up = server::ops::mail::SmtpConfig { port, ..down };
    let sent = server::ops::mail::deliver_due(&app.db, &up, app::core::time::now()).await.expect("run");
    assert_eq!(sent.sent, 1);
    assert_eq!(sink.bodies_to(&retried_to).len(), 1);
    assert_eq!(app.count("mail_outbox").await, 1, "the discarded one is gone");
    for action in ["mail_dead_letter", "mail_retried", "mail_discarded"] {
        assert!(app.count(&format!("audit_log WHERE action = '{action}'")).await >= 1, "{action} audited");
    }
}

/// A `serve` process on the test database, with mail to the sink; returns it and its base URL.
async fn serve(db_url: &str, smtp_port: u16) -> (tokio::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["serve"])
        .env("DATABASE_URL", db_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("PORTAL_COOKIE_SECURE", "false")
        .env("PORTAL_MFA_REQUIRED_ROLES", "none")
        .env("PORTAL_SMTP_HOST", "127.0.0.1")
        .env("PORTAL_SMTP_PORT", smtp_port.to_string())
        .env("PORTAL_SMTP_TLS", "none")
        .env("PORTAL_SMTP_ALLOW_UNENCRYPTED", "true")
        .env("PORTAL_MAIL_FROM", "portal@sachsen-anhalt.example")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn serve");
    let base = format!("http://127.0.0.1:{port}");
    crate::common::wait_ready(&base).await;
    (child, base)
}

#[tokio::test]
async fn two_serve_processes_on_one_database_behave_as_one_portal() {
    let app = spawn().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let smtp_port = listener.local_addr().expect("addr").port();
    let sink = start_sink(listener).await;
    let clerk = app.user(app::identity::Role::Clerk, "15003000").await;
    let admin = app.user(app::identity::Role::Admin, "LAND").await;
    let ((_a, a), (_b, b)) = tokio::join!(serve(&app.test_db.url, smtp_port), serve(&app.test_db.url, smtp_port));
    // Signed in on one instance, the session holds on the other.
    let c = crate::common::client();
    let login = c.post(format!("{a}/api/v1/session")).json(&serde_json::json!({ "email": clerk, "password": crate::common::PASSWORD })).send().await.expect("login");
    assert_eq!(login.status(), 204);
    assert_eq!(c.get(format!("{b}/api/v1/me")).send().await.expect("me").status(), 200);
    // Written on the other, read on the first.
    let filed = c
        .post(format!("{b}/api/v1/cases"))
        .json(&serde_json::json!({ "subject": "Über zwei Instanzen", "category": "technik", "description": "x" }))
        .send()
        .await
        .expect("file");
    assert_eq!(filed.status(), 201);
    let id = filed.json::<serde_json::Value>().await.expect("json")["id"].as_i64().expect("id");
    let read = c.get(format!("{a}/api/v1/cases/{id}")).send().await.expect("read");
    assert_eq!(read.status(), 200);
    // An invitation sent through one instance arrives once, although both send mail.
    let adm = crate::common::client();
    let login = adm.post(format!("{b}/api/v1/session")).json(&serde_json::json!({ "email": admin, "password": crate::common::PASSWORD })).send().await.expect("login");
    assert_eq!(login.status(), 204);
    let invited = adm
        .post(format!("{a}/verwaltung/benutzer/einladen"))
        .form(&[("name", "Ina Instanz"), ("email", "ina@kommune.example"), ("role", "clerk"), ("orgs", "15003000")])
        .send()
        .await
        .expect("invite");
    assert_eq!(invited.status(), 200);
    let mut arrived = 0;
    for _ in 0..300 {
        arrived = sink.bodies_to("ina@kommune.example").len();
        if arrived > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(arrived, 1, "the invitation arrived");
    assert_eq!(app.count("mail_outbox WHERE recipient = 'ina@kommune.example' AND sent_at IS NOT NULL AND attempts = 1").await, 1, "sent in one attempt");
    // The background jobs: one lease, one holder.
    for _ in 0..300 {
        if app.count("job_lease").await == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.count("job_lease WHERE name = 'jobs'").await, 1, "exactly one instance holds the jobs");
    // Signing out on one instance ends the session on both.
    assert_eq!(c.delete(format!("{b}/api/v1/session")).send().await.expect("logout").status(), 204);
    assert_eq!(c.get(format!("{a}/api/v1/me")).send().await.expect("me").status(), 401);
}
