//! Reusable views: layout, authentication context, forms, accessibility helpers.

pub mod auth;
pub mod chart;
pub mod forms;
pub mod layout;
