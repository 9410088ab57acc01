//! Request middleware: security headers with the CSP nonce, the CSRF guard, and resolving the
//! session cookie to the signed-in user.

use app::server::ctx::ClientIp;
use app::server::session;
use app::server::state::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use rand::RngCore;
use std::net::SocketAddr;

/// The per-request CSP nonce, also handed to Leptos so its scripts carry it.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

fn new_nonce() -> String {
    let mut bytes = [0u8; 18];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The Content-Security-Policy for a nonce.
pub fn csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    )
}

/// Sets the security headers on every response.
pub async fn security_headers(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let nonce = new_nonce();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let is_asset = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&csp(&nonce)) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"));
    if state.config.hsts {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    if is_asset {
        // Assets are not content-hashed: let browsers revalidate instead of serving stale code.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    } else {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

fn forbidden_cross_site() -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Die Anfrage wurde aus Sicherheitsgründen abgelehnt: Sie stammt nicht von diesem Portal.",
    )
        .into_response()
}

/// Refuses state-changing requests that a browser sent on behalf of another site.
/// Requests without `Sec-Fetch-Site` and `Origin` (scripts, command-line clients) carry no
/// ambient browser credentials of a victim and pass.
pub async fn csrf_guard(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        tracing::warn!(sec_fetch_site = site, path = req.uri().path(), "Anfrage fremder Herkunft abgelehnt");
        return forbidden_cross_site();
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let origin = origin.to_str().unwrap_or("null");
        let origin_host = origin.split_once("://").map(|(_, rest)| rest.trim_end_matches('/')).unwrap_or("");
        if origin_host.is_empty() || !origin_host.eq_ignore_ascii_case(host) {
            tracing::warn!(origin, path = req.uri().path(), "Anfrage fremder Herkunft abgelehnt");
            return forbidden_cross_site();
        }
    }
    next.run(req).await
}

/// Determines the client address and resolves the session cookie into a `CurrentUser`.
pub async fn session_context(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    let forwarded = state
        .config
        .trust_proxy_headers
        .then(|| req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok()))
        .flatten()
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_string())
        .filter(|v| v.parse::<std::net::IpAddr>().is_ok());
    let ip = forwarded.or(peer).unwrap_or_else(|| "unbekannt".to_string());
    req.extensions_mut().insert(ClientIp(ip));

    // The REST API also accepts a personal API token; a wrong one is refused, never ignored.
    if req.uri().path().starts_with("/api/v1/")
        && let Some(auth) = req.headers().get(header::AUTHORIZATION)
    {
        let secret = auth.to_str().ok().and_then(app::server::tokens::from_authorization).unwrap_or_default().to_string();
        match app::server::tokens::resolve(&state.db, &secret).await {
            Ok(Some(user)) => {
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

/// Records every 403 answer in the audit log (who, what, from where), whichever handler gave it.
pub async fn audit_denials(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let user = req.extensions().get::<app::server::session::CurrentUser>().map(|u| u.id.clone());
    let ip = req.extensions().get::<ClientIp>().map(|c| c.0.clone());
    let res = next.run(req).await;
    if res.status() == StatusCode::FORBIDDEN {
        tracing::warn!(path, user_id = user.as_deref(), "Zugriff verweigert");
        app::server::audit::record_best_effort(
            &state.db,
            app::server::audit::Entry {
                actor: user.as_deref(),
                action: "access_denied",
                object: Some(&path),
                ip: ip.as_deref(),
                detail: None,
            },
        )
        .await;
    }
    res
}

/// Limits request bodies (attachments get their own limit later).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Turns an empty-bodied error response from a layer into a German text.
pub fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}
