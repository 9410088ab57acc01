//! Operational metrics in the Prometheus text format (prometheus-client): requests and their
//! latencies by route, background job runs and durations, the mail outbox and its dead letters,
//! and the database pool. Counters live in this process (each instance is scraped on its own);
//! the outbox figures are read from the database at each scrape.
//!
//! Off by default: `/metrics` on the portal's address needs `PORTAL_METRICS_TOKEN` (sent as
//! `Authorization: Bearer …`); `PORTAL_METRICS_ADDR` serves it on a separate address instead.

use app::core::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::sync::OnceLock;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    job: String,
    outcome: String,
}

fn latency_histogram() -> Histogram {
    // 1 ms … about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    job_runs: Family<JobLabels, Counter>,
    job_seconds: Family<JobLabels, Histogram, fn() -> Histogram>,
    outbox_waiting: Gauge,
    dead_letters: Gauge,
    pool_size: Gauge,
    pool_idle: Gauge,
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let mut registry = Registry::with_prefix("ozg_portal");
        let m = Metrics {
            requests: Family::default(),
            latency: Family::new_with_constructor(latency_histogram as fn() -> Histogram),
            job_runs: Family::default(),
            job_seconds: Family::new_with_constructor(latency_histogram as fn() -> Histogram),
            outbox_waiting: Gauge::default(),
            dead_letters: Gauge::default(),
            pool_size: Gauge::default(),
            pool_idle: Gauge::default(),
            registry: Registry::default(),
        };
        registry.register("http_requests", "HTTP-Anfragen nach Methode, Route und Status", m.requests.clone());
        registry.register("http_request_duration_seconds", "Dauer der HTTP-Anfragen nach Methode und Route", m.latency.clone());
        registry.register("job_runs", "Läufe der Hintergrundaufgaben nach Aufgabe und Ergebnis", m.job_runs.clone());
        registry.register("job_duration_seconds", "Dauer der Hintergrundaufgaben", m.job_seconds.clone());
        registry.register("mail_outbox_waiting", "E-Mails im Postausgang, die noch gesendet werden", m.outbox_waiting.clone());
        registry.register("mail_dead_letters", "Unzustellbare E-Mails (aufgegeben, nicht verworfen)", m.dead_letters.clone());
        registry.register("db_pool_connections", "Offene Verbindungen des Datenbank-Pools", m.pool_size.clone());
        registry.register("db_pool_idle_connections", "Davon unbeschäftigt", m.pool_idle.clone());
        Metrics { registry, ..m }
    })
}

/// The method as a label: the methods of HTTP, any other as `(andere)` (a client may invent
/// methods without end; each would be a series of its own).
pub fn method_label(m: &axum::http::Method) -> &'static str {
    match m.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        "TRACE" => "TRACE",
        "CONNECT" => "CONNECT",
        _ => "(andere)",
    }
}

/// Counts each request and its duration under its route pattern (`/faelle/{id}`) and a method
/// from a closed set, so the number of series stays bounded; paths that match no route count
/// as `(andere)`.
pub async fn track(req: Request, next: Next) -> Response {
    let method = method_label(req.method()).to_string();
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "(andere)".into());
    let start = Instant::now();
    let res = next.run(req).await;
    let m = metrics();
    m.latency.get_or_create(&RouteLabels { method: method.clone(), route: route.clone() }).observe(start.elapsed().as_secs_f64());
    m.requests.get_or_create(&RequestLabels { method, route, status: res.status().as_u16() }).inc();
    res
}

/// Records one run of a background job: in this instance's metrics and, for the
/// administrators' start page, in the database (best effort: a failed write is logged).
pub async fn job_run(db: &sea_orm::DatabaseConnection, name: &str, started: Instant, error: Option<String>) {
    job(name, started, error.is_none());
    let millis = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
    if let Err(e) = app::core::job_runs::record(db, name, app::core::time::now(), millis, error.as_deref()).await {
        tracing::warn!(job = name, error = %e, "Lauf der Hintergrundaufgabe nicht vermerkt");
    }
}

/// Records one run of a background job in this instance's metrics.
pub fn job(name: &str, started: Instant, ok: bool) {
    let labels = JobLabels { job: name.into(), outcome: if ok { "ok" } else { "fehler" }.into() };
    let m = metrics();
    m.job_runs.get_or_create(&labels).inc();
    m.job_seconds.get_or_create(&labels).observe(started.elapsed().as_secs_f64());
}

/// The current figures in the Prometheus text format.
pub async fn render(state: &AppState) -> Result<String, String> {
    let m = metrics();
    let (waiting, dead) = app::core::outbox::counts(&state.db).await.map_err(|e| e.to_string())?;
    m.outbox_waiting.set(waiting as i64);
    m.dead_letters.set(dead as i64);
    let (size, idle) = match state.db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            let p = state.db.get_postgres_connection_pool();
            (p.size(), p.num_idle())
        }
        _ => {
            let p = state.db.get_sqlite_connection_pool();
            (p.size(), p.num_idle())
        }
    };
    m.pool_size.set(i64::from(size));
    m.pool_idle.set(idle as i64);
    let mut out = String::new();
    prometheus_client::encoding::text::encode(&mut out, &m.registry).map_err(|e| e.to_string())?;
    Ok(out)
}

fn text(body: String) -> Response {
    let mut res = body.into_response();
    res.headers_mut().insert(http::header::CONTENT_TYPE, HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"));
    res.headers_mut().insert(http::header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

async fn respond(state: &AppState) -> Response {
    match render(state).await {
        Ok(body) => text(body),
        Err(e) => {
            tracing::error!(error = %e, "Kennzahlen nicht lesbar");
            (StatusCode::SERVICE_UNAVAILABLE, "Kennzahlen zurzeit nicht lesbar").into_response()
        }
    }
}

/// Whether the `Authorization` header carries the token (compared by digest, in constant time
/// with respect to the token's content).
fn authorised(req: &http::HeaderMap, token: &str) -> bool {
    use sha2::{Digest, Sha256};
    let Some(given) = req.get(http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")) else {
        return false;
    };
    let (a, b) = (Sha256::digest(given.trim().as_bytes()), Sha256::digest(token.as_bytes()));
    a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `/metrics` on the portal's address: only with the configured bearer token.
pub async fn guarded(State(state): State<AppState>, headers: http::HeaderMap) -> Response {
    match state.config.metrics_token.as_deref() {
        Some(token) if authorised(&headers, token) => respond(&state).await,
        Some(_) => {
            let mut res = (StatusCode::UNAUTHORIZED, "Kennzahlen nur mit gültigem Zugangsschlüssel").into_response();
            res.headers_mut().insert(http::header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            res
        }
        None => (StatusCode::NOT_FOUND, "Nicht gefunden").into_response(),
    }
}

/// The router of the separate metrics address: `/metrics` only, the token checked when set.
pub fn separate(state: AppState) -> axum::Router {
    axum::Router::new()
        .route(
            "/metrics",
            axum::routing::get(|State(state): State<AppState>, headers: http::HeaderMap| async move {
                match state.config.metrics_token.as_deref() {
                    Some(token) if !authorised(&headers, token) => (StatusCode::UNAUTHORIZED, "Kennzahlen nur mit gültigem Zugangsschlüssel").into_response(),
                    _ => respond(&state).await,
                }
            }),
        )
        .with_state(state)
}
