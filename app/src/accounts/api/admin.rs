//! Administration: the user list and deactivation.

use crate::error::AppError;
use crate::accounts::model::UserListItem;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// Every account (administrators only).
#[server(endpoint = "admin_users")]
pub async fn list_users() -> Result<Vec<UserListItem>, AppError> {
    ctx::finish(async {
        ctx::require_admin()?;
        crate::accounts::service::users::list(&ctx::state()?.db).await
    }
    .await)
    .await
}

/// Deactivates an account and ends its sessions (administrators only).
#[server(endpoint = "admin_deactivate_user")]
pub async fn deactivate_user(user_id: String) -> Result<(), AppError> {
    ctx::finish(async {
        let admin = ctx::require_admin()?;
        crate::accounts::service::users::deactivate(&ctx::state()?.db, Some(&admin.id), &user_id).await
    }
    .await)
    .await
}

/// Changes an account's role and organisations (administrators only; audited). Every session
/// and API token of the person ends. `orgs`: keys separated by commas or spaces.
#[server(endpoint = "admin_change_user_access")]
pub async fn change_user_access(user_id: String, role: String, #[server(default)] orgs: String) -> Result<(), AppError> {
    ctx::finish(async {
        let admin = ctx::require_admin()?;
        let role = crate::identity::Role::from_code(role.trim()).ok_or_else(|| AppError::field("role", "Diese Rolle gibt es nicht."))?;
        let keys: Vec<String> = orgs.split([',', ' ', ';']).map(str::trim).filter(|k| !k.is_empty()).map(str::to_string).collect();
        crate::accounts::service::users::change_access(&ctx::state()?.db, Some(&admin.id), &user_id, role, &keys).await
    }
    .await)
    .await
}
