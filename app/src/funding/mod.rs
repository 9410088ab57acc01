//! Förderung: the Land's funding programmes (budget, funding rate, maximum per project,
//! application period), the Kommunen's applications and their typed workflow (eingegangen → in
//! Prüfung → bewilligt / abgelehnt → Mittelabruf(e) → Verwendungsnachweis → abgeschlossen),
//! with a budget that cannot be over-committed, and the figures for the Lagebild.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
