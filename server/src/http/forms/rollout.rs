//! The Nachnutzungsübersicht as a CSV download (`GET /nachnutzung.csv`, who pays only for the
//! signed-in) and its upload by advisors (`POST /nachnutzung/import`, a plain multipart form
//! that works without JavaScript; a refused file gets a page listing every problem — and
//! nothing was stored).

use crate::http::caller::Caller;
use crate::http::html::page;
use app::core::state::AppState;
use app::error::AppError;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `GET /nachnutzung.csv`
pub async fn export(State(state): State<AppState>, caller: Caller) -> Response {
    let scope = &caller.scope;
    match app::rollout::service::plan_csv::export(&state.db, &scope).await {
        Ok(body) => ([(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"nachnutzung.csv\"")], body).into_response(),
        Err(_) => page(StatusCode::INTERNAL_SERVER_ERROR, "Export nicht möglich", "<p>Die Übersicht konnte nicht erstellt werden.</p>", "/nachnutzung", "Zurück zur Übersicht"),
    }
}

/// `POST /nachnutzung/import` with the file in the field `datei`.
pub async fn import(State(state): State<AppState>, caller: Caller, mut form: Multipart) -> Response {
    let back = "/nachnutzung";
    let Some(current) = &caller.user else {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, "/anmelden".to_string())]).into_response();
    };
    let refused = |status: StatusCode, items: Vec<String>| super::refused(status, &items, back, "Zurück zur Übersicht");
    let scope = &caller.scope;
    if let Err(e) = app::access::policy::require_advisor(&scope) {
        return refused(StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::FORBIDDEN), vec![e.to_string()]);
    }
    let bytes = match super::csv_file(&mut form).await {
        Ok(b) => b,
        Err((status, message)) => return refused(status, vec![message]),
    };
    match app::rollout::service::plan_csv::import(&state.db, &scope, &current.id, &bytes).await {
        Ok(n) => (StatusCode::SEE_OTHER, [(header::LOCATION, format!("{back}?importiert={n}"))]).into_response(),
        Err(AppError::Validation(map)) => refused(StatusCode::UNPROCESSABLE_ENTITY, map.into_values().flatten().collect()),
        Err(e) => refused(StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), vec![e.to_string()]),
    }
}
