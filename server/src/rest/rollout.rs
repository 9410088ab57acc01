//! Open data of the roll-out and of funding (`/api/v1/public/…`, no login, rate-limited per
//! client address): the Nachnutzungsübersicht without costs, the roll-out funnel per EfA service
//! and Kreis, and funding per programme and Kreis — always with the suppression of the public
//! Lagebild. CSV variants carry German headers, `;`, a UTF-8 BOM and the definitions.

use crate::rest::error::ApiError;
use crate::rest::public::{wants_csv, Params};
use app::access::scope::Scope;
use app::core::state::AppState;
use app::error::AppError;
use app::funding::model::FundingFigures;
use app::rollout::model::{PlanRow, RolloutFigures};
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
    Router::new()
        .route("/public/nachnutzung", get(overview))
        .route("/public/rollout", get(rollout))
        .route("/public/funding", get(funding))
}

/// The format of an answer.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatQuery {
    /// `json` (default) or `csv` (German headers, `;`, UTF-8 with BOM).
    format: Option<String>,
}

/// The selection of the roll-out.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RolloutQuery {
    /// The EfA service shown per Kreis and month (its id; default the first).
    dienst: Option<String>,
    /// `json` (default) or `csv`.
    format: Option<String>,
}

fn csv(rows: Vec<Vec<String>>, name: &str) -> Result<Response, AppError> {
    let mut w = app::core::csv_out::Writer::new(true);
    for r in rows {
        w.write_record(r).map_err(|_| AppError::Internal)?;
    }
    let mut body = "\u{feff}".as_bytes().to_vec();
    body.extend(w.into_inner().map_err(|_| AppError::Internal)?);
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\""))],
        body,
    )
        .into_response())
}

fn months() -> Vec<(i32, u32)> {
    app::rollout::service::rollup::recent_months()
}

/// `GET /api/v1/public/nachnutzung?format=csv`
#[utoipa::path(get, path = "/public/nachnutzung", tag = "Nachnutzung und Förderung (offene Daten)", summary = "Die Nachnutzungsübersicht je OZG-Leistung (ohne Kosten)", security(()),
    params(FormatQuery),
    responses(
        (status = 200, description = "Alle OZG-Leistungen des Katalogs mit Umsetzungsmodell, EfA-Dienst, Priorität und Phase", content((Vec<PlanRow> = "application/json"), (String = "text/csv"))),
        (status = 422, description = "Unbekanntes Format", body = crate::rest::ErrorBody),
        (status = 429, description = "Zu viele Anfragen von dieser Adresse", body = crate::rest::ErrorBody),
    ))]
pub async fn overview(State(state): State<AppState>, Params(q): Params<FormatQuery>) -> Result<Response, ApiError> {
    if wants_csv(&q.format)? {
        let body = app::rollout::service::plan_csv::export(&state.db, &Scope::Public).await?;
        return Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"nachnutzung.csv\"")], body).into_response());
    }
    Ok(Json(app::rollout::service::plan::overview(&state.db, &Scope::Public).await?).into_response())
}

/// `GET /api/v1/public/rollout?dienst=…&format=csv`
#[utoipa::path(get, path = "/public/rollout", tag = "Nachnutzung und Förderung (offene Daten)", summary = "Roll-out der EfA-Dienste: Kommunen je Schritt, je Kreis und Monat", security(()),
    params(RolloutQuery),
    responses(
        (status = 200, description = "Die Zahlen mit Unterdrückung kleiner Zellen (null)", content((RolloutFigures = "application/json"), (String = "text/csv"))),
        (status = 422, description = "Unbekanntes Format", body = crate::rest::ErrorBody),
        (status = 429, description = "Zu viele Anfragen von dieser Adresse", body = crate::rest::ErrorBody),
    ))]
pub async fn rollout(State(state): State<AppState>, Params(q): Params<RolloutQuery>) -> Result<Response, ApiError> {
    let csv_wanted = wants_csv(&q.format)?;
    let f = app::rollout::service::figures::figures(&state.db, false, state.config.suppression_threshold, None, q.dienst.as_deref(), &months()).await?;
    if !csv_wanted {
        return Ok(Json(f).into_response());
    }
    let steps: Vec<String> = f.steps.iter().map(|s| s.label().to_string()).collect();
    let mut rows = vec![[vec!["EfA-Dienst".to_string()], steps.clone(), vec!["Kommunen".into(), "ohne den Dienst".into(), "Median Tage bis Live".into()]].concat()];
    for s in &f.services {
        rows.push([vec![s.name.clone()], s.counts.iter().map(|n| n.to_string()).collect(), vec![s.kommunen.to_string(), s.without.to_string(), s.median_days.map(|d| d.to_string()).unwrap_or_default()]].concat());
    }
    let selected = f.services.iter().find(|s| Some(&s.id) == f.selected.as_ref()).map(|s| s.name.clone()).unwrap_or_default();
    rows.push(Vec::new());
    rows.push([vec![format!("{selected}: Kreis"), "Schlüssel".into(), "Kommunen".into()], steps].concat());
    for k in &f.kreise {
        let counts: Vec<String> = match &k.counts {
            Some(c) => c.iter().map(|n| n.to_string()).collect(),
            None => vec!["unterdrückt".to_string(); f.steps.len()],
        };
        rows.push([vec![k.name.clone(), k.kreis.clone(), k.kommunen.to_string()], counts].concat());
    }
    rows.push(Vec::new());
    rows.push(vec![format!("{selected}: Monat"), "Interesse bekundet".into(), "Live".into()]);
    rows.extend(f.trend.iter().map(|p| vec![p.month.clone(), p.interest.to_string(), p.live.to_string()]));
    rows.push(Vec::new());
    rows.extend(f.definitions.iter().map(|(t, d)| vec![t.clone(), d.clone()]));
    Ok(csv(rows, "rollout")?)
}

/// `GET /api/v1/public/funding?format=csv`
#[utoipa::path(get, path = "/public/funding", tag = "Nachnutzung und Förderung (offene Daten)", summary = "Förderung: Budget je Programm, Anträge und Bewilligungen je Kreis und Monat", security(()),
    params(FormatQuery),
    responses(
        (status = 200, description = "Die Zahlen; was weniger Kommunen als die Schwelle betrifft, ist null", content((FundingFigures = "application/json"), (String = "text/csv"))),
        (status = 422, description = "Unbekanntes Format", body = crate::rest::ErrorBody),
        (status = 429, description = "Zu viele Anfragen von dieser Adresse", body = crate::rest::ErrorBody),
    ))]
pub async fn funding(State(state): State<AppState>, Params(q): Params<FormatQuery>) -> Result<Response, ApiError> {
    let csv_wanted = wants_csv(&q.format)?;
    let f = app::funding::service::figures::figures(&state.db, false, state.config.suppression_threshold, None, &months()).await?;
    if !csv_wanted {
        return Ok(Json(f).into_response());
    }
    let euro = |v: Option<app::funding::model::Cents>| v.map(|c| format!("{},{:02}", c.0 / 100, c.0 % 100)).unwrap_or_else(|| "unterdrückt".into());
    let mut rows = vec![vec!["Programm".to_string(), "Budget (EUR)".into(), "bewilligt (EUR)".into(), "abgerufen (EUR)".into(), "frei (EUR)".into(), "Anträge".into(), "davon bewilligt".into()]];
    for p in &f.programmes {
        rows.push(vec![p.name.clone(), euro(Some(p.budget_cents)), euro(p.committed_cents), euro(p.disbursed_cents), euro(p.free_cents), p.applications.to_string(), p.approved.to_string()]);
    }
    rows.push(Vec::new());
    rows.push(vec!["Kreis".into(), "Schlüssel".into(), "Anträge".into(), "bewilligt (EUR)".into()]);
    for k in &f.kreise {
        rows.push(vec![k.name.clone(), k.kreis.clone(), k.applications.map(|n| n.to_string()).unwrap_or_else(|| "unterdrückt".into()), euro(k.approved_cents)]);
    }
    rows.push(Vec::new());
    rows.push(vec!["Monat".into(), "eingegangen".into(), "bewilligt".into()]);
    rows.extend(f.trend.iter().map(|m| vec![m.month.clone(), m.received.to_string(), m.approved.to_string()]));
    rows.push(Vec::new());
    rows.extend(f.definitions.iter().map(|(t, d)| vec![t.clone(), d.clone()]));
    Ok(csv(rows, "foerderung")?)
}
