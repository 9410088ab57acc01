//! The start page: what needs each role.

pub mod api;
mod kommune;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod clerk;
#[cfg(feature = "ssr")]
pub mod service;
