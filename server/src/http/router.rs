//! Assembling the application: Leptos pages and server functions, REST API, health checks,
//! static files, and the middleware stack.

use crate::http::middleware;
use crate::http::middleware::CspNonce;
use app::core::state::AppState;
use app::{App, shell};
use axum::Router;
use axum::extract::{FromRef, Request};
use axum::http::{HeaderName, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use leptos::config::LeptosOptions;
use leptos::prelude::*;
use leptos_axum::LeptosRoutes;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

/// The router's state: Leptos's options and the application state.
#[derive(Clone)]
pub struct ServerState {
    pub leptos: LeptosOptions,
    pub app: AppState,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(s: &ServerState) -> Self {
        s.leptos.clone()
    }
}

impl FromRef<ServerState> for AppState {
    fn from_ref(s: &ServerState) -> Self {
        s.app.clone()
    }
}

/// Leptos options for a site root (where `cargo leptos build` put `pkg/`).
pub fn leptos_options(site_root: &str, site_addr: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(option_env!("LEPTOS_OUTPUT_NAME").unwrap_or("ozg-portal"))
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(site_addr)
        // Hashed asset names when the build wrote its hash file beside the binary: the
        // framework's island loader then asks for `ozg-portal.<hash>.js` and `.wasm`.
        .hash_files(app::core::assets::current().hashed)
        .hash_file(std::sync::Arc::from(app::core::assets::HASH_FILE))
        .build()
}

/// What every page render and server function gets in its context: the application state and
/// the CSP nonce of this request.
fn context(state: AppState) -> impl Fn() + Clone + Send + 'static {
    move || {
        provide_context(state.clone());
        if let Some(parts) = use_context::<http::request::Parts>() {
            if let Some(nonce) = parts.extensions.get::<CspNonce>() {
                provide_context(leptos::nonce::Nonce::from_value(nonce.0.clone()));
            }
            // What a refused form held, for the page shown after the refusal.
            if let Some(submitted) = parts.extensions.get::<app::ui::forms::Submitted>() {
                provide_context(submitted.clone());
            }
        }
    }
}

/// Server functions are registered by `leptos_routes_with_context`; this route only catches
/// unknown `/api/...` paths.
async fn unknown_server_fn() -> Response {
    api_not_found().await
}

/// Malformed server-function arguments are the caller's fault, but the framework answers them
/// with 500 and our `BadRequest` body: give them the right status.
async fn server_fn_status(req: Request, next: axum::middleware::Next) -> Response {
    let is_server_fn = req.uri().path().starts_with("/api/") && !req.uri().path().starts_with("/api/v1/");
    let res = next.run(req).await;
    if is_server_fn && res.status() == StatusCode::INTERNAL_SERVER_ERROR {
        let (mut parts, body) = res.into_parts();
        let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
        if bytes.as_ref() == b"\"BadRequest\"" {
            parts.status = StatusCode::BAD_REQUEST;
        }
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    }
    res
}

/// Unknown `/api/...` paths: a German 404 instead of the framework's English explanation.
async fn api_not_found() -> Response {
    middleware::plain(StatusCode::NOT_FOUND, "Diese Schnittstelle gibt es nicht.")
}

/// The page routes, generated once per process, with every server function's path listed as
/// excluded (each page group below registers the server functions it owns by taking its paths
/// off that list). Generating them runs the app with resource loading suppressed through a
/// process-wide flag; a resource first polled by a render running at that moment would never
/// resolve. Generating once, before any router serves, rules that out (it matters wherever
/// several routers are built in one process, as in the tests).
pub fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES
        .get_or_init(|| {
            let server_fns = server_fn::axum::server_fn_paths().map(|(path, _)| path.to_string()).collect();
            leptos_axum::generate_route_list_with_exclusions(App, Some(server_fns))
        })
        .clone()
}

/// The paths of the pages (the route list without the server functions).
pub fn page_paths() -> Vec<String> {
    let fns: std::collections::HashSet<&str> = server_fn::axum::server_fn_paths().map(|(p, _)| p).collect();
    route_list().iter().map(|l| l.path().to_string()).filter(|p| !fns.contains(p.as_str())).collect()
}

/// The public Lagebild: kept in the page cache for visitors without a session.
const CACHED_PAGE: &str = "/lagebild";

/// The other pages visitors read without a session.
const PUBLIC_PAGES: [&str; 11] = [
    "/lagebild/nachnutzung",
    "/lagebild/foerderung",
    "/lagebild/nutzung",
    "/wissen",
    "/wissen/{id}",
    "/nachnutzung",
    "/foerderung",
    "/gremien",
    "/gremien/{id}",
    "/beschluesse",
    "/beschluesse/{id}",
];

/// The server functions behind the public pages, named by their types.
fn public_server_fns() -> [&'static str; 10] {
    use leptos::server_fn::ServerFn;
    [
        <app::lagebild::api::LoadLagebild as ServerFn>::PATH,
        <app::rollout::api::RolloutOverview as ServerFn>::PATH,
        <app::rollout::api::LoadRolloutFigures as ServerFn>::PATH,
        <app::funding::api::LoadFundingFigures as ServerFn>::PATH,
        <app::funding::api::LoadFundingPage as ServerFn>::PATH,
        <app::usage::api::LoadUsage as ServerFn>::PATH,
        <app::gremien::api::LoadGremien as ServerFn>::PATH,
        <app::gremien::api::LoadGremium as ServerFn>::PATH,
        <app::gremien::api::LoadDecisionRegister as ServerFn>::PATH,
        <app::gremien::api::LoadDecision as ServerFn>::PATH,
    ]
}

/// One group of pages: the page routes of `pages` and the server functions of `server_fns`
/// (every other listed server function stays excluded), with tidy HTML and the server
/// functions' body limit.
fn page_group(state: &ServerState, app_state: &AppState, pages: &[&str], server_fns: &[&str], shell_options: LeptosOptions) -> Router<ServerState> {
    let server_fn_paths: std::collections::HashSet<&str> = server_fn::axum::server_fn_paths().map(|(p, _)| p).collect();
    let listing: Vec<_> = route_list()
        .into_iter()
        .filter(|l| if server_fn_paths.contains(l.path()) { !server_fns.contains(&l.path()) } else { pages.contains(&l.path()) })
        .collect();
    for page in pages {
        assert!(listing.iter().any(|l| l.path() == *page), "Die Seite {page} gibt es nicht");
    }
    Router::new()
        .leptos_routes_with_context(state, listing, context(app_state.clone()), move || shell(shell_options.clone()))
        .layer(axum::middleware::from_fn(middleware::tidy_pages))
        .layer(axum::middleware::from_fn_with_state(app_state.clone(), middleware::keep_refused_forms))
        .layer(axum::middleware::from_fn_with_state(middleware::BodyLimit::SERVER_FNS, middleware::limit_bodies))
}

/// Builds the complete application. Routes stand in groups, each with the limits it needs:
/// the public pages (rate-limited for visitors, the Lagebild cached), the other pages with the
/// server functions, the REST API (by its own groups), forms, uploads and imports.
pub fn build(app_state: AppState, leptos: LeptosOptions) -> Router {
    use axum::middleware::from_fn_with_state;
    use middleware::{BodyLimit, FileRefusal, Rate};
    let state = ServerState { leptos: leptos.clone(), app: app_state.clone() };
    let request_id = HeaderName::from_static("x-request-id");
    let fallback_options = leptos.clone();
    let all_fns: Vec<&str> = server_fn::axum::server_fn_paths().map(|(p, _)| p).collect();
    let all_pages = page_paths();
    let other_pages: Vec<&str> = all_pages.iter().map(String::as_str).filter(|p| *p != CACHED_PAGE && !PUBLIC_PAGES.contains(p)).collect();
    let other_fns: Vec<&str> = all_fns.iter().copied().filter(|p| !public_server_fns().contains(p)).collect();
    let anonymous_rate = from_fn_with_state(Rate::anonymous(&app_state), middleware::client_rate);
    let lagebild = page_group(&state, &app_state, &[CACHED_PAGE], &[], leptos.clone())
        .layer(from_fn_with_state(crate::http::page_cache::PageCache::new(app_state.clone()), crate::http::page_cache::public_pages))
        .layer(anonymous_rate.clone());
    let public_pages = page_group(&state, &app_state, &PUBLIC_PAGES, &public_server_fns(), leptos.clone()).layer(anonymous_rate.clone());
    let pages = page_group(&state, &app_state, &other_pages, &other_fns, leptos.clone());
    let public_files = Router::new()
        .route("/anmelden/landeskonto", get(crate::http::oidc::start))
        .route("/termine.ics", get(crate::rest::events::feed))
        .route("/nachnutzung.csv", get(crate::http::forms::rollout::export))
        .route("/beschluesse.csv", get(crate::rest::decisions::csv))
        .route("/beschluesse.atom", get(crate::rest::decisions::feed))
        .layer(anonymous_rate);
    let forms = Router::new()
        .route("/api/{*fn_name}", post(unknown_server_fn).get(api_not_found))
        .route("/kommunen/{key}/leistungen/sammelaenderung", post(crate::http::forms::bulk::submit))
        .route("/konto/api-schluessel", post(crate::http::forms::tokens::create))
        .route("/anmelden/landeskonto/rueckruf", get(crate::http::oidc::callback))
        .route("/anmelden/landeskonto/abmelden", get(crate::http::oidc::logout))
        .route("/verwaltung/benutzer/einladen", post(crate::http::forms::accounts::invite))
        .route("/verwaltung/benutzer/{id}/einladung", post(crate::http::forms::accounts::resend))
        .route("/verwaltung/benutzer/{id}/auskunft.json", get(crate::http::forms::accounts::disclosure))
        .route("/konto/auskunft.json", get(crate::http::forms::accounts::own_disclosure))
        .route("/verwaltung/protokoll.csv", get(crate::http::forms::accounts::audit_csv))
        .route("/abfragen/{id}/antworten.csv", get(crate::http::forms::surveys::csv))
        .route("/abfragen/{id}/antworten.xlsx", get(crate::http::forms::surveys::xlsx))
        .route("/abfragen/{id}/antwort/{kommune}/datei/{question}/entfernen", post(crate::http::forms::surveys::remove))
        .route("/abfragen/{id}/dateien/{fid}", get(crate::http::forms::surveys::download))
        .route("/wissen/{id}/dateien/{fid}", get(crate::http::forms::knowledge::download))
        .route("/faelle/sammelaktion", post(crate::http::forms::cases::bulk))
        .route("/faelle/{id}/anhaenge/{aid}", get(crate::http::forms::cases::download))
        .route("/gremien/sitzungen/{id}/unterlagen/{doc}", get(crate::http::forms::gremien::download))
        // A refused invitation or API key goes back to its page with what was typed.
        .layer(from_fn_with_state(app_state.clone(), middleware::keep_refused_forms))
        .layer(from_fn_with_state(BodyLimit::FORMS, middleware::limit_bodies));
    let imports = Router::new()
        .route("/verwaltung/benutzer/import", post(crate::http::forms::accounts::import).layer(axum::extract::DefaultBodyLimit::max(middleware::IMPORT_BODY_BYTES)))
        .route("/nachnutzung/import", post(crate::http::forms::rollout::import).layer(axum::extract::DefaultBodyLimit::max(middleware::IMPORT_BODY_BYTES)))
        .route("/lagebild/nutzung/import", post(crate::http::forms::usage::import).layer(axum::extract::DefaultBodyLimit::max(middleware::IMPORT_BODY_BYTES)))
        .layer(from_fn_with_state(BodyLimit::IMPORTS, middleware::limit_bodies));
    let register_file = Router::new()
        .route("/kommunen/{key}/leistungen/import", post(crate::http::forms::import::submit).layer(axum::extract::DefaultBodyLimit::max(middleware::IMPORT_BODY_BYTES)))
        .layer(from_fn_with_state(BodyLimit::IMPORTS, middleware::limit_bodies))
        .layer(from_fn_with_state(FileRefusal::SignIn, middleware::files_need_session));
    let uploads = Router::new()
        .route("/faelle/{id}/anhaenge", post(crate::http::forms::cases::upload).layer(axum::extract::DefaultBodyLimit::disable()))
        .route("/wissen/{id}/dateien", post(crate::http::forms::knowledge::upload).layer(axum::extract::DefaultBodyLimit::disable()))
        .route("/abfragen/{id}/antwort/{kommune}/datei/{question}", post(crate::http::forms::surveys::upload).layer(axum::extract::DefaultBodyLimit::disable()))
        .route("/gremien/sitzungen/{id}/unterlagen", post(crate::http::forms::gremien::upload).layer(axum::extract::DefaultBodyLimit::disable()))
        .layer(from_fn_with_state(BodyLimit::uploads(app_state.config.attachment_max_bytes), middleware::limit_bodies))
        .layer(from_fn_with_state(FileRefusal::SignIn, middleware::files_need_session));
    Router::new()
        // The browser bundle: precompressed copies where the release build made them, and
        // `Last-Modified`, so that a browser's second page view revalidates (304) instead of
        // fetching it again.
        .nest_service(
            "/pkg",
            tower_http::services::ServeDir::new(std::path::Path::new(leptos.site_root.as_ref()).join(leptos.site_pkg_dir.as_ref()))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .route("/livez", get(crate::http::health::livez))
        .route("/readyz", get(crate::http::health::readyz))
        .route("/metrics", get(crate::metrics::guarded))
        .nest("/api/v1", crate::rest::routes(&app_state).fallback(api_not_found))
        .merge(lagebild)
        .merge(public_pages)
        .merge(pages)
        .merge(public_files)
        .merge(forms)
        .merge(imports)
        .merge(register_file)
        .merge(uploads)
        .fallback(
            axum::handler::Handler::layer(
                leptos_axum::file_and_error_handler_with_context::<ServerState, _>(context(app_state.clone()), move |_| shell(fallback_options.clone())),
                axum::middleware::from_fn(middleware::tidy_pages),
            ),
        )
        .with_state(state)
        .layer(CatchPanicLayer::custom(panic_response))
        // No request may hang: after 30 s the client gets 408 and the work is dropped.
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, std::time::Duration::from_secs(30)))
        .layer(axum::middleware::from_fn(server_fn_status))
        .layer(axum::extract::DefaultBodyLimit::max(middleware::MAX_BODY_BYTES))
        .layer(from_fn_with_state(app_state.clone(), middleware::audit_denials))
        .layer(axum::middleware::from_fn(middleware::csrf_guard))
        // The session is resolved before the groups' anonymous limits and the public cache:
        // "signed in" means a valid session, never a cookie that merely has the session
        // cookie's name.
        .layer(from_fn_with_state(app_state.clone(), middleware::session_context))
        .layer(from_fn_with_state(app_state.clone(), middleware::client_ip))
        .layer(from_fn_with_state(app_state, middleware::security_headers))
        .layer(axum::middleware::from_fn(crate::metrics::track))
        // Pages, JSON, CSV and the bundle go out compressed to browsers that accept it, at level 4:
        // the encoders' own default for brotli is 11, which spends more time on a 45 KB inbox
        // page than rendering it (the bundle is precompressed at the highest level at build time).
        .layer(tower_http::compression::CompressionLayer::new().quality(tower_http::compression::CompressionLevel::Precise(COMPRESSION_LEVEL)))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
        }).on_response(DefaultOnResponse::new().level(tracing::Level::INFO)))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// The level of on-the-fly compression (brotli 0–11, gzip 0–9).
pub const COMPRESSION_LEVEL: i32 = 4;

/// A panic in a handler becomes a German 500 page; the details go to the log only.
fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("unbekannt");
    tracing::error!(detail, "Unerwarteter Fehler bei der Bearbeitung einer Anfrage");
    middleware::plain(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Es ist ein interner Fehler aufgetreten. Bitte versuchen Sie es später erneut.",
    )
}
