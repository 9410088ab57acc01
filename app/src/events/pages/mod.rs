//! Pages of the events.

pub mod editor;
pub mod list;
