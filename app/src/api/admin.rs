//! Administration: the user list and deactivation.

use crate::model::{AppError, UserListItem};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::ctx;

#[cfg(feature = "ssr")]
fn require_admin() -> Result<crate::server::session::CurrentUser, AppError> {
    let user = ctx::require_user()?;
    if ctx::scope().is_admin() { Ok(user) } else { Err(AppError::Forbidden) }
}

/// Every account (administrators only).
#[server(endpoint = "admin_users")]
pub async fn list_users() -> Result<Vec<UserListItem>, AppError> {
    ctx::finish(async {
        require_admin()?;
        crate::server::users::list(&ctx::state()?.db).await
    }
    .await)
    .await
}

/// Deactivates an account and ends its sessions (administrators only).
#[server(endpoint = "admin_deactivate_user")]
pub async fn deactivate_user(user_id: String) -> Result<(), AppError> {
    ctx::finish(async {
        let admin = require_admin()?;
        crate::server::users::deactivate(&ctx::state()?.db, Some(&admin.id), &user_id).await
    }
    .await)
    .await
}
