//! Open data (`/api/v1/public/…`, no login, rate-limited per client address) and the aggregate
//! endpoints of the Spitzenverbände (`/api/v1/aggregates/…`, their members only). Both answer
//! from the Lagebild rollups with the same suppression; CSV variants carry German headers, `;`
//! and a UTF-8 BOM, and are never cut off.

use crate::http::caller::Caller;
use crate::rest::error::ApiError;
use app::error::AppError;
use app::lagebild::model::{AreaFigures, CaseStatsView, EfaRow, ServiceFigures, Slice, Term, TrendPoint};
use app::lagebild::service as lagebild;
use app::lagebild::service::Viewer;
use app::core::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

/// The open-data routes (rate-limited per client address for every caller, see `rest::routes`).
pub fn open_data<S>() -> Router<S>
where
    AppState: axum::extract::FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/public/lagebild", get(public_lagebild))
        .route("/public/areas/{ars}/services", get(public_services))
        .route("/public/services/{ozg_id}", get(public_service))
        .route("/public/leika/{key}", get(public_leika))
}

/// The associations' aggregate routes.
pub fn aggregates<S>() -> Router<S>
where
    AppState: axum::extract::FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
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

/// The selection of a Lagebild.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LagebildQuery {
    /// Land (2 digits, default 15) or Kreis (5 digits).
    gebiet: Option<String>,
    /// Themenfeld.
    themenfeld: Option<String>,
    /// Lebens- or Unternehmenslage.
    lage: Option<String>,
    /// Only Fokusleistungen.
    fokus: Option<bool>,
    /// One OZG-Leistung.
    ozg_id: Option<String>,
    /// `json` (default) or `csv` (German headers, `;`, UTF-8 with BOM, definitions and data date in the file).
    format: Option<String>,
}

/// A page of per-service rows.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page (from 1).
    page: Option<u32>,
    /// Rows per page (1–1000, default 100).
    per_page: Option<u32>,
    /// `json` (default) or `csv` (every row).
    format: Option<String>,
}

/// A term of the Lagebild and how it is counted.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Definition {
    pub term: &'static str,
    pub definition: &'static str,
}

/// The figures of one Themenfeld.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ThemenfeldFigures {
    pub themenfeld: String,
    pub figures: AreaFigures,
}

/// The same figures at the end of each of the last 12 months.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Trend {
    /// When the series was computed (RFC 3339).
    pub computed_at: String,
    pub points: Vec<TrendPoint>,
}

/// A Lagebild: an area with its parts and Themenfelder, counted over the viewer's Kommunen;
/// `null` figures are suppressed (fewer Kommunen than the threshold).
#[derive(serde::Serialize, utoipa::ToSchema)]
#[schema(as = Lagebild)]
pub struct LagebildBody {
    /// Whose Kommunen are counted.
    pub counted_over: &'static str,
    /// The selection of the catalogue in words.
    pub selection: String,
    pub suppression_threshold: i64,
    /// The data date (RFC 3339).
    pub data_date: String,
    pub area: AreaFigures,
    pub parts: Vec<AreaFigures>,
    pub themenfelder: Vec<ThemenfeldFigures>,
    /// Null: no series computed, or the area is suppressed.
    pub trend: Option<Trend>,
    /// Beratungsfälle of the last 12 months: counts and durations (working hours) only.
    pub cases: Option<CaseStatsView>,
    /// Each OZG-Leistung of a narrow selection.
    pub services: Vec<ServiceFigures>,
    /// Re-used EfA services.
    pub efa: Vec<EfaRow>,
    pub definitions: Vec<Definition>,
}

/// A page of per-service figures in one area.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ServicePage {
    /// The area's key (ARS).
    pub area: String,
    pub name: String,
    pub counted_over: &'static str,
    pub data_date: String,
    pub suppression_threshold: i64,
    pub page: usize,
    pub per_page: usize,
    pub pages: usize,
    pub total: usize,
    pub items: Vec<ServiceFigures>,
}

fn public_viewer() -> Viewer {
    lagebild::viewer(None)
}

/// The viewer of an aggregate endpoint: associations (their members) and the Land.
fn aggregate_viewer(caller: &Caller) -> Result<Viewer, AppError> {
    use app::identity::Role;
    match caller.user.as_ref() {
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

pub(crate) fn wants_csv(format: &Option<String>) -> Result<bool, AppError> {
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
    let lb = lagebild::lagebild(&state.db, &app::lagebild::service::cache(&state), &area, &slice, state.config.suppression_threshold, viewer.full).await?;
    let (cases, trend, services, efa) = app::lagebild::service::extras::extras(&state.db, &app::lagebild::service::cache(&state), &area, &lb, viewer, &state.config).await?;
    if csv {
        return Ok(csv_response(lagebild::to_csv(&lb, viewer.label, trend.as_ref(), cases.as_ref(), &efa)?, &format!("lagebild-{requested}")));
    }
    Ok(Json(LagebildBody {
        counted_over: viewer.label,
        selection: slice.label(),
        suppression_threshold: lb.threshold,
        data_date: lb.area.data_date.clone(),
        area: lb.area,
        parts: lb.parts,
        themenfelder: lb.themenfelder.into_iter().map(|(themenfeld, figures)| ThemenfeldFigures { themenfeld, figures }).collect(),
        trend: trend.map(|(computed_at, points)| Trend { computed_at, points }),
        cases,
        services,
        efa,
        definitions: Term::ALL.iter().map(|t| Definition { term: t.label(), definition: t.definition() }).collect(),
    })
    .into_response())
}

async fn services_for(state: &AppState, viewer: &Viewer, ars: &str, q: &PageQuery) -> Result<Response, AppError> {
    let area = lagebild::area_for(viewer, ars).ok_or_else(|| AppError::field("ars", format!("»{ars}« ist kein Schlüssel eines Landes oder Kreises.")))?;
    let csv = wants_csv(&q.format)?;
    let (a, rows) = lagebild::services_of(&state.db, &app::lagebild::service::cache(&state), &area, state.config.suppression_threshold, viewer.full).await?;
    if csv {
        return Ok(csv_response(lagebild::services_csv(&a, &rows)?, &format!("leistungen-{ars}")));
    }
    let per_page = q.per_page.unwrap_or(100).clamp(1, 1000) as usize;
    let total = rows.len();
    let pages = total.div_ceil(per_page).max(1);
    let page = (q.page.unwrap_or(1) as usize).clamp(1, pages);
    let items: Vec<_> = rows.into_iter().skip((page - 1) * per_page).take(per_page).collect();
    Ok(Json(ServicePage {
        area: ars.to_string(),
        name: a.name,
        counted_over: viewer.label,
        data_date: a.updated_at,
        suppression_threshold: state.config.suppression_threshold,
        page,
        per_page,
        pages,
        total,
        items,
    })
    .into_response())
}

/// `GET /api/v1/public/lagebild?gebiet=15&themenfeld=…&fokus=true&ozg_id=…&format=csv`
#[utoipa::path(get, path = "/public/lagebild", tag = "Lagebild (offene Daten)", summary = "Lagebild (offene Daten, ohne Anmeldung, begrenzt je Adresse): ein Land oder Kreis mit seinen Kreisen und Themenfeldern", security(()),
    params(LagebildQuery),
    responses(
        (status = 200, description = "Lagebild als JSON oder (format=csv) als CSV", content((LagebildBody = "application/json"), (String = "text/csv"))),
        (status = 404, description = "Gebiet oder Leistung nicht gefunden", body = crate::rest::ErrorBody),
        (status = 422, description = "Ungültige Abfrage; Meldungen je Feld", body = crate::rest::ErrorBody),
        (status = 429, description = "Zu viele Anfragen von dieser Adresse; Retry-After nennt die Wartezeit in Sekunden", body = crate::rest::ErrorBody),
    ))]
pub async fn public_lagebild(State(state): State<AppState>, Params(q): Params<LagebildQuery>) -> Result<Response, ApiError> {
    Ok(lagebild_for(&state, &public_viewer(), &q).await?)
}

/// `GET /api/v1/public/areas/{ars}/services?page=1&per_page=100` (CSV: every row).
#[utoipa::path(get, path = "/public/areas/{ars}/services", tag = "Lagebild (offene Daten)", summary = "Kennzahlen je OZG-Leistung in einem Gebiet (seitenweise; CSV: alle Zeilen)", security(()),
    params(("ars" = String, Path, description = "Land (2) oder Kreis (5 Ziffern)"), PageQuery),
    responses(
        (status = 200, description = "Eine Seite als JSON oder (format=csv) alle Zeilen als CSV", content((ServicePage = "application/json"), (String = "text/csv"))),
        (status = 404, description = "Gebiet oder Leistung nicht gefunden", body = crate::rest::ErrorBody),
        (status = 422, description = "Ungültige Abfrage; Meldungen je Feld", body = crate::rest::ErrorBody),
        (status = 429, description = "Zu viele Anfragen von dieser Adresse; Retry-After nennt die Wartezeit in Sekunden", body = crate::rest::ErrorBody),
    ))]
pub async fn public_services(State(state): State<AppState>, Path(ars): Path<String>, Params(q): Params<PageQuery>) -> Result<Response, ApiError> {
    Ok(services_for(&state, &public_viewer(), &ars, &q).await?)
}

/// `GET /api/v1/public/services/{ozg_id}`: one OZG-Leistung in the Land and each Kreis.
#[utoipa::path(get, path = "/public/services/{ozg_id}", tag = "Lagebild (offene Daten)", summary = "Eine OZG-Leistung im Land und in jedem Kreis", security(()),
    params(("ozg_id" = String, Path, description = "OZG-ID"), LagebildQuery),
    responses(
        (status = 200, description = "Lagebild als JSON oder (format=csv) als CSV", content((LagebildBody = "application/json"), (String = "text/csv"))),
        (status = 404, description = "Gebiet oder Leistung nicht gefunden", body = crate::rest::ErrorBody),
        (status = 422, description = "Ungültige Abfrage; Meldungen je Feld", body = crate::rest::ErrorBody),
        (status = 429, description = "Zu viele Anfragen von dieser Adresse; Retry-After nennt die Wartezeit in Sekunden", body = crate::rest::ErrorBody),
    ))]
pub async fn public_service(State(state): State<AppState>, Path(ozg_id): Path<String>, Params(mut q): Params<LagebildQuery>) -> Result<Response, ApiError> {
    let known = lagebild::slice_services(&state.db, &Slice { ozg_id: Some(ozg_id.clone()), ..Default::default() }).await?;
    if known.is_empty() {
        return Err(ApiError(AppError::NotFound));
    }
    q.ozg_id = Some(ozg_id);
    Ok(lagebild_for(&state, &public_viewer(), &q).await?)
}

/// `GET /api/v1/public/leika/{key}`: the OZG-Leistung a LeiKa key belongs to, as above.
#[utoipa::path(get, path = "/public/leika/{key}", tag = "Lagebild (offene Daten)", summary = "Die OZG-Leistung eines LeiKa-Schlüssels im Land und in jedem Kreis", security(()),
    params(("key" = String, Path, description = "LeiKa-Schlüssel (14 Ziffern)"), LagebildQuery),
    responses(
        (status = 200, description = "Lagebild als JSON oder (format=csv) als CSV", content((LagebildBody = "application/json"), (String = "text/csv"))),
        (status = 404, description = "Gebiet oder Leistung nicht gefunden", body = crate::rest::ErrorBody),
        (status = 422, description = "Ungültige Abfrage; Meldungen je Feld", body = crate::rest::ErrorBody),
        (status = 429, description = "Zu viele Anfragen von dieser Adresse; Retry-After nennt die Wartezeit in Sekunden", body = crate::rest::ErrorBody),
    ))]
pub async fn public_leika(State(state): State<AppState>, Path(key): Path<String>, Params(mut q): Params<LagebildQuery>) -> Result<Response, ApiError> {
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
#[utoipa::path(get, path = "/aggregates/lagebild", tag = "Lagebild (Spitzenverbände)", summary = "Lagebild über die Mitglieder des eigenen Spitzenverbands (Verbände; Landesberatung: alle Kommunen ohne Unterdrückung)",
    params(LagebildQuery),
    responses(
        (status = 200, description = "Lagebild als JSON oder (format=csv) als CSV", content((LagebildBody = "application/json"), (String = "text/csv"))),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Weder Spitzenverband noch Landesberatung", body = crate::rest::ErrorBody),
        (status = 422, description = "Ungültige Abfrage; Meldungen je Feld", body = crate::rest::ErrorBody),
    ))]
pub async fn aggregates_lagebild(State(state): State<AppState>, caller: Caller, Params(q): Params<LagebildQuery>) -> Result<Response, ApiError> {
    let viewer = aggregate_viewer(&caller)?;
    Ok(lagebild_for(&state, &viewer, &q).await?)
}

/// `GET /api/v1/aggregates/areas/{ars}/services`.
#[utoipa::path(get, path = "/aggregates/areas/{ars}/services", tag = "Lagebild (Spitzenverbände)", summary = "Kennzahlen je OZG-Leistung über die Mitglieder des eigenen Verbands",
    params(("ars" = String, Path, description = "Land (2) oder Kreis (5 Ziffern)"), PageQuery),
    responses(
        (status = 200, description = "Eine Seite als JSON oder (format=csv) alle Zeilen als CSV", content((ServicePage = "application/json"), (String = "text/csv"))),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Weder Spitzenverband noch Landesberatung", body = crate::rest::ErrorBody),
        (status = 422, description = "Ungültige Abfrage; Meldungen je Feld", body = crate::rest::ErrorBody),
    ))]
pub async fn aggregates_services(State(state): State<AppState>, caller: Caller, Path(ars): Path<String>, Params(q): Params<PageQuery>) -> Result<Response, ApiError> {
    let viewer = aggregate_viewer(&caller)?;
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
