//! Server-only authorisation, built on the session: the caller's scope and every rule about who
//! may read or change what.

pub mod policy;
pub mod scope;

use crate::core::ctx::{current_user, require_user};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use scope::Scope;

/// What the caller of this request may see and do.
pub fn scope() -> Scope {
    Scope::of(current_user().as_ref())
}

/// The signed-in administrator, or `Unauthorized`/`Forbidden`.
pub fn require_admin() -> Result<CurrentUser, AppError> {
    let user = require_user()?;
    policy::require_admin(&scope())?;
    Ok(user)
}

/// The signed-in advisor of the Land, or `Unauthorized`/`Forbidden`.
pub fn require_advisor() -> Result<CurrentUser, AppError> {
    let user = require_user()?;
    policy::require_advisor(&scope())?;
    Ok(user)
}
