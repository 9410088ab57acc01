//! The events' read endpoints and the calendar feed `/termine.ics` (public events).

use crate::http::caller::Caller;
use crate::rest::error::ApiError;
use app::core::state::AppState;
use app::error::AppError;
use app::events::model::{EventList, EventSummary};
use app::events::service::query;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

pub fn routes<S>() -> Router<S>
where
    AppState: axum::extract::FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/events", get(list)).route("/events/{id}", get(read))
}

/// `GET /api/v1/events`
#[utoipa::path(get, path = "/events", tag = "Termine", summary = "Anstehende und vergangene Termine", security((), ("bearerAuth" = []), ("sessionCookie" = [])),
    responses(
        (status = 200, description = "Anstehende Termine (früheste zuerst) und die des letzten Jahres; ohne Anmeldung nur öffentliche", body = EventList),
        (status = 429, description = "Zu viele Anfragen ohne Anmeldung", body = crate::rest::ErrorBody),
    ))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<EventList>, ApiError> {
    Ok(Json(query::list(&state.db, caller.user.as_ref(), app::core::time::now()).await?))
}

/// `GET /api/v1/events/{id}`
#[utoipa::path(get, path = "/events/{id}", tag = "Termine", summary = "Ein Termin", security((), ("bearerAuth" = []), ("sessionCookie" = [])),
    params(("id" = i64, Path, description = "Nummer des Termins")),
    responses(
        (status = 200, description = "Der Termin", body = EventSummary),
        (status = 401, description = "Der Termin ist nur für angemeldete Kommunen", body = crate::rest::ErrorBody),
        (status = 404, description = "Kein solcher Termin", body = crate::rest::ErrorBody),
        (status = 422, description = "Die Nummer ist keine ganze Zahl", body = crate::rest::ErrorBody),
    ))]
pub async fn read(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<EventSummary>, ApiError> {
    let id = id.trim().parse::<i64>().map_err(|_| AppError::field("id", "Die Nummer eines Termins ist eine ganze Zahl."))?;
    Ok(Json(query::view(&state.db, caller.user.as_ref(), id, app::core::time::now()).await?.summary))
}

/// `GET /termine.ics`: the public events as a calendar to subscribe to.
pub async fn feed(State(state): State<AppState>) -> Result<Response, ApiError> {
    let body = query::feed(&state.db, &state.config.base_url, app::core::time::now()).await?;
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=300")], body).into_response())
}
