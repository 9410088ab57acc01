//! The REST API under `/api/v1`: session and the signed-in user.

pub mod cases;
pub mod connections;
pub mod decisions;
pub mod error;
pub mod events;
pub mod knowledge;
pub mod openapi;
pub mod public;
pub mod register;
pub mod rollout;
pub mod usage;
pub mod surveys;

use crate::http::caller::Caller;
use app::error::AppError;
use app::core::ctx::ClientIp;
use app::core::session;
use app::core::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Deserialize;

pub use crate::rest::error::{ApiError, ErrorBody};

/// The REST routes; they read `AppState` from any router state that provides it. Each group
/// carries its own limits: the open-data API is rate-limited for every caller, the public reads
/// for callers without a session, and bodies by kind (files and register imports above the
/// default).
pub fn routes<S>(state: &AppState) -> Router<S>
where
    AppState: axum::extract::FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    use crate::http::middleware::{BodyLimit, FileRefusal, Rate, client_rate, files_need_session, limit_bodies};
    use axum::middleware::from_fn_with_state;
    let open_data = crate::rest::public::open_data().merge(crate::rest::rollout::routes()).merge(crate::rest::usage::routes()).merge(crate::rest::surveys::open_data()).merge(crate::rest::decisions::open_data()).layer(from_fn_with_state(Rate::everyone(state), client_rate));
    let public_reads = crate::rest::knowledge::routes().merge(crate::rest::events::routes()).layer(from_fn_with_state(Rate::anonymous(state), client_rate));
    let register_files = crate::rest::register::files()
        .layer(from_fn_with_state(BodyLimit::IMPORTS, limit_bodies))
        .layer(from_fn_with_state(FileRefusal::Api, files_need_session));
    let case_files = crate::rest::cases::files()
        .layer(from_fn_with_state(BodyLimit::uploads(state.config.attachment_max_bytes), limit_bodies))
        .layer(from_fn_with_state(FileRefusal::Api, files_need_session));
    Router::new()
        .route("/session", post(create_session).delete(delete_session))
        .route("/me", get(me))
        .route("/openapi.json", get(crate::rest::openapi::document))
        .route("/tokens", get(list_tokens).post(create_token))
        .route("/tokens/{id}", axum::routing::delete(revoke_token))
        .merge(crate::rest::cases::routes())
        .merge(crate::rest::connections::routes())
        .merge(crate::rest::surveys::routes())
        .merge(crate::rest::public::aggregates())
        .merge(open_data)
        .merge(public_reads)
        .layer(from_fn_with_state(BodyLimit::FORMS, limit_bodies))
        .merge(crate::rest::register::routes().layer(from_fn_with_state(BodyLimit::IMPORTS, limit_bodies)))
        .merge(register_files)
        .merge(case_files)
}

/// Sign-in with e-mail address and password.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    email: String,
    password: String,
    /// The code of the second factor (TOTP or a recovery code), where the account has one.
    #[serde(default)]
    code: Option<String>,
}

/// `POST /api/v1/session` with `{ "email", "password" }` (and `"code"` where the account has a
/// second factor) → 204 and the session cookie.
#[utoipa::path(post, path = "/session", tag = "Anmeldung", summary = "Anmelden", security(()), request_body = Credentials,
    responses(
        (status = 204, description = "Angemeldet; die Sitzung steht im Cookie"),
        (status = 401, description = "E-Mail-Adresse oder Passwort falsch", body = ErrorBody),
        (status = 422, description = "Ungültige Eingabe; Meldungen je Feld", body = ErrorBody),
        (status = 429, description = "Zu viele Versuche; Retry-After nennt die Wartezeit in Sekunden", body = ErrorBody),
    ))]
pub async fn create_session(
    State(state): State<AppState>,
    Extension(ip): Extension<ClientIp>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let creds: Credentials = serde_json::from_slice(&body)
        .map_err(|_| AppError::field("", "Erwartet wird JSON mit den Feldern »email« und »password«."))?;
    let previous = caller.user.map(|u| u.session_hash);
    let device = app::core::throttle::device_from_headers(&headers);
    let done = app::accounts::service::auth::login(&state, &creds.email, &creds.password, creds.code.as_deref(), &ip.0, previous.as_deref(), device.as_deref())
        .await?;
    let Some(token) = done.token() else {
        return Err(AppError::field("code", "Für dieses Konto ist ein zweiter Faktor nötig: Bitte geben Sie im Feld »code« den aktuellen Code Ihrer App oder einen Wiederherstellungscode an.").into());
    };
    let mut res = StatusCode::NO_CONTENT.into_response();
    for cookie in [session::set_cookie(&state.config, token), app::core::throttle::device_cookie(state.config.cookie_secure, &done.device)] {
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(res)
}

/// `DELETE /api/v1/session` → 204; the cookie is removed.
#[utoipa::path(delete, path = "/session", tag = "Anmeldung", summary = "Abmelden", responses((status = 204, description = "Abgemeldet")))]
pub async fn delete_session(
    State(state): State<AppState>,
    Extension(ip): Extension<ClientIp>,
    caller: Caller,
) -> Result<Response, ApiError> {
    if let Some(u) = caller.user {
        app::accounts::service::auth::logout(&state, &u.id, &u.session_hash, &ip.0).await?;
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = HeaderValue::from_str(&session::clear_cookie(&state.config)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

/// `GET /api/v1/me` → the signed-in user, or 401.
#[utoipa::path(get, path = "/me", tag = "Anmeldung", summary = "Angemeldete Person",
    responses(
        (status = 200, description = "Person mit Rolle und Organisationen", body = app::identity::Me),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = ErrorBody),
    ))]
pub async fn me(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let Some(u) = caller.user else { return Err(ApiError(AppError::Unauthorized)) };
    Ok(Json(u.to_me(&state.config)).into_response())
}

/// A new API token.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewToken {
    /// A name to recognise the token by (at most 100 characters).
    name: String,
    /// Validity in days (1–365, default 90).
    #[serde(default)]
    days: Option<i64>,
    /// `read` (default) or `write`.
    #[serde(default)]
    scope: Option<String>,
    /// For `write`: the current password (or a code of the second factor) again.
    #[serde(default)]
    reauth: Option<String>,
}

/// A created token: the secret (only in this answer) and its description.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    /// The secret (`ozgp_…`), shown only once.
    pub token: String,
    pub info: app::identity::TokenInfo,
}

/// `GET /api/v1/tokens` → the caller's API tokens (never their secrets).
#[utoipa::path(get, path = "/tokens", tag = "Anmeldung", summary = "Eigene API-Schlüssel",
    responses(
        (status = 200, description = "Liste (ohne die Schlüssel selbst)", body = Vec<app::identity::TokenInfo>),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = ErrorBody),
    ))]
pub async fn list_tokens(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let Some(u) = caller.user else { return Err(ApiError(AppError::Unauthorized)) };
    Ok(Json(app::core::tokens::list(&state.db, &u.id).await?).into_response())
}

/// `POST /api/v1/tokens` with `{ "name", "days", "scope", "reauth" }` → 201 and `{ "token",
/// "info" }`; the secret is returned only here. Needs a signed-in session: a token cannot
/// create tokens; a `write` token needs the current password (or a code) in `reauth`.
#[utoipa::path(post, path = "/tokens", tag = "Anmeldung", summary = "API-Schlüssel anlegen (nur mit Sitzung)", security(("sessionCookie" = [])), request_body = NewToken,
    responses(
        (status = 201, description = "Der Schlüssel (nur in dieser Antwort) und seine Angaben", body = CreatedToken),
        (status = 401, description = "Nicht angemeldet", body = ErrorBody),
        (status = 403, description = "Mit einem API-Schlüssel angemeldet", body = ErrorBody),
        (status = 422, description = "Ungültige Eingabe; Meldungen je Feld", body = ErrorBody),
    ))]
pub async fn create_token(
    State(state): State<AppState>,
    Extension(ip): Extension<ClientIp>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(u) = caller.user else { return Err(ApiError(AppError::Unauthorized)) };
    if u.via_token {
        return Err(ApiError(AppError::Forbidden));
    }
    let req: NewToken = serde_json::from_slice(&body)
        .map_err(|_| AppError::field("", "Erwartet wird JSON mit den Feldern »name« und optional »days« und »scope« (read oder write)."))?;
    let days = req.days.map(|d| d.to_string()).unwrap_or_default();
    if req.scope.as_deref().map(str::trim) == Some("write") {
        app::accounts::service::reauth::confirm(&state, &u, req.reauth.as_deref().unwrap_or_default(), &ip.0).await?;
    }
    let (secret, info) = app::core::tokens::create(&state.db, &u, &req.name, &days, req.scope.as_deref().unwrap_or("read"), &ip.0).await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { token: secret, info })).into_response())
}

/// `DELETE /api/v1/tokens/{id}` → 204; only the caller's own tokens.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "Anmeldung", summary = "Eigenen API-Schlüssel widerrufen",
    params(("id" = String, Path, description = "Kennung des Schlüssels")),
    responses(
        (status = 204, description = "Widerrufen"),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = ErrorBody),
        (status = 404, description = "Kein eigener Schlüssel mit dieser Kennung", body = ErrorBody),
    ))]
pub async fn revoke_token(
    State(state): State<AppState>,
    Extension(ip): Extension<ClientIp>,
    caller: Caller,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Response, ApiError> {
    let Some(u) = caller.user else { return Err(ApiError(AppError::Unauthorized)) };
    app::core::tokens::revoke(&state.db, &u.id, &id, &ip.0).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
