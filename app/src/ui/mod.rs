//! Shared views: who is signed in, lists (table, filter, pager), form fields, charts, error pages, a service's operating state and the islands.

pub mod auth;
pub mod chart;
pub mod errors;
pub mod format;
pub mod forms;
pub mod list;
pub mod rich;
pub mod selection;
pub mod status;
