//! The signed-in user's API tokens on the account page (creation is a plain form post that
//! shows the secret once, see the server's `tokens_form`).

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::ctx;

pub use crate::identity::TokenInfo;

#[server(endpoint = "my_tokens")]
pub async fn my_tokens() -> Result<Vec<TokenInfo>, AppError> {
    ctx::finish(async {
        let user = ctx::require_user()?;
        crate::core::tokens::list(&ctx::state()?.db, &user.id).await
    }
    .await)
    .await
}

#[server(endpoint = "revoke_token")]
pub async fn revoke_token(id: String) -> Result<(), AppError> {
    ctx::finish(async {
        let user = ctx::require_user()?;
        crate::core::tokens::revoke(&ctx::state()?.db, &user.id, &id, &ctx::client_ip()).await
    }
    .await)
    .await
}
