//! Sending the mail outbox through an SMTP relay with lettre: STARTTLS or implicit TLS with
//! certificate verification (system roots or a CA file) and AUTH PLAIN/LOGIN. Mails that fail
//! stay in the outbox and are retried with a growing delay, so an outage of the relay loses
//! nothing and blocks no request. Every mail carries a Message-ID derived from its outbox row, so
//! a retry after an unclear ending (a timeout after DATA) repeats the same Message-ID and the
//! receiving side can recognise the copy.

use app::core::entities::mail_outbox;
use chrono::{DateTime, Duration, Utc};
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, SinglePart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::time::Duration as StdDuration;

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS; refused when the relay does not offer it.
    StartTls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
    /// No encryption: only with an explicit opt-in (a relay on the same host).
    None,
}

impl SmtpTls {
    pub fn parse(v: &str) -> Option<Self> {
        match v.to_ascii_lowercase().as_str() {
            "starttls" => Some(Self::StartTls),
            "tls" => Some(Self::Tls),
            "none" => Some(Self::None),
            _ => None,
        }
    }
}

/// Where and as whom mail is sent. Its `Debug` output never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub from: String,
    /// The name this server gives in EHLO and in Message-IDs.
    pub helo: String,
    /// After this many failed attempts a mail becomes a dead letter.
    pub max_attempts: i32,
    pub tls: SmtpTls,
    /// PEM file with the CA certificate(s) to trust besides the system's.
    pub ca_file: Option<std::path::PathBuf>,
    /// User name and password for AUTH PLAIN/LOGIN.
    pub credentials: Option<(String, String)>,
    /// How long to wait for each answer of the relay.
    pub timeout: StdDuration,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("tls", &self.tls)
            .field("ca_file", &self.ca_file)
            .field("user", &self.credentials.as_ref().map(|(u, _)| u))
            .finish_non_exhaustive()
    }
}

impl SmtpConfig {
    /// An unencrypted relay without AUTH (a relay on the same host), e.g. for tests.
    pub fn unencrypted(host: &str, port: u16, from: &str) -> Self {
        Self { host: host.into(), port, from: from.into(), helo: "ozg-portal.localhost".into(), max_attempts: 10, tls: SmtpTls::None, ca_file: None, credentials: None, timeout: TIMEOUT }
    }

    /// The transport for one delivery run; a CA file that cannot be read is an error.
    pub fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(self.host.as_str())
            .port(self.port)
            .timeout(Some(self.timeout))
            .hello_name(ClientId::Domain(self.helo.clone()));
        if self.tls != SmtpTls::None {
            let mut params = TlsParameters::builder(self.host.clone());
            if let Some(path) = &self.ca_file {
                let pem = std::fs::read(path).map_err(|e| format!("CA-Datei {} nicht lesbar: {e}", path.display()))?;
                let cert = Certificate::from_pem(&pem).map_err(|e| format!("CA-Datei {} enthält kein Zertifikat: {e}", path.display()))?;
                params = params.add_root_certificate(cert);
            }
            let params = params.build_rustls().map_err(|e| format!("TLS-Einstellungen ungültig: {e}"))?;
            builder = builder.tls(if self.tls == SmtpTls::Tls { Tls::Wrapper(params) } else { Tls::Required(params) });
        }
        if let Some((user, password)) = &self.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone())).authentication(vec![Mechanism::Plain, Mechanism::Login]);
        }
        Ok(builder.build())
    }
}

/// Mails sent per run at most.
const BATCH: u64 = 50;
pub const TIMEOUT: StdDuration = StdDuration::from_secs(15);

/// The Message-ID of an outbox row: the same for every attempt to send it.
pub fn message_id(m: &mail_outbox::Model, helo: &str) -> String {
    let helo: String = helo.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-')).collect();
    format!("<ozg-{}-{}@{}>", m.id, m.created_at.timestamp_micros(), helo)
}

/// The message for one outbox row. The text goes base64-encoded (UTF-8, any line length).
pub fn message(cfg: &SmtpConfig, m: &mail_outbox::Model, now: DateTime<Utc>) -> Result<Message, String> {
    let from = Mailbox::new(Some("OZG-Portal Sachsen-Anhalt".into()), cfg.from.parse().map_err(|e| format!("Absenderadresse ungültig: {e}"))?);
    let to = Mailbox::new(None, m.recipient.parse().map_err(|e| format!("Empfängeradresse »{}« ungültig: {e}", m.recipient))?);
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(m.subject.clone())
        .date(now.into())
        .message_id(Some(message_id(m, &cfg.helo)))
        .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("Auto-Submitted"), "auto-generated".into()));
    let text = SinglePart::builder().header(ContentType::TEXT_PLAIN).header(ContentTransferEncoding::Base64).body(m.body.clone());
    match (&m.attachment_name, &m.attachment_body) {
        // An event's calendar entry travels as an attachment next to the text.
        (Some(name), Some(body)) => {
            let kind = if name.ends_with(".ics") { "text/calendar; charset=utf-8; method=PUBLISH" } else { "text/plain; charset=utf-8" };
            let kind = ContentType::parse(kind).map_err(|e| format!("Anhang nicht zusammensetzbar: {e}"))?;
            let file = lettre::message::Attachment::new(name.clone()).body(body.clone(), kind);
            builder.multipart(lettre::message::MultiPart::mixed().singlepart(text).singlepart(file))
        }
        _ => builder.singlepart(text),
    }
    .map_err(|e| format!("E-Mail nicht zusammensetzbar: {e}"))
}

/// The relay's answer or the connection's failure, in words an administrator can act on.
fn describe(e: &lettre::transport::smtp::Error) -> String {
    if e.is_tls() || e.to_string().contains("certificate") {
        format!("TLS-Verbindung zum Mailserver gescheitert (Zertifikat nicht vertrauenswürdig oder Name falsch): {e}")
    } else if e.is_timeout() {
        format!("Zeitüberschreitung im Gespräch mit dem Mailserver: {e}")
    } else if e.is_permanent() || e.is_transient() {
        format!("Mailserver lehnte ab: {e}")
    } else {
        format!("Mailserver nicht erreichbar oder Gespräch gescheitert: {e}")
    }
}

/// Sends one outbox row. `Ok` only when the relay acknowledged the mail's data.
#[tracing::instrument(skip_all, fields(mail_id = m.id))]
pub async fn send(transport: &AsyncSmtpTransport<Tokio1Executor>, cfg: &SmtpConfig, m: &mail_outbox::Model, now: DateTime<Utc>) -> Result<(), String> {
    let message = message(cfg, m, now)?;
    // The whole conversation within the timeout: a relay that never answers DATA does not hold
    // the outbox (the retry carries the same Message-ID).
    match tokio::time::timeout(cfg.timeout, transport.send(message)).await {
        Ok(answer) => answer.map(|_| ()).map_err(|e| describe(&e)),
        Err(_) => Err(format!("Zeitüberschreitung: der Mailserver antwortete nicht binnen {} s; der Versand wird mit derselben Message-ID wiederholt", cfg.timeout.as_secs())),
    }
}

/// Delay before the next attempt: 1, 2, 4 … minutes, at most 6 hours.
pub fn backoff(attempts: i32) -> Duration {
    Duration::minutes(1i64 << attempts.clamp(0, 9)).min(Duration::hours(6))
}

/// What one delivery run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
    /// Of the failed: given up (dead letters).
    pub dead: usize,
}

/// Sends every due mail of the outbox that no other instance is sending.
#[tracing::instrument(skip_all)]
pub async fn deliver_due(db: &DatabaseConnection, cfg: &SmtpConfig, now: DateTime<Utc>) -> Result<Delivery, DbErr> {
    let due = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::SentAt.is_null())
        .filter(mail_outbox::Column::NextAttemptAt.lte(now))
        .filter(mail_outbox::Column::DeadAt.is_null())
        .order_by_asc(mail_outbox::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    let mut out = Delivery::default();
    if due.is_empty() {
        return Ok(out);
    }
    let transport = cfg.transport();
    for m in due {
        // Claim the mail: another instance sending the outbox at the same time skips it.
        let claimed = mail_outbox::Entity::update_many()
            .col_expr(mail_outbox::Column::ClaimedUntil, Expr::value(now + Duration::minutes(5)))
            .filter(mail_outbox::Column::Id.eq(m.id))
            .filter(mail_outbox::Column::SentAt.is_null())
            .filter(Condition::any().add(mail_outbox::Column::ClaimedUntil.is_null()).add(mail_outbox::Column::ClaimedUntil.lt(now)))
            .exec(db)
            .await?
            .rows_affected;
        if claimed != 1 {
            continue;
        }
        let sent = match &transport {
            Ok(t) => send(t, cfg, &m, now).await,
            Err(e) => Err(e.clone()),
        };
        match sent {
            Ok(()) => {
                mail_outbox::Entity::update_many()
                    .col_expr(mail_outbox::Column::SentAt, Expr::value(now))
                    .col_expr(mail_outbox::Column::Attempts, Expr::value(m.attempts + 1))
                    .filter(mail_outbox::Column::Id.eq(m.id))
                    .exec(db)
                    .await?;
                out.sent += 1;
            }
            Err(e) => {
                let dead = m.attempts + 1 >= cfg.max_attempts;
                if dead {
                    tracing::error!(mail_id = m.id, attempts = m.attempts + 1, error = %e, "E-Mail nach dem letzten Versuch aufgegeben (unzustellbar)");
                    app::core::audit::record_best_effort(
                        db,
                        app::core::audit::Entry { action: app::vocabulary::audit::AuditAction::MailDeadLetter, object: Some(&m.id.to_string()), detail: Some(e.chars().take(300).collect()), ..Default::default() },
                    )
                    .await;
                    out.dead += 1;
                } else {
                    tracing::warn!(mail_id = m.id, attempts = m.attempts + 1, error = %e, "E-Mail nicht zugestellt; neuer Versuch später");
                }
                mail_outbox::Entity::update_many()
                    .col_expr(mail_outbox::Column::DeadAt, Expr::value(dead.then_some(now)))
                    .col_expr(mail_outbox::Column::Attempts, Expr::value(m.attempts + 1))
                    .col_expr(mail_outbox::Column::NextAttemptAt, Expr::value(now + backoff(m.attempts)))
                    .col_expr(mail_outbox::Column::LastError, Expr::value(e.chars().take(500).collect::<String>()))
                    .col_expr(mail_outbox::Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
                    .filter(mail_outbox::Column::Id.eq(m.id))
                    .exec(db)
                    .await?;
                out.failed += 1;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_up_to_six_hours() {
        assert_eq!(backoff(0), Duration::minutes(1));
        assert_eq!(backoff(3), Duration::minutes(8));
        assert_eq!(backoff(20), Duration::hours(6));
    }

    fn row(id: i64, recipient: &str, subject: &str) -> mail_outbox::Model {
        let t = DateTime::parse_from_rfc3339("2026-11-30T10:00:00Z").expect("time").with_timezone(&Utc);
        mail_outbox::Model {
            id,
            recipient: recipient.into(),
            subject: subject.into(),
            body: "Grüße aus Magdeburg\n.\nEnde".into(),
            created_at: t,
            next_attempt_at: t,
            attempts: 0,
            sent_at: None,
            last_error: None,
            claimed_until: None,
            dead_at: None,
            attachment_name: None,
            attachment_body: None,
        }
    }

    #[test]
    fn a_calendar_entry_travels_as_an_attachment_beside_the_text() {
        let cfg = SmtpConfig::unencrypted("127.0.0.1", 25, "portal@sachsen-anhalt.example");
        let mut m = row(9, "a@b.de", "Anmeldung bestätigt: Sprechstunde");
        m.attachment_name = Some("termin.ics".into());
        m.attachment_body = Some("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n".into());
        let text = String::from_utf8(message(&cfg, &m, Utc::now()).expect("mail").formatted()).expect("utf-8");
        assert!(text.contains("Content-Type: multipart/mixed"), "{text}");
        assert!(text.contains("text/calendar; charset=utf-8; method=PUBLISH") && text.contains("filename=\"termin.ics\""), "{text}");
        assert!(text.contains("Content-Type: text/plain"), "{text}");
        let plain = String::from_utf8(message(&cfg, &row(10, "a@b.de", "x"), Utc::now()).expect("mail").formatted()).expect("utf-8");
        assert!(!plain.contains("multipart"), "a mail without attachment stays one part");
    }

    #[test]
    fn the_message_id_is_the_same_for_every_attempt_and_differs_between_mails() {
        let cfg = SmtpConfig::unencrypted("127.0.0.1", 25, "portal@sachsen-anhalt.example");
        let now = Utc::now();
        let a = String::from_utf8(message(&cfg, &row(7, "a@b.de", "x"), now).expect("mail").formatted()).expect("utf-8");
        let again = String::from_utf8(message(&cfg, &row(7, "a@b.de", "x"), now + Duration::minutes(5)).expect("mail").formatted()).expect("utf-8");
        let other = String::from_utf8(message(&cfg, &row(8, "a@b.de", "x"), now).expect("mail").formatted()).expect("utf-8");
        let id = |m: &str| m.lines().find(|l| l.starts_with("Message-ID:")).map(str::to_string).expect("Message-ID");
        assert_eq!(id(&a), id(&again));
        assert_ne!(id(&a), id(&other));
        assert!(a.contains("Auto-Submitted: auto-generated"));
    }

    #[test]
    fn headers_cannot_be_injected_and_umlauts_are_encoded() {
        let cfg = SmtpConfig::unencrypted("127.0.0.1", 25, "portal@sachsen-anhalt.example");
        assert!(message(&cfg, &row(1, "a@b.de\r\nBcc: x@y.de", "x"), Utc::now()).is_err(), "a recipient with a line break is refused");
        let m = String::from_utf8(message(&cfg, &row(1, "a@b.de", "Antwort zu Fall 3 »Förderung«\r\nBcc: x@y.de"), Utc::now()).expect("mail").formatted()).expect("utf-8");
        assert!(!m.lines().any(|l| l.starts_with("Bcc:")), "no header injected: {m}");
        let subject = m.lines().find(|l| l.starts_with("Subject: ")).expect("subject");
        assert!(subject.to_lowercase().contains("=?utf-8?b?"), "umlauts go as an encoded word: {subject}");
    }
}
