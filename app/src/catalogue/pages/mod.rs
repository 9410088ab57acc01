//! Administration pages of the reference data.

pub mod catalogue;
pub mod criteria;
