//! Plain multipart forms handled outside Leptos (uploads, imports, bulk edits, one-time secrets).

pub mod accounts;
pub mod bulk;
pub mod cases;
pub mod import;
pub mod knowledge;
pub mod rollout;
pub mod tokens;

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
