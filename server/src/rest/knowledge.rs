//! The Wissensportal's read endpoints: search and one article. Public articles for everyone
//! (anonymous callers rate-limited per address), articles for the Kommunen with a session or an
//! API key, drafts only for the Land's advisors.

use crate::http::caller::Caller;
use crate::rest::error::ApiError;
use crate::rest::public::Params;
use app::core::state::AppState;
use app::error::AppError;
use app::knowledge::model::{ArticleDocument, ArticleQuery, ArticleResults};
use app::knowledge::service::query;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};

pub fn routes<S>() -> Router<S>
where
    AppState: axum::extract::FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/articles", get(search)).route("/articles/{id}", get(read))
}

fn rules(state: &AppState) -> query::Rules {
    query::Rules { second_review: state.config.knowledge_second_review, review_days: state.config.knowledge_review_days }
}

/// `GET /api/v1/articles?q=…&themenfeld=…&leistung=…&seite=…`
#[utoipa::path(get, path = "/articles", tag = "Wissensportal", summary = "Artikel suchen", security((), ("bearerAuth" = []), ("sessionCookie" = [])),
    params(ArticleQuery),
    responses(
        (status = 200, description = "Eine Seite der Treffer (20 je Seite), neueste Veröffentlichung zuerst; ohne Anmeldung nur öffentliche Artikel", body = ArticleResults),
        (status = 422, description = "Ungültige Abfrageparameter", body = crate::rest::ErrorBody),
        (status = 429, description = "Zu viele Anfragen ohne Anmeldung; Retry-After nennt die Wartezeit in Sekunden", body = crate::rest::ErrorBody),
    ))]
pub async fn search(State(state): State<AppState>, caller: Caller, Params(q): Params<ArticleQuery>) -> Result<Json<ArticleResults>, ApiError> {
    let scope = &caller.scope;
    Ok(Json(query::search(&state.db, &scope, &q).await?))
}

/// `GET /api/v1/articles/{id}`
#[utoipa::path(get, path = "/articles/{id}", tag = "Wissensportal", summary = "Ein Artikel", security((), ("bearerAuth" = []), ("sessionCookie" = [])),
    params(("id" = i64, Path, description = "Nummer des Artikels")),
    responses(
        (status = 200, description = "Der Artikel mit seinem Text in Markdown", body = ArticleDocument),
        (status = 401, description = "Der Artikel ist nur für angemeldete Kommunen", body = crate::rest::ErrorBody),
        (status = 404, description = "Kein solcher (veröffentlichter) Artikel", body = crate::rest::ErrorBody),
        (status = 422, description = "Die Nummer ist keine ganze Zahl", body = crate::rest::ErrorBody),
        (status = 429, description = "Zu viele Anfragen ohne Anmeldung", body = crate::rest::ErrorBody),
    ))]
pub async fn read(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<ArticleDocument>, ApiError> {
    let id = id.trim().parse::<i64>().map_err(|_| AppError::field("id", "Die Nummer eines Artikels ist eine ganze Zahl."))?;
    let doc = query::document(&state.db, caller.user.as_ref(), id, rules(&state), app::core::time::now()).await?;
    Ok(Json(doc))
}
