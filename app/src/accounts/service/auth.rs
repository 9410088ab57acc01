//! Login and logout as services shared by the login page, the REST API and the tests.

use crate::core::audit;
use crate::core::audit::Entry;
use crate::core::entities::app_user;
use crate::core::password::HashError;
use crate::core::state::AppState;
use crate::core::throttle;
use crate::core::throttle::Key;
use crate::error::AppError;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

/// What a correct password leads to: a session, or a sign-in that waits for the second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The new session token.
    Session(String),
    /// The secret of the waiting sign-in (for its cookie); the person enters a code, or first
    /// sets up the second factor where it is required.
    SecondFactor(String),
}

/// A successful first step: what follows, the user's id and the device cookie's value to set
/// (new when the browser had none).
pub struct LoggedIn {
    pub step: Step,
    pub user_id: String,
    pub device: String,
}

impl LoggedIn {
    /// The session token, when no second factor is pending.
    pub fn token(&self) -> Option<&str> {
        match &self.step {
            Step::Session(t) => Some(t),
            Step::SecondFactor(_) => None,
        }
    }
}

fn busy() -> AppError {
    AppError::RateLimited("Zu viele Anmeldungen gleichzeitig. Bitte versuchen Sie es in einigen Sekunden erneut.".into())
}

/// The keys that throttle this attempt: a browser that signed in to the account before is
/// throttled on its own; every other client per account (across addresses) and per address.
async fn keys_for(state: &AppState, email: &str, ip: &str, device: Option<&str>) -> Result<(Vec<Key>, Option<String>), AppError> {
    let hash = device.and_then(throttle::device_hash);
    if let Some(h) = &hash
        && throttle::is_known_device(&state.db, h, email, crate::core::time::now()).await?
    {
        return Ok((vec![Key::device(h, email)], hash));
    }
    Ok((vec![Key::account(email), Key::address(ip)], hash))
}

/// Checks the credentials and creates a new session. `previous` is the hash of the session the
/// request came with, which is ended (the session id rotates at login); `device` the value of
/// the browser's device cookie, if it sent one.
#[tracing::instrument(skip_all)]
/// `code`: the second factor given with the password (the REST API); the browser enters it on
/// its own page after the challenge instead.
pub async fn login(state: &AppState, email: &str, password: &str, code: Option<&str>, ip: &str, previous: Option<&str>, device: Option<&str>) -> Result<LoggedIn, AppError> {
    let email = super::address::normalise_email(email);
    // An empty field is named, not answered with "falsch": nothing was tried, nothing counts.
    let mut missing = std::collections::BTreeMap::new();
    if email.is_empty() {
        missing.insert("email".to_string(), vec!["Bitte geben Sie Ihre E-Mail-Adresse ein.".to_string()]);
    }
    if password.is_empty() {
        missing.insert("password".to_string(), vec!["Bitte geben Sie Ihr Passwort ein.".to_string()]);
    }
    if !missing.is_empty() {
        return Err(AppError::Validation(missing));
    }
    if email.len() > 254 || password.chars().count() > crate::core::password::MAX_LEN {
        return Err(AppError::InvalidCredentials);
    }
    let (keys, device_hash) = keys_for(state, &email, ip, device).await?;
    if let Some(refused) = throttle::check(&state.db, &keys, crate::core::time::now()).await? {
        if refused.audit {
            audit::record_best_effort(
                &state.db,
                Entry {
                    action: crate::vocabulary::audit::AuditAction::LoginThrottled,
                    object: Some(&email),
                    ip: Some(ip),
                    detail: Some(format!("gesperrt nach {}, weitere Versuche im Zeitfenster nicht einzeln protokolliert", refused.kind())),
                    ..Default::default()
                },
            )
            .await;
        }
        return Err(AppError::RateLimited(refused.message()));
    }
    let user = app_user::Entity::find().filter(app_user::Column::Email.eq(email.clone())).one(&state.db).await?;
    // An account without a password yet (invited) is checked against the dummy hash like an
    // unknown one, so the answer takes as long.
    let stored = user.as_ref().filter(|u| u.active && !u.password_hash.is_empty()).map(|u| u.password_hash.clone());
    let verified = match state.hasher.verify(password.to_string(), stored).await {
        Ok(v) => v,
        Err(HashError::Busy) => return Err(busy()),
        Err(HashError::Failed) => {
            tracing::error!("Passwortprüfung fehlgeschlagen");
            return Err(AppError::Internal);
        }
    };
    let Some(user) = user.filter(|u| u.active && verified.ok) else {
        throttle::record_failure(&state.db, &keys, crate::core::time::now()).await?;
        audit::record_best_effort(
            &state.db,
            Entry { action: crate::vocabulary::audit::AuditAction::LoginFailure, object: Some(&email), ip: Some(ip), ..Default::default() },
        )
        .await;
        return Err(AppError::InvalidCredentials);
    };
    let role = crate::identity::Role::from_code(&user.role).unwrap_or(crate::identity::Role::Clerk);
    if !state.config.password_login_allowed(role) {
        audit::record_best_effort(&state.db, Entry { actor: Some(&user.id), action: crate::vocabulary::audit::AuditAction::LoginRefused, ip: Some(ip), detail: Some("Anmeldung mit Passwort für diese Rolle abgeschaltet".into()), ..Default::default() }).await;
        return Err(AppError::Conflict("Mit Ihrer Rolle melden Sie sich über den Identitätsanbieter des Landes an, nicht mit einem Passwort.".into()));
    }
    let second_factor = user.totp_secret.is_some() || state.config.mfa_required(role, user.is_demo, user.manages_clerks);
    let mut second_factor_done = false;
    if second_factor && let Some(code) = code.filter(|c| !c.trim().is_empty()) {
        if user.totp_secret.is_none() {
            return Err(AppError::Conflict("Für Ihr Konto ist ein zweiter Faktor vorgeschrieben. Bitte richten Sie ihn zuerst im Browser ein.".into()));
        }
        super::mfa::verify(&state.db, &user.id, code, ip).await?;
        second_factor_done = true;
    }
    let new_hash = if verified.needs_rehash { state.hasher.hash(password.to_string()).await.ok() } else { None };
    let (device_value, device_hash) = match (device, device_hash) {
        (Some(v), Some(h)) => (v.to_string(), h),
        _ => {
            let v = crate::core::session::new_token();
            let h = crate::core::session::hash_token(&v);
            (v, h)
        }
    };

    let now = crate::core::time::now();
    let txn = crate::core::db::begin_write(&state.db).await?;
    // The account's and this device's failures are forgotten; the address's window stays.
    throttle::clear(&txn, &[Key::account(&email), Key::device(&device_hash, &email)]).await?;
    throttle::remember_device(&txn, &device_hash, &email, now).await?;
    if let Some(prev) = previous {
        crate::core::session::destroy(&txn, prev).await?;
    }
    let user_id = user.id.clone();
    if second_factor && !second_factor_done {
        let challenge = super::mfa::start_challenge(&txn, &user_id, "password").await?;
        if let Some(h) = new_hash {
            let mut active: app_user::ActiveModel = user.into();
            active.password_hash = Set(h);
            active.update(&txn).await?;
        }
        audit::record(&txn, Entry { actor: Some(&user_id), action: crate::vocabulary::audit::AuditAction::LoginPasswordOk, ip: Some(ip), detail: Some("zweiter Faktor ausstehend".into()), ..Default::default() }).await?;
        txn.commit().await?;
        return Ok(LoggedIn { step: Step::SecondFactor(challenge), user_id, device: device_value });
    }
    let token = crate::core::session::create(&txn, &user.id).await?;
    let before = user.last_login_at;
    let mut active: app_user::ActiveModel = user.into();
    active.previous_login_at = Set(before);
    active.last_login_at = Set(Some(now));
    if let Some(h) = new_hash {
        active.password_hash = Set(h);
    }
    active.update(&txn).await?;
    audit::record(
        &txn,
        Entry { actor: Some(&user_id), action: crate::vocabulary::audit::AuditAction::LoginSuccess, ip: Some(ip), detail: second_factor_done.then(|| "mit zweitem Faktor".into()), ..Default::default() },
    )
    .await?;
    txn.commit().await?;
    Ok(LoggedIn { step: Step::Session(token), user_id, device: device_value })
}

/// The second step of a sign-in: a code for the waiting sign-in `challenge`. A person with the
/// second factor gives a TOTP or recovery code; one who must set it up confirms the new key with
/// its first code. On success the challenge ends and the new session's token is returned.
#[tracing::instrument(skip_all)]
pub async fn second_factor(state: &AppState, challenge: &str, code: &str, ip: &str) -> Result<(String, Option<super::mfa::Accepted>), AppError> {
    let Some((_, user)) = super::mfa::challenge(&state.db, challenge).await? else {
        return Err(AppError::Conflict("Die Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.".into()));
    };
    // Each code is one of the waiting sign-in's few attempts, claimed before it is checked.
    if !super::mfa::claim_challenge_attempt(&state.db, challenge).await? {
        audit::record_best_effort(&state.db, Entry { actor: Some(&user.id), action: crate::vocabulary::audit::AuditAction::MfaChallengeEnded, object: Some(&user.id), ip: Some(ip), ..Default::default() }).await;
        return Err(AppError::Conflict("Zu viele falsche Codes: Die Anmeldung wurde beendet. Bitte melden Sie sich erneut an.".into()));
    }
    let accepted = if user.totp_secret.is_some() {
        Some(super::mfa::verify(&state.db, &user.id, code, ip).await?)
    } else {
        super::mfa::confirm(&state.db, &user.id, code, ip).await?;
        None
    };
    let txn = crate::core::db::begin_write(&state.db).await?;
    if !super::mfa::end_challenge(&txn, challenge).await? {
        return Err(AppError::Conflict("Die Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.".into()));
    }
    let token = crate::core::session::create(&txn, &user.id).await?;
    app_user::Entity::update_many()
        .col_expr(app_user::Column::PreviousLoginAt, sea_orm::sea_query::Expr::col(app_user::Column::LastLoginAt))
        .col_expr(app_user::Column::LastLoginAt, sea_orm::sea_query::Expr::value(crate::core::time::now()))
        .filter(app_user::Column::Id.eq(&user.id))
        .exec(&txn)
        .await?;
    audit::record(&txn, Entry { actor: Some(&user.id), action: crate::vocabulary::audit::AuditAction::LoginSuccess, ip: Some(ip), detail: Some("mit zweitem Faktor".into()), ..Default::default() }).await?;
    txn.commit().await?;
    Ok((token, accepted))
}

/// Ends the given session and records the logout.
#[tracing::instrument(skip_all)]
pub async fn logout(state: &AppState, user_id: &str, session_hash: &str, ip: &str) -> Result<(), AppError> {
    let txn = crate::core::db::begin_write(&state.db).await?;
    crate::core::session::destroy(&txn, session_hash).await?;
    audit::record(&txn, Entry { actor: Some(user_id), action: crate::vocabulary::audit::AuditAction::Logout, ip: Some(ip), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}
