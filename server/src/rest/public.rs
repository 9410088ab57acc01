//! Open data (`/api/v1/public/…`, no login, rate-limited per client address) and the aggregate
//! endpoints of the Spitzenverbände (`/api/v1/aggregates/…`, their members only). Both answer
//! from the Lagebild rollups with the same suppression; CSV variants carry German headers, `;`
//! and a UTF-8 BOM, and are never cut off.

use crate::rest::error::ApiError;
use app::error::AppError;
use app::lagebild::model::{DEFINITIONS, Slice};
use app::lagebild::service as lagebild;
use app::lagebild::service::Viewer;
use app::core::session::CurrentUser;
use app::core::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde::Deserialize;

/// The open-data routes (rate-limited per client address by `middleware::anonymous_rate`) and
/// the associations' aggregate routes.
pub fn routes<S>() -> Router<S>
where
    AppState: axum::extract::FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    let public = Router::new()
        .route("/public/lagebild", get(public_lagebild))
        .route("/public/areas/{ars}/services", get(public_services))
        .route("/public/services/{ozg_id}", get(public_service))
        .route("/public/leika/{key}", get(public_leika));
    Router::new()
        .merge(public)
        .route("/aggregates/lagebild", get(aggregates_lagebild))
        .route("/aggregates/areas/{ars}/services", get(aggregates_services))
}

/// Query parameters; malformed ones get a German 422 instead of the framework's plain 400.
pub struct Params<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(Params(v)),
            Err(_) => Err(ApiError(AppError::field(
                "",
                "Die Abfrageparameter sind ungültig: »fokus« erwartet true oder false, »page« und »per_page« ganze Zahlen.",
            ))),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct LagebildQuery {
    gebiet: Option<String>,
    themenfeld: Option<String>,
    lage: Option<String>,
    fokus: Option<bool>,
    ozg_id: Option<String>,
    format: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<u32>,
    per_page: Option<u32>,
    format: Option<String>,
}

fn public_viewer() -> Viewer {
    lagebild::viewer(None)
}

/// The viewer of an aggregate endpoint: associations (their members) and the Land.
fn aggregate_viewer(user: &Option<Extension<CurrentUser>>) -> Result<Viewer, AppError> {
    use app::identity::Role;
    match user.as_ref().map(|u| &u.0) {
        None => Err(AppError::Unauthorized),
        Some(u) if matches!(u.role, Role::Association | Role::Advisor | Role::Admin) => Ok(lagebild::viewer(Some(u))),
        Some(_) => Err(AppError::Forbidden),
    }
}

fn csv_response(body: String, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\"")),
        ],
        body,
    )
        .into_response()
}

fn wants_csv(format: &Option<String>) -> Result<bool, AppError> {
    match format.as_deref() {
        None | Some("json") => Ok(false),
        Some("csv") => Ok(true),
        Some(other) => Err(AppError::field("format", format!("Das Format »{other}« gibt es nicht (json oder csv)."))),
    }
}

fn clean(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

async fn lagebild_for(state: &AppState, viewer: &Viewer, q: &LagebildQuery) -> Result<Response, AppError> {
    let requested = clean(&q.gebiet).unwrap_or_else(|| "15".to_string());
    let area = lagebild::area_for(viewer, &requested)
        .ok_or_else(|| AppError::field("gebiet", format!("»{requested}« ist kein Schlüssel eines Landes (2 Ziffern) oder Kreises (5 Ziffern).")))?;
    let ozg_id = clean(&q.ozg_id);
    if let Some(o) = &ozg_id
        && (o.len() > 8 || !o.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(AppError::field("ozg_id", format!("»{o}« ist keine OZG-ID.")));
    }
    let slice = Slice { themenfeld: clean(&q.themenfeld), lage: clean(&q.lage), focus: q.fokus.unwrap_or(false), ozg_id };
    let csv = wants_csv(&q.format)?;
    let lb = lagebild::lagebild(&state.db, &state.rollup_cache, &area, &slice, state.config.suppression_threshold, viewer.full).await?;
    let (cases, trend, services, efa) = app::lagebild::service::extras::extras(&state.db, &state.rollup_cache, &area, &lb, viewer, &state.config).await?;
    if csv {
        return Ok(csv_response(lagebild::to_csv(&lb, viewer.label, trend.as_ref(), cases.as_ref(), &efa)?, &format!("lagebild-{requested}")));
    }
    let definitions: Vec<_> = DEFINITIONS.iter().map(|(t, d)| serde_json::json!({ "term": t, "definition": d })).collect();
    Ok(Json(serde_json::json!({
        "counted_over": viewer.label,
        "selection": slice.label(),
        "suppression_threshold": lb.threshold,
        "data_date": lb.area.data_date,
        "area": lb.area,
        "parts": lb.parts,
        "themenfelder": lb.themenfelder.iter().map(|(n, f)| serde_json::json!({ "themenfeld": n, "figures": f })).collect::<Vec<_>>(),
        "trend": trend.map(|(stand, points)| serde_json::json!({ "computed_at": stand, "points": points })),
        "cases": cases,
        "services": services,
        "efa": efa,
        "definitions": definitions,
    }))
    .into_response())
}

async fn services_for(state: &AppState, viewer: &Viewer, ars: &str, q: &PageQuery) -> Result<Response, AppError> {
    let area = lagebild::area_for(viewer, ars).ok_or_else(|| AppError::field("ars", format!("»{ars}« ist kein Schlüssel eines Landes oder Kreises.")))?;
    let csv = wants_csv(&q.format)?;
    let (a, rows) = lagebild::services_of(&state.db, &state.rollup_cache, &area, state.config.suppression_threshold, viewer.full).await?;
    if csv {
        return Ok(csv_response(lagebild::services_csv(&a, &rows, state.config.suppression_threshold.max(1))?, &format!("leistungen-{ars}")));
    }
    let per_page = q.per_page.unwrap_or(100).clamp(1, 1000) as usize;
    let total = rows.len();
    let pages = total.div_ceil(per_page).max(1);
    let page = (q.page.unwrap_or(1) as usize).clamp(1, pages);
    let items: Vec<_> = rows.into_iter().skip((page - 1) * per_page).take(per_page).collect();
    Ok(Json(serde_json::json!({
        "area": ars, "name": a.name, "counted_over": viewer.label, "data_date": a.updated_at,
        "suppression_threshold": state.config.suppression_threshold,
        "page": page, "per_page": per_page, "pages": pages, "total": total, "items": items,
    }))
    .into_response())
}

/// `GET /api/v1/public/lagebild?gebiet=15&themenfeld=…&fokus=true&ozg_id=…&format=csv`
async fn public_lagebild(State(state): State<AppState>, Params(q): Params<LagebildQuery>) -> Result<Response, ApiError> {
    Ok(lagebild_for(&state, &public_viewer(), &q).await?)
}

/// `GET /api/v1/public/areas/{ars}/services?page=1&per_page=100` (CSV: every row).
async fn public_services(State(state): State<AppState>, Path(ars): Path<String>, Params(q): Params<PageQuery>) -> Result<Response, ApiError> {
    Ok(services_for(&state, &public_viewer(), &ars, &q).await?)
}

/// `GET /api/v1/public/services/{ozg_id}`: one OZG-Leistung in the Land and each Kreis.
async fn public_service(State(state): State<AppState>, Path(ozg_id): Path<String>, Params(mut q): Params<LagebildQuery>) -> Result<Response, ApiError> {
    let known = lagebild::slice_services(&state.db, &Slice { ozg_id: Some(ozg_id.clone()), ..Default::default() }).await?;
    if known.is_empty() {
        return Err(ApiError(AppError::NotFound));
    }
    q.ozg_id = Some(ozg_id);
    Ok(lagebild_for(&state, &public_viewer(), &q).await?)
}

/// `GET /api/v1/public/leika/{key}`: the OZG-Leistung a LeiKa key belongs to, as above.
async fn public_leika(State(state): State<AppState>, Path(key): Path<String>, Params(mut q): Params<LagebildQuery>) -> Result<Response, ApiError> {
    if key.len() != 14 || !key.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError(AppError::field("key", format!("»{key}« ist kein vierzehnstelliger LeiKa-Schlüssel."))));
    }
    let Some(ozg_id) = app::catalogue::service::ozg::ozg_of_leika(&state.db, &key).await? else {
        return Err(ApiError(AppError::NotFound));
    };
    q.ozg_id = Some(ozg_id);
    Ok(lagebild_for(&state, &public_viewer(), &q).await?)
}

/// `GET /api/v1/aggregates/lagebild`: as the public one, counted over the association's members.
async fn aggregates_lagebild(State(state): State<AppState>, user: Option<Extension<CurrentUser>>, Params(q): Params<LagebildQuery>) -> Result<Response, ApiError> {
    let viewer = aggregate_viewer(&user)?;
    Ok(lagebild_for(&state, &viewer, &q).await?)
}

/// `GET /api/v1/aggregates/areas/{ars}/services`.
async fn aggregates_services(State(state): State<AppState>, user: Option<Extension<CurrentUser>>, Path(ars): Path<String>, Params(q): Params<PageQuery>) -> Result<Response, ApiError> {
    let viewer = aggregate_viewer(&user)?;
    Ok(services_for(&state, &viewer, &ars, &q).await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn unknown_formats_are_refused() {
        assert!(super::wants_csv(&Some("xml".into())).is_err());
        assert_eq!(super::wants_csv(&Some("csv".into())).ok(), Some(true));
        assert_eq!(super::wants_csv(&None).ok(), Some(false));
    }
}
