//! Server functions by feature: authorise → call a service → map the error → return a DTO.

pub mod admin;
pub mod catalogue;
pub mod auth;
pub mod cases;
pub mod cases_admin;
pub mod lagebild;
pub mod overview;
pub mod register;
pub mod tokens;
