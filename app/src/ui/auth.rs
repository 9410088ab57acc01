//! Who is signed in, shared by every page; refreshed after login, logout and password change.

use crate::accounts::api::session::{ChangePassword, Login, Logout, get_me};
use crate::error::AppError;
use crate::identity::{Me, Role};
use leptos::prelude::*;

/// The actions that change who is signed in, and the resource that reflects it.
#[derive(Clone, Copy)]
pub struct AuthContext {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub change_password: ServerAction<ChangePassword>,
    pub me: Resource<Result<Option<Me>, AppError>>,
}

impl AuthContext {
    pub fn provide() -> Self {
        let login = ServerAction::<Login>::new();
        let logout = ServerAction::<Logout>::new();
        let change_password = ServerAction::<ChangePassword>::new();
        let me = Resource::new(
            move || (login.version().get(), logout.version().get(), change_password.version().get()),
            |_| get_me(),
        );
        let ctx = AuthContext { login, logout, change_password, me };
        provide_context(ctx);
        ctx
    }
}

pub fn use_auth() -> AuthContext {
    expect_context::<AuthContext>()
}

/// Renders `children` for a signed-in user whose role is allowed, a login hint for anonymous
/// visitors, and a German "no access" message otherwise. The server checks again in every
/// server function; this only decides what to show.
#[component]
pub fn RequireRole(
    /// Allowed roles; empty means every signed-in user.
    #[prop(optional)]
    roles: Vec<Role>,
    children: ChildrenFn,
) -> impl IntoView {
    let auth = use_auth();
    let children = StoredValue::new(children);
    let roles = StoredValue::new(roles);
    view! {
        <Suspense fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match auth.me.await {
                    Ok(Some(me)) if roles.with_value(|r| r.is_empty() || r.contains(&me.role)) => {
                        children.with_value(|c| c()).into_any()
                    }
                    Ok(Some(_)) => view! { <crate::ui::errors::Forbidden/> }.into_any(),
                    Ok(None) => view! { <crate::ui::errors::LoginRequired/> }.into_any(),
                    Err(e) => view! { <crate::ui::errors::ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
