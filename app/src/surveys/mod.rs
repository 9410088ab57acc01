//! Abfragen: the Land asks the Kommunen (a questionnaire of sections and questions, released to
//! a selection of Kommunen for a period), and repeats a survey a year later.

pub mod answers;
pub mod api;
pub mod model;
pub mod pages;
pub mod results;
#[cfg(feature = "ssr")]
pub mod score;
pub mod selfcheck;
pub mod views;
#[cfg(feature = "ssr")]
pub mod service;
