//! HTTP: router, middleware, page cache, health checks, plain-form fallbacks.

pub mod caller;
pub mod forms;
pub mod health;
pub mod html;
pub mod middleware;
pub mod oidc;
pub mod page_cache;
pub mod router;
