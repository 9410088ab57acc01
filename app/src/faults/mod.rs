//! Störungen und Anforderungen: the Kommunen connected to an EfA service report its faults and
//! their requirements, join each other's reports, and read the answers of the Land and the
//! service's operator; the operator or the Land sets the service's operating state, which the
//! connected Kommunen see on their start pages and when they file a case.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
