//! Glue between server functions and the request: state, the signed-in user, the client's
//! address, and turning errors into the right HTTP status.

use crate::core::session::CurrentUser;
use crate::core::state::AppState;
use crate::error::AppError;
use http::request::Parts;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use sea_orm::DbErr;

/// The client's address as determined by the middleware (peer address, or the proxy header
/// when configured to trust it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIp(pub String);

impl From<DbErr> for AppError {
    fn from(e: DbErr) -> Self {
        // Logged once, here; the user sees only the generic message.
        tracing::error!(error = %e, "Datenbankfehler");
        AppError::Internal
    }
}

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState fehlt im Kontext");
        AppError::Internal
    })
}

pub fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

pub fn current_user() -> Option<CurrentUser> {
    parts().and_then(|p| p.extensions.get::<CurrentUser>().cloned())
}

pub fn require_user() -> Result<CurrentUser, AppError> {
    current_user().ok_or(AppError::Unauthorized)
}

/// A numeric id from the request; anything else names nothing that exists.
pub fn numeric_id(id: &str) -> Result<i64, AppError> {
    id.trim().parse::<i64>().map_err(|_| AppError::NotFound)
}

pub fn client_ip() -> String {
    parts()
        .and_then(|p| p.extensions.get::<ClientIp>().map(|c| c.0.clone()))
        .unwrap_or_else(|| "unbekannt".to_string())
}

/// Finishes a server function: on error, sets the HTTP status for API clients (a plain form
/// post keeps Leptos's redirect back to the form) and records denials.
pub async fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &result {
        let parts = parts();
        let path = parts.as_ref().map(|p| p.uri.path().to_string()).unwrap_or_default();
        let is_form_post = parts
            .as_ref()
            .and_then(|p| p.headers.get(http::header::ACCEPT))
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
        // API clients get the status (and the audit middleware records a 403); a plain form
        // post is redirected back to the form, so its denial is recorded here. (Page renders
        // are GET requests; their 403 page is recorded by the middleware.)
        let is_post = parts.as_ref().is_some_and(|p| p.method == http::Method::POST);
        if is_form_post && is_post && matches!(e, AppError::Forbidden) {
            let user = current_user();
            tracing::warn!(path, user_id = user.as_ref().map(|u| u.id.as_str()), "Zugriff verweigert");
            if let Ok(st) = state() {
                crate::core::audit::record_best_effort(
                    &st.db,
                    crate::core::audit::Entry {
                        actor: user.as_ref().map(|u| u.id.as_str()),
                        action: crate::vocabulary::audit::AuditAction::AccessDenied,
                        object: Some(&path),
                        ip: Some(&client_ip()),
                        detail: None,
                    },
                )
                .await;
            }
        }
        if !is_form_post && let Some(res) = use_context::<ResponseOptions>() {
            res.set_status(http::StatusCode::from_u16(e.status_code()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR));
        }
    }
    result
}
