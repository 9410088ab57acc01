//! Who is signed in, shared by every page; refreshed whenever one of the actions that change it
//! (sign-in, sign-out, password change: the accounts feature's) has run.

use crate::error::AppError;
use crate::identity::{Me, Role};
use leptos::prelude::*;
use std::future::Future;

/// The resource that says who is signed in.
#[derive(Clone, Copy)]
pub struct AuthContext {
    pub me: Resource<Result<Option<Me>, AppError>>,
}

impl AuthContext {
    /// Provides the context: `me` is fetched again whenever `changed` gives a new value.
    pub fn provide<Fut>(changed: impl Fn() -> usize + Send + Sync + 'static, fetch: impl Fn() -> Fut + Send + Sync + 'static) -> Self
    where
        Fut: Future<Output = Result<Option<Me>, AppError>> + Send + 'static,
    {
        let me = Resource::new(changed, move |_| fetch());
        let ctx = AuthContext { me };
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
        <Suspense fallback=crate::ui::list::Loading>
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
