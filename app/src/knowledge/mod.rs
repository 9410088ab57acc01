//! The Wissensportal: advisors write articles (Markdown, reviewed by a second advisor, every
//! version kept) for the Kommunen or the public; readers search them by words, Themenfeld and
//! OZG-Leistung, see them while filing a case and say whether they helped.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
