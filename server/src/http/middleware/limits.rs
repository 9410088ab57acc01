//! Limits on what anonymous callers and request bodies may cost: one rate per client address
//! shared by all instances, and a body limit per kind of route.

use app::core::ctx::ClientIp;
use app::core::session;
use app::core::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The open-data API: limited for every caller.
const OPEN_DATA: &str = "/api/v1/public/";

/// What visitors without a session are limited on, whether a page comes from the cache or not:
/// the public pages (and everything below those ending in `/`), the REST routes the public reads,
/// and the start of a provider sign-in (each writes a flow row).
const PUBLIC_PAGES: [&str; 7] = ["/lagebild", "/lagebild/", "/wissen", "/wissen/", "/termine.ics", "/nachnutzung", "/foerderung"];
const PUBLIC_REST: [&str; 2] = ["/api/v1/articles", "/api/v1/events"];
const PUBLIC_OTHER: [&str; 2] = ["/nachnutzung.csv", "/anmelden/landeskonto"];

/// The server functions behind the public pages, named by their types.
fn public_server_fns() -> [&'static str; 5] {
    use leptos::server_fn::ServerFn;
    [
        <app::lagebild::api::LoadLagebild as ServerFn>::PATH,
        <app::rollout::api::RolloutOverview as ServerFn>::PATH,
        <app::rollout::api::LoadRolloutFigures as ServerFn>::PATH,
        <app::funding::api::LoadFundingFigures as ServerFn>::PATH,
        <app::funding::api::LoadFundingPage as ServerFn>::PATH,
    ]
}

/// Whether a path is limited for visitors without a session.
fn public_for_anonymous(path: &str) -> bool {
    PUBLIC_PAGES.iter().any(|p| if p.ends_with('/') { path.starts_with(p) } else { path == *p })
        || PUBLIC_REST.iter().any(|p| path.starts_with(p))
        || PUBLIC_OTHER.contains(&path)
        || public_server_fns().contains(&path)
}

/// Anonymous load is bounded per client address, with one rate shared by all instances: the
/// open-data API (every caller), and the Lagebild page and its server function for visitors
/// without a valid session (whether the page comes from the cache or not), and the start of a
/// provider sign-in (each writes a flow row).
pub async fn anonymous_rate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    // Signed in means a valid session or API token (resolved by `session_context` before this):
    // a forged or expired cookie is anonymous.
    let anonymous = req.extensions().get::<session::CurrentUser>().is_none();
    let limited = path.starts_with(OPEN_DATA) || (anonymous && public_for_anonymous(&path));
    if !limited {
        return next.run(req).await;
    }
    let ip = req.extensions().get::<ClientIp>().map(|c| c.0.clone()).unwrap_or_default();
    match state.anonymous_rate.check(&state.db, &ip).await {
        Ok(()) => next.run(req).await,
        Err(wait) => {
            let message = "Zu viele Anfragen von Ihrer Adresse; bitte warten Sie einen Augenblick.";
            let mut res = if path.starts_with("/api/") {
                (StatusCode::TOO_MANY_REQUESTS, axum::Json(serde_json::json!({ "error": message, "fields": null }))).into_response()
            } else {
                (StatusCode::TOO_MANY_REQUESTS, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message).into_response()
            };
            if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
    }
}

/// The largest body each kind of route reads; larger ones are refused with 413 before they
/// are read. Attachment uploads may carry up to five files.
pub fn body_limit(path: &str, attachment_max: usize) -> usize {
    let is_upload = path.ends_with("/anhaenge") || (path.starts_with("/api/v1/cases/") && path.ends_with("/attachments"));
    if is_upload {
        attachment_max * crate::rest::cases::MAX_FILES + 64 * 1024
    } else if path.ends_with("/leistungen/import") || path == "/nachnutzung/import" || path.starts_with("/api/v1/municipalities/") {
        // A register CSV, and register records whose oversize fields get a message naming the field.
        IMPORT_BODY_BYTES
    } else {
        MAX_BODY_BYTES
    }
}

/// Routes that take a file: anonymous callers are turned away before the body is read.
fn takes_file(path: &str) -> bool {
    path.ends_with("/anhaenge") || path.ends_with("/attachments") || path.ends_with("/leistungen/import") || path.ends_with("/services.csv")
}

fn too_large(limit: usize) -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("Die Anfrage ist zu groß (höchstens {} MB).", limit.div_ceil(1024 * 1024)),
    )
        .into_response()
}

/// Limits every request body: a declared length over the route's limit is refused with 413 at
/// once; a server function's body is read here within the limit (the framework would answer an
/// oversize body with 500); other bodies are wrapped so reading stops at the limit. Anonymous
/// requests to file routes are refused before their body is read.
pub async fn limit_bodies(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let limit = body_limit(&path, state.config.attachment_max_bytes);
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if takes_file(&path) && req.extensions().get::<app::core::session::CurrentUser>().is_none() {
        return if path.starts_with("/api/v1/") {
            (StatusCode::UNAUTHORIZED, axum::Json(serde_json::json!({ "error": "Bitte melden Sie sich an.", "fields": null }))).into_response()
        } else {
            let back: String = form_urlencoded::byte_serialize(path.as_bytes()).collect();
            (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/anmelden?weiter={back}"))]).into_response()
        };
    }
    if declared.is_some_and(|n| n > limit as u64) {
        tracing::warn!(path, declared, limit, "Zu große Anfrage abgelehnt");
        return too_large(limit);
    }
    let is_server_fn = path.starts_with("/api/") && !path.starts_with("/api/v1/");
    let (parts, body) = req.into_parts();
    if is_server_fn {
        return match axum::body::to_bytes(body, limit).await {
            Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
            Err(_) => {
                tracing::warn!(path, limit, "Zu große Anfrage abgelehnt");
                too_large(limit)
            }
        };
    }
    next.run(Request::from_parts(parts, Body::new(http_body_util::Limited::new(body, limit)))).await
}

/// Limits request bodies of forms, server functions and JSON.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Limits a register CSV upload.
pub const IMPORT_BODY_BYTES: usize = 16 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_pages_and_their_server_functions_are_limited_for_visitors() {
        for path in ["/lagebild", "/lagebild/15003", "/wissen", "/wissen/7", "/termine.ics", "/nachnutzung", "/nachnutzung.csv", "/foerderung", "/anmelden/landeskonto", "/api/v1/articles/3", "/api/v1/events", "/api/lagebild", "/api/rollout_overview", "/api/rollout_figures", "/api/funding_figures", "/api/funding_page"] {
            assert!(public_for_anonymous(path), "{path}");
        }
        for path in ["/", "/faelle", "/kommunen", "/nachnutzung/kosten", "/foerderung/antrag/1", "/api/login", "/lagebildx"] {
            assert!(!public_for_anonymous(path), "{path}");
        }
    }

    #[test]
    fn uploads_imports_and_forms_have_their_own_body_limits() {
        assert_eq!(body_limit("/api/login", 20 << 20), MAX_BODY_BYTES);
        assert!(body_limit("/faelle/7/anhaenge", 20 << 20) > 100 << 20);
        assert_eq!(body_limit("/kommunen/15003000/leistungen/import", 20 << 20), IMPORT_BODY_BYTES);
        assert_eq!(body_limit("/api/v1/municipalities/15003000/services.csv", 20 << 20), IMPORT_BODY_BYTES);
    }
}
