//! Sending the webhook queue: every due delivery is claimed (so that several instances send it
//! once), its receiver's address is checked again against server-side request forgery, and it
//! is POSTed, signed, to exactly the addresses checked (no redirect is followed). A 2xx answer
//! delivers it; anything else is kept with its status and answer and retried with the mail
//! outbox's backoff, up to `MAX_ATTEMPTS`, then given up (kept, visible, audited).

use app::core::entities::{webhook_delivery, webhook_receiver};
use app::core::webhooks;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Attempts before a delivery is given up (the last about a day after the first).
pub const MAX_ATTEMPTS: i32 = 12;
const BATCH: u64 = 50;
/// The longest answer kept of a receiver.
const ANSWER_MAX: usize = 500;

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub delivered: usize,
    pub failed: usize,
    pub dead: usize,
}

/// The result of one attempt: the receiver's status (none when nothing was answered) and what
/// it answered or why nothing was sent.
async fn attempt(db: &DatabaseConnection, r: &webhook_receiver::Model, d: &webhook_delivery::Model, now: DateTime<Utc>) -> (Option<u16>, String) {
    let target = match webhooks::vet(db, &r.url).await {
        Ok(t) => t,
        Err(refused) => return (None, format!("Nicht gesendet: {refused}")),
    };
    let client = match reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .resolve_to_addrs(&target.host, &target.addrs)
        .build()
    {
        Ok(c) => c,
        Err(e) => return (None, format!("Nicht gesendet: {e}")),
    };
    let ts = now.timestamp();
    let sent = client
        .post(target.url)
        .header("content-type", "application/json")
        .header("user-agent", "OZG-Portal-Sachsen-Anhalt-Webhooks/1")
        .header("x-ozg-event", &d.event)
        .header("x-ozg-delivery", d.id.to_string())
        .header("x-ozg-timestamp", ts.to_string())
        .header("x-ozg-signature", format!("sha256={}", webhooks::sign(&r.secret, ts, &d.body)))
        .body(d.body.clone())
        .send()
        .await;
    match sent {
        Ok(res) => {
            let status = res.status().as_u16();
            let text = res.text().await.unwrap_or_default();
            (Some(status), text.chars().take(ANSWER_MAX).collect())
        }
        Err(e) => (None, format!("Keine Antwort: {e}").chars().take(ANSWER_MAX).collect()),
    }
}

/// Sends the due deliveries.
#[tracing::instrument(skip_all)]
pub async fn deliver_due(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Sent, DbErr> {
    let due = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::DeliveredAt.is_null())
        .filter(webhook_delivery::Column::DeadAt.is_null())
        .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
        .order_by_asc(webhook_delivery::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    let mut out = Sent::default();
    for d in due {
        let claimed = webhook_delivery::Entity::update_many()
            .col_expr(webhook_delivery::Column::ClaimedUntil, Expr::value(now + Duration::minutes(2)))
            .filter(webhook_delivery::Column::Id.eq(d.id))
            .filter(webhook_delivery::Column::DeliveredAt.is_null())
            .filter(Condition::any().add(webhook_delivery::Column::ClaimedUntil.is_null()).add(webhook_delivery::Column::ClaimedUntil.lt(now)))
            .exec(db)
            .await?
            .rows_affected;
        if claimed != 1 {
            continue;
        }
        let Some(r) = webhook_receiver::Entity::find_by_id(d.receiver_id.clone()).one(db).await? else { continue };
        let (status, answer) = attempt(db, &r, &d, now).await;
        let ok = status.is_some_and(|s| (200..300).contains(&s));
        let attempts = d.attempts + 1;
        let dead = !ok && attempts >= MAX_ATTEMPTS;
        let mut update = webhook_delivery::Entity::update_many()
            .col_expr(webhook_delivery::Column::Attempts, Expr::value(attempts))
            .col_expr(webhook_delivery::Column::LastStatus, Expr::value(status.map(i32::from)))
            .col_expr(webhook_delivery::Column::LastAnswer, Expr::value(answer.clone()))
            .col_expr(webhook_delivery::Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None));
        if ok {
            update = update.col_expr(webhook_delivery::Column::DeliveredAt, Expr::value(now));
            out.delivered += 1;
        } else {
            update = update.col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(now + crate::ops::mail::backoff(d.attempts)));
            if dead {
                update = update.col_expr(webhook_delivery::Column::DeadAt, Expr::value(now));
                tracing::error!(delivery = d.id, receiver = %r.id, "Webhook nach dem letzten Versuch aufgegeben");
                app::core::audit::record_best_effort(
                    db,
                    app::core::audit::Entry { action: app::vocabulary::audit::AuditAction::WebhookDeadLetter, object: Some(&d.id.to_string()), detail: Some(answer.chars().take(300).collect()), ..Default::default() },
                )
                .await;
                out.dead += 1;
            } else {
                tracing::warn!(delivery = d.id, receiver = %r.id, status = ?status, "Webhook nicht zugestellt; neuer Versuch später");
            }
            out.failed += 1;
        }
        update.filter(webhook_delivery::Column::Id.eq(d.id)).exec(db).await?;
    }
    Ok(out)
}
