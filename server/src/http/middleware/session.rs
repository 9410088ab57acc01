//! Who is signed in: the session cookie, or on the REST API a personal API token, resolved into
//! the request's `CurrentUser`.

use app::core::ctx::ClientIp;
use app::core::session;
use app::core::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Resolves the session cookie into a `CurrentUser`.
pub async fn session_context(State(state): State<AppState>, mut req: Request, next: Next) -> Response {

    // The REST API also accepts a personal API token; a wrong one is refused, never ignored.
    if req.uri().path().starts_with("/api/v1/")
        && let Some(auth) = req.headers().get(header::AUTHORIZATION)
    {
        let secret = auth.to_str().ok().and_then(app::core::tokens::from_authorization).unwrap_or_default().to_string();
        match app::core::tokens::resolve(&state.db, &secret).await {
            Ok(Some(user)) => {
                if user.read_only && !matches!(*req.method(), Method::GET | Method::HEAD) {
                    tracing::warn!(path = req.uri().path(), user_id = %user.id, "Schreibzugriff mit einem Lese-Schlüssel abgelehnt");
                    let body = serde_json::json!({
                        "error": "Dieser API-Schlüssel darf nur lesen. Legen Sie für Änderungen einen Schlüssel mit der Berechtigung »lesen und schreiben« an.",
                        "fields": null,
                    });
                    let path = req.uri().path().to_string();
                    let ip = req.extensions().get::<ClientIp>().map(|c| c.0.clone());
                    app::core::audit::record_best_effort(
                        &state.db,
                        app::core::audit::Entry { actor: Some(&user.id), action: app::vocabulary::audit::AuditAction::AccessDenied, object: Some(&path), ip: ip.as_deref(), detail: Some("Lese-Schlüssel".into()) },
                    )
                    .await;
                    return (StatusCode::FORBIDDEN, axum::Json(body)).into_response();
                }
                req.extensions_mut().insert(user);
                return next.run(req).await;
            }
            Ok(None) => {
                let body = serde_json::json!({
                    "error": "Der API-Schlüssel ist ungültig, abgelaufen oder widerrufen.",
                    "fields": null,
                });
                return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], axum::Json(body)).into_response();
            }
            Err(e) => {
                tracing::error!(error = %e, "API-Schlüssel konnte nicht geprüft werden");
                return (StatusCode::SERVICE_UNAVAILABLE, "Der Dienst ist vorübergehend nicht verfügbar.").into_response();
            }
        }
    }
    let token = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| session::token_from_cookie_header(&state.config, v));
    let mut stale_cookie = false;
    if let Some(token) = token {
        match session::resolve(&state.db, &state.config, &token).await {
            Ok(Some(user)) => {
                req.extensions_mut().insert(user);
            }
            Ok(None) => stale_cookie = true,
            Err(e) => {
                tracing::error!(error = %e, "Sitzung konnte nicht gelesen werden");
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                    "Der Dienst ist vorübergehend nicht verfügbar. Bitte versuchen Sie es gleich erneut.",
                )
                    .into_response();
            }
        }
    }
    let mut res = next.run(req).await;
    // An expired or revoked session: remove the useless cookie, unless the response sets a new one.
    if stale_cookie && !res.headers().contains_key(header::SET_COOKIE)
        && let Ok(v) = HeaderValue::from_str(&session::clear_cookie(&state.config))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}
