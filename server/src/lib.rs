//! The portal's server: configuration, router, middleware, REST API, health checks and the
//! command-line interface. `main.rs` only parses the command line and calls into here.

#![recursion_limit = "512"]

pub mod bench;
pub mod http;
pub mod metrics;
pub mod ops;
pub mod rest;
pub mod synth;

/// An application error as a command-line error: every message of it, one per line.
pub fn fail(e: app::error::AppError) -> anyhow::Error {
    anyhow::anyhow!(e.summary().join("\n"))
}
