//! Server-only authorisation: the caller's scope and every rule about who may read or change what.

pub mod policy;
pub mod scope;
