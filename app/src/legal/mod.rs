//! The legal pages a public body must offer.

pub mod pages;
pub mod plain;
