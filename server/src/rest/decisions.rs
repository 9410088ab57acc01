//! The public decisions of the public Gremien as open data: JSON (`/api/v1/public/decisions`),
//! CSV (`/beschluesse.csv`) and an Atom feed (`/beschluesse.atom`). Only a decision that is
//! public in a body that is public leaves the portal this way; what the signed-in read is in
//! the register's pages.

use crate::rest::error::ApiError;
use app::core::state::AppState;
use app::gremien::model::DecisionView;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

/// How many decisions the open data and the feed carry (newest first).
const OPEN_DATA_LIMIT: u64 = 1000;
const FEED_LIMIT: u64 = 50;

pub fn open_data<S>() -> Router<S>
where
    AppState: axum::extract::FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/public/decisions", get(published))
}

/// A public decision as open data.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OpenDecision {
    pub id: i64,
    /// The body that decided.
    pub gremium: String,
    pub gremium_id: i64,
    /// »Beschluss 3/2026«: number per body and year.
    pub reference: String,
    pub year: i32,
    pub number: i32,
    pub title: String,
    /// The wording (Markdown).
    pub text: String,
    /// `JJJJ-MM-TT`.
    pub decided_on: String,
    pub votes_yes: i32,
    pub votes_no: i32,
    pub votes_abstain: i32,
    /// The decision's page in the portal.
    pub url: String,
}

fn open(d: DecisionView, base: &str) -> OpenDecision {
    OpenDecision {
        url: format!("{}/beschluesse/{}", base.trim_end_matches('/'), d.id),
        id: d.id,
        gremium: d.gremium,
        gremium_id: d.gremium_id,
        reference: d.reference,
        year: d.year,
        number: d.number,
        title: d.title,
        text: d.text,
        decided_on: d.decided_on,
        votes_yes: d.votes_yes,
        votes_no: d.votes_no,
        votes_abstain: d.votes_abstain,
    }
}

/// `GET /api/v1/public/decisions`
#[utoipa::path(get, path = "/public/decisions", tag = "Gremien", summary = "Öffentliche Beschlüsse der öffentlichen Gremien (offene Daten)", security(()),
    responses(
        (status = 200, description = "Die neuesten zuerst, höchstens 1.000", body = Vec<OpenDecision>),
        (status = 429, description = "Zu viele Anfragen von dieser Adresse", body = crate::rest::ErrorBody),
    ))]
pub async fn published(State(state): State<AppState>) -> Result<Json<Vec<OpenDecision>>, ApiError> {
    let list = app::gremien::service::decisions::public(&state.db, OPEN_DATA_LIMIT).await?;
    Ok(Json(list.into_iter().map(|d| open(d, &state.config.base_url)).collect()))
}

/// `GET /beschluesse.csv`: the same as a spreadsheet (semicolons, formulas neutralised).
pub async fn csv(State(state): State<AppState>) -> Result<Response, ApiError> {
    let list = app::gremien::service::decisions::public(&state.db, OPEN_DATA_LIMIT).await?;
    let mut w = app::core::csv_out::Writer::new(false);
    let failed = |_| ApiError::from(app::error::AppError::Internal);
    w.write_record(["Gremium", "Beschluss", "Jahr", "Nummer", "Titel", "Wortlaut", "beschlossen am", "Zustimmungen", "Ablehnungen", "Enthaltungen", "Adresse"]).map_err(failed)?;
    for d in list {
        let o = open(d, &state.config.base_url);
        w.write_record([
            o.gremium,
            o.reference,
            o.year.to_string(),
            o.number.to_string(),
            o.title,
            o.text,
            app::ui::format::format_date(&o.decided_on),
            o.votes_yes.to_string(),
            o.votes_no.to_string(),
            o.votes_abstain.to_string(),
            o.url,
        ])
        .map_err(failed)?;
    }
    let body = w.into_inner().map_err(|_| ApiError::from(app::error::AppError::Internal))?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"beschluesse.csv\"")], body).into_response())
}

/// `GET /beschluesse.atom`: the newest public decisions as a feed to subscribe to.
pub async fn feed(State(state): State<AppState>) -> Result<Response, ApiError> {
    use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
    let list = app::gremien::service::decisions::public(&state.db, FEED_LIMIT).await?;
    let base = state.config.base_url.trim_end_matches('/').to_string();
    let midnight = |day: &str| {
        chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc().fixed_offset()).unwrap_or_default()
    };
    let entries: Vec<Entry> = list
        .into_iter()
        .map(|d| {
            let o = open(d, &base);
            Entry {
                id: o.url.clone(),
                title: Text::plain(format!("{} – {}: {}", o.gremium, o.reference, o.title)),
                updated: midnight(&o.decided_on),
                published: Some(midnight(&o.decided_on)),
                links: vec![Link { href: o.url.clone(), rel: "alternate".into(), mime_type: Some("text/html".into()), ..Default::default() }],
                content: Some(Content { value: Some(o.text), content_type: Some("text".into()), ..Default::default() }),
                authors: vec![Person { name: o.gremium, ..Default::default() }],
                ..Default::default()
            }
        })
        .collect();
    let feed = Feed {
        id: format!("{base}/beschluesse"),
        title: Text::plain("Beschlüsse der Gremien – OZG-Portal Sachsen-Anhalt"),
        updated: entries.first().map(|e| e.updated).unwrap_or_default(),
        links: vec![
            Link { href: format!("{base}/beschluesse.atom"), rel: "self".into(), mime_type: Some("application/atom+xml".into()), ..Default::default() },
            Link { href: format!("{base}/beschluesse"), rel: "alternate".into(), mime_type: Some("text/html".into()), ..Default::default() },
        ],
        lang: Some("de".into()),
        entries,
        ..Default::default()
    };
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=300")], feed.to_string()).into_response())
}
