//! Request middleware: security headers with the CSP nonce, the CSRF guard, and resolving the
//! session cookie to the signed-in user.

use app::core::ctx::ClientIp;
use app::core::session;
use app::core::state::AppState;
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
    let ok = res.status().is_success();
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
    if is_asset && app::core::assets::current().hashed && ok {
        // Content-hashed names: a new build brings new names, so browsers keep these for a year
        // without asking again.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    } else if is_asset {
        // Plain names (a build without hashes): browsers revalidate (304) instead of serving
        // stale code.
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

/// Determines the client address (see [`client_address`]).
pub async fn client_ip(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let forwarded: Vec<&str> = if state.config.trust_proxy_headers {
        req.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect()
    } else {
        Vec::new()
    };
    let ip = client_address(peer, &forwarded, &state.config.trusted_proxies).map(|a| a.to_string()).unwrap_or_else(|| "unbekannt".to_string());
    req.extensions_mut().insert(ClientIp(ip));
    next.run(req).await
}

/// The roll-out's and funding's public pages and their server functions.
fn rollout_page(path: &str) -> bool {
    path == "/nachnutzung"
        || path == "/nachnutzung.csv"
        || path.starts_with("/lagebild/")
        || path == "/foerderung"
        || ["/api/rollout_overview", "/api/rollout_figures", "/api/funding_figures", "/api/funding_page"].contains(&path)
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
    let limited = path.starts_with("/api/v1/public/")
        || ((path == "/lagebild" || path == "/api/lagebild" || path.starts_with("/api/v1/articles") || path.starts_with("/api/v1/events") || path == "/wissen" || path.starts_with("/wissen/") || path == "/termine.ics" || rollout_page(&path) || path == "/anmelden/landeskonto") && anonymous);
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
                        app::core::audit::Entry { actor: Some(&user.id), action: "access_denied", object: Some(&path), ip: ip.as_deref(), detail: Some("Lese-Schlüssel".into()) },
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

/// The client's address: without trusted proxies the direct peer. Behind them, the entries of
/// `X-Forwarded-For` are read from the right (the end the proxies appended) and the first
/// address that is not one of the trusted proxies is the client — never the left-most entry,
/// which the client writes itself. With an empty list only the direct peer is trusted.
pub fn client_address(peer: Option<std::net::IpAddr>, forwarded: &[&str], trusted: &[ipnet::IpNet]) -> Option<std::net::IpAddr> {
    let peer = peer?;
    if forwarded.is_empty() {
        return Some(peer);
    }
    let is_trusted = |a: &std::net::IpAddr| if trusted.is_empty() { *a == peer } else { trusted.iter().any(|n| n.contains(a)) };
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let chain: Vec<&str> = forwarded.iter().flat_map(|h| h.split(',')).map(str::trim).filter(|e| !e.is_empty()).collect();
    let mut client = peer;
    for entry in chain.iter().rev() {
        // Something that is no address ends the trusted part of the chain.
        let Ok(addr) = entry.parse::<std::net::IpAddr>() else { return Some(client) };
        client = addr;
        if !(trusted.iter().any(|n| n.contains(&addr))) {
            return Some(addr);
        }
    }
    Some(client)
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

/// Records every 403 answer in the audit log (who, what, from where), whichever handler gave it.
pub async fn audit_denials(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let user = req.extensions().get::<app::core::session::CurrentUser>().map(|u| u.id.clone());
    let ip = req.extensions().get::<ClientIp>().map(|c| c.0.clone());
    let res = next.run(req).await;
    if res.status() == StatusCode::FORBIDDEN {
        tracing::warn!(path, user_id = user.as_deref(), "Zugriff verweigert");
        app::core::audit::record_best_effort(
            &state.db,
            app::core::audit::Entry {
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

/// Limits request bodies of forms, server functions and JSON.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// Limits a register CSV upload.
pub const IMPORT_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Largest page that is tidied; larger ones go out as rendered.
const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// A page without islands (every page for visitors without a session) loses what only the
/// browser code would read: the framework's empty `<!>` markers (a parse error in HTML5) and the
/// resource scripts it appends after `</html>`. A page that loads the islands keeps them (the
/// islands' hydration reads both), but its preload links get a valid `crossorigin` value: the
/// framework writes the CSP nonce there, where HTML allows only `anonymous` or
/// `use-credentials` (the module and the `fetch` of the WebAssembly are same-origin CORS
/// requests, which `anonymous` matches). Text from users never contains a literal `<` (it is
/// escaped), and the head holds no user text, so no content is hit.
pub fn tidy_html(page: &str) -> Option<String> {
    if page.contains("hydrateIslands") {
        // Only the head is looked at: no second pass over the body, no copy when nothing changes.
        let head = &page[..page.find("</head>").unwrap_or(0)];
        return head.contains("crossorigin=\"").then(|| anonymous_crossorigin(page));
    }
    let end = page.find("</html>").map(|i| i + "</html>".len()).unwrap_or(page.len());
    Some(page[..end].replace("<!>", ""))
}

/// Every `crossorigin="…"` in the head becomes `crossorigin="anonymous"`; the body is copied as
/// it is, without being searched.
fn anonymous_crossorigin(page: &str) -> String {
    const ATTR: &str = "crossorigin=\"";
    let head_end = page.find("</head>").unwrap_or(0);
    let mut out = String::with_capacity(page.len());
    let mut rest = &page[..head_end];
    while let Some(i) = rest.find(ATTR) {
        let value_start = i + ATTR.len();
        let Some(len) = rest[value_start..].find('"') else { break };
        out.push_str(&rest[..value_start]);
        out.push_str("anonymous");
        rest = &rest[value_start + len..];
    }
    out.push_str(rest);
    out.push_str(&page[head_end..]);
    out
}

/// Applies [`tidy_html`] to every HTML page.
pub async fn tidy_pages(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let is_html = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return plain(StatusCode::INTERNAL_SERVER_ERROR, "Die Seite konnte nicht erstellt werden.");
    };
    let body = match std::str::from_utf8(&bytes).ok().and_then(tidy_html) {
        Some(text) => Body::from(text),
        None => Body::from(bytes),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, body)
}

/// Turns an empty-bodied error response from a layer into a German text.
pub fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    #[test]
    fn without_trusted_proxies_only_the_peer_counts_for_its_own_entry() {
        // The peer (a proxy) appended the client's address; what the client wrote left of it is ignored.
        assert_eq!(client_address(Some(ip("10.0.0.1")), &["6.6.6.6, 192.0.2.7"], &[]), Some(ip("192.0.2.7")));
        assert_eq!(client_address(Some(ip("10.0.0.1")), &[], &[]), Some(ip("10.0.0.1")));
    }

    #[test]
    fn the_right_most_untrusted_address_is_the_client() {
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().expect("net")];
        // Client forged "1.1.1.1"; the outer proxy 10.0.0.2 appended the real 192.0.2.7.
        assert_eq!(client_address(Some(ip("10.0.0.1")), &["1.1.1.1, 192.0.2.7, 10.0.0.2"], &trusted), Some(ip("192.0.2.7")));
        // Several headers count as one list.
        assert_eq!(client_address(Some(ip("10.0.0.1")), &["1.1.1.1", "192.0.2.7"], &trusted), Some(ip("192.0.2.7")));
        // A peer that is not a trusted proxy is the client, whatever it claims.
        assert_eq!(client_address(Some(ip("203.0.113.9")), &["1.1.1.1"], &trusted), Some(ip("203.0.113.9")));
        // Garbage in the chain stops at the last good address.
        assert_eq!(client_address(Some(ip("10.0.0.1")), &["unsinn"], &trusted), Some(ip("10.0.0.1")));
    }

    #[test]
    fn pages_lose_empty_markers_and_what_follows_the_document() {
        let page = "<!DOCTYPE html><html><head><!><!><!--HEAD--></head><body><p>&lt;!&gt;</p></body></html><script>__RESOLVED_RESOURCES=[];</script>";
        assert_eq!(tidy_html(page).as_deref(), Some("<!DOCTYPE html><html><head><!--HEAD--></head><body><p>&lt;!&gt;</p></body></html>"));
        assert_eq!(tidy_html("<html><head><script>hydrateIslands(x)</script></head><!></html><script></script>"), None);
    }

    #[test]
    fn preload_links_of_island_pages_carry_a_valid_crossorigin_instead_of_the_nonce() {
        let page = r#"<html><head><link rel="modulepreload" href="/pkg/a.js" crossorigin="n0nce"><link rel="preload" href="/pkg/a.wasm" as="fetch" crossorigin="n0nce"><script nonce="n0nce">hydrateIslands(x)</script></head><body><p>crossorigin="x"</p><!></body></html><script></script>"#;
        let tidy = tidy_html(page).expect("changed");
        assert_eq!(tidy.matches(r#"crossorigin="anonymous""#).count(), 2);
        assert!(!tidy.contains(r#"crossorigin="n0nce""#));
        assert!(tidy.contains(r#"<script nonce="n0nce">"#), "the script keeps its nonce");
        assert!(tidy.contains(r#"<p>crossorigin="x"</p><!>"#), "the body and the markers stay as they are");
    }

    #[test]
    fn uploads_imports_and_forms_have_their_own_body_limits() {
        assert_eq!(body_limit("/api/login", 20 << 20), MAX_BODY_BYTES);
        assert!(body_limit("/faelle/7/anhaenge", 20 << 20) > 100 << 20);
        assert_eq!(body_limit("/kommunen/15003000/leistungen/import", 20 << 20), IMPORT_BODY_BYTES);
        assert_eq!(body_limit("/api/v1/municipalities/15003000/services.csv", 20 << 20), IMPORT_BODY_BYTES);
    }
}
