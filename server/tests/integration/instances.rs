//! Several instances on one database: each mail of the outbox goes out once although two
//! instances send at the same time, and the background jobs run on the one instance holding
//! their lease until it stops renewing it.

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
    let cfg = server::ops::mail::SmtpConfig { host: "127.0.0.1".into(), port, from: "portal@sachsen-anhalt.example".into(), helo: "test".into() };
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
