//! The actions that change who is signed in, shared by the sign-in page, the account page and
//! the header's "Abmelden"; `ui::auth` refreshes who is signed in after each.

use crate::accounts::api::session::{ChangePassword, Login, Logout, get_me};
use crate::ui::auth::AuthContext;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct SessionActions {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub change_password: ServerAction<ChangePassword>,
}

/// Provides the session actions and, built on them, who is signed in.
pub fn provide() -> (SessionActions, AuthContext) {
    let actions = SessionActions { login: ServerAction::new(), logout: ServerAction::new(), change_password: ServerAction::new() };
    provide_context(actions);
    let auth = AuthContext::provide(
        move || actions.login.version().get() + actions.logout.version().get() + actions.change_password.version().get(),
        get_me,
    );
    (actions, auth)
}

pub fn use_session_actions() -> SessionActions {
    expect_context::<SessionActions>()
}
