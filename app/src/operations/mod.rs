//! Betrieb: what the Land's IT operations look after in the browser — mails the relay refused
//! too often (dead letters).

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
