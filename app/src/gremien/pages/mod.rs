//! Pages of the Gremien: the list of bodies, one body with its members and decisions, and the
//! register of decisions.

pub mod body;
pub mod list;
mod manage;
pub mod meeting;
mod minutes;
mod parts;
pub mod print;
pub mod register;
pub mod task;
