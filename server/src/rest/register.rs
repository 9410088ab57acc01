//! REST API of the Leistungsregister under `/api/v1/municipalities/{ags}/services`.

use crate::http::caller::Caller;
use crate::rest::error::ApiError;
use app::error::AppError;
use app::register::model::ServiceRecordInput;
use app::register::service as register;
use app::register::service::ListFilter;
use app::core::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRef, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

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
            "/municipalities/{ags}/services/{ozg_id}",
            get(read).put(write).layer(DefaultBodyLimit::max(MAX_RECORD_BODY)),
        )
        .route("/municipalities/{ags}/services/{ozg_id}/history", get(history))
        .route("/municipalities/{ags}/progress", get(progress))
        .route("/municipalities/{ags}/services/bulk", axum::routing::post(bulk))
        .route("/municipalities/{ags}/services/{ozg_id}/annotations", get(list_annotations).post(add_annotation))
}

/// The register's CSV (the caller adds the import limit and the refusal of anonymous callers).
pub fn files<S>() -> Router<S>
where
    AppState: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/municipalities/{ags}/services.csv", get(export_csv).post(import_csv).layer(DefaultBodyLimit::max(MAX_RECORD_BODY)))
}

/// `GET …/services`: every OZG-Leistung of the catalogue with the Kommune's record, filtered.
#[utoipa::path(get, path = "/municipalities/{ags}/services", tag = "Leistungsregister", summary = "Leistungen einer Kommune mit ihrem Stand",
    params(("ags" = String, Path, description = "AGS der Kommune (bzw. Verbandsschlüssel einer Verbandsgemeinde)"), ListFilter),
    responses(
        (status = 200, description = "Alle Leistungen des Katalogs, gefiltert", body = Vec<register::ListItem>),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung für diese Kommune", body = crate::rest::ErrorBody),
        (status = 404, description = "Kommune oder Leistung nicht gefunden", body = crate::rest::ErrorBody),
        (status = 422, description = "Ungültige Eingabe; Meldungen je Feld", body = crate::rest::ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(ags): Path<String>,
    filter: Result<Query<ListFilter>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Ok(Query(filter)) = filter else {
        return Err(AppError::field("", "Ein Filter hat einen ungültigen Wert.").into());
    };
    Ok(Json(register::list(&state.db, &caller.scope, &ags, &filter).await?).into_response())
}

/// `GET …/services/{ozg_id}`: one record.
#[utoipa::path(get, path = "/municipalities/{ags}/services/{ozg_id}", tag = "Leistungsregister", summary = "Ein Eintrag",
    params(("ags" = String, Path, description = "AGS der Kommune (bzw. Verbandsschlüssel einer Verbandsgemeinde)"), ("ozg_id" = String, Path, description = "OZG-ID der Leistung")),
    responses(
        (status = 200, description = "Der Eintrag (unerfasst: »nicht begonnen«, Version 0)", body = app::register::model::ServiceRecord),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung für diese Kommune", body = crate::rest::ErrorBody),
        (status = 404, description = "Kommune oder Leistung nicht gefunden", body = crate::rest::ErrorBody),
    ))]
pub async fn read(
    State(state): State<AppState>,
    caller: Caller,
    Path((ags, ozg_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    Ok(Json(register::get(&state.db, &caller.scope, &ags, &ozg_id).await?).into_response())
}

/// `PUT …/services/{ozg_id}`: saves a record based on its `version`.
#[utoipa::path(put, path = "/municipalities/{ags}/services/{ozg_id}", tag = "Leistungsregister", summary = "Eintrag speichern", request_body = app::register::model::ServiceRecordInput,
    params(("ags" = String, Path, description = "AGS der Kommune (bzw. Verbandsschlüssel einer Verbandsgemeinde)"), ("ozg_id" = String, Path, description = "OZG-ID der Leistung")),
    responses(
        (status = 200, description = "Gespeichert (oder unverändert bei doppelter Übermittlung)", body = app::register::model::ServiceRecord),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung für diese Kommune", body = crate::rest::ErrorBody),
        (status = 404, description = "Kommune oder Leistung nicht gefunden", body = crate::rest::ErrorBody),
        (status = 409, description = "Ein Eintrag wurde inzwischen geändert; die Meldung nennt die neueren Werte", body = crate::rest::ErrorBody),
        (status = 422, description = "Ungültige Eingabe; Meldungen je Feld", body = crate::rest::ErrorBody),
    ))]
pub async fn write(
    State(state): State<AppState>,
    caller: Caller,
    Path((ags, ozg_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(current) = &caller.user else { return Err(AppError::Unauthorized.into()) };
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
    let saved = register::put(&state.db, current, &caller.scope, &ags, &ozg_id, &input).await?;
    Ok(Json(saved).into_response())
}

/// `GET …/services/{ozg_id}/history`: the changes, newest first.
#[utoipa::path(get, path = "/municipalities/{ags}/services/{ozg_id}/history", tag = "Leistungsregister", summary = "Verlauf eines Eintrags (neueste zuerst)",
    params(("ags" = String, Path, description = "AGS der Kommune (bzw. Verbandsschlüssel einer Verbandsgemeinde)"), ("ozg_id" = String, Path, description = "OZG-ID der Leistung")),
    responses(
        (status = 200, description = "Änderungen mit Person, Organisation, Zeitpunkt, alt → neu", body = Vec<app::register::model::HistoryEntry>),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung für diese Kommune", body = crate::rest::ErrorBody),
        (status = 404, description = "Kommune oder Leistung nicht gefunden", body = crate::rest::ErrorBody),
    ))]
pub async fn history(
    State(state): State<AppState>,
    caller: Caller,
    Path((ags, ozg_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    Ok(Json(register::history(&state.db, &caller.scope, &ags, &ozg_id).await?).into_response())
}

/// `GET …/services.csv`: the register as a CSV download (German headers, `;`, UTF-8 with BOM).
#[utoipa::path(get, path = "/municipalities/{ags}/services.csv", tag = "Leistungsregister", summary = "Register als CSV (deutsche Spaltennamen, »;«, UTF-8 mit BOM)",
    params(("ags" = String, Path, description = "AGS der Kommune (bzw. Verbandsschlüssel einer Verbandsgemeinde)")),
    responses(
        (status = 200, description = "CSV", body = String, content_type = "text/csv"),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung für diese Kommune", body = crate::rest::ErrorBody),
        (status = 404, description = "Kommune oder Leistung nicht gefunden", body = crate::rest::ErrorBody),
    ))]
pub async fn export_csv(
    State(state): State<AppState>,
    caller: Caller,
    Path(ags): Path<String>,
) -> Result<Response, ApiError> {
    let body = app::register::service::csv::export(&state.db, &caller.scope, &ags).await?;
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
#[utoipa::path(post, path = "/municipalities/{ags}/services.csv", tag = "Leistungsregister", summary = "CSV im Format des Exports einlesen: alle Zeilen oder keine", request_body(content = String, content_type = "text/csv"),
    params(("ags" = String, Path, description = "AGS der Kommune (bzw. Verbandsschlüssel einer Verbandsgemeinde)")),
    responses(
        (status = 200, description = "Was sich geändert hat", body = app::register::service::csv::ImportReport),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung für diese Kommune", body = crate::rest::ErrorBody),
        (status = 404, description = "Kommune oder Leistung nicht gefunden", body = crate::rest::ErrorBody),
        (status = 409, description = "Ein Eintrag wurde inzwischen geändert; die Meldung nennt die neueren Werte", body = crate::rest::ErrorBody),
        (status = 422, description = "Fehler mit Zeile und Spalte; nichts wurde gespeichert", body = crate::rest::ErrorBody),
    ))]
pub async fn import_csv(
    State(state): State<AppState>,
    caller: Caller,
    Path(ags): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(current) = &caller.user else { return Err(AppError::Unauthorized.into()) };
    let report = app::register::service::csv::import(&state.db, current, &caller.scope, &ags, &body).await?;
    Ok(Json(report).into_response())
}

/// `POST …/services/bulk`: `{ "ozg_ids": [...] | "filter": {...}, "stage"?, "solution_kind"?,
/// "solution_name"?, "solution_provider"?, "planned_go_live"? }` → `{ "changed": n }`.
#[utoipa::path(post, path = "/municipalities/{ags}/services/bulk", tag = "Leistungsregister", summary = "Sammeländerung", request_body = register::BulkChange,
    params(("ags" = String, Path, description = "AGS der Kommune (bzw. Verbandsschlüssel einer Verbandsgemeinde)")),
    responses(
        (status = 200, description = "Anzahl geänderter Leistungen", body = Changed),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung für diese Kommune", body = crate::rest::ErrorBody),
        (status = 404, description = "Kommune oder Leistung nicht gefunden", body = crate::rest::ErrorBody),
        (status = 409, description = "Ein Eintrag wurde inzwischen geändert; die Meldung nennt die neueren Werte", body = crate::rest::ErrorBody),
        (status = 422, description = "Ungültige Eingabe; Meldungen je Feld", body = crate::rest::ErrorBody),
    ))]
pub async fn bulk(
    State(state): State<AppState>,
    caller: Caller,
    Path(ags): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(current) = &caller.user else { return Err(AppError::Unauthorized.into()) };
    let change: register::BulkChange = serde_json::from_slice(&body)
        .map_err(|_| AppError::field("", "Die Daten konnten nicht gelesen werden: ein Feld hat einen unbekannten Wert."))?;
    let changed = register::bulk(&state.db, current, &caller.scope, &ags, &change).await?;
    Ok(Json(Changed { changed }).into_response())
}

/// `GET …/services/{ozg_id}/annotations`: the advisors' notes, newest first.
#[utoipa::path(get, path = "/municipalities/{ags}/services/{ozg_id}/annotations", tag = "Leistungsregister", summary = "Anmerkungen der Landesberatung",
    params(("ags" = String, Path, description = "AGS der Kommune (bzw. Verbandsschlüssel einer Verbandsgemeinde)"), ("ozg_id" = String, Path, description = "OZG-ID der Leistung")),
    responses(
        (status = 200, description = "Anmerkungen, neueste zuerst", body = Vec<app::register::model::Annotation>),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung für diese Kommune", body = crate::rest::ErrorBody),
        (status = 404, description = "Kommune oder Leistung nicht gefunden", body = crate::rest::ErrorBody),
    ))]
pub async fn list_annotations(
    State(state): State<AppState>,
    caller: Caller,
    Path((ags, ozg_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    Ok(Json(register::annotations(&state.db, &caller.scope, &ags, &ozg_id).await?).into_response())
}

/// `POST …/services/{ozg_id}/annotations` with `{ "body": "…" }` (Land advisors only) → 201.
#[utoipa::path(post, path = "/municipalities/{ags}/services/{ozg_id}/annotations", tag = "Leistungsregister", summary = "Anmerkung schreiben (Landesberatung)", request_body = Note,
    params(("ags" = String, Path, description = "AGS der Kommune (bzw. Verbandsschlüssel einer Verbandsgemeinde)"), ("ozg_id" = String, Path, description = "OZG-ID der Leistung")),
    responses(
        (status = 201, description = "Gespeichert"),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung für diese Kommune", body = crate::rest::ErrorBody),
        (status = 404, description = "Kommune oder Leistung nicht gefunden", body = crate::rest::ErrorBody),
        (status = 422, description = "Ungültige Eingabe; Meldungen je Feld", body = crate::rest::ErrorBody),
    ))]
pub async fn add_annotation(
    State(state): State<AppState>,
    caller: Caller,
    Path((ags, ozg_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(current) = &caller.user else { return Err(AppError::Unauthorized.into()) };
    let note: Note = serde_json::from_slice(&body).map_err(|_| AppError::field("body", "Erwartet wird JSON mit dem Feld »body«."))?;
    register::annotate(&state.db, current, &caller.scope, &ags, &ozg_id, &note.body).await?;
    Ok(axum::http::StatusCode::CREATED.into_response())
}

/// An advisor's note on a record.
#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct Note {
    pub body: String,
}

/// How many of a bulk change's or bulk action's objects changed.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Changed {
    pub changed: usize,
}

/// The months of the progress series.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgressQuery {
    /// Number of months (1–60, default 12).
    months: Option<usize>,
}

/// `GET …/progress?months=12`: online and OZG-compliant services at the end of each month.
#[utoipa::path(get, path = "/municipalities/{ags}/progress", tag = "Leistungsregister", summary = "Digitalisierungsstand je Monat",
    params(("ags" = String, Path, description = "AGS der Kommune (bzw. Verbandsschlüssel einer Verbandsgemeinde)"), ProgressQuery),
    responses(
        (status = 200, description = "Je Monatsende: online und OZG-konform", body = app::register::model::Progress),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung für diese Kommune", body = crate::rest::ErrorBody),
        (status = 404, description = "Kommune oder Leistung nicht gefunden", body = crate::rest::ErrorBody),
        (status = 422, description = "Ungültige Eingabe; Meldungen je Feld", body = crate::rest::ErrorBody),
    ))]
pub async fn progress(
    State(state): State<AppState>,
    caller: Caller,
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
    Ok(Json(app::register::service::progress::of_kommune(&state.db, &caller.scope, &ags, months).await?).into_response())
}
