//! Dead letters: list them, send one again (from the first attempt) or discard it. Both audited.

use crate::core::audit;
use crate::core::audit::Entry;
use crate::core::entities::mail_outbox;
use crate::error::AppError;
use crate::operations::model::DeadLetter;
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

/// Every dead letter, newest first.
pub async fn dead_letters(db: &impl ConnectionTrait) -> Result<Vec<DeadLetter>, AppError> {
    let rows = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::DeadAt.is_not_null())
        .filter(mail_outbox::Column::SentAt.is_null())
        .order_by_desc(mail_outbox::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|m| DeadLetter {
            id: m.id,
            recipient: m.recipient,
            subject: m.subject,
            attempts: m.attempts,
            last_error: m.last_error,
            created: crate::core::time::format_berlin(m.created_at),
            dead: m.dead_at.map(crate::core::time::format_berlin).unwrap_or_default(),
        })
        .collect())
}

/// The dead letter with this id (given up, not sent).
fn dead_letter(id: i64) -> Condition {
    Condition::all()
        .add(mail_outbox::Column::Id.eq(id))
        .add(mail_outbox::Column::DeadAt.is_not_null())
        .add(mail_outbox::Column::SentAt.is_null())
}

/// Queues a dead letter again, with its attempts counted afresh.
pub async fn retry(db: &DatabaseConnection, actor: &str, id: i64) -> Result<(), AppError> {
    let txn = crate::core::db::begin_write(db).await?;
    let n = mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::DeadAt, Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None))
        .col_expr(mail_outbox::Column::Attempts, Expr::value(0))
        .col_expr(mail_outbox::Column::NextAttemptAt, Expr::value(crate::core::time::now()))
        .filter(dead_letter(id))
        .exec(&txn)
        .await?
        .rows_affected;
    if n != 1 {
        return Err(AppError::NotFound);
    }
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::MailRetried, object: Some(&id.to_string()), ..Default::default() }).await?;
    txn.commit().await?;
    crate::core::outbox::wake();
    Ok(())
}

/// Deletes a dead letter.
pub async fn discard(db: &DatabaseConnection, actor: &str, id: i64) -> Result<(), AppError> {
    let txn = crate::core::db::begin_write(db).await?;
    let n = mail_outbox::Entity::delete_many()
        .filter(dead_letter(id))
        .exec(&txn)
        .await?
        .rows_affected;
    if n != 1 {
        return Err(AppError::NotFound);
    }
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::MailDiscarded, object: Some(&id.to_string()), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}
