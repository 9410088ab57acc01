//! Request middleware, one job a module: security headers with the CSP nonce, the CSRF guard,
//! the client's address, who is signed in, the limits on anonymous load and on bodies, the audit
//! of refusals, what refused forms held, and tidy pages. The router stacks them in `router.rs`.

mod audit;
mod client;
mod csrf;
mod drafts;
mod headers;
mod limits;
mod session;
mod tidy;

pub use audit::audit_denials;
pub use client::{client_address, client_ip};
pub use csrf::csrf_guard;
pub use drafts::keep_refused_forms;
pub use headers::{CspNonce, csp, security_headers};
pub use limits::{BodyLimit, FileRefusal, IMPORT_BODY_BYTES, MAX_BODY_BYTES, Rate, client_rate, files_need_session, limit_bodies};
pub use session::session_context;
pub use tidy::{tidy_html, tidy_pages};

use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Turns an empty-bodied error response from a layer into a German text.
pub fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}
