//! Shared views: layout, navigation, form fields, charts, error pages and the islands.

pub mod auth;
pub mod chart;
pub mod errors;
pub mod format;
pub mod forms;
pub mod layout;
pub mod rich;
