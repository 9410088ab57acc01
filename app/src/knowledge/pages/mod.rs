//! Pages of the Wissensportal.

pub mod article;
pub mod editor;
pub mod list;
