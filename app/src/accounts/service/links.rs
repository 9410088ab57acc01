//! Invitation and password-reset links: a 256-bit secret in the link, only its SHA-256 stored;
//! single use, with an expiry. Redeeming one sets the password and ends every other session
//! and API token of the person.

use crate::core::audit;
use crate::core::audit::Entry;
use crate::core::config::Config;
use crate::core::entities::{account_link, app_user};
use crate::core::password::PasswordHasherPool;
use crate::core::session::{hash_token, new_token};
use crate::core::state::AppState;
use crate::core::throttle;
use crate::core::throttle::Key;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::BTreeMap;

pub use super::open_links::withdraw_open;
pub use crate::vocabulary::accounts::LinkPurpose;

/// Where a link leads (path and query) for its purpose.
pub fn path(purpose: LinkPurpose, secret: &str) -> String {
    match purpose {
        LinkPurpose::Invite => format!("/einladung?schluessel={secret}"),
        LinkPurpose::Reset => format!("/passwort-zuruecksetzen?schluessel={secret}"),
    }
}

/// The full link for a mail.
pub fn url(config: &Config, purpose: LinkPurpose, secret: &str) -> String {
    format!("{}{}", config.base_url.trim_end_matches('/'), path(purpose, secret))
}

/// Creates a link inside the caller's transaction; earlier open links of the same purpose end.
/// Returns the secret (shown or mailed once, never stored).
pub async fn create(db: &impl ConnectionTrait, user_id: &str, purpose: LinkPurpose, created_by: Option<&str>, valid: std::time::Duration) -> Result<String, AppError> {
    let now = crate::core::time::now();
    withdraw_open(db, user_id, purpose, now).await?;
    let secret = new_token();
    account_link::ActiveModel {
        token_hash: Set(hash_token(&secret)),
        user_id: Set(user_id.to_string()),
        purpose: Set(purpose),
        created_by: Set(created_by.map(str::to_string)),
        created_at: Set(now),
        expires_at: Set(now + chrono::Duration::from_std(valid).unwrap_or(chrono::Duration::hours(1))),
        used_at: Set(None),
        withdrawn_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(secret)
}


/// The state of a person's newest invitation, for the administrators' list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvitationState {
    Open { until: DateTime<Utc> },
    Expired,
    Withdrawn,
    Accepted,
}

/// The newest invitation of each of these people.
pub async fn invitation_states(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<BTreeMap<String, InvitationState>, AppError> {
    let rows = account_link::Entity::find()
        .filter(account_link::Column::Purpose.eq(LinkPurpose::Invite))
        .order_by_asc(account_link::Column::CreatedAt)
        .all(db)
        .await?;
    let mut out = BTreeMap::new();
    for l in rows {
        let state = if l.used_at.is_some() {
            InvitationState::Accepted
        } else if l.withdrawn_at.is_some() {
            InvitationState::Withdrawn
        } else if l.expires_at <= now {
            InvitationState::Expired
        } else {
            InvitationState::Open { until: l.expires_at }
        };
        out.insert(l.user_id, state);
    }
    Ok(out)
}

fn invalid_link(purpose: LinkPurpose) -> AppError {
    AppError::Conflict(match purpose {
        LinkPurpose::Invite => "Dieser Einladungslink ist ungültig, abgelaufen, zurückgezogen oder wurde schon benutzt. Bitte bitten Sie die Administration um eine neue Einladung.".into(),
        _ => "Dieser Link zum Zurücksetzen ist ungültig, abgelaufen oder wurde schon benutzt. Bitte fordern Sie unter »Passwort vergessen« einen neuen an.".into(),
    })
}

/// The person a valid link belongs to (for the page that redeems it), or a German error.
pub async fn person_of(db: &impl ConnectionTrait, purpose: LinkPurpose, secret: &str) -> Result<app_user::Model, AppError> {
    let invalid = || invalid_link(purpose);
    if secret.is_empty() || secret.len() > 100 {
        return Err(invalid());
    }
    let now = crate::core::time::now();
    let link = account_link::Entity::find_by_id(hash_token(secret)).one(db).await?.ok_or_else(invalid)?;
    if link.purpose != purpose || link.used_at.is_some() || link.withdrawn_at.is_some() || link.expires_at <= now {
        return Err(invalid());
    }
    let user = app_user::Entity::find_by_id(link.user_id).one(db).await?.ok_or_else(invalid)?;
    if !user.active {
        return Err(invalid());
    }
    Ok(user)
}

/// Redeems a link: checks the new password, stores it, marks the link used and ends every
/// session and token of the person. The person signs in afterwards (with the second factor
/// where it is required).
#[tracing::instrument(skip_all)]
pub async fn redeem(db: &sea_orm::DatabaseConnection, hasher: &PasswordHasherPool, purpose: LinkPurpose, secret: &str, password: &str, confirm: &str, ip: &str) -> Result<(), AppError> {
    let user = person_of(db, purpose, secret).await?;
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Err(m) = crate::core::password::check_policy(password, &user.email) {
        errors.entry("password".into()).or_default().push(m);
    }
    if password != confirm {
        errors.entry("confirm".into()).or_default().push("Die Wiederholung stimmt nicht mit dem Passwort überein.".into());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let hash = hasher.hash(password.to_string()).await.map_err(super::users::hash_error)?;
    let now = crate::core::time::now();
    let txn = crate::core::db::begin_write(db).await?;
    // Only one redemption wins, even when two arrive at once.
    let taken = account_link::Entity::update_many()
        .col_expr(account_link::Column::UsedAt, Expr::value(now))
        .filter(account_link::Column::TokenHash.eq(hash_token(secret)))
        .filter(account_link::Column::UsedAt.is_null())
        .filter(account_link::Column::WithdrawnAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if taken != 1 {
        return Err(invalid_link(purpose));
    }
    let user_id = user.id.clone();
    super::users::store_password(&txn, user, hash).await?;
    // A reset also ends the other open reset links; an accepted invitation ends the others.
    withdraw_open(&txn, &user_id, purpose, now).await?;
    audit::record(
        &txn,
        Entry {
            actor: Some(&user_id),
            action: if purpose == LinkPurpose::Invite { crate::vocabulary::audit::AuditAction::InvitationAccepted } else { crate::vocabulary::audit::AuditAction::PasswordReset },
            object: Some(&user_id),
            ip: Some(ip),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// "Passwort vergessen": queues a reset mail when the address has an active account. The answer
/// is the same either way; requests are limited per address and per client address.
#[tracing::instrument(skip_all)]
pub async fn request_reset(state: &AppState, email: &str, ip: &str) -> Result<(), AppError> {
    let email = super::address::normalise_email(email);
    if !super::address::valid_email(&email) {
        return Err(AppError::field("email", "Bitte geben Sie eine gültige E-Mail-Adresse an."));
    }
    let now = crate::core::time::now();
    let keys = [Key::reset_account(&email), Key::reset_address(ip)];
    if let Some(refused) = throttle::check(&state.db, &keys, now).await? {
        if refused.audit {
            audit::record_best_effort(&state.db, Entry { action: crate::vocabulary::audit::AuditAction::PasswordResetThrottled, object: Some(&email), ip: Some(ip), ..Default::default() }).await;
        }
        return Err(AppError::RateLimited(refused.message()));
    }
    throttle::record_failure(&state.db, &keys, now).await?;
    let Some(user) = super::users::find_by_email(&state.db, &email).await?.filter(|u| u.active) else {
        audit::record_best_effort(&state.db, Entry { action: crate::vocabulary::audit::AuditAction::PasswordResetUnknown, object: Some(&email), ip: Some(ip), ..Default::default() }).await;
        return Ok(());
    };
    if !state.config.password_login_allowed(crate::identity::Role::from_code(&user.role).unwrap_or(crate::identity::Role::Clerk)) {
        audit::record_best_effort(&state.db, Entry { action: crate::vocabulary::audit::AuditAction::PasswordResetRefused, object: Some(&user.id), ip: Some(ip), detail: Some("Rolle meldet sich nur über den Identitätsanbieter an".into()), ..Default::default() }).await;
        return Ok(());
    }
    // An account that was never activated and whose invitation was withdrawn stays closed: a
    // reset would activate what the administration took back.
    if user.password_hash.is_empty() && user.oidc_subject.is_none() {
        let newest = account_link::Entity::find()
            .filter(account_link::Column::UserId.eq(&user.id))
            .filter(account_link::Column::Purpose.eq(LinkPurpose::Invite))
            .order_by_desc(account_link::Column::CreatedAt)
            .one(&state.db)
            .await?;
        if newest.is_some_and(|l| l.withdrawn_at.is_some() && l.used_at.is_none()) {
            audit::record_best_effort(&state.db, Entry { action: crate::vocabulary::audit::AuditAction::PasswordResetRefused, object: Some(&user.id), ip: Some(ip), detail: Some("Einladung zurückgezogen".into()), ..Default::default() }).await;
            return Ok(());
        }
    }
    let txn = crate::core::db::begin_write(&state.db).await?;
    let secret = create(&txn, &user.id, LinkPurpose::Reset, None, state.config.reset_valid).await?;
    let minutes = state.config.reset_valid.as_secs() / 60;
    crate::core::outbox::enqueue(
        &txn,
        &user.email,
        "OZG-Portal: Passwort zurücksetzen",
        &format!(
            "Guten Tag {name},\n\nfür Ihr Konto im OZG-Portal Sachsen-Anhalt wurde ein neues Passwort angefordert. \
             Über diesen Link setzen Sie es (gültig {minutes} Minuten, nur einmal verwendbar):\n\n{link}\n\n\
             Wenn Sie das nicht angefordert haben, können Sie diese Nachricht ignorieren; Ihr Passwort bleibt unverändert.\n",
            name = user.name,
            link = url(&state.config, LinkPurpose::Reset, &secret),
        ),
    )
    .await?;
    audit::record(&txn, Entry { action: crate::vocabulary::audit::AuditAction::PasswordResetRequested, object: Some(&user.id), ip: Some(ip), ..Default::default() }).await?;
    txn.commit().await?;
    crate::core::outbox::wake();
    Ok(())
}

/// The invitation mail's text.
pub fn invitation_mail(config: &Config, name: &str, inviter: &str, secret: &str) -> (String, String) {
    let days = config.invitation_valid.as_secs() / 86_400;
    (
        "OZG-Portal: Einladung zu Ihrem Konto".into(),
        format!(
            "Guten Tag {name},\n\n{inviter} hat für Sie ein Konto im OZG-Portal Sachsen-Anhalt angelegt. \
             Über diesen Link legen Sie Ihr Passwort fest (gültig {days} Tage, nur einmal verwendbar):\n\n{link}\n\n\
             Wenn Sie mit dieser Einladung nichts anfangen können, ignorieren Sie diese Nachricht.\n",
            link = url(config, LinkPurpose::Invite, secret),
        ),
    )
}
