//! Server functions of the operations feature (administrators only).

use crate::error::AppError;
use crate::operations::model::DeadLetter;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// The dead letters.
#[server(endpoint = "admin_dead_letters")]
pub async fn dead_letters() -> Result<Vec<DeadLetter>, AppError> {
    ctx::finish(async {
        crate::access::require_admin()?;
        crate::operations::service::dead_letters(&ctx::state()?.db).await
    }
    .await)
    .await
}

/// Sends a dead letter again.
#[server(endpoint = "admin_retry_mail")]
pub async fn retry_mail(id: i64) -> Result<(), AppError> {
    ctx::finish(async {
        let admin = crate::access::require_admin()?;
        crate::operations::service::retry(&ctx::state()?.db, &admin.id, id).await
    }
    .await)
    .await
}

/// Discards a dead letter.
#[server(endpoint = "admin_discard_mail")]
pub async fn discard_mail(id: i64) -> Result<(), AppError> {
    ctx::finish(async {
        let admin = crate::access::require_admin()?;
        crate::operations::service::discard(&ctx::state()?.db, &admin.id, id).await
    }
    .await)
    .await
}
