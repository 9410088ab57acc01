//! The upload of the ZSK's usage figures by the Land (`POST /lagebild/nutzung/import`, a plain
//! multipart form that works without JavaScript): a refused file gets a page listing every
//! problem with its line and column — and nothing was stored.

use crate::http::caller::Caller;
use app::core::state::AppState;
use app::usage::service::Refused;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `POST /lagebild/nutzung/import` with the file in the field `datei`.
pub async fn import(State(state): State<AppState>, caller: Caller, mut form: Multipart) -> Response {
    let back = "/lagebild/nutzung";
    let Some(current) = &caller.user else {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, "/anmelden".to_string())]).into_response();
    };
    let refused = |status: StatusCode, items: Vec<String>| super::refused(status, &items, back, "Zurück zur Nutzung");
    if !app::access::policy::sees_internal(&caller.scope) {
        return refused(StatusCode::FORBIDDEN, vec![app::error::AppError::Forbidden.to_string()]);
    }
    let bytes = match super::csv_file(&mut form).await {
        Ok(b) => b,
        Err((status, message)) => return refused(status, vec![message]),
    };
    match app::usage::service::import_file(&state.db, &caller.scope, Some(current), &bytes, app::core::time::now()).await {
        Ok(done) => (StatusCode::SEE_OTHER, [(header::LOCATION, format!("{back}?importiert={}", done.rows))]).into_response(),
        Err(Refused::Problems(problems)) => refused(StatusCode::UNPROCESSABLE_ENTITY, problems.iter().map(ToString::to_string).collect()),
        Err(Refused::Other(e)) => refused(StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), vec![e.to_string()]),
    }
}
