//! Account administration: the list within the caller's reach, and the changes to an account.
//! Creating accounts (invitation, CSV import) are plain form posts answered by the server with
//! a page, since a link may have to be shown exactly once (see `server/src/http/forms/accounts.rs`).

use crate::accounts::model::{UserAdmin, UserFilter};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// The accounts the caller manages, filtered (administrators, Ansprechpersonen).
#[server(endpoint = "admin_users")]
pub async fn list_users(#[server(default)] filter: UserFilter) -> Result<UserAdmin, AppError> {
    ctx::finish(async {
        let user = ctx::require_user()?;
        crate::accounts::service::manage::list(&ctx::state()?, &user, &filter).await
    }
    .await)
    .await
}

/// Deactivates an account and ends its sessions.
#[server(endpoint = "admin_deactivate_user")]
pub async fn deactivate_user(user_id: String) -> Result<(), AppError> {
    ctx::finish(async {
        let user = ctx::require_user()?;
        crate::accounts::service::manage::deactivate(&ctx::state()?.db, &user, &user_id).await
    }
    .await)
    .await
}

/// Reactivates an account.
#[server(endpoint = "admin_reactivate_user")]
pub async fn reactivate_user(user_id: String) -> Result<(), AppError> {
    ctx::finish(async {
        let user = ctx::require_user()?;
        crate::accounts::service::manage::reactivate(&ctx::state()?.db, &user, &user_id).await
    }
    .await)
    .await
}

/// Changes an account's role and organisations; every session and API token of the person
/// ends. `orgs`: keys separated by commas or spaces.
#[server(endpoint = "admin_change_user_access")]
pub async fn change_user_access(user_id: String, role: String, #[server(default)] orgs: String) -> Result<(), AppError> {
    ctx::finish(async {
        let user = ctx::require_user()?;
        let role = crate::identity::Role::from_code(role.trim()).ok_or_else(|| AppError::field("role", "Diese Rolle gibt es nicht."))?;
        let keys: Vec<String> = orgs.split([',', ' ', ';']).map(str::trim).filter(|k| !k.is_empty()).map(str::to_string).collect();
        crate::accounts::service::manage::change_access(&ctx::state()?.db, &user, &user_id, role, &keys).await
    }
    .await)
    .await
}

/// Withdraws a person's open invitation.
#[server(endpoint = "admin_withdraw_invitation")]
pub async fn withdraw_invitation(user_id: String) -> Result<(), AppError> {
    ctx::finish(async {
        let user = ctx::require_user()?;
        crate::accounts::service::manage::withdraw_invitation(&ctx::state()?.db, &user, &user_id).await
    }
    .await)
    .await
}

/// Makes a clerk the Ansprechperson of its Kommune, or takes the right back (administrators).
#[server(endpoint = "admin_set_manager")]
pub async fn set_manager(user_id: String, on: String) -> Result<(), AppError> {
    ctx::finish(async {
        let user = ctx::require_user()?;
        crate::accounts::service::manage::set_manages_clerks(&ctx::state()?.db, &user, &user_id, on == "ja").await
    }
    .await)
    .await
}

/// Resets a person's second factor; their sessions end.
#[server(endpoint = "admin_reset_mfa")]
pub async fn reset_user_mfa(user_id: String) -> Result<(), AppError> {
    ctx::finish(async {
        let user = ctx::require_user()?;
        crate::accounts::service::manage::reset_mfa(&ctx::state()?.db, &user, &user_id).await
    }
    .await)
    .await
}

/// A page of the audit log (administrators).
#[server(endpoint = "admin_audit_log")]
pub async fn audit_log(#[server(default)] filter: crate::accounts::model::AuditFilter) -> Result<crate::accounts::model::AuditPage, AppError> {
    ctx::finish(async {
        crate::access::policy::require_audit_reader(&crate::access::scope())?;
        crate::accounts::service::audit_log::page(&ctx::state()?.db, &filter).await
    }
    .await)
    .await
}

/// Deletes a person by anonymising them (Art. 17 DSGVO; administrators).
#[server(endpoint = "admin_erase_user")]
pub async fn erase_user(user_id: String) -> Result<(), AppError> {
    ctx::finish(async {
        let user = ctx::require_user()?;
        crate::accounts::service::erasure::erase(&ctx::state()?.db, &user, &user_id).await
    }
    .await)
    .await
}
