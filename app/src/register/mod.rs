//! Leistungsregister: per Kommune and OZG-Leistung what is offered, how mature, through which solution.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
