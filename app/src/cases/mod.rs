//! Beratungsfälle: filing, working and listing support requests, their settings and notifications.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
