//! The start page: what needs each role.

pub mod api;
pub mod pages;
