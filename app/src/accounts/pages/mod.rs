//! Pages of the accounts feature: sign-in (with second factor), links and "Passwort vergessen",
//! own account, account administration, audit log.

pub mod account;
pub mod audit;
pub mod links;
pub mod login;
pub mod second_factor;
pub mod session;
pub mod user_row;
pub mod users;
