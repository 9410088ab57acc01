//! The roll-out's services: the overview per OZG-Leistung (`plan`, with its CSV in `plan_csv`),
//! the connections' lifecycle (`lifecycle`) with going live into the register, the checklist and
//! costs (`checklist`, `costs`), reading (`query`), the rollups (`rollup`) and the figures of the
//! Lagebild (`figures`).

pub mod checklist;
pub mod costs;
pub mod figures;
pub mod lifecycle;
pub mod notices;
pub mod operating;
pub mod operators;
pub mod plan;
pub mod plan_csv;
pub mod query;
pub mod rollup;

pub(crate) use crate::core::db::{exec, read};
