//! Server functions of the Beratungsfälle pages (the REST API shares the same service).

pub mod settings;
mod inbox;
mod case;
mod notifications;
mod ratings;
pub use inbox::*;
pub use case::*;
pub use notifications::*;
pub use ratings::*;



