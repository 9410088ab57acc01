//! The legal pages a public body must offer (their texts kept by the operator), Leichte Sprache
//! and Gebärdensprache, and the reporting of barriers.

pub mod api;
pub mod feedback;
pub mod model;
pub mod pages;
pub mod plain;
pub mod texts_pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod templates;
#[cfg(feature = "ssr")]
pub mod texts;
