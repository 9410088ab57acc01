//! Re-authentication before sensitive changes (a write API token, setting up the second
//! factor): the person confirms with the current password or a code of the second factor,
//! checked and throttled as at the sign-in. A person who signs in only through the identity
//! provider (no password, no second factor of the portal's) confirms by a sign-in of the last
//! few minutes.

use crate::core::entities::{app_user, session};
use crate::core::session::CurrentUser;
use crate::core::state::AppState;
use crate::error::AppError;
use sea_orm::EntityTrait;

/// How recent a provider sign-in must be to count as confirmation.
pub const RECENT_MINUTES: i64 = 5;

/// The form field the confirmation is typed into.
pub const FIELD: &str = "reauth";

fn refused(message: &str) -> AppError {
    AppError::field(FIELD, message)
}

/// Checks the confirmation `secret` of `user`; a field error on [`FIELD`] when it does not hold.
#[tracing::instrument(skip_all)]
pub async fn confirm(state: &AppState, user: &CurrentUser, secret: &str, ip: &str) -> Result<(), AppError> {
    if user.via_token {
        return Err(AppError::Forbidden);
    }
    let account = app_user::Entity::find_by_id(user.id.clone()).one(&state.db).await?.ok_or(AppError::Unauthorized)?;
    let secret = secret.trim();
    if account.password_hash.is_empty() && account.totp_secret.is_none() {
        let started = session::Entity::find_by_id(user.session_hash.clone()).one(&state.db).await?.map(|s| s.created_at);
        if started.is_some_and(|t| crate::core::time::now() - t <= chrono::Duration::minutes(RECENT_MINUTES)) {
            return Ok(());
        }
        return Err(refused("Bitte melden Sie sich erneut über das Landeskonto an und wiederholen Sie die Änderung innerhalb von fünf Minuten."));
    }
    if secret.is_empty() {
        return Err(refused("Bitte bestätigen Sie die Änderung mit Ihrem aktuellen Passwort oder einem Code Ihrer App."));
    }
    let digits: String = secret.chars().filter(|c| !c.is_whitespace()).collect();
    let looks_like_code = digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit());
    if account.totp_secret.is_some() && (looks_like_code || account.password_hash.is_empty()) {
        return match super::mfa::verify(&state.db, &user.id, secret, ip).await {
            Ok(_) => Ok(()),
            Err(AppError::Validation(_)) => Err(refused("Der Code ist nicht korrekt.")),
            Err(e) => Err(e),
        };
    }
    if super::users::current_password_matches(&state.db, &state.hasher, &account, secret, ip).await? {
        Ok(())
    } else {
        Err(refused("Das aktuelle Passwort ist nicht korrekt."))
    }
}
