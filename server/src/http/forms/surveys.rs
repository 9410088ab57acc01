//! `GET /abfragen/{id}/antworten.csv`: every answer of a survey for the Land's advisors.

use crate::http::caller::Caller;
use crate::http::html::escape;
use app::core::state::AppState;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

pub async fn export(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Response {
    let result = match app::access::policy::require_advisor(&caller.scope) {
        Ok(()) => app::surveys::service::export::csv(&state.db, id).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(bytes) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"abfrage-{id}-antworten.csv\"")),
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
