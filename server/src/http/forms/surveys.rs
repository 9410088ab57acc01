//! `GET /abfragen/{id}/antworten.csv` and `.xlsx`: every answer of a survey for the Land's advisors.

use crate::http::caller::Caller;
use crate::http::html::escape;
use app::core::state::AppState;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The two formats of the export.
#[derive(Clone, Copy)]
enum Format {
    Csv,
    Xlsx,
}

async fn export(state: AppState, caller: Caller, id: i64, format: Format) -> Response {
    let result = match app::access::policy::require_advisor(&caller.scope) {
        Ok(()) => match format {
            Format::Csv => app::surveys::service::export::csv(&state.db, id).await,
            Format::Xlsx => app::surveys::service::export::xlsx(&state.db, id).await,
        },
        Err(e) => Err(e),
    };
    let (ext, mime) = match format {
        Format::Csv => ("csv", "text/csv; charset=utf-8"),
        Format::Xlsx => ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    };
    match result {
        Ok(bytes) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, mime.to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"abfrage-{id}-antworten.{ext}\"")),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => crate::http::html::page(
            StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::FORBIDDEN),
            "Antworten nicht exportiert",
            &format!("<p role=\"alert\">{}</p>", escape(&e.to_string())),
            "/abfragen",
            "Zu den Abfragen",
        ),
    }
}

pub async fn csv(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Response {
    export(state, caller, id, Format::Csv).await
}

pub async fn xlsx(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Response {
    export(state, caller, id, Format::Xlsx).await
}
