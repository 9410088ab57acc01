//! The login page.

use crate::accounts::pages::session::use_session_actions;
use crate::ui::forms::{ErrorSummary, Field, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let actions = use_session_actions();
    let query = use_query_map();
    let logged_out = move || query.with(|q| q.get("abgemeldet").is_some());
    let error = submission_error(actions.login);
    let provider = Resource::new(|| (), |_| crate::accounts::api::session::login_options());
    view! {
        <Title text="Anmelden"/>
        <div class="narrow">
            <h1>"Anmelden"</h1>
            <Show when=logged_out>
                <p class="notice" role="status">"Sie wurden abgemeldet."</p>
            </Show>
            {move || query.with(|q| {
                let text = if q.get("eingerichtet").is_some() {
                    Some("Ihr Passwort ist festgelegt. Melden Sie sich jetzt an.")
                } else if q.get("passwort").is_some() {
                    Some("Ihr neues Passwort ist gespeichert; alle anderen Sitzungen wurden beendet. Melden Sie sich jetzt an.")
                } else if q.get("zweiter_faktor").is_some() {
                    Some("Ihr zweiter Faktor ist abgeschaltet. Melden Sie sich erneut an.")
                } else {
                    None
                };
                text.map(|t| view! { <p class="notice" role="status">{t}</p> })
            })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    provider.await.ok().flatten().map(|label| view! {
                        <p><a class="button" href="/anmelden/landeskonto">{label}</a></p>
                        {logged_out().then(|| view! {
                            <p><a href="/anmelden/landeskonto/abmelden">"Auch beim Landeskonto abmelden"</a></p>
                        })}
                        <p>"Oder mit Passwort:"</p>
                    })
                })}
            </Suspense>
            <p>"Melden Sie sich mit der E-Mail-Adresse und dem Passwort Ihres Kontos an."</p>
            <ErrorSummary error/>
            <ActionForm action=actions.login attr:class="form" attr:novalidate="">
                <Field name="email" label="E-Mail-Adresse" kind="email" autocomplete="username" required=true error/>
                <Field name="password" label="Passwort" kind="password" autocomplete="current-password" required=true error/>
                <button type="submit" class="button">"Anmelden"</button>
            </ActionForm>
            <p><a href="/passwort-vergessen">"Passwort vergessen?"</a></p>
        </div>
    }
}
