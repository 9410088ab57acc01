//! Announcements of the Land to all Kommunen or a selection (Kreise, kinds of Kommune, an
//! association's members, those with an OZG-Leistung not yet online): shown on the clerks' start
//! page until read or expired, and mailed per each person's notification preferences.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
