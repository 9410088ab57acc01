//! One page (or page group) per file.

pub mod account;
pub mod admin_cases;
pub mod admin_catalogue;
pub mod admin_criteria;
pub mod admin_users;
pub mod cases;
pub mod errors;
pub mod lagebild;
pub mod legal;
pub mod login;
pub mod register;
pub mod start;
