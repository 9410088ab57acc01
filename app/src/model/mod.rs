//! Data shared between server and browser: DTOs, form values, enums and the client-safe error.
//! Serde only: nothing here touches the database or holds a secret.

pub mod cases;
pub mod error;
pub mod lagebild;
pub mod register;
pub mod user;

pub use error::AppError;
pub use user::{Me, OrgKind, OrgRef, Role, TokenInfo, UserListItem};
