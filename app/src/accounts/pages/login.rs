//! The login page.

use crate::ui::auth::use_auth;
use crate::ui::forms::{ErrorSummary, Field, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let logged_out = move || query.with(|q| q.get("abgemeldet").is_some());
    let error = submission_error(auth.login);
    view! {
        <Title text="Anmelden"/>
        <div class="narrow">
            <h1>"Anmelden"</h1>
            <Show when=logged_out>
                <p class="notice" role="status">"Sie wurden abgemeldet."</p>
            </Show>
            <p>"Melden Sie sich mit der E-Mail-Adresse und dem Passwort Ihres Kontos an."</p>
            <ErrorSummary error/>
            <ActionForm action=auth.login attr:class="form" attr:novalidate="">
                <Field name="email" label="E-Mail-Adresse" kind="email" autocomplete="username" required=true error/>
                <Field name="password" label="Passwort" kind="password" autocomplete="current-password" required=true error/>
                <button type="submit" class="button">"Anmelden"</button>
            </ActionForm>
            <p class="hint">"Passwort vergessen? Die Administration Ihres Hauses setzt es zurück."</p>
        </div>
    }
}
