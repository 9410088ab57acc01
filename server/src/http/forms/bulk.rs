//! The register's bulk-edit form as a plain HTML form post (checkbox lists arrive as repeated
//! keys, which server functions cannot take). Answers with a redirect back to the list, which
//! shows the result.

use crate::http::caller::Caller;
use app::error::AppError;
use app::register::model::{SolutionKind, Stage};
use app::register::service as register;
use app::register::service::{BulkChange, ListFilter};
use app::core::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

fn encode(v: &str) -> String {
    form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

/// `POST /kommunen/{key}/leistungen/sammelaenderung`
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    body: Bytes,
) -> Response {
    let Some(current) = &caller.user else {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, "/anmelden".to_string())]).into_response();
    };
    let mut change = BulkChange::default();
    let mut filter = ListFilter::default();
    let mut all = false;
    let mut back: Vec<String> = Vec::new();
    for (k, v) in form_urlencoded::parse(&body) {
        let v = v.trim().to_string();
        match k.as_ref() {
            "ozg" => change.ozg_ids.push(v),
            "alle" => all = v == "ja",
            "stage" if !v.is_empty() => change.stage = Stage::from_code(&v),
            "solution_kind" if !v.is_empty() => change.solution_kind = SolutionKind::from_code(&v),
            "planned_go_live" if !v.is_empty() => change.planned_go_live = Some(v),
            "themenfeld" | "lebenslage" | "stand" | "reifegrad" | "loesung" | "fokus" | "suche" | "sortierung" if !v.is_empty() => {
                back.push(format!("{}={}", k, encode(&v)));
                match k.as_ref() {
                    "themenfeld" => filter.themenfeld = Some(v),
                    "lebenslage" => filter.lebenslage = Some(v),
                    "stand" => filter.stage = Stage::from_code(&v),
                    "reifegrad" => {
                        if let Some((m, l)) = v.split_once(':') {
                            filter.maturity_model = app::register::model::MaturityModel::from_code(m);
                            filter.maturity_level = l.parse().ok();
                        }
                    }
                    "loesung" => filter.solution_kind = SolutionKind::from_code(&v),
                    "fokus" => filter.focus = Some(v == "ja"),
                    "suche" => filter.q = Some(v),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    if all {
        change.ozg_ids.clear();
        change.filter = Some(filter);
    }
    let scope = &caller.scope;
    let outcome = match register::bulk(&state.db, current, &scope, &key, &change).await {
        Ok(n) => format!("sammel={n}"),
        Err(AppError::Forbidden) => return (StatusCode::FORBIDDEN, "Sie dürfen diese Kommune nicht bearbeiten.").into_response(),
        Err(AppError::NotFound) => return (StatusCode::NOT_FOUND, "Diese Kommune gibt es nicht.").into_response(),
        Err(e) => format!("sammelfehler={}", encode(&e.summary().join(" "))),
    };
    back.push(outcome);
    let key: String = key.chars().filter(char::is_ascii_digit).collect();
    (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/kommunen/{key}/leistungen?{}", back.join("&")))]).into_response()
}
