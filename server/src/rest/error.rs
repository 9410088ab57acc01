//! How the REST API answers an error: the status of the `AppError` and a German JSON body.

use app::error::AppError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// An `AppError` as a JSON response: `{"error": "...", "fields": {...}}`.
pub struct ApiError(pub AppError);

/// The body of every error answer of the REST API.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// A German message for people.
    pub error: String,
    /// For invalid input: the messages per field (`""`: the request as a whole); otherwise null.
    pub fields: Option<std::collections::BTreeMap<String, Vec<String>>>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let fields = match &self.0 {
            AppError::Validation(map) => Some(map.clone()),
            _ => None,
        };
        let message = match &self.0 {
            AppError::Validation(map) if map.keys().all(|k| k.is_empty()) => self.0.summary().join(" "),
            other => other.to_string(),
        };
        (status, Json(ErrorBody { error: message, fields })).into_response()
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}
