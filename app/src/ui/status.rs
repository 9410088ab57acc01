//! How an EfA service runs, as a notice: a warning when not normally, with its window and note.

use crate::vocabulary::services::ServiceStatus;
use leptos::prelude::*;

/// The state of one service; `link`: the service's name leads to its page.
#[component]
pub fn StatusNotice(s: ServiceStatus, #[prop(optional)] link: bool) -> impl IntoView {
    let text = format!("{}: {}", s.service, s.describe().unwrap_or_else(|| s.state.label().to_string()));
    view! {
        <p class=if s.state.is_notable() { "notice warn" } else { "notice" }>
            {s.state.is_notable().then_some("Achtung – ")}
            {if link { view! { <a href=format!("/nachnutzung/dienst/{}", crate::ui::format::urlencode(&s.service_id))>{text}</a> }.into_any() } else { view! { <strong>{text}</strong> }.into_any() }}
            {s.note.clone().map(|n| view! { <br/>{n} })}
        </p>
    }
}
