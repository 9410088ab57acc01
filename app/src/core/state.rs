//! The state every request handler and server function reaches: database, settings, hashing pool.

use crate::core::config::Config;
use crate::core::password::PasswordHasherPool;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Shared application state. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub hasher: PasswordHasherPool,
    /// The rate of anonymous requests per client address (open data, public Lagebild), shared
    /// with the other instances through the database.
    pub anonymous_rate: Arc<crate::core::rate::RateLimiter>,
    /// Lagebild counters kept between requests while current.
    pub rollup_cache: Arc<crate::lagebild::service::CellCache>,
    /// The Land's identity provider, when configured.
    pub oidc: Option<Arc<crate::core::oidc::Provider>>,
    draining: Arc<AtomicBool>,
}

impl AppState {
    /// Inside a Tokio runtime, the rate limiter's synchronisation starts with it.
    pub fn new(db: DatabaseConnection, config: Config) -> Self {
        let anonymous_rate = crate::core::rate::RateLimiter::new(config.open_data_rate);
        anonymous_rate.spawn_sync(db.clone());
        let oidc = config.oidc.clone().and_then(|c| match crate::core::oidc::Provider::new(c, &config.base_url) {
            Ok(p) => Some(p),
            Err(e) => {
                tracing::error!(error = %e, "Anmeldung über den Identitätsanbieter nicht verfügbar");
                None
            }
        });
        AppState {
            oidc,
            anonymous_rate,
            db,
            config: Arc::new(config),
            hasher: PasswordHasherPool::new(2, 16),
            rollup_cache: Arc::new(crate::lagebild::service::CellCache::default()),
            draining: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Marks the server as shutting down: `/readyz` answers 503 from now on.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }
}
