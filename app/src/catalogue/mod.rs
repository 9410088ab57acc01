//! Reference data: the OZG catalogue, the Kommunen, maturity criteria, the EfA list and their import.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
