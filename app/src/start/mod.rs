//! The start page: what needs each role.

pub mod admin_nav;
pub mod api;
pub mod model;
mod figures;
mod kommune;
pub mod layout;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod admin;
#[cfg(feature = "ssr")]
pub mod advisor;
#[cfg(feature = "ssr")]
pub mod clerk;
#[cfg(feature = "ssr")]
pub mod digest;
#[cfg(feature = "ssr")]
pub mod land;
#[cfg(feature = "ssr")]
pub mod service;
mod services;
