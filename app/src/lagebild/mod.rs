//! Lagebild: aggregates for associations, the Land and the public, with charts, map and exports.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
