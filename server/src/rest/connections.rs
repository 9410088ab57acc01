//! The roll-out and the funding over REST for the tools of those who work them: an operator's
//! ticket system, a Kommune's own tools, the Land's systems. Connections with their steps and
//! checklist items, the proposed dates, the reports of faults and requirements per EfA service,
//! and (read only) the funding applications of one's own Kommune. Every operation asks the same
//! services as the pages, with the caller's scope: an operator reaches the connections of its
//! services only and never their costs; a clerk their Kommunen's connections and applications.

use crate::http::caller::Caller;
use crate::rest::cases::json;
use crate::rest::error::{ApiError, ErrorBody};
use app::core::state::AppState;
use app::error::AppError;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub fn routes<S>() -> Router<S>
where
    AppState: axum::extract::FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/connections", get(list))
        .route("/connections/{id}", get(read))
        .route("/connections/{id}/step", post(step))
        .route("/connections/{id}/items/{position}", put(item))
        .route("/connections/{id}/dates", put(dates))
        .route("/efa-services/{id}/reports", get(reports).post(file_report))
        .route("/reports/{id}", get(report))
        .route("/reports/{id}/join", post(join_report))
        .route("/reports/{id}/answers", post(answer_report))
        .route("/funding/applications", get(applications))
        .route("/funding/applications/{id}", get(application))
}

fn number(id: &str) -> Result<i64, AppError> {
    id.trim().parse::<i64>().map_err(|_| AppError::NotFound)
}

/// `GET /connections`.
#[utoipa::path(get, path = "/connections", tag = "Anbindungen und Störungen", summary = "Anbindungen: die eigenen Kommunen (Sachbearbeitung), die eigenen Dienste (Betreiber), alle (Land)",
    responses(
        (status = 200, description = "Nach Dienst und Kommune", body = Vec<app::rollout::model::ConnectionItem>),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = ErrorBody),
    ))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let (_, scope) = caller.signed_in()?;
    Ok(Json(app::rollout::service::query::listed(&state.db, scope).await?).into_response())
}

/// `GET /connections/{id}`.
#[utoipa::path(get, path = "/connections/{id}", tag = "Anbindungen und Störungen", summary = "Eine Anbindung mit Schritten und Checkliste (Kosten nur für Land und Kommune)",
    params(("id" = i64, Path, description = "Nummer der Anbindung")),
    responses(
        (status = 200, description = "Die Anbindung", body = app::rollout::model::ConnectionView),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = ErrorBody),
        (status = 404, description = "Nicht gefunden", body = ErrorBody),
    ))]
pub async fn read(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (_, scope) = caller.signed_in()?;
    Ok(Json(app::rollout::service::query::connection(&state.db, scope, state.config.rollout_live_by_land, number(&id)?).await?).into_response())
}

/// The next step of a connection.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct StepBody {
    /// The step's code: `interesse`, `vereinbarung`, `vorbereitung`, `test`, `live`, `zurueckgestellt`.
    state: String,
    /// The connection's version as read (a stale one: 409).
    version: i32,
    /// The reason, when the connection is paused.
    #[serde(default)]
    reason: String,
    /// Go on although items of the checklist are open.
    #[serde(default)]
    despite_open: bool,
}

/// `POST /connections/{id}/step`.
#[utoipa::path(post, path = "/connections/{id}/step", tag = "Anbindungen und Störungen", summary = "Nächster Schritt einer Anbindung (»Live« bestätigt das Land, wo es so eingestellt ist)", request_body = StepBody,
    params(("id" = i64, Path, description = "Nummer der Anbindung")),
    responses(
        (status = 204, description = "Gesetzt"),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = ErrorBody),
        (status = 404, description = "Nicht gefunden", body = ErrorBody),
        (status = 409, description = "Veraltete Version", body = ErrorBody),
        (status = 422, description = "Dieser Schritt ist jetzt nicht möglich; Meldungen je Feld", body = ErrorBody),
    ))]
pub async fn step(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, body: Bytes) -> Result<Response, ApiError> {
    let (u, scope) = caller.signed_in()?;
    let id = number(&id)?;
    let b: StepBody = json(&body, "»state« und »version«, optional »reason« und »despite_open«")?;
    let target = app::rollout::model::ConnectionState::from_code(b.state.trim());
    app::rollout::service::lifecycle::step(&state.db, scope, &state.config, u, id, target, &b.reason, Some(b.version), b.despite_open).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A checklist item's state.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ItemBody {
    /// `offen`, `erledigt`, `blockiert` or `entfaellt`.
    status: String,
    #[serde(default)]
    note: String,
}

/// `PUT /connections/{id}/items/{position}`.
#[utoipa::path(put, path = "/connections/{id}/items/{position}", tag = "Anbindungen und Störungen", summary = "Punkt der Checkliste setzen (die Punkte des Betreibers der Betreiber, die übrigen die Kommune, alle das Land)", request_body = ItemBody,
    params(("id" = i64, Path, description = "Nummer der Anbindung"), ("position" = i32, Path, description = "Nummer des Punkts")),
    responses(
        (status = 204, description = "Gespeichert"),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = ErrorBody),
        (status = 404, description = "Nicht gefunden", body = ErrorBody),
        (status = 422, description = "Ungültige Eingabe; Meldungen je Feld", body = ErrorBody),
    ))]
pub async fn item(State(state): State<AppState>, caller: Caller, Path((id, position)): Path<(String, String)>, body: Bytes) -> Result<Response, ApiError> {
    let (u, scope) = caller.signed_in()?;
    let id = number(&id)?;
    let position = i32::try_from(number(&position)?).map_err(|_| AppError::NotFound)?;
    let b: ItemBody = json(&body, "»status« und optional »note«")?;
    let status = app::rollout::model::ItemState::from_code(b.status.trim());
    app::rollout::service::checklist::set(&state.db, scope, &state.config, u, id, position, status, &b.note).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The dates an operator (or the Land) proposes.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct DatesBody {
    /// `JJJJ-MM-TT` or `TT.MM.JJJJ`; empty: none.
    #[serde(default)]
    test: String,
    #[serde(default)]
    live: String,
    version: i32,
}

/// `PUT /connections/{id}/dates`.
#[utoipa::path(put, path = "/connections/{id}/dates", tag = "Anbindungen und Störungen", summary = "Termine für Test und Live vorschlagen (Betreiber und Land)", request_body = DatesBody,
    params(("id" = i64, Path, description = "Nummer der Anbindung")),
    responses(
        (status = 204, description = "Gespeichert"),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = ErrorBody),
        (status = 404, description = "Nicht gefunden", body = ErrorBody),
        (status = 409, description = "Veraltete Version", body = ErrorBody),
        (status = 422, description = "Ungültige Eingabe; Meldungen je Feld", body = ErrorBody),
    ))]
pub async fn dates(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, body: Bytes) -> Result<Response, ApiError> {
    let (u, scope) = caller.signed_in()?;
    let id = number(&id)?;
    let b: DatesBody = json(&body, "»version«, optional »test« und »live«")?;
    app::rollout::service::operators::propose_dates(&state.db, scope, &u.id, id, &b.test, &b.live, Some(b.version)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /efa-services/{id}/reports`.
#[utoipa::path(get, path = "/efa-services/{id}/reports", tag = "Anbindungen und Störungen", summary = "Betriebszustand, Störungen und Anforderungen eines EfA-Dienstes (angebundene Kommunen, Betreiber, Land)",
    params(("id" = String, Path, description = "Kennung des EfA-Dienstes")),
    responses(
        (status = 200, description = "Offene und erledigte Meldungen", body = app::faults::model::ReportsOfService),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = ErrorBody),
        (status = 404, description = "Nicht gefunden", body = ErrorBody),
    ))]
pub async fn reports(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (_, scope) = caller.signed_in()?;
    Ok(Json(app::faults::service::page(&state.db, scope, id.trim()).await?).into_response())
}

/// A new report of a connected Kommune.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReportBody {
    /// The reporting Kommune's key (AGS).
    kommune: String,
    /// `stoerung` or `anforderung`.
    kind: String,
    title: String,
    description: String,
    /// `niedrig`, `mittel`, `hoch` or `kritisch`.
    severity: String,
    /// Since when (`JJJJ-MM-TT` or `TT.MM.JJJJ`).
    since: String,
    /// Other Kommunen may read the reporting Kommune's name.
    #[serde(default)]
    named: bool,
}

/// The number of what was created.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

/// `POST /efa-services/{id}/reports`.
#[utoipa::path(post, path = "/efa-services/{id}/reports", tag = "Anbindungen und Störungen", summary = "Störung oder Anforderung melden (Sachbearbeitung einer angebundenen Kommune)", request_body = ReportBody,
    params(("id" = String, Path, description = "Kennung des EfA-Dienstes")),
    responses(
        (status = 201, description = "Gemeldet", body = Created),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = ErrorBody),
        (status = 404, description = "Nicht gefunden", body = ErrorBody),
        (status = 422, description = "Ungültige Eingabe; Meldungen je Feld (Feldnamen des Formulars: art, titel, beschreibung, schwere, seit, kommune)", body = ErrorBody),
    ))]
pub async fn file_report(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, body: Bytes) -> Result<Response, ApiError> {
    let (u, scope) = caller.signed_in()?;
    let b: ReportBody = json(&body, "»kommune«, »kind«, »title«, »description«, »severity«, »since« und optional »named«")?;
    let form = app::faults::model::ReportForm {
        dienst: id,
        kommune: b.kommune,
        art: b.kind,
        titel: b.title,
        beschreibung: b.description,
        schwere: b.severity,
        seit: b.since,
        namentlich: if b.named { "ja".into() } else { String::new() },
    };
    let input = app::faults::model::NewReport::try_from(form)?;
    let id = app::faults::service::reports::file(&state.db, &state.config, scope, u, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

/// `GET /reports/{id}`.
#[utoipa::path(get, path = "/reports/{id}", tag = "Anbindungen und Störungen", summary = "Eine Meldung mit ihren öffentlichen Antworten",
    params(("id" = i64, Path, description = "Nummer der Meldung")),
    responses(
        (status = 200, description = "Die Meldung", body = app::faults::model::ReportView),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = ErrorBody),
        (status = 404, description = "Nicht gefunden", body = ErrorBody),
    ))]
pub async fn report(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (_, scope) = caller.signed_in()?;
    Ok(Json(app::faults::service::reports::view(&state.db, scope, number(&id)?).await?).into_response())
}

/// Which of the caller's Kommunen joins.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct JoinBody {
    /// The Kommune's key (AGS).
    kommune: String,
}

/// `POST /reports/{id}/join`.
#[utoipa::path(post, path = "/reports/{id}/join", tag = "Anbindungen und Störungen", summary = "»Betrifft uns auch«: eine angebundene Kommune schließt sich an (einmal je Kommune)", request_body = JoinBody,
    params(("id" = i64, Path, description = "Nummer der Meldung")),
    responses(
        (status = 204, description = "Angeschlossen (oder schon angeschlossen)"),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = ErrorBody),
        (status = 404, description = "Nicht gefunden", body = ErrorBody),
        (status = 422, description = "Diese Kommune ist nicht angebunden oder nicht die eigene", body = ErrorBody),
    ))]
pub async fn join_report(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, body: Bytes) -> Result<Response, ApiError> {
    let (u, scope) = caller.signed_in()?;
    let b: JoinBody = json(&body, "»kommune«")?;
    app::faults::service::reports::join(&state.db, scope, u, number(&id)?, b.kommune.trim()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A public answer and/or a new status.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct AnswerBody {
    #[serde(default)]
    body: String,
    /// `neu`, `bestaetigt`, `in_arbeit`, `behoben`, `umgesetzt` or `abgelehnt` (with a reason in `body`).
    #[serde(default)]
    status: String,
    version: i32,
}

/// `POST /reports/{id}/answers`.
#[utoipa::path(post, path = "/reports/{id}/answers", tag = "Anbindungen und Störungen", summary = "Öffentlich antworten und den Status setzen (Land und Betreiber)", request_body = AnswerBody,
    params(("id" = i64, Path, description = "Nummer der Meldung")),
    responses(
        (status = 204, description = "Gespeichert; die betroffenen Kommunen sind benachrichtigt"),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = ErrorBody),
        (status = 404, description = "Nicht gefunden", body = ErrorBody),
        (status = 409, description = "Veraltete Version", body = ErrorBody),
        (status = 422, description = "Ungültige Eingabe; Meldungen je Feld (antwort, status)", body = ErrorBody),
    ))]
pub async fn answer_report(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, body: Bytes) -> Result<Response, ApiError> {
    let (u, scope) = caller.signed_in()?;
    let b: AnswerBody = json(&body, "»version«, »body« und/oder »status«")?;
    let form = app::faults::model::AnswerForm { id, antwort: b.body, status: b.status, version: b.version.to_string() };
    let input = app::faults::model::NewAnswer::try_from(form)?;
    app::faults::service::reports::answer(&state.db, &state.config, scope, u, &input).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /funding/applications`.
#[utoipa::path(get, path = "/funding/applications", tag = "Anbindungen und Störungen", summary = "Förderprogramme und die Förderanträge der eigenen Kommunen (Land: alle)",
    responses(
        (status = 200, description = "Programme und Anträge", body = app::funding::model::FundingPage),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = ErrorBody),
    ))]
pub async fn applications(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let (_, scope) = caller.signed_in()?;
    if !app::access::policy::reads_for_kommunen(scope) || matches!(scope, app::access::scope::Scope::Association { .. }) {
        return Err(AppError::Forbidden.into());
    }
    Ok(Json(app::funding::service::applications::page(&state.db, scope, None).await?).into_response())
}

/// `GET /funding/applications/{id}`.
#[utoipa::path(get, path = "/funding/applications/{id}", tag = "Anbindungen und Störungen", summary = "Ein Förderantrag mit Kostenplan, Schritten und der Frist des Verwendungsnachweises",
    params(("id" = i64, Path, description = "Nummer des Antrags")),
    responses(
        (status = 200, description = "Der Antrag", body = app::funding::model::ApplicationView),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = ErrorBody),
        (status = 404, description = "Nicht gefunden", body = ErrorBody),
    ))]
pub async fn application(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (_, scope) = caller.signed_in()?;
    Ok(Json(app::funding::service::applications::view(&state.db, scope, number(&id)?).await?).into_response())
}
