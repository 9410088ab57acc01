//! How the REST API answers an error: the status of the `AppError` and a German JSON body.

use app::error::AppError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// An `AppError` as a JSON response: `{"error": "...", "fields": {...}}`.
pub struct ApiError(pub AppError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let fields = match &self.0 {
            AppError::Validation(map) => serde_json::to_value(map).unwrap_or_default(),
            _ => serde_json::Value::Null,
        };
        let message = match &self.0 {
            AppError::Validation(map) if map.keys().all(|k| k.is_empty()) => self.0.summary().join(" "),
            other => other.to_string(),
        };
        (status, Json(serde_json::json!({ "error": message, "fields": fields }))).into_response()
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}
