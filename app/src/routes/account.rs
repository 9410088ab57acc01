//! "Mein Konto": profile, organisations, and the password change.

use crate::components::auth::{RequireRole, use_auth};
use crate::components::forms::{ErrorSummary, Field, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <Title text="Mein Konto"/>
        <RequireRole>
            <AccountContent/>
        </RequireRole>
    }
}

#[component]
fn AccountContent() -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let changed = move || query.with(|q| q.get("geaendert").is_some());
    let error = submission_error(auth.change_password);
    view! {
        <h1>"Mein Konto"</h1>
        <Show when=changed>
            <p class="notice" role="status">"Ihr Passwort wurde geändert. Alle anderen Sitzungen wurden beendet."</p>
        </Show>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                auth.me.await.ok().flatten().map(|me| view! {
                    <dl class="profile">
                        <div><dt>"Name"</dt><dd>{me.name}</dd></div>
                        <div><dt>"E-Mail-Adresse"</dt><dd>{me.email}</dd></div>
                        <div><dt>"Rolle"</dt><dd>{me.role.label()}</dd></div>
                        <div><dt>"Organisationen"</dt><dd>
                            {me.organisations.iter().map(|o| format!("{} ({})", o.name, o.kind.label())).collect::<Vec<_>>().join(", ")}
                        </dd></div>
                    </dl>
                })
            })}
        </Suspense>
        <section aria-labelledby="pw-title" class="narrow">
            <h2 id="pw-title">"Passwort ändern"</h2>
            <p>"Das neue Passwort muss mindestens 12 Zeichen lang sein. Lange Sätze sind gute Passwörter; Sonderzeichen sind nicht vorgeschrieben."</p>
            <ErrorSummary error/>
            <ActionForm action=auth.change_password attr:class="form" attr:novalidate="">
                <Field name="current" label="Aktuelles Passwort" kind="password" autocomplete="current-password" required=true error/>
                <Field name="new_password" label="Neues Passwort" kind="password" autocomplete="new-password" required=true
                    hint="Mindestens 12 Zeichen; häufig verwendete Passwörter werden abgelehnt." error/>
                <Field name="confirm" label="Neues Passwort wiederholen" kind="password" autocomplete="new-password" required=true error/>
                <button type="submit" class="button">"Passwort ändern"</button>
            </ActionForm>
        </section>
    }
}
