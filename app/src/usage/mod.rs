//! Nutzungszahlen: how much the online services are used, from the federal Zentrale
//! Statistik-Komponente or entered by a Kommune, in the Lagebild, the open data and on the
//! clerk's start page.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
