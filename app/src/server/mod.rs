//! Server-only code: database access, services, authorisation and password hashing.
//! Compiled only with the `ssr` feature; nothing here reaches the browser bundle.

pub mod audit;
pub mod auth;
pub mod business_time;
pub mod case_stats;
pub mod cases;
pub mod criteria;
pub mod csv_out;
pub mod efa;
pub mod config;
pub mod ctx;
pub mod db;
pub mod entities;
pub mod import;
pub mod lagebild;
pub mod lagebild_extras;
pub mod geo;
pub mod notify;
pub mod orgs;
pub mod password;
pub mod progress;
pub mod rate;
pub mod register;
pub mod register_csv;
pub mod rollup;
pub mod scope;
pub mod session;
pub mod tokens;
pub mod trend;
pub mod state;
pub mod throttle;
pub mod time;
pub mod users;
