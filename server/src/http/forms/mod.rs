//! Plain multipart forms handled outside Leptos (uploads, imports, bulk edits, one-time secrets).

pub mod accounts;
pub mod bulk;
pub mod cases;
pub mod import;
pub mod knowledge;
pub mod rollout;
pub mod tokens;
