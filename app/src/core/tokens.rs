//! Personal API tokens: `Authorization: Bearer ozgp_…` on `/api/v1`. A token acts with its
//! owner's role and organisations, expires (at most after a year), can be revoked, and is
//! stored only as its SHA-256. A token cannot create tokens (that needs a signed-in session).

use crate::core::entities::api_token;
use crate::core::session::{CurrentUser, hash_token, new_token};
use crate::error::AppError;
use crate::identity::Role;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
pub use crate::identity::TokenInfo;

pub const PREFIX: &str = "ozgp_";
pub const MAX_DAYS: i64 = 365;
pub const DEFAULT_DAYS: i64 = 90;
pub const MAX_PER_USER: u64 = 20;

fn info(m: api_token::Model) -> TokenInfo {
    TokenInfo {
        id: m.id,
        name: m.name,
        prefix: m.prefix,
        created_at: crate::core::time::rfc(m.created_at),
        expires_at: crate::core::time::rfc(m.expires_at),
        last_used_at: m.last_used_at.map(crate::core::time::rfc),
        revoked: m.revoked_at.is_some(),
        scope: m.scope,
    }
}

/// Whether a header value looks like one of our tokens (so a wrong one is refused, not ignored).
pub fn from_authorization(header: &str) -> Option<&str> {
    let t = header.strip_prefix("Bearer ").or_else(|| header.strip_prefix("bearer "))?.trim();
    Some(t)
}

/// The scopes a token may have: `read` allows GET and HEAD only, `write` everything its owner may.
pub const SCOPES: [&str; 2] = ["read", "write"];

/// Creates a token for `user` valid for `days` (1–365) with a scope (`read`, the default, or
/// `write`). Returns the secret (shown once) and its info.
#[tracing::instrument(skip_all)]
pub async fn create(db: &DatabaseConnection, user: &CurrentUser, name: &str, days: &str, scope: &str, ip: &str) -> Result<(String, TokenInfo), AppError> {
    let name = name.trim();
    let mut e = std::collections::BTreeMap::new();
    let scope = match scope.trim() {
        "" => "read",
        s => SCOPES.into_iter().find(|k| *k == s).unwrap_or_else(|| {
            e.insert("scope".to_string(), vec!["Bitte wählen Sie »nur lesen« (read) oder »lesen und schreiben« (write).".to_string()]);
            "read"
        }),
    };
    if name.is_empty() || name.chars().count() > 100 {
        e.insert("name".to_string(), vec!["Bitte geben Sie dem Schlüssel einen Namen mit höchstens 100 Zeichen (z. B. »Fachverfahren Export«).".to_string()]);
    }
    let days = if days.trim().is_empty() { Some(DEFAULT_DAYS) } else { days.trim().parse::<i64>().ok().filter(|d| (1..=MAX_DAYS).contains(d)) };
    if days.is_none() {
        e.insert("days".to_string(), vec![format!("Die Gültigkeit beträgt 1 bis {MAX_DAYS} Tage.")]);
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let days = days.unwrap_or(DEFAULT_DAYS);
    let txn = crate::core::db::begin_write(db).await?;
    let now = crate::core::time::now();
    let live = api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user.id.clone()))
        .filter(api_token::Column::RevokedAt.is_null())
        .filter(api_token::Column::ExpiresAt.gt(now))
        .all(&txn)
        .await?
        .len() as u64;
    if live >= MAX_PER_USER {
        return Err(AppError::field("name", format!("Sie haben bereits {MAX_PER_USER} gültige Schlüssel. Bitte widerrufen Sie zuerst einen.")));
    }
    let secret = format!("{PREFIX}{}", new_token());
    let m = api_token::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        user_id: Set(user.id.clone()),
        name: Set(name.to_string()),
        token_hash: Set(hash_token(&secret)),
        prefix: Set(secret.chars().take(12).collect()),
        created_at: Set(now),
        expires_at: Set(now + chrono::Duration::days(days)),
        last_used_at: Set(None),
        revoked_at: Set(None),
        scope: Set(scope.to_string()),
    }
    .insert(&txn)
    .await?;
    crate::core::audit::record(
        &txn,
        crate::core::audit::Entry { actor: Some(&user.id), action: crate::vocabulary::audit::AuditAction::ApiTokenCreated, object: Some(&m.id), ip: Some(ip), detail: Some(format!("gültig {days} Tage, {scope}")) },
    )
    .await?;
    txn.commit().await?;
    Ok((secret, info(m)))
}

/// The caller's tokens, newest first.
#[tracing::instrument(skip_all)]
pub async fn list(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<TokenInfo>, AppError> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id))
        .order_by_desc(api_token::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(info)
        .collect())
}

/// Revokes one of the caller's own tokens (another user's token reads as not found).
#[tracing::instrument(skip_all)]
pub async fn revoke(db: &DatabaseConnection, user_id: &str, token_id: &str, ip: &str) -> Result<(), AppError> {
    let txn = crate::core::db::begin_write(db).await?;
    let t = api_token::Entity::find_by_id(token_id.to_string())
        .one(&txn)
        .await?
        .filter(|t| t.user_id == user_id)
        .ok_or(AppError::NotFound)?;
    if t.revoked_at.is_none() {
        let mut a: api_token::ActiveModel = t.into();
        a.revoked_at = Set(Some(crate::core::time::now()));
        a.update(&txn).await?;
        crate::core::audit::record(&txn, crate::core::audit::Entry { actor: Some(user_id), action: crate::vocabulary::audit::AuditAction::ApiTokenRevoked, object: Some(token_id), ip: Some(ip), detail: None })
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Revokes every valid token of a user (password, role or organisations changed, deactivated).
#[tracing::instrument(skip_all)]
pub async fn revoke_all_for_user(db: &impl ConnectionTrait, user_id: &str) -> Result<u64, sea_orm::DbErr> {
    Ok(api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, sea_orm::sea_query::Expr::value(crate::core::time::now()))
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

/// Resolves a bearer token to its user: unknown, expired, revoked tokens and deactivated
/// users give `None`. Use is recorded at most once a minute.
#[tracing::instrument(skip_all)]
pub async fn resolve(db: &impl ConnectionTrait, secret: &str) -> Result<Option<CurrentUser>, sea_orm::DbErr> {
    if !secret.starts_with(PREFIX) || secret.len() != PREFIX.len() + 43 {
        return Ok(None);
    }
    let Some(t) = api_token::Entity::find().filter(api_token::Column::TokenHash.eq(hash_token(secret))).one(db).await? else {
        return Ok(None);
    };
    let now = crate::core::time::now();
    if t.revoked_at.is_some() || t.expires_at <= now {
        return Ok(None);
    }
    let versions = crate::core::versions::current(db).await?;
    let person = crate::core::session::person(db, &versions, &t.user_id).await?;
    let Some(user) = person.as_ref().clone().filter(|p| p.active) else {
        return Ok(None);
    };
    let Some(role) = Role::from_code(&user.role) else { return Ok(None) };
    let read_only = t.scope != "write";
    if t.last_used_at.is_none_or(|l| now - l >= chrono::Duration::seconds(60)) {
        let id = t.id.clone();
        let mut a: api_token::ActiveModel = t.into();
        a.last_used_at = Set(Some(now));
        a.update(db).await?;
        tracing::debug!(token_id = %id, "API-Schlüssel verwendet");
    }
    Ok(Some(CurrentUser {
        organisations: user.organisations,
        id: user.id,
        name: user.name,
        email: user.email,
        role,
        is_demo: user.is_demo,
        manages_clerks: user.manages_clerks,
        session_hash: String::new(),
        via_token: true,
        read_only,
        versions: Some(versions),
    }))
}
