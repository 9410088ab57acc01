//! The legal pages a public body must offer, Leichte Sprache and Gebärdensprache, and the
//! reporting of barriers.

pub mod api;
pub mod feedback;
pub mod model;
pub mod pages;
pub mod plain;
#[cfg(feature = "ssr")]
pub mod service;
