//! REST API of the Leistungsregister under `/api/v1/municipalities/{ags}/services`.

use crate::rest::error::ApiError;
use app::error::AppError;
use app::register::model::ServiceRecordInput;
use app::register::service as register;
use app::register::service::ListFilter;
use app::access::scope::Scope;
use app::core::session::CurrentUser;
use app::core::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRef, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};

/// Request bodies up to this size are read so that an oversized field gets a field-level 422.
const MAX_RECORD_BODY: usize = 16 * 1024 * 1024;

pub fn routes<S>() -> Router<S>
where
    AppState: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/municipalities/{ags}/services", get(list))
        .route(
            "/municipalities/{ags}/services.csv",
            get(export_csv).post(import_csv).layer(DefaultBodyLimit::max(MAX_RECORD_BODY)),
        )
        .route(
            "/municipalities/{ags}/services/{ozg_id}",
            get(read).put(write).layer(DefaultBodyLimit::max(MAX_RECORD_BODY)),
        )
        .route("/municipalities/{ags}/services/{ozg_id}/history", get(history))
        .route("/municipalities/{ags}/progress", get(progress))
        .route("/municipalities/{ags}/services/bulk", axum::routing::post(bulk))
        .route("/municipalities/{ags}/services/{ozg_id}/annotations", get(list_annotations).post(add_annotation))
}

fn scope(user: &Option<Extension<CurrentUser>>) -> Scope {
    Scope::of(user.as_ref().map(|u| &u.0))
}

async fn list(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Path(ags): Path<String>,
    filter: Result<Query<ListFilter>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Ok(Query(filter)) = filter else {
        return Err(AppError::field("", "Ein Filter hat einen ungültigen Wert.").into());
    };
    Ok(Json(register::list(&state.db, &scope(&user), &ags, &filter).await?).into_response())
}

async fn read(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Path((ags, ozg_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    Ok(Json(register::get(&state.db, &scope(&user), &ags, &ozg_id).await?).into_response())
}

async fn write(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Path((ags, ozg_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(Extension(current)) = &user else { return Err(AppError::Unauthorized.into()) };
    let input: ServiceRecordInput = serde_json::from_slice(&body).map_err(|e| {
        AppError::field(
            "",
            format!(
                "Die Daten konnten nicht gelesen werden (Zeile {}, Spalte {}): ein Feld fehlt oder hat einen unbekannten Wert.",
                e.line(),
                e.column()
            ),
        )
    })?;
    let saved = register::put(&state.db, current, &scope(&user), &ags, &ozg_id, &input).await?;
    Ok(Json(saved).into_response())
}

async fn history(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Path((ags, ozg_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    Ok(Json(register::history(&state.db, &scope(&user), &ags, &ozg_id).await?).into_response())
}

/// `GET …/services.csv`: the register as a CSV download (German headers, `;`, UTF-8 with BOM).
async fn export_csv(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Path(ags): Path<String>,
) -> Result<Response, ApiError> {
    let body = app::register::service::csv::export(&state.db, &scope(&user), &ags).await?;
    let disposition = format!("attachment; filename=\"leistungsregister-{}.csv\"", ags.chars().filter(char::is_ascii_digit).collect::<String>());
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// `POST …/services.csv` with the CSV as body: all rows or none; the report says what changed.
async fn import_csv(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Path(ags): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(Extension(current)) = &user else { return Err(AppError::Unauthorized.into()) };
    let report = app::register::service::csv::import(&state.db, current, &scope(&user), &ags, &body).await?;
    Ok(Json(report).into_response())
}

/// `POST …/services/bulk`: `{ "ozg_ids": [...] | "filter": {...}, "stage"?, "solution_kind"?,
/// "solution_name"?, "solution_provider"?, "planned_go_live"? }` → `{ "changed": n }`.
async fn bulk(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Path(ags): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(Extension(current)) = &user else { return Err(AppError::Unauthorized.into()) };
    let change: register::BulkChange = serde_json::from_slice(&body)
        .map_err(|_| AppError::field("", "Die Daten konnten nicht gelesen werden: ein Feld hat einen unbekannten Wert."))?;
    let changed = register::bulk(&state.db, current, &scope(&user), &ags, &change).await?;
    Ok(Json(serde_json::json!({ "changed": changed })).into_response())
}

/// `GET …/services/{ozg_id}/annotations`: the advisors' notes, newest first.
async fn list_annotations(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Path((ags, ozg_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    Ok(Json(register::annotations(&state.db, &scope(&user), &ags, &ozg_id).await?).into_response())
}

/// `POST …/services/{ozg_id}/annotations` with `{ "body": "…" }` (Land advisors only) → 201.
async fn add_annotation(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Path((ags, ozg_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(Extension(current)) = &user else { return Err(AppError::Unauthorized.into()) };
    #[derive(serde::Deserialize)]
    struct Note {
        body: String,
    }
    let note: Note = serde_json::from_slice(&body).map_err(|_| AppError::field("body", "Erwartet wird JSON mit dem Feld »body«."))?;
    register::annotate(&state.db, current, &scope(&user), &ags, &ozg_id, &note.body).await?;
    Ok(axum::http::StatusCode::CREATED.into_response())
}

#[derive(serde::Deserialize)]
struct ProgressQuery {
    months: Option<usize>,
}

/// `GET …/progress?months=12`: online and OZG-compliant services at the end of each month.
async fn progress(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Path(ags): Path<String>,
    q: Result<Query<ProgressQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Ok(Query(q)) = q else {
        return Err(AppError::field("months", "»months« ist eine Zahl von 1 bis 60.").into());
    };
    let months = q.months.unwrap_or(12);
    if !(1..=app::register::service::progress::MAX_MONTHS).contains(&months) {
        return Err(AppError::field("months", "»months« ist eine Zahl von 1 bis 60.").into());
    }
    Ok(Json(app::register::service::progress::of_kommune(&state.db, &scope(&user), &ags, months).await?).into_response())
}
