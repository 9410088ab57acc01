//! Beratungsfälle pages: the inbox with views, filters, search and bulk actions; the filing
//! form; a case with its conversation, timers, attachments and history; notifications. Every
//! form works without JavaScript (GET filters, form posts).

pub mod settings;
mod inbox;
mod new;
mod detail;
mod notifications;
mod rating;
mod ratings;
pub use inbox::*;
pub use new::*;
pub use detail::*;
pub use notifications::*;
pub use ratings::CaseRatingsPage;

use crate::cases::model::CaseStatus;
use leptos::prelude::*;

fn encode(v: &str) -> String {
    crate::ui::format::urlencode(v)
}

fn status_badge(s: CaseStatus) -> impl IntoView {
    view! { <span class=format!("badge status-{}", s.code())>{s.label()}</span> }
}

fn action_error<S>(action: ServerAction<S>) -> Signal<Option<crate::error::AppError>>
where
    S: server_fn::ServerFn<Output = (), Error = crate::error::AppError> + Clone + Send + Sync + 'static,
{
    crate::ui::forms::submission_error(action)
}

/// 1000 → "1.000".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A padlock drawn inline (no icon font or emoji needed); decorative, the text says it all.
#[component]
fn LockIcon() -> impl IntoView {
    view! {
        <svg class="lock-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d="M4 7V5a4 4 0 1 1 8 0v2h1a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h1zm2 0h4V5a2 2 0 1 0-4 0v2z"/>
        </svg>
    }
}
