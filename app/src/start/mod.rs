//! The start page: what needs each role.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
