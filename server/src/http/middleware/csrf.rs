//! The CSRF guard: state-changing requests a browser sent on behalf of another site are refused.

use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

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
