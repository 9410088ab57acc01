//! Gremien: the bodies of the collaboration of Land, Kommunen, associations and partners, their
//! members over time and their numbered decisions, with a register of decisions for everyone
//! who may read them.

pub mod api;
pub mod api_work;
#[cfg(feature = "ssr")]
mod form;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod work;
