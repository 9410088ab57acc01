//! The events' services: writing (`store`), taking part with mails and the calendar entry
//! (`attend`), and reading (`query`).

pub mod attend;
pub mod query;
pub mod store;
