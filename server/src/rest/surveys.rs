//! The results of the Abfragen over REST: the published ones as open data (`/public/surveys…`,
//! no login, rate-limited per client address), and for a signed-in caller what the caller may
//! read (`/surveys/{id}/results`: the Land every figure, an association its members').

use crate::http::caller::Caller;
use crate::rest::error::ApiError;
use app::access::scope::Scope;
use app::core::state::AppState;
use app::surveys::results::{ResultLine, SurveyResults};
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};

pub fn open_data<S>() -> Router<S>
where
    AppState: axum::extract::FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/public/surveys", get(published)).route("/public/surveys/{id}/results", get(public_results))
}

pub fn routes<S>() -> Router<S>
where
    AppState: axum::extract::FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/surveys/{id}/results", get(results))
}

/// `GET /api/v1/public/surveys`
#[utoipa::path(get, path = "/public/surveys", tag = "Abfragen", summary = "Abfragen mit veröffentlichten Ergebnissen (offene Daten)", security(()),
    responses(
        (status = 200, description = "Zuletzt beendete zuerst", body = Vec<ResultLine>),
        (status = 429, description = "Zu viele Anfragen von dieser Adresse", body = crate::rest::ErrorBody),
    ))]
pub async fn published(State(state): State<AppState>) -> Result<Json<Vec<ResultLine>>, ApiError> {
    Ok(Json(app::surveys::service::results::list(&state.db, &Scope::Public, app::core::time::now()).await?))
}

/// `GET /api/v1/public/surveys/{id}/results`
#[utoipa::path(get, path = "/public/surveys/{id}/results", tag = "Abfragen", summary = "Veröffentlichte Ergebnisse einer Abfrage: zusammengefasst, ohne Freitext, kleine Zahlen unterdrückt", security(()),
    params(("id" = i64, Path, description = "Nummer der Abfrage")),
    responses(
        (status = 200, description = "Ergebnisse je Frage", body = SurveyResults),
        (status = 404, description = "Keine veröffentlichten Ergebnisse unter dieser Nummer", body = crate::rest::ErrorBody),
        (status = 429, description = "Zu viele Anfragen von dieser Adresse", body = crate::rest::ErrorBody),
    ))]
pub async fn public_results(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Json<SurveyResults>, ApiError> {
    Ok(Json(app::surveys::service::results::public(&state.db, id, state.config.suppression_threshold, app::core::time::now()).await?))
}

/// `GET /api/v1/surveys/{id}/results`
#[utoipa::path(get, path = "/surveys/{id}/results", tag = "Abfragen", summary = "Ergebnisse einer Abfrage, wie der Aufrufer sie sehen darf (Landesberatung: alle Zahlen; Spitzenverband: die seiner Mitglieder nach der Frist)",
    params(("id" = i64, Path, description = "Nummer der Abfrage")),
    responses(
        (status = 200, description = "Ergebnisse je Frage", body = SurveyResults),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 404, description = "Keine Ergebnisse, die der Aufrufer sehen darf", body = crate::rest::ErrorBody),
    ))]
pub async fn results(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<Json<SurveyResults>, ApiError> {
    let (_, scope) = caller.signed_in()?;
    Ok(Json(app::surveys::service::results::read(&state.db, scope, id, None, state.config.suppression_threshold, app::core::time::now()).await?))
}
