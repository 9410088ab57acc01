//! Every refusal (403) in the audit log, whichever handler gave it.

use app::core::ctx::ClientIp;
use app::core::state::AppState;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// Records every 403 answer in the audit log (who, what, from where), whichever handler gave it.
pub async fn audit_denials(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let user = req.extensions().get::<app::core::session::CurrentUser>().map(|u| u.id.clone());
    let ip = req.extensions().get::<ClientIp>().map(|c| c.0.clone());
    let res = next.run(req).await;
    if res.status() == StatusCode::FORBIDDEN {
        tracing::warn!(path, user_id = user.as_deref(), "Zugriff verweigert");
        app::core::audit::record_best_effort(
            &state.db,
            app::core::audit::Entry {
                actor: user.as_deref(),
                action: app::vocabulary::audit::AuditAction::AccessDenied,
                object: Some(&path),
                ip: ip.as_deref(),
                detail: None,
            },
        )
        .await;
    }
    res
}
