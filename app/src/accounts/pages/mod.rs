//! Pages of the accounts feature: sign-in, own account, account administration.

pub mod account;
pub mod login;
pub mod users;
