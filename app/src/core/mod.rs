//! Server-only foundations every feature uses: database, configuration, state, time, sessions, tokens, throttling, audit, entities.

pub mod address;
pub mod assets;
pub mod audit;
pub mod business_time;
pub mod config;
pub mod csv_out;
pub mod ctx;
pub mod db;
pub mod entities;
pub mod files;
pub mod oidc;
pub mod job_runs;
pub mod lease;
pub mod markdown;
pub mod membership;
pub mod notify;
pub mod outbox;
pub mod password;
pub mod rate;
pub mod search;
pub mod session;
pub mod state;
pub mod throttle;
pub mod time;
pub mod tokens;
pub mod versions;
