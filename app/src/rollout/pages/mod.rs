//! Pages of the roll-out: the overview (`overview`), a row's editor (`plan`), a service with its
//! connections (`service`), one connection (`connection`), the costs (`costs`) and the figures
//! in the Lagebild (`figures`).

pub mod connection;
pub mod costs;
pub mod figures;
pub mod operators;
pub mod overview;
pub mod plan;
pub mod service;
