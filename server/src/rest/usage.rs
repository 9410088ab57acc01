//! Open data of the usage figures (`GET /api/v1/public/usage`, no login, rate-limited per
//! client address): per OZG-Leistung over the twelve months up to the newest reported, and for a
//! chosen Leistung per Kreis and month — always with the suppression of the public Lagebild.

use crate::rest::error::ApiError;
use crate::rest::public::{Params, wants_csv};
use app::access::scope::Scope;
use app::core::state::AppState;
use app::usage::model::UsageFigures;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

pub fn routes<S>() -> Router<S>
where
    AppState: axum::extract::FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/public/usage", get(usage))
}

/// The selection of the usage figures.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsageQuery {
    /// An OZG-ID: the Leistung shown per Kreis and month.
    leistung: Option<String>,
    /// A Kreis's five-digit key: its months beside the Land's.
    kreis: Option<String>,
    /// `json` (default) or `csv` (German headers, `;`, UTF-8 with BOM).
    format: Option<String>,
}

/// `GET /api/v1/public/usage?leistung=10000&kreis=15003&format=csv`
#[utoipa::path(get, path = "/public/usage", tag = "Nachnutzung und Förderung (offene Daten)", summary = "Nutzung der Online-Dienste je OZG-Leistung, Kreis und Monat", security(()),
    params(UsageQuery),
    responses(
        (status = 200, description = "Vorgänge der letzten zwölf gemeldeten Monate je OZG-Leistung im Land, für eine gewählte Leistung je Kreis und Monat; je 1.000 Einwohner; kleine Zellen ausgeblendet (null)", content((UsageFigures = "application/json"), (String = "text/csv"))),
        (status = 422, description = "Unbekanntes Format, unbekannter Kreis oder Leistung ohne Zahlen", body = crate::rest::ErrorBody),
        (status = 429, description = "Zu viele Anfragen von dieser Adresse", body = crate::rest::ErrorBody),
    ))]
pub async fn usage(State(state): State<AppState>, Params(q): Params<UsageQuery>) -> Result<Response, ApiError> {
    let csv = wants_csv(&q.format)?;
    let figures = app::usage::service::query::figures(
        &state.db,
        &Scope::Public,
        q.leistung.as_deref().unwrap_or_default(),
        q.kreis.as_deref().unwrap_or_default(),
        state.config.suppression_threshold,
    )
    .await?;
    if csv {
        let mut body = "\u{feff}".as_bytes().to_vec();
        body.extend(app::usage::service::csv(&figures)?);
        return Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"nutzung.csv\"")], body).into_response());
    }
    Ok(Json(figures).into_response())
}
