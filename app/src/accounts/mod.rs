//! Konten und Anmeldung: accounts, sign-in, sessions as the person sees them, API tokens, account administration.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
