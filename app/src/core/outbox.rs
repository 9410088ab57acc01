//! Queuing e-mail: a row in the outbox, written in the caller's transaction, so a mail exists
//! exactly when the change it reports was stored. The sender of this instance is woken at
//! once; others find the mail at their next run.

use crate::core::entities::mail_outbox;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, NotSet, Set};

static WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Queues a mail (plain text).
pub async fn enqueue(db: &impl ConnectionTrait, recipient: &str, subject: &str, body: &str) -> Result<(), DbErr> {
    enqueue_with(db, recipient, subject, body, None).await
}

/// Queues a mail with a text attachment `(file name, content)` (an event's `.ics`).
pub async fn enqueue_with(db: &impl ConnectionTrait, recipient: &str, subject: &str, body: &str, attachment: Option<(&str, &str)>) -> Result<(), DbErr> {
    let now = crate::core::time::now();
    mail_outbox::ActiveModel {
        id: NotSet,
        recipient: Set(recipient.to_string()),
        subject: Set(subject.chars().take(250).collect()),
        body: Set(body.to_string()),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(now),
        sent_at: Set(None),
        last_error: Set(None),
        claimed_until: Set(None),
        dead_at: Set(None),
        attachment_name: Set(attachment.map(|a| a.0.to_string())),
        attachment_body: Set(attachment.map(|a| a.1.to_string())),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Tells this instance's sender that a mail waits (call after the transaction committed).
pub fn wake() {
    WAKE.notify_one();
}

/// Waits until a mail was queued on this instance.
pub async fn queued() {
    WAKE.notified().await;
}

/// Mails waiting to be sent and mails given up (dead letters, not discarded): two counts for the
/// metrics and the administrators' start page.
pub async fn counts(db: &impl ConnectionTrait) -> Result<(u64, u64), DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let unsent = || mail_outbox::Entity::find().filter(mail_outbox::Column::SentAt.is_null());
    let waiting = unsent().filter(mail_outbox::Column::DeadAt.is_null()).count(db).await?;
    let dead = unsent().filter(mail_outbox::Column::DeadAt.is_not_null()).count(db).await?;
    Ok((waiting, dead))
}
