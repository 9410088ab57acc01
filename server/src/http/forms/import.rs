//! Uploading a Kommune's register as CSV from the list page (a plain multipart form post that
//! works without JavaScript). Success redirects to the list with the counts; a refused file
//! gets a page listing every problem with line and column — and nothing was stored.

use crate::http::caller::Caller;
use app::error::AppError;
use app::core::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `POST /kommunen/{key}/leistungen/import` with the file in the field `datei`.
pub async fn submit(State(state): State<AppState>, caller: Caller, Path(key): Path<String>, mut form: Multipart) -> Response {
    let back = format!("/kommunen/{}/leistungen", form_urlencoded::byte_serialize(key.as_bytes()).collect::<String>());
    let Some(current) = &caller.user else {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, "/anmelden".to_string())]).into_response();
    };
    let refused = |status: StatusCode, items: Vec<String>| super::refused(status, &items, &back, "Zurück zur Leistungsliste");
    let bytes = match super::csv_file(&mut form).await {
        Ok(b) => b,
        Err((status, message)) => return refused(status, vec![message]),
    };
    let scope = &caller.scope;
    match app::register::service::csv::import(&state.db, current, &scope, &key, &bytes).await {
        Ok(report) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("{back}?importiert={}&unveraendert={}", report.changed, report.unchanged))],
        )
            .into_response(),
        Err(AppError::Validation(map)) => refused(StatusCode::UNPROCESSABLE_ENTITY, map.into_values().flatten().collect()),
        Err(e) => refused(StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), vec![e.to_string()]),
    }
}
