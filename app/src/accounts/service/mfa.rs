//! The second factor: TOTP (RFC 6238, 30-second steps, six digits, SHA-1 as every
//! authenticator app understands it) with ten single-use recovery codes stored as hashes; and
//! the sign-in that waits for it (a challenge row, its secret in a short-lived cookie).

use crate::core::audit;
use crate::core::audit::Entry;
use crate::core::entities::{app_user, login_challenge, recovery_code};
use crate::core::session::{hash_token, new_token};
use crate::core::throttle;
use crate::core::throttle::Key;
use crate::error::AppError;
use base64::Engine;
use rand::Rng;
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet, QueryFilter, Set};

/// The issuer shown in authenticator apps.
pub const ISSUER: &str = "OZG-Portal Sachsen-Anhalt";
/// Recovery codes per person.
pub const RECOVERY_CODES: usize = 10;
/// How long a sign-in waits for its second factor.
pub const CHALLENGE_MINUTES: i64 = 10;
/// Codes a waiting sign-in may try before it ends (the person signs in again with the password).
pub const CHALLENGE_ATTEMPTS: i32 = 5;
/// Name of the cookie that carries a waiting sign-in.
pub const CHALLENGE_COOKIE: &str = "ozg_anmeldung";

fn totp(secret_b32: &str, account: &str) -> Result<totp_rs::Totp, AppError> {
    let secret = totp_rs::Secret::try_from_base32(secret_b32).map_err(|_| AppError::Internal)?;
    totp_rs::Builder::new()
        .with_secret(secret)
        .with_account_name(account.replace(':', ""))
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| {
            tracing::error!(error = %e, "TOTP-Schlüssel unbrauchbar");
            AppError::Internal
        })
}

fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill(&mut bytes);
    totp_rs::Secret::from(bytes.to_vec()).to_base32()
}

/// A recovery code: ten characters from an alphabet without look-alikes, shown as `xxxxx-xxxxx`.
fn new_recovery_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    let raw: String = (0..10).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
    format!("{}-{}", &raw[..5], &raw[5..])
}

fn normalise_recovery(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

/// A recovery code's stored form: `s1$<salt>$<SHA-256 of salt and code>`, a fresh random salt
/// per code, so equal codes never hash alike and no table of hashes fits two codes.
fn recovery_hash(code: &str) -> String {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill(&mut salt);
    let salt = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(salt);
    format!("s1${salt}${}", salted(&salt, code))
}

fn salted(salt: &str, code: &str) -> String {
    hash_token(&format!("recovery:{salt}:{}", normalise_recovery(code)))
}

/// Whether `code` is the one stored as `stored` (also the unsalted form of older set-ups).
fn recovery_matches(stored: &str, code: &str) -> bool {
    // Comparing hashes of a salted input reveals nothing useful by its timing.
    let expected = match stored.strip_prefix("s1$").and_then(|r| r.split_once('$')) {
        Some((salt, _)) => format!("s1${salt}${}", salted(salt, code)),
        None => hash_token(&format!("recovery:{}", normalise_recovery(code))),
    };
    expected == stored
}

/// A second factor being set up: the key, for the app and as text, and the recovery codes.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub secret: String,
    pub otpauth_url: String,
    /// The QR code of `otpauth_url` as an SVG drawn on the server, as a `data:` URI for an
    /// `<img>` (never inserted into the page as markup).
    pub qr_image: String,
    pub recovery_codes: Vec<String>,
}

/// The key being set up for this person, created on first call and kept until confirmed.
/// The recovery codes are made anew on every call and stored only as hashes: the codes shown
/// last are the ones that count when the set-up is confirmed.
#[tracing::instrument(skip_all)]
pub async fn enrolment(db: &impl ConnectionTrait, user_id: &str) -> Result<Enrolment, AppError> {
    let user = app_user::Entity::find_by_id(user_id.to_string()).one(db).await?.ok_or(AppError::Unauthorized)?;
    let secret = user.totp_pending_secret.clone().unwrap_or_else(new_secret);
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(c)).collect();
    app_user::Entity::update_many()
        .col_expr(app_user::Column::TotpPendingSecret, Expr::value(secret.clone()))
        .col_expr(app_user::Column::TotpPendingCodes, Expr::value(hashes.join(" ")))
        .filter(app_user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    let t = totp(&secret, &user.email)?;
    let otpauth_url = t.to_url().map_err(|_| AppError::Internal)?;
    let qr = qrcode::QrCode::new(otpauth_url.as_bytes()).map_err(|_| AppError::Internal)?;
    let svg = qr.render::<qrcode::render::svg::Color>().min_dimensions(220, 220).build();
    let qr_image = format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg.as_bytes()));
    Ok(Enrolment { secret, otpauth_url, qr_image, recovery_codes: codes })
}

/// Claims one attempt at a code before it is evaluated: counted as a failure at once, in one
/// locked step (cleared again on success), so parallel guesses are counted, not raced. Refuses
/// when the person's codes are throttled.
async fn claim_attempt(db: &DatabaseConnection, user_id: &str, ip: &str) -> Result<(), AppError> {
    if let Some(refused) = throttle::take(db, &Key::second_factor(user_id), crate::core::time::now()).await? {
        if refused.audit {
            audit::record_best_effort(db, Entry { actor: Some(user_id), action: crate::vocabulary::audit::AuditAction::MfaThrottled, object: Some(user_id), ip: Some(ip), ..Default::default() }).await;
        }
        return Err(AppError::RateLimited(refused.message()));
    }
    Ok(())
}

async fn failed(db: &DatabaseConnection, user_id: &str, ip: &str) -> AppError {
    audit::record_best_effort(db, Entry { actor: Some(user_id), action: crate::vocabulary::audit::AuditAction::MfaFailure, object: Some(user_id), ip: Some(ip), ..Default::default() }).await;
    AppError::field("code", "Der Code ist nicht korrekt. Bitte geben Sie den aktuellen Code aus Ihrer App oder einen Wiederherstellungscode ein.")
}

/// Confirms the key being set up with a first code: the second factor is on from now, the
/// recovery codes are stored (as hashes). Inside `txn`'s caller flow: returns after commit.
#[tracing::instrument(skip_all)]
pub async fn confirm(db: &DatabaseConnection, user_id: &str, code: &str, ip: &str) -> Result<(), AppError> {
    claim_attempt(db, user_id, ip).await?;
    let user = app_user::Entity::find_by_id(user_id.to_string()).one(db).await?.ok_or(AppError::Unauthorized)?;
    let (Some(secret), Some(codes)) = (user.totp_pending_secret.clone(), user.totp_pending_codes.clone()) else {
        return Err(AppError::Conflict("Die Einrichtung ist abgelaufen. Bitte laden Sie die Seite neu.".into()));
    };
    let t = totp(&secret, &user.email)?;
    let Some(step) = t.check(code.trim(), crate::core::time::now().timestamp().max(0) as u64) else {
        return Err(failed(db, user_id, ip).await);
    };
    let now = crate::core::time::now();
    let txn = crate::core::db::begin_write(db).await?;
    recovery_code::Entity::delete_many().filter(recovery_code::Column::UserId.eq(user_id)).exec(&txn).await?;
    // The pending codes are already salted hashes.
    for h in codes.split(' ').filter(|h| !h.is_empty()) {
        recovery_code::ActiveModel { id: NotSet, user_id: Set(user_id.to_string()), code_hash: Set(h.to_string()), used_at: Set(None) }.insert(&txn).await?;
    }
    let version = user.version;
    let mut active: app_user::ActiveModel = user.into();
    active.totp_secret = Set(Some(secret));
    active.totp_last_step = Set(Some(step as i64));
    active.totp_pending_secret = Set(None);
    active.totp_pending_codes = Set(None);
    active.mfa_enabled_at = Set(Some(now));
    active.updated_at = Set(now);
    active.version = Set(version + 1);
    active.update(&txn).await?;
    throttle::clear(&txn, &[Key::second_factor(user_id)]).await?;
    audit::record(&txn, Entry { actor: Some(user_id), action: crate::vocabulary::audit::AuditAction::MfaEnrolled, object: Some(user_id), ip: Some(ip), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// How a code was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepted {
    Totp,
    /// A recovery code, now used up; this many remain.
    Recovery { remaining: u64 },
}

/// Checks a code of a person with the second factor on: a TOTP code (each time step once) or
/// an unused recovery code. Wrong codes are throttled like passwords.
#[tracing::instrument(skip_all)]
pub async fn verify(db: &DatabaseConnection, user_id: &str, code: &str, ip: &str) -> Result<Accepted, AppError> {
    claim_attempt(db, user_id, ip).await?;
    let user = app_user::Entity::find_by_id(user_id.to_string()).one(db).await?.ok_or(AppError::Unauthorized)?;
    let Some(secret) = &user.totp_secret else { return Err(AppError::Conflict("Für dieses Konto ist kein zweiter Faktor eingerichtet.".into())) };
    let code = code.trim();
    let now = crate::core::time::now();
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit()) {
        let t = totp(secret, &user.email)?;
        if let Some(step) = t.check(&digits, now.timestamp().max(0) as u64) {
            // A code counts once: the step must be newer than the last one accepted (one
            // conditional update, so two instances cannot both accept it).
            let step = step as i64;
            let taken = app_user::Entity::update_many()
                .col_expr(app_user::Column::TotpLastStep, Expr::value(step))
                .filter(app_user::Column::Id.eq(user_id))
                .filter(Condition::any().add(app_user::Column::TotpLastStep.is_null()).add(app_user::Column::TotpLastStep.lt(step)))
                .exec(db)
                .await?
                .rows_affected;
            if taken == 1 {
                throttle::clear(db, &[Key::second_factor(user_id)]).await?;
                return Ok(Accepted::Totp);
            }
        }
        return Err(failed(db, user_id, ip).await);
    }
    // Each code has its own salt: the unused codes (at most ten) are compared one by one, and
    // the match is used up by a conditional update (two requests cannot both use it).
    let unused = recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .all(db)
        .await?;
    let Some(hit) = unused.iter().find(|r| recovery_matches(&r.code_hash, code)) else {
        return Err(failed(db, user_id, ip).await);
    };
    let taken = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(now))
        .filter(recovery_code::Column::Id.eq(hit.id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?
        .rows_affected;
    if taken == 0 {
        return Err(failed(db, user_id, ip).await);
    }
    throttle::clear(db, &[Key::second_factor(user_id)]).await?;
    let remaining = remaining_codes(db, user_id).await?;
    audit::record(db, Entry { actor: Some(user_id), action: crate::vocabulary::audit::AuditAction::MfaRecoveryCodeUsed, object: Some(user_id), ip: Some(ip), detail: Some(format!("{remaining} Codes übrig")) }).await?;
    Ok(Accepted::Recovery { remaining })
}

/// Unused recovery codes of a person.
pub async fn remaining_codes(db: &impl ConnectionTrait, user_id: &str) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(db)
        .await?)
}

/// Turns a person's second factor off (an administrator's reset, or the person where it is
/// optional): key, pending key and recovery codes go; every session and token ends.
#[tracing::instrument(skip_all)]
pub async fn remove(db: &DatabaseConnection, actor: Option<&str>, user_id: &str, action: crate::vocabulary::audit::AuditAction) -> Result<(), AppError> {
    let user = app_user::Entity::find_by_id(user_id.to_string()).one(db).await?.ok_or(AppError::NotFound)?;
    let txn = crate::core::db::begin_write(db).await?;
    recovery_code::Entity::delete_many().filter(recovery_code::Column::UserId.eq(user_id)).exec(&txn).await?;
    let version = user.version;
    let mut active: app_user::ActiveModel = user.into();
    active.totp_secret = Set(None);
    active.totp_last_step = Set(None);
    active.totp_pending_secret = Set(None);
    active.totp_pending_codes = Set(None);
    active.mfa_enabled_at = Set(None);
    active.updated_at = Set(crate::core::time::now());
    active.version = Set(version + 1);
    active.update(&txn).await?;
    super::users::end_credentials(&txn, user_id).await?;
    login_challenge::Entity::delete_many().filter(login_challenge::Column::UserId.eq(user_id)).exec(&txn).await?;
    audit::record(&txn, Entry { actor, action, object: Some(user_id), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// Starts a sign-in that waits for the second factor. Returns the secret for the cookie.
pub async fn start_challenge(db: &impl ConnectionTrait, user_id: &str, via: &str) -> Result<String, AppError> {
    let secret = new_token();
    let now = crate::core::time::now();
    login_challenge::Entity::delete_many().filter(login_challenge::Column::UserId.eq(user_id)).exec(db).await?;
    login_challenge::ActiveModel {
        token_hash: Set(hash_token(&secret)),
        user_id: Set(user_id.to_string()),
        via: Set(via.to_string()),
        created_at: Set(now),
        expires_at: Set(now + chrono::Duration::minutes(CHALLENGE_MINUTES)),
        attempts: Set(0),
    }
    .insert(db)
    .await?;
    Ok(secret)
}

/// The person of a waiting sign-in (`None` when it is unknown or expired).
pub async fn challenge(db: &impl ConnectionTrait, secret: &str) -> Result<Option<(login_challenge::Model, app_user::Model)>, AppError> {
    let Some(c) = login_challenge::Entity::find_by_id(hash_token(secret)).one(db).await? else { return Ok(None) };
    if c.expires_at <= crate::core::time::now() {
        return Ok(None);
    }
    let Some(u) = app_user::Entity::find_by_id(c.user_id.clone()).one(db).await?.filter(|u| u.active) else { return Ok(None) };
    Ok(Some((c, u)))
}

/// Claims one of the waiting sign-in's attempts at a code (one conditional update, so parallel
/// requests are counted, not raced): `false` when it has had its [`CHALLENGE_ATTEMPTS`] or
/// expired, and then it is ended.
pub async fn claim_challenge_attempt(db: &impl ConnectionTrait, secret: &str) -> Result<bool, AppError> {
    let now = crate::core::time::now();
    let taken = login_challenge::Entity::update_many()
        .col_expr(login_challenge::Column::Attempts, sea_orm::sea_query::ExprTrait::add(Expr::col(login_challenge::Column::Attempts), 1))
        .filter(login_challenge::Column::TokenHash.eq(hash_token(secret)))
        .filter(login_challenge::Column::Attempts.lt(CHALLENGE_ATTEMPTS))
        .filter(login_challenge::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?
        .rows_affected;
    if taken == 0 {
        end_challenge(db, secret).await?;
    }
    Ok(taken == 1)
}

/// Ends a waiting sign-in (it succeeded or was abandoned).
pub async fn end_challenge(db: &impl ConnectionTrait, secret: &str) -> Result<bool, AppError> {
    Ok(login_challenge::Entity::delete_by_id(hash_token(secret)).exec(db).await?.rows_affected == 1)
}

pub fn challenge_cookie(secure: bool, value: &str) -> String {
    format!("{CHALLENGE_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}", CHALLENGE_MINUTES * 60, if secure { "; Secure" } else { "" })
}

pub fn clear_challenge_cookie(secure: bool) -> String {
    format!("{CHALLENGE_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", if secure { "; Secure" } else { "" })
}

/// The waiting sign-in's secret from the request's cookies.
pub fn challenge_from_headers(headers: &http::HeaderMap) -> Option<String> {
    headers.get_all(http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|h| h.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == CHALLENGE_COOKIE && !v.is_empty()).then(|| v.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_test_vector_is_met() {
        // RFC 6238 appendix B, SHA-1, key "12345678901234567890", T = 59 s → 94287082 (8 digits);
        // six digits are its last six.
        let key = totp_rs::Secret::from(b"12345678901234567890".to_vec()).to_base32();
        let t = totp(&key, "test@example.de").expect("valid key");
        assert_eq!(t.generate(59).to_string(), "287082");
        assert_eq!(t.check("287082", 59), Some(1));
        assert_eq!(t.check("287082", 59 + 120), None, "a code is not valid minutes later");
    }

    #[test]
    fn recovery_codes_are_distinct_and_typed_loosely() {
        let codes: std::collections::BTreeSet<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let c = codes.iter().next().expect("one").clone();
        let stored = recovery_hash(&c);
        assert!(recovery_matches(&stored, &c.to_uppercase().replace('-', " ")));
        assert!(!recovery_matches(&stored, "aaaaa-aaaaa"));
        assert_ne!(stored, recovery_hash(&c), "each code has its own salt");
        assert!(recovery_matches(&hash_token(&format!("recovery:{}", normalise_recovery(&c))), &c), "older unsalted codes still work");
    }
}
