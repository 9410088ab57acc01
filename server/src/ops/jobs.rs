//! Background jobs of a running server: service-level escalation and automatic closing of
//! cases, case statistics and the Lagebild trend, forgetting old sign-in counters, and sending
//! the mail outbox. Each run is short; a failed run is logged and the next
//! one tries again.

use crate::ops::mail;
use crate::ops::mail::SmtpConfig;
use app::core::state::AppState;
use std::time::Duration;

/// How often the jobs run.
pub const INTERVAL: Duration = Duration::from_secs(30);

/// Runs the jobs until the server shuts down.
pub fn spawn(state: AppState, smtp: Option<SmtpConfig>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if state.is_draining() {
                break;
            }
            run_once(&state, smtp.as_ref()).await;
        }
    })
}

/// One run of every job.
#[tracing::instrument(skip_all)]
pub async fn run_once(state: &AppState, smtp: Option<&SmtpConfig>) {
    let now = app::core::time::now();
    match app::cases::service::jobs::run(&state.db, &state.config, now).await {
        Ok(r) if r.escalated + r.closed > 0 => tracing::info!(escalated = r.escalated, closed = r.closed, "Fristen der Beratungsfälle geprüft"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "Prüfung der Fristen fehlgeschlagen"),
    }
    match app::lagebild::service::case_stats::refresh(&state.db, state.config.suppression_threshold, now, false).await {
        Ok(true) => tracing::info!("Statistik der Beratungsfälle berechnet"),
        Ok(false) => {}
        Err(e) => tracing::error!(error = %e, "Statistik der Beratungsfälle konnte nicht berechnet werden"),
    }
    match app::lagebild::service::trend::refresh(&state.db, &state.rollup_cache, "15", state.config.suppression_threshold, now, false).await {
        Ok(true) => tracing::info!("Verlauf des Lagebilds aus dem Registerverlauf berechnet"),
        Ok(false) => {}
        Err(e) => tracing::error!(error = %e, "Verlauf des Lagebilds konnte nicht berechnet werden"),
    }
    match app::core::throttle::prune(&state.db, now).await {
        Ok(n) if n > 0 => tracing::info!(removed = n, "Alte Anmeldezähler und Geräte entfernt"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "Alte Anmeldezähler konnten nicht entfernt werden"),
    }
    if let Some(cfg) = smtp {
        match mail::deliver_due(&state.db, cfg, now).await {
            Ok(d) if d.sent + d.failed > 0 => tracing::info!(sent = d.sent, failed = d.failed, "E-Mail-Ausgang bearbeitet"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "E-Mail-Ausgang konnte nicht gelesen werden"),
        }
    }
}
