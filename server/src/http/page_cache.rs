//! Cache of the public Lagebild page for visitors without a session. The page changes only when
//! the register changes or a job recomputes the case statistics or the trend: a cached copy is
//! served while that stamp (read from the database on every request, so changes by any instance
//! count) stands. Each copy gets the request's fresh CSP nonce in place of the one it was
//! rendered with.

use crate::http::middleware::CspNonce;
use app::core::state::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use app::lagebild::service::stand::Stand;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Pages kept; when full, the cache starts afresh.
const ENTRIES: usize = 64;
/// Largest page kept.
const MAX_BYTES: usize = 2 * 1024 * 1024;

struct Entry {
    /// How often the copy was served: when the cache is full the least used copy goes, so a
    /// flood of new query strings cannot push out the pages people actually read.
    hits: u64,
    stamp: Stand,
    nonce: String,
    headers: HeaderMap,
    body: String,
}

/// The cache of one router: pages by URI.
#[derive(Clone)]
pub struct PageCache {
    pub app: AppState,
    pages: Arc<Mutex<HashMap<String, Entry>>>,
}

impl PageCache {
    pub fn new(app: AppState) -> Self {
        PageCache { app, pages: Arc::new(Mutex::new(HashMap::new())) }
    }
}

async fn stamp(state: &AppState) -> Option<Stand> {
    app::lagebild::service::stand::stand(&state.db).await.ok()
}

/// Only GETs of the Lagebild by visitors without a valid session (`session_context` runs first:
/// a forged or expired cookie is anonymous and gets the cached page).
fn cacheable(req: &Request) -> bool {
    req.method() == Method::GET && req.uri().path() == "/lagebild" && req.extensions().get::<app::core::session::CurrentUser>().is_none()
}

/// The parameters the Lagebild page reads; nothing else changes what it shows.
const PAGE_PARAMS: [&str; 5] = ["fokus", "gebiet", "lage", "ozg_id", "themenfeld"];

/// The cache key of a request: the path and the page's own parameters in a fixed order, so
/// that other or reordered parameters do not make new copies. `None` (not cached) for values
/// no real selection has.
fn cache_key(uri: &axum::http::Uri) -> Option<String> {
    let mut params: Vec<(String, String)> = Vec::new();
    for (k, v) in form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()) {
        if !PAGE_PARAMS.contains(&k.as_ref()) {
            continue;
        }
        if v.len() > 120 || params.iter().any(|(p, _)| p == k.as_ref()) {
            return None;
        }
        params.push((k.into_owned(), v.into_owned()));
    }
    params.sort();
    let query: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(params).finish();
    Some(format!("{}?{query}", uri.path()))
}

pub async fn public_pages(State(cache): State<PageCache>, req: Request, next: Next) -> Response {
    let state = &cache.app;
    if !cacheable(&req) {
        return next.run(req).await;
    }
    let Some(nonce) = req.extensions().get::<CspNonce>().map(|n| n.0.clone()) else { return next.run(req).await };
    let Some(current) = stamp(state).await else { return next.run(req).await };
    let Some(key) = cache_key(req.uri()) else { return next.run(req).await };
    if let Ok(mut pages) = cache.pages.lock()
        && let Some(e) = pages.get_mut(&key)
        && e.stamp == current
    {
        e.hits += 1;
        let mut res = (StatusCode::OK, e.body.replace(&e.nonce, &nonce)).into_response();
        for (k, v) in &e.headers {
            res.headers_mut().insert(k, v.clone());
        }
        return res;
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::OK || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "Die Seite konnte nicht erstellt werden.").into_response();
    };
    let mut headers = parts.headers.clone();
    headers.remove(header::CONTENT_LENGTH);
    headers.remove(header::CONTENT_SECURITY_POLICY);
    if let Ok(text) = std::str::from_utf8(&bytes)
        && let Ok(mut pages) = cache.pages.lock()
    {
        let hits = pages.get(&key).map(|e| e.hits).unwrap_or(0);
        if pages.len() >= ENTRIES
            && !pages.contains_key(&key)
            && let Some(victim) = pages.iter().min_by_key(|(_, e)| e.hits).map(|(k, _)| k.clone())
        {
            pages.remove(&victim);
        }
        pages.insert(key, Entry { hits: hits + 1, stamp: current, nonce, headers, body: text.to_string() });
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_and_reordered_parameters_share_one_copy() {
        let key = |u: &str| cache_key(&u.parse::<axum::http::Uri>().expect("uri"));
        assert_eq!(key("/lagebild?gebiet=15083&fokus=ja"), key("/lagebild?fokus=ja&gebiet=15083&x=1&y=2"));
        assert_ne!(key("/lagebild?gebiet=15083"), key("/lagebild?gebiet=15084"));
        assert_eq!(key(&format!("/lagebild?themenfeld={}", "x".repeat(200))), None);
        assert_eq!(key("/lagebild?gebiet=1&gebiet=2"), None);
    }
}
