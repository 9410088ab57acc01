//! Events of the Land for the Kommunen: the OZG-Sprechstunde, workshops. Advisors publish them;
//! clerks register and cancel (a waiting list moves up); mails carry the calendar entry; a feed
//! `/termine.ics`; materials after the event, which may become a Wissensportal article.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
