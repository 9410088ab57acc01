//! The documents of a Gremium's meeting: upload by those who run the body (a plain multipart form
//! that works without JavaScript; a refused file gets a page with its German reason, nothing is
//! stored) and download by the body's members and administrators.

use crate::http::caller::Caller;
use crate::http::html::escape;
use app::core::state::AppState;
use app::gremien::service::Reader;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

fn page_of(e: &app::error::AppError, title: &str, back: &str) -> Response {
    crate::http::html::page(
        StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::FORBIDDEN),
        title,
        &format!("<p role=\"alert\">{}</p>", escape(&e.summary().join(" "))),
        back,
        "Zurück zur Sitzung",
    )
}

/// `POST /gremien/sitzungen/{id}/unterlagen` (multipart: `punkt`, the agenda item or empty, and
/// `datei`).
pub async fn upload(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>) -> Response {
    let back = format!("/gremien/sitzungen/{id}");
    let Some(user) = &caller.user else { return (StatusCode::SEE_OTHER, [(header::LOCATION, "/anmelden".to_string())]).into_response() };
    let who = Reader { scope: &caller.scope, user_id: Some(&user.id) };
    let result = async {
        app::gremien::service::documents::may_upload(&state.db, who, id).await?;
        let Ok(mut multipart) = multipart else { return Err(app::error::AppError::field("datei", "Bitte wählen Sie eine Datei.")) };
        let mut item = None;
        let mut file = None;
        while let Ok(Some(field)) = multipart.next_field().await {
            match field.name() {
                Some("punkt") => item = field.text().await.ok().and_then(|t| t.trim().parse::<i64>().ok()),
                Some("datei") => {
                    let name = field.file_name().unwrap_or_default().to_string();
                    let data = field.bytes().await.map_err(|_| app::error::AppError::field("datei", "Die Datei kam nicht vollständig an. Bitte versuchen Sie es erneut."))?;
                    if data.len() > state.config.attachment_max_bytes {
                        return Err(app::error::AppError::field("datei", "Die Datei ist zu groß."));
                    }
                    file = Some((name, data.to_vec()));
                }
                _ => {}
            }
        }
        let Some((name, data)) = file else { return Err(app::error::AppError::field("datei", "Bitte wählen Sie eine Datei.")) };
        app::gremien::service::documents::store(&state.db, &state.config, who, id, item, &name, data, app::core::time::now()).await
    }
    .await;
    match result {
        Ok(()) => (StatusCode::SEE_OTHER, [(header::LOCATION, format!("{back}?gespeichert=unterlage#tagesordnung"))]).into_response(),
        Err(e) => page_of(&e, "Unterlage nicht gespeichert", &back),
    }
}

/// `GET /gremien/sitzungen/{id}/unterlagen/{doc}`
pub async fn download(State(state): State<AppState>, caller: Caller, Path((id, doc)): Path<(i64, String)>) -> Response {
    let who = Reader { scope: &caller.scope, user_id: caller.user.as_ref().map(|u| u.id.as_str()) };
    match app::gremien::service::documents::fetch(&state.db, who, id, &doc).await {
        Ok((name, kind, data)) => crate::rest::cases::file_response(&name, &kind, data),
        Err(e) => page_of(&e, "Unterlage nicht verfügbar", &format!("/gremien/sitzungen/{id}")),
    }
}
