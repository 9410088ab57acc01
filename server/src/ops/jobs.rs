//! Background jobs of a running server: service-level escalation and automatic closing of
//! cases, case statistics and the Lagebild trend, forgetting old sign-in counters, expired links
//! and audit entries past their retention, and sending the mail outbox. Each run is short; a failed run is logged and the next
//! one tries again.

use crate::ops::mail;
use crate::ops::mail::SmtpConfig;
use app::core::state::AppState;
use std::time::Duration;

/// How often the jobs run.
pub const INTERVAL: Duration = Duration::from_secs(30);

/// Runs the jobs until the server shuts down; mail goes out as soon as it is queued.
pub fn spawn(state: AppState, smtp: Option<SmtpConfig>) -> tokio::task::JoinHandle<()> {
    {
        // Webhooks go out as soon as they are queued (each delivery claimed, so every instance
        // may send).
        let state = state.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(INTERVAL) => {}
                    _ = app::core::webhooks::queued() => {}
                }
                if state.is_draining() {
                    break;
                }
                send_webhooks(&state).await;
            }
        });
    }
    {
        // The register's online addresses: checked hourly for those due (each address once a
        // week, claimed so that several instances check it once), one request a second.
        let state = state.clone();
        tokio::spawn(async move {
            // The first check waits a few minutes, so that a starting instance serves first.
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + Duration::from_secs(300), LINK_INTERVAL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if state.is_draining() {
                    break;
                }
                check_links(&state).await;
            }
        });
    }
    if let Some(cfg) = smtp.clone() {
        let state = state.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(INTERVAL) => {}
                    _ = app::core::outbox::queued() => {}
                }
                if state.is_draining() {
                    break;
                }
                send_mail(&state, &cfg).await;
            }
        });
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if state.is_draining() {
                let _ = app::core::lease::release(&state.db, LEASE, app::core::lease::instance()).await;
                break;
            }
            // Several instances on one database: only the holder of the lease runs the jobs.
            match app::core::lease::acquire(&state.db, LEASE, app::core::lease::instance(), app::core::time::now(), lease_ttl()).await {
                Ok(true) => run_once(&state, None).await,
                Ok(false) => tracing::debug!("Hintergrundaufgaben laufen auf einer anderen Instanz"),
                Err(e) => tracing::error!(error = %e, "Auftrag für die Hintergrundaufgaben nicht lesbar"),
            }
        }
    })
}

/// The lease of the background jobs.
pub const LEASE: &str = "jobs";

/// A holder that missed three runs loses the lease.
pub fn lease_ttl() -> chrono::Duration {
    chrono::Duration::from_std(INTERVAL * 3).unwrap_or(chrono::Duration::seconds(90))
}

/// One run of every job.
#[tracing::instrument(skip_all)]
pub async fn run_once(state: &AppState, smtp: Option<&SmtpConfig>) {
    let now = app::core::time::now();
    let started = std::time::Instant::now();
    let result = app::cases::service::jobs::run(&state.db, &state.config, now).await;
    crate::metrics::job_run(&state.db, "fristen", started, result.as_ref().err().map(|e| e.to_string())).await;
    match result {
        Ok(r) if r.escalated + r.closed > 0 => tracing::info!(escalated = r.escalated, closed = r.closed, "Fristen der Beratungsfälle geprüft"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "Prüfung der Fristen fehlgeschlagen"),
    }
    let started = std::time::Instant::now();
    let result = app::lagebild::service::case_stats::refresh(&state.db, state.config.suppression_threshold, now, false).await;
    crate::metrics::job_run(&state.db, "fallstatistik", started, result.as_ref().err().map(|e| e.to_string())).await;
    match result {
        Ok(true) => tracing::info!("Statistik der Beratungsfälle berechnet"),
        Ok(false) => {}
        Err(e) => tracing::error!(error = %e, "Statistik der Beratungsfälle konnte nicht berechnet werden"),
    }
    let started = std::time::Instant::now();
    let result = app::lagebild::service::trend::refresh(&state.db, &app::lagebild::service::cache(&state), "15", state.config.suppression_threshold, now, false).await;
    crate::metrics::job_run(&state.db, "lagebild_verlauf", started, result.as_ref().err().map(|e| e.to_string())).await;
    match result {
        Ok(true) => tracing::info!("Verlauf des Lagebilds aus dem Registerverlauf berechnet"),
        Ok(false) => {}
        Err(e) => tracing::error!(error = %e, "Verlauf des Lagebilds konnte nicht berechnet werden"),
    }
    let started = std::time::Instant::now();
    let result = app::core::throttle::prune(&state.db, now).await;
    crate::metrics::job_run(&state.db, "anmeldezaehler", started, result.as_ref().err().map(|e| e.to_string())).await;
    match result {
        Ok(n) if n > 0 => tracing::info!(removed = n, "Alte Anmeldezähler und Geräte entfernt"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "Alte Anmeldezähler konnten nicht entfernt werden"),
    }
    if retention_due(state, now).await {
        let started = std::time::Instant::now();
        let result = app::accounts::service::housekeeping::prune(&state.db, &state.config, now).await;
        crate::metrics::job_run(&state.db, RETENTION, started, result.as_ref().err().map(|e| e.to_string())).await;
        report_retention(result);
    }
    if let Err(e) = app::knowledge::service::query::flush_views(&state.db).await {
        tracing::error!(error = %e, "Aufrufe der Wissensartikel konnten nicht gezählt werden");
    }
    let started = std::time::Instant::now();
    let result = app::knowledge::service::figures::remind(&state.db, &state.config, now).await;
    crate::metrics::job_run(&state.db, "wissen_pruefung", started, result.as_ref().err().map(|e| e.to_string())).await;
    match result {
        Ok(n) if n > 0 => tracing::info!(reminded = n, "Autorinnen und Autoren fälliger Wissensartikel erinnert"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "Erinnerung an fällige Wissensartikel fehlgeschlagen"),
    }
    let started = std::time::Instant::now();
    let result = app::events::service::attend::remind(&state.db, &state.config, now).await;
    crate::metrics::job_run(&state.db, "termin_erinnerung", started, result.as_ref().err().map(|e| e.to_string())).await;
    match result {
        Ok(n) if n > 0 => tracing::info!(events = n, "An Termine des nächsten Tages erinnert"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "Erinnerung an Termine fehlgeschlagen"),
    }
    let started = std::time::Instant::now();
    let result = app::surveys::service::notices::run(&state.db, &state.config, now).await;
    crate::metrics::job_run(&state.db, "abfragen", started, result.as_ref().err().map(|e| e.to_string())).await;
    match result {
        Ok((opened, reminded)) if opened + reminded > 0 => tracing::info!(opened, reminded, "Kommunen über Abfragen benachrichtigt"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "Benachrichtigung über Abfragen fehlgeschlagen"),
    }
    let started = std::time::Instant::now();
    let result = app::gremien::service::tasks::remind(&state.db, &state.config, now).await;
    crate::metrics::job_run(&state.db, "massnahmen", started, result.as_ref().err().map(|e| e.to_string())).await;
    match result {
        Ok(n) if n > 0 => tracing::info!(tasks = n, "An fällige Maßnahmen der Gremien erinnert"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "Erinnerung an Maßnahmen der Gremien fehlgeschlagen"),
    }
    let started = std::time::Instant::now();
    let result = app::start::digest::run(&state.db, &state.config, now).await;
    crate::metrics::job_run(&state.db, "wochenuebersicht", started, result.as_ref().err().map(|e| e.to_string())).await;
    match result {
        Ok(n) if n > 0 => tracing::info!(mails = n, "Wochenübersichten versandt"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "Wochenübersicht fehlgeschlagen"),
    }
    let started = std::time::Instant::now();
    let result = app::funding::service::notices::remind(&state.db, &state.config, now).await;
    crate::metrics::job_run(&state.db, "verwendungsnachweis", started, result.as_ref().err().map(|e| e.to_string())).await;
    match result {
        Ok(n) if n > 0 => tracing::info!(applications = n, "An fällige Verwendungsnachweise erinnert"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "Erinnerung an Verwendungsnachweise fehlgeschlagen"),
    }
    if let Some(cfg) = smtp {
        send_mail(state, cfg).await;
    }
}

/// How often the addresses of the register are looked at for a due check.
const LINK_INTERVAL: Duration = Duration::from_secs(3600);

/// Checks the register's online addresses that are due.
async fn check_links(state: &AppState) {
    let started = std::time::Instant::now();
    let result = app::register::service::links::run(&state.db, app::core::time::now(), Duration::from_secs(1)).await;
    crate::metrics::job_run(&state.db, "linkpruefung", started, result.as_ref().err().map(|e| e.to_string())).await;
    match result {
        Ok(c) if c.checked + c.removed as usize > 0 => tracing::info!(checked = c.checked, broken = c.broken, removed = c.removed, "Online-Adressen des Registers geprüft"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "Prüfung der Online-Adressen fehlgeschlagen"),
    }
}

/// Sends the due deliveries of the webhook queue.
async fn send_webhooks(state: &AppState) {
    let started = std::time::Instant::now();
    let result = crate::ops::webhooks::deliver_due(&state.db, app::core::time::now()).await;
    crate::metrics::job_run(&state.db, "webhooks", started, result.as_ref().err().map(|e| e.to_string())).await;
    match result {
        Ok(s) if s.delivered + s.failed > 0 => tracing::info!(delivered = s.delivered, failed = s.failed, dead = s.dead, "Webhooks bearbeitet"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "Webhook-Warteschlange konnte nicht gelesen werden"),
    }
}

/// Sends the due mails of the outbox.
async fn send_mail(state: &AppState, cfg: &SmtpConfig) {
    let started = std::time::Instant::now();
    let result = mail::deliver_due(&state.db, cfg, app::core::time::now()).await;
    crate::metrics::job_run(&state.db, "mailversand", started, result.as_ref().err().map(|e| e.to_string())).await;
    match result {
        Ok(d) if d.sent + d.failed > 0 => tracing::info!(sent = d.sent, failed = d.failed, dead = d.dead, "E-Mail-Ausgang bearbeitet"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "E-Mail-Ausgang konnte nicht gelesen werden"),
    }
}

/// The retention job's name in `job_run`.
const RETENTION: &str = "speicherfristen";

/// Retention periods are counted in days (sessions in hours): the deletes run once an hour, on
/// whichever instance holds the lease, not with every 30-second run, where their search over all
/// closed cases (about half a second under load on 100,000 cases) took the portal's core each time.
pub const RETENTION_EVERY: chrono::Duration = chrono::Duration::hours(1);

async fn retention_due(state: &AppState, now: chrono::DateTime<chrono::Utc>) -> bool {
    match app::core::job_runs::last_run(&state.db, RETENTION).await {
        Ok(Some(at)) => now - at >= RETENTION_EVERY || at > now,
        Ok(None) => true,
        Err(e) => {
            tracing::error!(error = %e, "Letzter Lauf der Speicherfristen nicht lesbar");
            false
        }
    }
}

fn report_retention(result: Result<app::accounts::service::housekeeping::Pruned, sea_orm::DbErr>) {
    match result {
        Ok(n) if n.audit_entries + n.attachments + n.notifications + n.mails > 0 => tracing::info!(
            audit_entries = n.audit_entries,
            attachments = n.attachments,
            notifications = n.notifications,
            mails = n.mails,
            "Daten nach Ablauf ihrer Aufbewahrungsfrist gelöscht"
        ),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "Alte Protokolleinträge und Anmeldeverweise konnten nicht entfernt werden"),
    }
}
