//! Mail through a real relay on loopback (aiosmtpd) that requires STARTTLS (or implicit TLS) and
//! AUTH: delivered with the right CA and password; refused with a wrong password or an
//! untrusted certificate, the mail then staying in the outbox with the relay's answer; and a
//! relay answering too late after DATA gets the retry with the same Message-ID.

use crate::common::spawn;
use server::ops::mail::{deliver_due, SmtpConfig, SmtpTls};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A certificate authority made for the test and a relay certificate for 127.0.0.1 signed by it.
struct Pki {
    dir: tempfile::TempDir,
}

impl Pki {
    fn new() -> Self {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
        let dir = tempfile::tempdir().expect("tempdir");
        let ca_key = KeyPair::generate().expect("ca key");
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("ca params");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name.push(DnType::CommonName, "Test-CA des Mailservers");
        let ca_cert = ca.self_signed(&ca_key).expect("ca cert");
        let key = KeyPair::generate().expect("key");
        let leaf = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).expect("leaf params");
        let issuer = rcgen::Issuer::from_params(&ca, &ca_key);
        let cert = leaf.signed_by(&key, &issuer).expect("leaf cert");
        std::fs::write(dir.path().join("ca.pem"), ca_cert.pem()).expect("write");
        std::fs::write(dir.path().join("relay.pem"), cert.pem()).expect("write");
        std::fs::write(dir.path().join("relay.key"), key.serialize_pem()).expect("write");
        Pki { dir }
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

struct Relay {
    child: Child,
    port: u16,
    out: PathBuf,
}

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python() -> &'static str {
    // Debian's interpreter, where the python3-aiosmtpd package lives.
    if Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" }
}

fn start_relay(pki: &Pki, mode: &str, slow_seconds: u32) -> Relay {
    use std::io::BufRead;
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let out = pki.path(&format!("mail-{port}"));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp-relay.py");
    let mut child = Command::new(python())
        .arg(script)
        .args([port.to_string(), mode.into(), pki.path("relay.pem").display().to_string(), pki.path("relay.key").display().to_string()])
        .args(["portal", "richtiges-passwort", &out.display().to_string(), &slow_seconds.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python3 mit aiosmtpd (Paket python3-aiosmtpd) startet");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("relay output");
    assert_eq!(line.trim(), "bereit", "the relay started (is python3-aiosmtpd installed?)");
    Relay { child, port, out }
}

impl Relay {
    /// The messages the relay accepted so far, oldest first.
    fn received(&self) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(&self.out) else { return Vec::new() };
        let mut names: Vec<PathBuf> = dir.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "eml")).collect();
        names.sort();
        names.iter().map(|p| std::fs::read_to_string(p).expect("read")).collect()
    }
}

fn config(relay: &Relay, pki: &Pki, tls: SmtpTls, password: &str, trust: bool) -> SmtpConfig {
    SmtpConfig {
        tls,
        ca_file: trust.then(|| pki.path("ca.pem")),
        credentials: Some(("portal".into(), password.into())),
        helo: "portal.sachsen-anhalt.example".into(),
        ..SmtpConfig::unencrypted("127.0.0.1", relay.port, "portal@sachsen-anhalt.example")
    }
}

fn header<'a>(mail: &'a str, name: &str) -> Option<&'a str> {
    mail.lines().take_while(|l| !l.trim().is_empty()).find_map(|l| l.strip_prefix(&format!("{name}: ")).map(str::trim))
}

#[tokio::test]
async fn starttls_with_auth_delivers_once_with_a_message_id() {
    let pki = Pki::new();
    let relay = start_relay(&pki, "starttls", 0);
    let app = spawn().await;
    app::core::outbox::enqueue(&app.db, "amt@kommune.example", "Neue Antwort zu Fall 3", "Grüße aus Magdeburg").await.expect("queue");
    let cfg = config(&relay, &pki, SmtpTls::StartTls, "richtiges-passwort", true);
    let now = app::core::time::now();
    let d = deliver_due(&app.db, &cfg, now).await.expect("deliver");
    assert_eq!((d.sent, d.failed), (1, 0), "{d:?}");
    let mails = relay.received();
    assert_eq!(mails.len(), 1);
    let id = header(&mails[0], "Message-ID").expect("a Message-ID");
    assert!(id.starts_with("<ozg-") && id.ends_with("@portal.sachsen-anhalt.example>"), "{id}");
    assert_eq!(header(&mails[0], "To"), Some("amt@kommune.example"));
    assert_eq!(app.count("mail_outbox WHERE sent_at IS NOT NULL").await, 1);
    // Acknowledged: never sent again.
    let again = deliver_due(&app.db, &cfg, now + chrono::Duration::hours(1)).await.expect("again");
    assert_eq!(again.sent, 0);
    assert_eq!(relay.received().len(), 1);
}

#[tokio::test]
async fn implicit_tls_with_auth_delivers() {
    let pki = Pki::new();
    let relay = start_relay(&pki, "tls", 0);
    let app = spawn().await;
    app::core::outbox::enqueue(&app.db, "amt@kommune.example", "Betreff", "Text").await.expect("queue");
    let d = deliver_due(&app.db, &config(&relay, &pki, SmtpTls::Tls, "richtiges-passwort", true), app::core::time::now()).await.expect("deliver");
    assert_eq!(d.sent, 1, "{d:?}: {}", last_error(&app).await);
    assert_eq!(relay.received().len(), 1);
}

#[tokio::test]
async fn a_wrong_password_and_an_untrusted_certificate_send_nothing_and_keep_the_mail() {
    let pki = Pki::new();
    let relay = start_relay(&pki, "starttls", 0);
    let app = spawn().await;
    app::core::outbox::enqueue(&app.db, "amt@kommune.example", "Betreff", "Text").await.expect("queue");
    let t0 = app::core::time::now();

    let d = deliver_due(&app.db, &config(&relay, &pki, SmtpTls::StartTls, "falsches-passwort", true), t0).await.expect("deliver");
    assert_eq!((d.sent, d.failed), (0, 1));
    let err = last_error(&app).await;
    assert!(err.contains("535"), "the relay's answer is kept: {err}");

    // Without the CA the relay's certificate is not trusted: no AUTH, no mail.
    let d = deliver_due(&app.db, &config(&relay, &pki, SmtpTls::StartTls, "richtiges-passwort", false), t0 + chrono::Duration::hours(1)).await.expect("deliver");
    assert_eq!((d.sent, d.failed), (0, 1));
    let err = last_error(&app).await;
    assert!(err.contains("TLS"), "{err}");
    assert!(relay.received().is_empty());
    assert_eq!(app.count("mail_outbox WHERE sent_at IS NULL AND attempts = 2").await, 1);

    // Unencrypted to a relay that requires STARTTLS: refused by the relay, nothing sent.
    let plain = SmtpConfig { credentials: None, ..config(&relay, &pki, SmtpTls::None, "", true) };
    let d = deliver_due(&app.db, &plain, t0 + chrono::Duration::hours(2)).await.expect("deliver");
    assert_eq!((d.sent, d.failed), (0, 1));
    assert!(relay.received().is_empty());

    // With the right settings it goes out.
    let d = deliver_due(&app.db, &config(&relay, &pki, SmtpTls::StartTls, "richtiges-passwort", true), t0 + chrono::Duration::hours(3)).await.expect("deliver");
    assert_eq!(d.sent, 1);
    assert_eq!(relay.received().len(), 1);
}

async fn last_error(app: &crate::common::TestApp) -> String {
    use sea_orm::EntityTrait;
    app::core::entities::mail_outbox::Entity::find().one(&app.db).await.expect("query").expect("a mail").last_error.unwrap_or_default()
}

#[tokio::test]
async fn a_relay_answering_too_late_after_data_gets_the_retry_with_the_same_message_id() {
    let pki = Pki::new();
    let relay = start_relay(&pki, "starttls", 3);
    let app = spawn().await;
    app::core::outbox::enqueue(&app.db, "langsam@kommune.example", "Betreff", "Text").await.expect("queue");
    let cfg = SmtpConfig { timeout: std::time::Duration::from_secs(1), ..config(&relay, &pki, SmtpTls::StartTls, "richtiges-passwort", true) };
    let t0 = app::core::time::now();
    let d = deliver_due(&app.db, &cfg, t0).await.expect("deliver");
    assert_eq!((d.sent, d.failed), (0, 1), "no answer to DATA in time: not counted as sent");
    assert!(last_error(&app).await.contains("Zeitüberschreitung"), "{}", last_error(&app).await);
    // The relay kept the copy it received; the retry repeats its Message-ID.
    let d = deliver_due(&app.db, &cfg, t0 + chrono::Duration::hours(1)).await.expect("retry");
    assert_eq!(d.failed + d.sent, 1);
    let mails = relay.received();
    assert_eq!(mails.len(), 2, "the relay got the mail twice");
    assert_eq!(header(&mails[0], "Message-ID"), header(&mails[1], "Message-ID"), "both copies carry the same Message-ID");
}

/// `serve` with the given mail settings: whether it refused to start, and its error output.
async fn serve_refuses(env: &[(&str, &str)]) -> (bool, String) {
    let t = crate::common::fresh_db().await;
    let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let out = tokio::task::spawn_blocking(move || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_server"));
        c.arg("serve").env("DATABASE_URL", &t.url).env("LEPTOS_SITE_ADDR", "127.0.0.1:0").env("PORTAL_SMTP_HOST", "127.0.0.1").env("PORTAL_MAIL_FROM", "portal@sachsen-anhalt.example");
        for (k, v) in &env {
            c.env(k, v);
        }
        c.output().expect("run")
    })
    .await
    .expect("join");
    (!out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[tokio::test]
async fn unencrypted_mail_needs_an_explicit_opt_in_and_never_carries_a_password() {
    let (refused, err) = serve_refuses(&[("PORTAL_SMTP_TLS", "none")]).await;
    assert!(refused && err.contains("PORTAL_SMTP_ALLOW_UNENCRYPTED"), "{err}");
    let (refused, err) = serve_refuses(&[("PORTAL_SMTP_TLS", "none"), ("PORTAL_SMTP_ALLOW_UNENCRYPTED", "true"), ("PORTAL_SMTP_USER", "portal"), ("PORTAL_SMTP_PASSWORD", "geheim")]).await;
    assert!(refused && err.contains("nie unverschlüsselt"), "{err}");
    let (refused, err) = serve_refuses(&[("PORTAL_SMTP_TLS", "ssl")]).await;
    assert!(refused && err.contains("PORTAL_SMTP_TLS"), "{err}");
    let (refused, err) = serve_refuses(&[("PORTAL_SMTP_USER", "portal")]).await;
    assert!(refused && err.contains("PORTAL_SMTP_PASSWORD"), "{err}");
    let (refused, err) = serve_refuses(&[("PORTAL_SMTP_CA_FILE", "/nicht/vorhanden.pem")]).await;
    assert!(refused && err.contains("PORTAL_SMTP_CA_FILE"), "{err}");
}

#[tokio::test]
async fn serve_sends_through_the_relay_configured_by_environment_with_the_password_from_a_file() {
    let pki = Pki::new();
    let relay = start_relay(&pki, "starttls", 0);
    let app = spawn().await;
    let email = app.user(app::identity::Role::Clerk, "15003000").await;
    let password_file = pki.path("smtp-passwort");
    std::fs::write(&password_file, "richtiges-passwort\n").expect("write");
    let (refused, err) = serve_refuses(&[("PORTAL_SMTP_USER", "portal"), ("PORTAL_SMTP_PASSWORD_FILE", "/nicht/vorhanden")]).await;
    assert!(refused && err.contains("PORTAL_SMTP_PASSWORD_FILE"), "{err}");

    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
    let _serve = tokio::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env("DATABASE_URL", &app.test_db.url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("PORTAL_COOKIE_SECURE", "false")
        .env("PORTAL_SMTP_HOST", "127.0.0.1")
        .env("PORTAL_SMTP_PORT", relay.port.to_string())
        .env("PORTAL_SMTP_CA_FILE", pki.path("ca.pem"))
        .env("PORTAL_SMTP_USER", "portal")
        .env("PORTAL_SMTP_PASSWORD_FILE", &password_file)
        .env("PORTAL_MAIL_FROM", "portal@sachsen-anhalt.example")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("serve");
    let base = format!("http://127.0.0.1:{port}");
    crate::common::wait_ready(&base).await;
    // "Passwort vergessen" queues a mail; the running portal sends it at once (STARTTLS, AUTH).
    let res = crate::common::client()
        .post(format!("{base}/api/request_password_reset"))
        .header("accept", "application/json")
        .form(&[("email", email.as_str())])
        .send()
        .await
        .expect("request");
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    let mut mails = Vec::new();
    for _ in 0..300 {
        mails = relay.received();
        if !mails.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(mails.len(), 1, "the reset mail arrived at the relay");
    assert_eq!(header(&mails[0], "To"), Some(email.as_str()));
    assert!(header(&mails[0], "Message-ID").is_some());
}
