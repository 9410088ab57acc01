//! Who calls: the user the middleware resolved from the session cookie or the API token (if
//! any) and what that user may see and do. Every REST and form handler takes a `Caller`
//! instead of rebuilding the scope from the request's extensions.

use app::access::scope::Scope;
use app::core::session::CurrentUser;
use app::error::AppError;
use axum::extract::FromRequestParts;
use http::request::Parts;
use std::convert::Infallible;

#[derive(Debug, Clone)]
pub struct Caller {
    pub user: Option<CurrentUser>,
    pub scope: Scope,
}

impl Caller {
    /// The signed-in user with the scope, or `Unauthorized`.
    pub fn signed_in(&self) -> Result<(&CurrentUser, &Scope), AppError> {
        self.user.as_ref().map(|u| (u, &self.scope)).ok_or(AppError::Unauthorized)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        let user = parts.extensions.get::<CurrentUser>().cloned();
        let scope = Scope::of(user.as_ref());
        Ok(Caller { user, scope })
    }
}
