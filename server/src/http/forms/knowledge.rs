//! Files of Wissensportal articles: the advisors' upload (multipart) and the download for
//! everyone who may read the article.

use crate::http::caller::Caller;
use crate::http::html::escape;
use crate::rest::cases::{file_response, read_upload};
use app::core::state::AppState;
use app::error::AppError;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

fn problem(status: StatusCode, title: &str, messages: &[String], back: &str) -> Response {
    let items: String = messages.iter().map(|m| format!("<li>{}</li>", escape(m))).collect();
    crate::http::html::page(status, title, &format!("<div class=\"error-summary\" role=\"alert\"><ul>{items}</ul></div>"), back, "Zurück zum Artikel")
}

/// `POST /wissen/{id}/dateien`: adds files to an article (advisors).
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Ok(n) = id.parse::<i64>() else { return problem(StatusCode::NOT_FOUND, "Nicht gefunden", &[AppError::NotFound.to_string()], "/wissen") };
    let back = format!("/wissen/{n}");
    let Some(current) = &caller.user else {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, "/anmelden".to_string())]).into_response();
    };
    let scope = &caller.scope;
    if let Err(e) = app::access::policy::require_advisor(&scope) {
        return problem(StatusCode::FORBIDDEN, "Nicht erlaubt", &[e.to_string()], &back);
    }
    let result = async {
        let Ok(multipart) = multipart else { return Err(AppError::field("datei", "Bitte wählen Sie eine Datei.")) };
        let (files, _) = read_upload(multipart, state.config.attachment_max_bytes).await?;
        if files.is_empty() {
            return Err(AppError::field("datei", "Bitte wählen Sie eine Datei."));
        }
        let now = app::core::time::now();
        for (name, data) in files {
            app::knowledge::service::files::store(&state.db, &scope, &current.id, n, &name, data, state.config.attachment_max_bytes, now).await?;
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => (StatusCode::SEE_OTHER, [(header::LOCATION, format!("{back}?datei=1#dateien"))]).into_response(),
        Err(e) => problem(StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY), "Datei nicht gespeichert", &e.summary(), &back),
    }
}

/// `GET /wissen/{id}/dateien/{fid}`: a file of an article, as a download.
pub async fn download(State(state): State<AppState>, caller: Caller, Path((id, fid)): Path<(String, String)>) -> Response {
    let scope = &caller.scope;
    let Ok(n) = id.parse::<i64>() else { return problem(StatusCode::NOT_FOUND, "Nicht gefunden", &[AppError::NotFound.to_string()], "/wissen") };
    match app::knowledge::service::files::fetch(&state.db, &scope, n, &fid).await {
        Ok((name, kind, data)) => file_response(&name, &kind, data),
        Err(e) => problem(StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::NOT_FOUND), "Datei nicht verfügbar", &[e.to_string()], "/wissen"),
    }
}
