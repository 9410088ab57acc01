//! Server-only services of the reference data: organisations, criteria, EfA list, import.

pub mod criteria;
pub mod efa;
pub mod import;
pub mod orgs;
pub mod ozg;
pub mod partners;
