//! The signed-in user's API tokens on the account page (creation is a plain form post that
//! shows the secret once, see the server's `tokens_form`).

use crate::model::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::ctx;

pub use crate::model::TokenInfo;

#[server(endpoint = "my_tokens")]
pub async fn my_tokens() -> Result<Vec<TokenInfo>, AppError> {
    ctx::finish(async {
        let user = ctx::require_user()?;
        crate::server::tokens::list(&ctx::state()?.db, &user.id).await
    }
    .await)
    .await
}

#[server(endpoint = "revoke_token")]
pub async fn revoke_token(id: String) -> Result<(), AppError> {
    ctx::finish(async {
        let user = ctx::require_user()?;
        crate::server::tokens::revoke(&ctx::state()?.db, &user.id, &id, &ctx::client_ip()).await
    }
    .await)
    .await
}
