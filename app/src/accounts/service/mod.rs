//! Server-only services of the accounts feature: sign-in (password, second factor), invitation
//! and reset links, account administration, the account import and the audit log.

pub mod address;
pub mod audit_log;
pub mod auth;
pub mod disclosure;
pub mod erasure;
pub mod housekeeping;
pub mod import;
pub mod links;
pub mod open_links;
pub mod manage;
pub mod mfa;
pub mod oidc;
pub mod reauth;
pub mod roster;
pub mod users;
