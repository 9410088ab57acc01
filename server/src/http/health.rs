//! `/livez` (the process answers; no I/O) and `/readyz` (database reachable, migrations
//! applied, not draining).

use app::core::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use migrations::{Migrator, MigratorTrait};
use sea_orm::ConnectionTrait;

pub async fn livez() -> &'static str {
    "ok"
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.is_draining() {
        return (StatusCode::SERVICE_UNAVAILABLE, "wird beendet");
    }
    if let Err(e) = state.db.execute_unprepared("SELECT 1").await {
        tracing::warn!(error = %e, "Datenbank nicht erreichbar");
        return (StatusCode::SERVICE_UNAVAILABLE, "Datenbank nicht erreichbar");
    }
    match Migrator::get_pending_migrations(&state.db).await {
        Ok(p) if p.is_empty() => (StatusCode::OK, "bereit"),
        Ok(_) => (StatusCode::SERVICE_UNAVAILABLE, "Migrationen ausstehend"),
        Err(e) => {
            tracing::warn!(error = %e, "Migrationsstand nicht lesbar");
            (StatusCode::SERVICE_UNAVAILABLE, "Migrationsstand nicht lesbar")
        }
    }
}
