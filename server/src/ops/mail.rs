//! Sending the mail outbox through SMTP: a plain SMTP conversation (EHLO, MAIL FROM, RCPT TO,
//! DATA, QUIT) with the configured relay. Mails that fail stay in the outbox and are retried
//! with a growing delay, so an outage of the mail server loses nothing and blocks no request.

use app::core::entities::mail_outbox;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::time::Duration as StdDuration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Where and as whom mail is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub from: String,
    /// The name this server gives in EHLO.
    pub helo: String,
    /// After this many failed attempts a mail becomes a dead letter.
    pub max_attempts: i32,
}

/// Mails sent per run at most.
const BATCH: u64 = 50;
const TIMEOUT: StdDuration = StdDuration::from_secs(15);

fn clean(v: &str) -> String {
    v.chars().filter(|c| !matches!(c, '\r' | '\n')).collect()
}

/// RFC 2047 encoded-word for a header with non-ASCII text.
fn header_text(v: &str) -> String {
    let v = clean(v);
    if v.is_ascii() {
        v
    } else {
        format!("=?UTF-8?B?{}?=", base64::engine::general_purpose::STANDARD.encode(v.as_bytes()))
    }
}

async fn reply(reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> Result<(u16, String), String> {
    let mut text = String::new();
    loop {
        let mut line = String::new();
        let n = tokio::time::timeout(TIMEOUT, reader.read_line(&mut line)).await.map_err(|_| "Zeitüberschreitung".to_string())?.map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("Verbindung vom Mailserver beendet".into());
        }
        text.push_str(line.trim_end());
        text.push(' ');
        // "250-..." continues, "250 ..." ends the reply.
        if line.len() < 4 || line.as_bytes()[3] != b'-' {
            let code = line.get(..3).and_then(|c| c.parse::<u16>().ok()).ok_or_else(|| format!("unverständliche Antwort: {}", line.trim_end()))?;
            return Ok((code, text.trim_end().to_string()));
        }
    }
}

async fn command(
    writer: &mut tokio::net::tcp::OwnedWriteHalf,
    reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    line: &str,
    expect: &[u16],
) -> Result<(), String> {
    tokio::time::timeout(TIMEOUT, writer.write_all(format!("{line}\r\n").as_bytes())).await.map_err(|_| "Zeitüberschreitung".to_string())?.map_err(|e| e.to_string())?;
    let (code, text) = reply(reader).await?;
    if expect.contains(&code) { Ok(()) } else { Err(format!("Mailserver lehnte »{}« ab: {text}", line.split(':').next().unwrap_or(line))) }
}

/// Sends one mail. The body goes base64-encoded, so no line of it can end the DATA section.
#[tracing::instrument(skip_all)]
pub async fn send(cfg: &SmtpConfig, to: &str, subject: &str, body: &str, now: DateTime<Utc>) -> Result<(), String> {
    let stream = tokio::time::timeout(TIMEOUT, TcpStream::connect((cfg.host.as_str(), cfg.port)))
        .await
        .map_err(|_| "Zeitüberschreitung beim Verbinden".to_string())?
        .map_err(|e| format!("Mailserver nicht erreichbar: {e}"))?;
    let (read, mut writer) = stream.into_split();
    let mut reader = BufReader::new(read);
    let (code, text) = reply(&mut reader).await?;
    if code != 220 {
        return Err(format!("Mailserver nicht bereit: {text}"));
    }
    command(&mut writer, &mut reader, &format!("EHLO {}", clean(&cfg.helo)), &[250]).await?;
    command(&mut writer, &mut reader, &format!("MAIL FROM:<{}>", clean(&cfg.from)), &[250]).await?;
    command(&mut writer, &mut reader, &format!("RCPT TO:<{}>", clean(to)), &[250, 251]).await?;
    command(&mut writer, &mut reader, "DATA", &[354]).await?;
    let encoded = base64::engine::general_purpose::STANDARD.encode(body.as_bytes());
    let lines: Vec<&str> = encoded.as_bytes().chunks(76).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
    let message = format!(
        "From: OZG-Portal Sachsen-Anhalt <{from}>\r\nTo: <{to}>\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{id}@{helo}>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\nAuto-Submitted: auto-generated\r\n\r\n{body}\r\n.",
        from = clean(&cfg.from),
        to = clean(to),
        subject = header_text(subject),
        date = now.to_rfc2822(),
        id = uuid::Uuid::new_v4(),
        helo = clean(&cfg.helo),
        body = lines.join("\r\n"),
    );
    command(&mut writer, &mut reader, &message, &[250]).await?;
    // The mail is accepted; a failing QUIT changes nothing.
    let _ = command(&mut writer, &mut reader, "QUIT", &[221]).await;
    Ok(())
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
        match send(cfg, &m.recipient, &m.subject, &m.body, now).await {
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
                        app::core::audit::Entry { action: "mail_dead_letter", object: Some(&m.id.to_string()), detail: Some(e.chars().take(300).collect()), ..Default::default() },
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

    #[test]
    fn headers_cannot_be_injected_and_umlauts_are_encoded() {
        assert_eq!(clean("a@b.de\r\nBcc: x@y.de"), "a@b.deBcc: x@y.de");
        assert!(header_text("Antwort zu Fall 3 »Förderung«").starts_with("=?UTF-8?B?"));
        assert_eq!(header_text("plain"), "plain");
    }
}
