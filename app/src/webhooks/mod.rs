//! Webhooks: the receivers an administrator registers per organisation (a partner's ticket
//! system, the Land's own systems), the hosts allowed although internal, and what was delivered
//! with the receivers' last answers. Queuing and signing are `core::webhooks`; sending is the
//! server's.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
