//! Server-only services of the accounts feature: login and logout, account administration.

pub mod auth;
pub mod users;
