//! Nachnutzung: the Land's overview of how each OZG-Leistung is implemented (EfA service,
//! priority, phase, who pays, the connection checklist), and the connection of each Kommune to
//! an EfA service from interest to live, with its checklist and costs. Going live sets the
//! register; the roll-out's figures are kept in rollups for the Lagebild.

pub mod api;
pub mod api_operators;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
