//! `GET /abfragen/{id}/antworten.csv` and `.xlsx`: every answer of a survey for the Land's advisors;
//! the files Kommunen give as answers: upload, removal and download.

use crate::http::caller::Caller;
use crate::http::html::escape;
use app::core::state::AppState;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The two formats of the export.
#[derive(Clone, Copy)]
enum Format {
    Csv,
    Xlsx,
}

async fn export(state: AppState, caller: Caller, id: i64, format: Format) -> Response {
    let result = match app::access::policy::require_advisor(&caller.scope) {
        Ok(()) => match format {
            Format::Csv => app::surveys::service::export::csv(&state.db, id).await,
            Format::Xlsx => app::surveys::service::export::xlsx(&state.db, id).await,
        },
        Err(e) => Err(e),
    };
    let (ext, mime) = match format {
        Format::Csv => ("csv", "text/csv; charset=utf-8"),
        Format::Xlsx => ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    };
    match result {
        Ok(bytes) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, mime.to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"abfrage-{id}-antworten.{ext}\"")),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => crate::http::html::page(
            StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::FORBIDDEN),
            "Antworten nicht exportiert",
            &format!("<p role=\"alert\">{}</p>", escape(&e.to_string())),
            "/abfragen",
            "Zu den Abfragen",
        ),
    }
}

pub async fn csv(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Response {
    export(state, caller, id, Format::Csv).await
}

pub async fn xlsx(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Response {
    export(state, caller, id, Format::Xlsx).await
}

/// Back to the Kommune's answer, at the question, with a message.
fn back_to(id: i64, kommune: &str, question: i64, query: &str) -> Response {
    let location = format!("/abfragen/{id}/antwort?kommune={}&{query}#frage-{question}", app::ui::format::urlencode(kommune));
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

fn refused(e: &app::error::AppError, back: &str) -> Response {
    crate::http::html::page(
        StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::FORBIDDEN),
        "Datei nicht gespeichert",
        &format!("<p role=\"alert\">{}</p>", escape(&e.summary().join(" "))),
        back,
        "Zurück zur Antwort",
    )
}

/// `POST /abfragen/{id}/antwort/{kommune}/datei/{question}` (multipart `datei`): the file
/// answering a question of the kind Datei; a browser goes back to the question with what
/// happened (a refused file with its German reason).
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, kommune, question)): Path<(i64, String, i64)>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let back = format!("/abfragen/{id}/antwort?kommune={}", app::ui::format::urlencode(&kommune));
    let Some(user) = &caller.user else { return (StatusCode::SEE_OTHER, [(header::LOCATION, "/anmelden".to_string())]).into_response() };
    let result = async {
        app::surveys::service::files::may_upload(&state.db, &caller.scope, id, &kommune, question, app::core::time::now()).await?;
        let Ok(multipart) = multipart else { return Err(app::error::AppError::field("datei", "Bitte wählen Sie eine Datei.")) };
        let (mut files, _) = crate::rest::cases::read_upload(multipart, state.config.attachment_max_bytes).await?;
        if files.len() != 1 {
            return Err(app::error::AppError::field("datei", "Bitte wählen Sie genau eine Datei."));
        }
        let (name, data) = files.remove(0);
        app::surveys::service::files::store(&state.db, &state.config, user, &caller.scope, id, &kommune, question, &name, data, app::core::time::now()).await
    }
    .await;
    match result {
        Ok(()) => back_to(id, &kommune, question, &format!("datei={question}")),
        // The reason travels as a draft of the person (never in the address, where a link
        // could put words of someone else on the page).
        Err(e @ app::error::AppError::Validation(_)) => match app::core::drafts::keep(&state.db, Some(&user.id), vec![("dateifehler".into(), question.to_string()), ("meldung".into(), e.summary().join(" "))]).await {
            Ok(token) => back_to(id, &kommune, question, &format!("{}={token}", app::core::drafts::PARAM)),
            Err(_) => refused(&e, &back),
        },
        Err(e) => refused(&e, &back),
    }
}

/// `POST /abfragen/{id}/antwort/{kommune}/datei/{question}/entfernen`
pub async fn remove(State(state): State<AppState>, caller: Caller, Path((id, kommune, question)): Path<(i64, String, i64)>) -> Response {
    let back = format!("/abfragen/{id}/antwort?kommune={}", app::ui::format::urlencode(&kommune));
    let Some(user) = &caller.user else { return (StatusCode::SEE_OTHER, [(header::LOCATION, "/anmelden".to_string())]).into_response() };
    match app::surveys::service::files::remove(&state.db, user, &caller.scope, id, &kommune, question, app::core::time::now()).await {
        Ok(()) => back_to(id, &kommune, question, &format!("entfernt={question}")),
        Err(e) => refused(&e, &back),
    }
}

/// `GET /abfragen/{id}/dateien/{fid}`: a file answer, for the Kommune's people and the Land.
pub async fn download(State(state): State<AppState>, caller: Caller, Path((id, fid)): Path<(i64, String)>) -> Response {
    match app::surveys::service::files::fetch(&state.db, &caller.scope, id, &fid).await {
        Ok((name, kind, data)) => crate::rest::cases::file_response(&name, &kind, data),
        Err(e) => crate::http::html::page(
            StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::NOT_FOUND),
            "Datei nicht verfügbar",
            &format!("<p role=\"alert\">{}</p>", escape(&e.to_string())),
            "/",
            "Zur Startseite",
        ),
    }
}
