//! Server functions of the accounts feature: authorise → call a service → map the result.

pub mod admin;
pub mod recovery;
pub mod session;
pub mod tokens;
