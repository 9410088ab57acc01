//! Plain multipart forms handled outside Leptos (uploads, imports, bulk edits, one-time secrets).

pub mod accounts;
pub mod bulk;
pub mod cases;
pub mod gremien;
pub mod import;
pub mod knowledge;
pub mod rollout;
pub mod surveys;
pub mod tokens;
pub mod usage;

/// A refused plain form posted by a browser (`Accept: text/html`) with a field's problem: back to
/// the form's `page` with the error in the URL as a server function's refusal carries it (under
/// `path`, the form's action), so the page shows the messages beside the fields, and the drafts
/// layer keeps what was typed (never a password). Other clients, and refusals that are no
/// field's problem, get `otherwise`.
pub(crate) fn back_to_form(
    headers: &axum::http::HeaderMap,
    page: &str,
    path: &str,
    e: app::error::AppError,
    otherwise: impl FnOnce(app::error::AppError) -> axum::response::Response,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let browser = headers.get(axum::http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    if !browser || !matches!(e, app::error::AppError::Validation(_)) {
        return otherwise(e);
    }
    // Any base does: only the path and the query go into the redirect.
    match leptos::server_fn::error::ServerFnUrlError::new(path, e).to_url(&format!("http://portal{page}")) {
        Ok(url) => {
            let location = format!("{}?{}", url.path(), url.query().unwrap_or_default());
            (axum::http::StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, location)]).into_response()
        }
        Err(_) => axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The bytes of the CSV file in the field `datei` of a multipart form, or the German message to
/// refuse it with (and its status).
pub(crate) async fn csv_file(form: &mut axum::extract::Multipart) -> Result<axum::body::Bytes, (axum::http::StatusCode, String)> {
    use axum::http::StatusCode;
    let mut bytes = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("datei") => match field.bytes().await {
                Ok(b) => bytes = Some(b),
                Err(_) => return Err((StatusCode::BAD_REQUEST, "Die Datei konnte nicht vollständig empfangen werden (höchstens 16 MB).".into())),
            },
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return Err((StatusCode::BAD_REQUEST, "Das Formular konnte nicht gelesen werden.".into())),
        }
    }
    bytes.filter(|b| !b.is_empty()).ok_or((StatusCode::UNPROCESSABLE_ENTITY, "Bitte wählen Sie eine CSV-Datei aus.".into()))
}

/// The page of a refused upload: every problem listed, nothing stored.
pub(crate) fn refused(status: axum::http::StatusCode, items: &[String], back: &str, back_label: &str) -> axum::response::Response {
    let list: String = items.iter().map(|m| format!("<li>{}</li>", crate::http::html::escape(m))).collect();
    crate::http::html::page(
        status,
        "CSV-Datei nicht eingelesen",
        &format!("<div class=\"error-summary\" role=\"alert\"><p>Es wurde nichts gespeichert.</p><ul>{list}</ul></div>"),
        back,
        back_label,
    )
}
