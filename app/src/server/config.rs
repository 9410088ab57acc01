//! Runtime settings the application code needs (the binary reads them from the environment).

use std::time::Duration;

/// Settings that shape sessions, cookies and headers.
#[derive(Debug, Clone)]
pub struct Config {
    /// Send the session cookie with `Secure` (and the `__Host-` prefix). Off only for local http.
    pub cookie_secure: bool,
    /// Session ends after this much inactivity.
    pub session_idle: Duration,
    /// Session ends this long after login, whatever the activity.
    pub session_absolute: Duration,
    /// Send `Strict-Transport-Security` (when the portal is served over TLS).
    pub hsts: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_proxy_headers: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            cookie_secure: true,
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(8 * 60 * 60),
            hsts: false,
            trust_proxy_headers: false,
        }
    }
}
