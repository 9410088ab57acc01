//! `server serve`: open the database, migrate, optionally create the demo, and serve until
//! SIGTERM or Ctrl-C, draining in-flight requests.

use crate::ops::settings::Settings;
use app::core::state::AppState;
use migrations::{Migrator, MigratorTrait};
use std::net::SocketAddr;

pub async fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    let db = app::core::db::connect(&settings.database_url).await?;
    Migrator::up(&db, None).await.map_err(|e| anyhow::anyhow!("Migrationen fehlgeschlagen: {e}"))?;
    if app::rollups::ensure(&db).await.map_err(|e| crate::fail(e).context("Lagebild-Kennzahlen"))? {
        tracing::info!("Lagebild-Kennzahlen aus dem Register berechnet");
    }
    let state = AppState::new(db, settings.app.clone());
    if demo {
        crate::ops::demo::serve_demo(&state).await?;
    }
    let options = crate::http::router::leptos_options(&settings.site_root, settings.site_addr);
    let app = crate::http::router::build(state.clone(), options);
    let listener = tokio::net::TcpListener::bind(settings.site_addr)
        .await
        .map_err(|e| anyhow::anyhow!("LEPTOS_SITE_ADDR: {} kann nicht geöffnet werden: {e}", settings.site_addr))?;
    tracing::info!(address = %settings.site_addr, "Portal läuft");
    println!("OZG-Portal Sachsen-Anhalt läuft auf http://{}", settings.site_addr);
    if let Some(addr) = settings.metrics_addr {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| anyhow::anyhow!("PORTAL_METRICS_ADDR: {addr} kann nicht geöffnet werden: {e}"))?;
        let router = crate::metrics::separate(state.clone());
        tracing::info!(address = %addr, "Kennzahlen (/metrics) auf eigener Adresse");
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, router).await {
                tracing::error!(error = %e, "Adresse der Kennzahlen beendet");
            }
        });
    }
    let jobs = crate::ops::jobs::spawn(state.clone(), settings.smtp.clone());
    let draining = state.clone();
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            draining.start_draining();
            tracing::info!("Beende: laufende Anfragen werden abgeschlossen");
        })
        .await?;
    jobs.abort();
    state.db.clone().close().await.ok();
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
