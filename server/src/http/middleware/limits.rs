//! Limits on what anonymous callers and request bodies may cost: one rate per client address
//! shared by all instances, and a body limit per group of routes. The router attaches each to
//! the groups it concerns; none of them looks at the path to decide whether it applies.

use app::core::ctx::ClientIp;
use app::core::session;
use app::core::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Who a group's rate applies to.
#[derive(Clone)]
pub struct Rate {
    pub state: AppState,
    /// Signed-in callers too (the open-data API), or only callers without a session (the
    /// public pages, their server functions and feeds, the start of a provider sign-in).
    pub everyone: bool,
}

impl Rate {
    pub fn everyone(state: &AppState) -> Self {
        Rate { state: state.clone(), everyone: true }
    }

    pub fn anonymous(state: &AppState) -> Self {
        Rate { state: state.clone(), everyone: false }
    }
}

/// Anonymous load is bounded per client address, with one rate shared by all instances, on the
/// routes of the groups that carry this layer. Signed in means a valid session or API token
/// (resolved by `session_context` before this): a forged or expired cookie is anonymous.
pub async fn client_rate(State(rate): State<Rate>, req: Request, next: Next) -> Response {
    if !rate.everyone && req.extensions().get::<session::CurrentUser>().is_some() {
        return next.run(req).await;
    }
    let ip = req.extensions().get::<ClientIp>().map(|c| c.0.clone()).unwrap_or_default();
    let wait = match rate.state.anonymous_rate.check(&rate.state.db, &ip).await {
        Ok(()) => return next.run(req).await,
        Err(wait) => wait,
    };
    let message = "Zu viele Anfragen von Ihrer Adresse; bitte warten Sie einen Augenblick.";
    let mut res = if req.uri().path().starts_with("/api/") {
        (StatusCode::TOO_MANY_REQUESTS, axum::Json(serde_json::json!({ "error": message, "fields": null }))).into_response()
    } else {
        (StatusCode::TOO_MANY_REQUESTS, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message).into_response()
    };
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// The largest body a group of routes reads, and how it is read.
#[derive(Clone, Copy)]
pub struct BodyLimit {
    pub bytes: usize,
    /// Server functions: the body is read here within the limit (the framework would answer an
    /// oversize body with 500). Otherwise it is wrapped so that reading stops at the limit.
    pub read_first: bool,
}

impl BodyLimit {
    /// Forms, server functions and JSON.
    pub const FORMS: BodyLimit = BodyLimit { bytes: MAX_BODY_BYTES, read_first: false };
    /// The page groups, whose posts are server functions.
    pub const SERVER_FNS: BodyLimit = BodyLimit { bytes: MAX_BODY_BYTES, read_first: true };
    /// A register CSV, and register records whose oversize fields get a message naming the field.
    pub const IMPORTS: BodyLimit = BodyLimit { bytes: IMPORT_BODY_BYTES, read_first: false };

    /// Attachment uploads: up to five files of the configured size.
    pub fn uploads(attachment_max: usize) -> BodyLimit {
        BodyLimit { bytes: attachment_max * crate::rest::cases::MAX_FILES + 64 * 1024, read_first: false }
    }
}

fn too_large(limit: usize) -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("Die Anfrage ist zu groß (höchstens {} MB).", limit.div_ceil(1024 * 1024)),
    )
        .into_response()
}

/// Limits every request body of the group: a declared length over the limit is refused with
/// 413 at once; bodies without a declared length are read only up to it.
pub async fn limit_bodies(State(limit): State<BodyLimit>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit.bytes as u64) {
        tracing::warn!(path = req.uri().path(), declared, limit = limit.bytes, "Zu große Anfrage abgelehnt");
        return too_large(limit.bytes);
    }
    let (parts, body) = req.into_parts();
    if limit.read_first {
        return match axum::body::to_bytes(body, limit.bytes).await {
            Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
            Err(_) => {
                tracing::warn!(path = parts.uri.path(), limit = limit.bytes, "Zu große Anfrage abgelehnt");
                too_large(limit.bytes)
            }
        };
    }
    next.run(Request::from_parts(parts, Body::new(http_body_util::Limited::new(body, limit.bytes)))).await
}

/// How a route that takes a file turns away a caller without a session.
#[derive(Clone, Copy)]
pub enum FileRefusal {
    /// REST: 401 with a JSON error.
    Api,
    /// Forms: to the sign-in, and back here afterwards.
    SignIn,
}

/// Routes that take a file: a caller without a session is turned away before the body is read
/// (this layer stands outside the group's body limit).
pub async fn files_need_session(State(refusal): State<FileRefusal>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) || req.extensions().get::<session::CurrentUser>().is_some() {
        return next.run(req).await;
    }
    match refusal {
        FileRefusal::Api => {
            (StatusCode::UNAUTHORIZED, axum::Json(serde_json::json!({ "error": "Bitte melden Sie sich an.", "fields": null }))).into_response()
        }
        FileRefusal::SignIn => {
            let back: String = form_urlencoded::byte_serialize(req.uri().path().as_bytes()).collect();
            (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/anmelden?weiter={back}"))]).into_response()
        }
    }
}

/// Limits request bodies of forms, server functions and JSON.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Limits a register CSV upload.
pub const IMPORT_BODY_BYTES: usize = 16 * 1024 * 1024;
