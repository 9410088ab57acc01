//! The one client-safe error type returned by every server function and API route.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};
use std::collections::BTreeMap;

/// An error a user may see. Messages are German and never contain internal details
/// (SQL, paths, stack traces); those are logged where the error is created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Bitte melden Sie sich an.")]
    Unauthorized,
    /// Wrong e-mail address or wrong password: one answer for both.
    #[error("E-Mail-Adresse oder Passwort ist falsch.")]
    InvalidCredentials,
    #[error("Sie haben keine Berechtigung für diese Aktion.")]
    Forbidden,
    #[error("Die angeforderte Seite oder der Datensatz wurde nicht gefunden.")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    /// Field name → German messages. The key `""` holds messages about the form as a whole.
    #[error("Bitte prüfen Sie Ihre Eingaben.")]
    Validation(BTreeMap<String, Vec<String>>),
    #[error("{0}")]
    RateLimited(String),
    #[error("Es ist ein interner Fehler aufgetreten. Bitte versuchen Sie es später erneut.")]
    Internal,
    /// The request could not be understood (malformed form data, a transport error).
    #[error("Die Anfrage konnte nicht verarbeitet werden.")]
    BadRequest,
}

impl AppError {
    /// A validation error with a single message for one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut map = BTreeMap::new();
        map.insert(field.to_string(), vec![message.into()]);
        AppError::Validation(map)
    }

    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthorized | AppError::InvalidCredentials => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::Validation(_) => 422,
            AppError::RateLimited(_) => 429,
            AppError::Internal => 500,
            AppError::BadRequest => 400,
        }
    }

    /// Messages for one field (empty when there are none).
    pub fn field_messages(&self, field: &str) -> Vec<String> {
        match self {
            AppError::Validation(map) => map.get(field).cloned().unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// Every message, for the error summary at the top of a form.
    pub fn summary(&self) -> Vec<String> {
        self.summary_in_order(&[])
    }

    /// Every message, those of the fields named in `order` first and in that order (the order
    /// of the form's fields), then the others.
    pub fn summary_in_order(&self, order: &[&str]) -> Vec<String> {
        match self {
            AppError::Validation(map) => {
                let mut fields: Vec<(&String, &Vec<String>)> = map.iter().collect();
                fields.sort_by_key(|(f, _)| order.iter().position(|o| o == f).unwrap_or(usize::MAX));
                fields.into_iter().flat_map(|(_, m)| m.iter().cloned()).collect()
            }
            other => vec![other.to_string()],
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Argument errors come from malformed input; they are the caller's fault, not ours.
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => {
                #[cfg(feature = "ssr")]
                tracing::info!(detail = %detail, "Argumente eines Serveraufrufs nicht lesbar");
                let _ = detail;
                AppError::BadRequest
            }
            _ => AppError::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_summary_follows_the_order_of_the_forms_fields() {
        let mut map = std::collections::BTreeMap::new();
        map.insert("body".to_string(), vec!["Text fehlt.".to_string()]);
        map.insert("title".to_string(), vec!["Titel fehlt.".to_string()]);
        map.insert("expires".to_string(), vec!["Datum fehlt.".to_string()]);
        map.insert("value".to_string(), vec!["Wert fehlt.".to_string()]);
        let e = super::AppError::Validation(map);
        assert_eq!(e.summary_in_order(&["title", "body", "target", "expires"]), ["Titel fehlt.", "Text fehlt.", "Datum fehlt.", "Wert fehlt."]);
        assert_eq!(e.summary(), ["Text fehlt.", "Datum fehlt.", "Titel fehlt.", "Wert fehlt."], "without a form: by field name");
    }

    use super::*;

    #[test]
    fn internal_error_message_is_generic_german() {
        let text = AppError::Internal.to_string();
        assert!(text.contains("interner Fehler"));
    }

    #[test]
    fn validation_summary_lists_every_field_message() {
        let mut map = BTreeMap::new();
        map.insert("a".into(), vec!["eins".into()]);
        map.insert("b".into(), vec!["zwei".into(), "drei".into()]);
        let err = AppError::Validation(map);
        assert_eq!(err.summary(), vec!["eins", "zwei", "drei"]);
        assert_eq!(err.field_messages("b").len(), 2);
        assert_eq!(err.status_code(), 422);
    }

    #[test]
    fn argument_errors_become_bad_request_without_details() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args("SELECT secret".into()));
        assert_eq!(e, AppError::BadRequest);
        assert!(!e.to_string().contains("SELECT"));
    }
}
