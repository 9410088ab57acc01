//! What a refused form held. Forms are plain forms: a refused one is answered with a redirect
//! back to its page, which would show the stored values again and lose what was typed. The
//! submitted pairs are kept here, under a random token the redirect carries (`?__formular=…`),
//! and taken when the page is shown: each field of the refused form shows what was submitted.
//! A draft is read once, only by who submitted it, and is gone after 15 minutes; secrets
//! (passwords, codes of the second factor) are never kept.

use crate::core::entities::form_draft;
use crate::core::session::hash_token;
use crate::error::AppError;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// The query parameter that carries a draft's token.
pub const PARAM: &str = "__formular";

/// How long a draft waits for its page.
const MINUTES: i64 = 15;

/// Fields whose values are never kept: passwords, codes, the re-authentication, and the
/// hidden values a form gets anew when it is shown.
fn secret(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["password", "passwort", "code", "reauth", "token", "idempotency_key", "website"].iter().any(|s| n.contains(s))
}

/// Keeps the pairs of a refused submission; returns the token for the redirect.
pub async fn keep(db: &impl ConnectionTrait, user_id: Option<&str>, pairs: Vec<(String, String)>) -> Result<String, AppError> {
    let now = crate::core::time::now();
    form_draft::Entity::delete_many().filter(form_draft::Column::ExpiresAt.lt(now)).exec(db).await?;
    let kept: Vec<(String, String)> = pairs.into_iter().filter(|(k, _)| !secret(k)).collect();
    let token = crate::core::session::new_token();
    form_draft::ActiveModel {
        token_hash: Set(hash_token(&token)),
        user_id: Set(user_id.map(str::to_string)),
        fields: Set(serde_json::to_string(&kept).map_err(|_| AppError::Internal)?),
        expires_at: Set(now + chrono::Duration::minutes(MINUTES)),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Takes the draft of `token` for `user_id` (deleting it); `None` when there is none, it has
/// expired, or it is someone else's.
pub async fn take(db: &impl ConnectionTrait, user_id: Option<&str>, token: &str) -> Result<Option<Vec<(String, String)>>, AppError> {
    let hash = hash_token(token);
    let Some(d) = form_draft::Entity::find_by_id(hash.clone()).one(db).await? else { return Ok(None) };
    if d.user_id.as_deref() != user_id {
        return Ok(None);
    }
    form_draft::Entity::delete_by_id(hash).exec(db).await?;
    if d.expires_at < crate::core::time::now() {
        return Ok(None);
    }
    Ok(serde_json::from_str(&d.fields).ok())
}

/// Removes a person's drafts (erasure).
pub async fn forget(db: &impl ConnectionTrait, user_id: &str) -> Result<(), AppError> {
    form_draft::Entity::delete_many().filter(form_draft::Column::UserId.eq(user_id)).exec(db).await?;
    Ok(())
}
