//! Pages reached from a mail or the login page: accepting an invitation, "Passwort vergessen",
//! setting a new password with a reset link.

use crate::accounts::api::recovery::{RedeemLink, RequestPasswordReset, link_person};
use crate::ui::forms::{ErrorSummary, Field, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/einladung?schluessel=…`
#[component]
pub fn InvitationPage() -> impl IntoView {
    view! { <LinkPage kind="einladung" title="Konto einrichten"/> }
}

/// `/passwort-zuruecksetzen?schluessel=…`
#[component]
pub fn ResetPage() -> impl IntoView {
    view! { <LinkPage kind="zuruecksetzen" title="Neues Passwort festlegen"/> }
}

#[component]
fn LinkPage(kind: &'static str, title: &'static str) -> impl IntoView {
    let query = use_query_map();
    let key = move || query.with(|q| q.get("schluessel").unwrap_or_default());
    let person = Resource::new(key, move |k| link_person(kind.to_string(), k));
    let redeem = ServerAction::<RedeemLink>::new();
    let error = submission_error(redeem);
    let provider = Resource::new(|| (), |_| crate::accounts::api::session::login_options());
    view! {
        <Title text=title/>
        <div class="narrow">
            <h1>{title}</h1>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match person.await {
                        Err(e) => view! {
                            <p class="error" role="alert">{e.to_string()}</p>
                            <p><a href="/anmelden">"Zur Anmeldung"</a></p>
                        }.into_any(),
                        Ok((name, email)) => view! {
                            <p>{format!("Guten Tag {name}, legen Sie hier das Passwort für Ihr Konto {email} fest. ")}
                               "Es muss mindestens 12 Zeichen lang sein und darf Ihre E-Mail-Adresse nicht enthalten."</p>
                            <ErrorSummary error/>
                            <ActionForm action=redeem attr:class="form" attr:novalidate="">
                                <input type="hidden" name="kind" value=kind/>
                                <input type="hidden" name="key" value=key/>
                                <input type="text" name="username" autocomplete="username" value=email hidden/>
                                <Field name="password" label="Neues Passwort" kind="password" autocomplete="new-password" required=true error/>
                                <Field name="confirm" label="Neues Passwort wiederholen" kind="password" autocomplete="new-password" required=true error/>
                                <button type="submit" class="button">"Passwort festlegen"</button>
                            </ActionForm>
                            {(kind == "einladung").then(|| view! {
                                <Suspense fallback=|| ()>
                                    {move || Suspend::new(async move {
                                        provider.await.ok().flatten().map(|label| view! {
                                            <p>"Oder ohne eigenes Passwort: Melden Sie sich mit Ihrem Landeskonto an. Es wird mit diesem Konto verbunden, weil Sie es aus Ihrer Einladung heraus tun."</p>
                                            <p><a class="button button-secondary" href=format!("/anmelden/landeskonto?einladung={}", crate::ui::format::urlencode(&key()))>{label}</a></p>
                                        })
                                    })}
                                </Suspense>
                            })}
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// `/passwort-vergessen`
#[component]
pub fn ForgotPage() -> impl IntoView {
    let query = use_query_map();
    let sent = move || query.with(|q| q.get("gesendet").is_some());
    let request = ServerAction::<RequestPasswordReset>::new();
    let error = submission_error(request);
    view! {
        <Title text="Passwort vergessen"/>
        <div class="narrow">
            <h1>"Passwort vergessen"</h1>
            <Show when=sent>
                <p class="notice" role="status">
                    "Wenn zu dieser Adresse ein Konto besteht, haben wir einen Link zum Zurücksetzen geschickt. Er gilt 60 Minuten und nur einmal. Sehen Sie auch im Spam-Ordner nach."
                </p>
            </Show>
            <p>"Geben Sie die E-Mail-Adresse Ihres Kontos an. Sie erhalten einen Link, mit dem Sie ein neues Passwort festlegen."</p>
            <ErrorSummary error/>
            <ActionForm action=request attr:class="form" attr:novalidate="">
                <Field name="email" label="E-Mail-Adresse" kind="email" autocomplete="username" required=true error/>
                <button type="submit" class="button">"Link anfordern"</button>
            </ActionForm>
            <p><a href="/anmelden">"Zurück zur Anmeldung"</a></p>
        </div>
    }
}
