//! The state every request handler and server function reaches: database, settings, hashing pool.

use crate::core::config::Config;
use crate::core::password::PasswordHasherPool;
use sea_orm::DatabaseConnection;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Default)]
struct Kept(Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>);

/// Shared application state. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub hasher: PasswordHasherPool,
    /// The rate of anonymous requests per client address (open data, public Lagebild), shared
    /// with the other instances through the database.
    pub anonymous_rate: Arc<crate::core::rate::RateLimiter>,
    /// What a feature keeps between requests (such as the Lagebild's counters), one of each type.
    kept: Arc<Kept>,
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
            kept: Arc::default(),
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

    /// What a feature keeps between requests, made on first use: one value of each type per
    /// application state, so that core names no feature and two states never share one.
    pub fn kept<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        let mut map = self.kept.0.lock().unwrap_or_else(|e| e.into_inner());
        let value = map.entry(TypeId::of::<T>()).or_insert_with(|| Arc::new(T::default())).clone();
        value.downcast::<T>().unwrap_or_else(|_| unreachable!("kept under its own type"))
    }
}
