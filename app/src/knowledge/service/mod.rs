//! The Wissensportal's services: writing and publishing (`store`), reading and searching
//! (`query`, `index`), readers' feedback and suggestions while filing (`feedback`), drafts from
//! cases (`from_case`) and the Land's figures with the review reminder (`figures`).

pub mod feedback;
pub mod files;
pub mod figures;
pub mod from_case;
pub mod index;
pub mod query;
pub mod store;
