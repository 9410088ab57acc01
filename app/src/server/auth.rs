//! Login and logout as services shared by the login page, the REST API and the tests.

use super::audit::{self, Entry};
use super::entities::app_user;
use super::password::HashError;
use super::state::AppState;
use crate::model::AppError;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use std::time::Instant;

/// A successful login: the new session token and the user's id.
pub struct LoggedIn {
    pub token: String,
    pub user_id: String,
}

pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

fn busy() -> AppError {
    AppError::RateLimited("Zu viele Anmeldungen gleichzeitig. Bitte versuchen Sie es in einigen Sekunden erneut.".into())
}

/// Checks the credentials and creates a new session. `previous` is the hash of the session the
/// request came with, which is ended (the session id rotates at login).
pub async fn login(state: &AppState, email: &str, password: &str, ip: &str, previous: Option<&str>) -> Result<LoggedIn, AppError> {
    let email = normalise_email(email);
    if email.is_empty() || password.is_empty() || email.len() > 254 || password.chars().count() > super::password::MAX_LEN {
        return Err(AppError::InvalidCredentials);
    }
    if let Err(wait) = state.throttle.check(&email, ip, Instant::now()) {
        audit::record_best_effort(
            &state.db,
            Entry { action: "login_throttled", object: Some(&email), ip: Some(ip), ..Default::default() },
        )
        .await;
        let minutes = wait.div_ceil(60);
        return Err(AppError::RateLimited(format!(
            "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie {} {} und versuchen Sie es dann erneut.",
            minutes,
            if minutes == 1 { "Minute" } else { "Minuten" }
        )));
    }
    let user = app_user::Entity::find().filter(app_user::Column::Email.eq(email.clone())).one(&state.db).await?;
    let stored = user.as_ref().filter(|u| u.active).map(|u| u.password_hash.clone());
    let verified = match state.hasher.verify(password.to_string(), stored).await {
        Ok(v) => v,
        Err(HashError::Busy) => return Err(busy()),
        Err(HashError::Failed) => {
            tracing::error!("Passwortprüfung fehlgeschlagen");
            return Err(AppError::Internal);
        }
    };
    let Some(user) = user.filter(|u| u.active && verified.ok) else {
        state.throttle.record_failure(&email, ip, Instant::now());
        audit::record_best_effort(
            &state.db,
            Entry { action: "login_failure", object: Some(&email), ip: Some(ip), ..Default::default() },
        )
        .await;
        return Err(AppError::InvalidCredentials);
    };
    state.throttle.record_success(&email, ip);
    let new_hash = if verified.needs_rehash { state.hasher.hash(password.to_string()).await.ok() } else { None };

    let txn = super::db::begin_write(&state.db).await?;
    if let Some(prev) = previous {
        super::session::destroy(&txn, prev).await?;
    }
    let token = super::session::create(&txn, &user.id).await?;
    let user_id = user.id.clone();
    let mut active: app_user::ActiveModel = user.into();
    active.last_login_at = Set(Some(super::time::now()));
    if let Some(h) = new_hash {
        active.password_hash = Set(h);
    }
    active.update(&txn).await?;
    audit::record(&txn, Entry { actor: Some(&user_id), action: "login_success", ip: Some(ip), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(LoggedIn { token, user_id })
}

/// Ends the given session and records the logout.
pub async fn logout(state: &AppState, user_id: &str, session_hash: &str, ip: &str) -> Result<(), AppError> {
    let txn = super::db::begin_write(&state.db).await?;
    super::session::destroy(&txn, session_hash).await?;
    audit::record(&txn, Entry { actor: Some(user_id), action: "logout", ip: Some(ip), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}
