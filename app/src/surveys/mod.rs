//! Abfragen: the Land asks the Kommunen (a questionnaire of sections and questions, released to
//! a selection of Kommunen for a period), and repeats a survey a year later.

pub mod answers;
pub mod api;
pub mod model;
pub mod pages;
pub mod results;
pub mod views;
#[cfg(feature = "ssr")]
pub mod service;
