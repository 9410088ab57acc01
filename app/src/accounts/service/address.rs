//! E-mail addresses as accounts use them: one rule of sameness for the whole portal, kept in
//! `core::address` (the identity provider uses it too).

pub use crate::core::address::{normalise_email, valid_email};
