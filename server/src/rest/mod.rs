//! The REST API under `/api/v1`: session and the signed-in user.

pub mod cases;
pub mod error;
pub mod openapi;
pub mod public;
pub mod register;

use app::error::AppError;
use app::core::ctx::ClientIp;
use app::core::session;
use app::core::session::CurrentUser;
use app::core::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Deserialize;

pub use crate::rest::error::ApiError;

/// The REST routes; they read `AppState` from any router state that provides it.
pub fn routes<S>() -> Router<S>
where
    AppState: axum::extract::FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/session", post(create_session).delete(delete_session))
        .route("/me", get(me))
        .route("/openapi.json", get(crate::rest::openapi::document))
        .route("/tokens", get(list_tokens).post(create_token))
        .route("/tokens/{id}", axum::routing::delete(revoke_token))
        .merge(crate::rest::register::routes())
        .merge(crate::rest::cases::routes())
        .merge(crate::rest::public::routes())
}

#[derive(Deserialize)]
struct Credentials {
    email: String,
    password: String,
}

/// `POST /api/v1/session` with `{ "email", "password" }` → 204 and the session cookie.
async fn create_session(
    State(state): State<AppState>,
    Extension(ip): Extension<ClientIp>,
    user: Option<Extension<CurrentUser>>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let creds: Credentials = serde_json::from_slice(&body)
        .map_err(|_| AppError::field("", "Erwartet wird JSON mit den Feldern »email« und »password«."))?;
    let previous = user.map(|u| u.0.session_hash);
    let device = app::core::throttle::device_from_headers(&headers);
    let done = app::accounts::service::auth::login(&state, &creds.email, &creds.password, &ip.0, previous.as_deref(), device.as_deref())
        .await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    for cookie in [session::set_cookie(&state.config, &done.token), app::core::throttle::device_cookie(state.config.cookie_secure, &done.device)] {
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(res)
}

/// `DELETE /api/v1/session` → 204; the cookie is removed.
async fn delete_session(
    State(state): State<AppState>,
    Extension(ip): Extension<ClientIp>,
    user: Option<Extension<CurrentUser>>,
) -> Result<Response, ApiError> {
    if let Some(Extension(u)) = user {
        app::accounts::service::auth::logout(&state, &u.id, &u.session_hash, &ip.0).await?;
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = HeaderValue::from_str(&session::clear_cookie(&state.config)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

/// `GET /api/v1/me` → the signed-in user, or 401.
async fn me(State(state): State<AppState>, user: Option<Extension<CurrentUser>>) -> Result<Response, ApiError> {
    let Some(Extension(u)) = user else { return Err(ApiError(AppError::Unauthorized)) };
    Ok(Json(u.to_me(&state.config)).into_response())
}

#[derive(Deserialize)]
struct NewToken {
    name: String,
    #[serde(default)]
    days: Option<i64>,
    /// `read` (default) or `write`.
    #[serde(default)]
    scope: Option<String>,
}

/// `GET /api/v1/tokens` → the caller's API tokens (never their secrets).
async fn list_tokens(State(state): State<AppState>, user: Option<Extension<CurrentUser>>) -> Result<Response, ApiError> {
    let Some(Extension(u)) = user else { return Err(ApiError(AppError::Unauthorized)) };
    Ok(Json(app::core::tokens::list(&state.db, &u.id).await?).into_response())
}

/// `POST /api/v1/tokens` with `{ "name", "days" }` → 201 and `{ "token", "info" }`; the secret
/// is returned only here. Needs a signed-in session: a token cannot create tokens.
async fn create_token(
    State(state): State<AppState>,
    Extension(ip): Extension<ClientIp>,
    user: Option<Extension<CurrentUser>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(Extension(u)) = user else { return Err(ApiError(AppError::Unauthorized)) };
    if u.via_token {
        return Err(ApiError(AppError::Forbidden));
    }
    let req: NewToken = serde_json::from_slice(&body)
        .map_err(|_| AppError::field("", "Erwartet wird JSON mit den Feldern »name« und optional »days« und »scope« (read oder write)."))?;
    let days = req.days.map(|d| d.to_string()).unwrap_or_default();
    let (secret, info) = app::core::tokens::create(&state.db, &u, &req.name, &days, req.scope.as_deref().unwrap_or("read"), &ip.0).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "token": secret, "info": info }))).into_response())
}

/// `DELETE /api/v1/tokens/{id}` → 204; only the caller's own tokens.
async fn revoke_token(
    State(state): State<AppState>,
    Extension(ip): Extension<ClientIp>,
    user: Option<Extension<CurrentUser>>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Response, ApiError> {
    let Some(Extension(u)) = user else { return Err(ApiError(AppError::Unauthorized)) };
    app::core::tokens::revoke(&state.db, &u.id, &id, &ip.0).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
