//! "Mein Konto": profile, organisations, and the password change.

use crate::ui::list::{DataTable, cols};
use crate::ui::auth::{RequireRole, use_auth};
use crate::ui::forms::{ErrorSummary, Field, FieldBox, kept, submission_error};
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
    let actions = crate::accounts::pages::session::use_session_actions();
    let query = use_query_map();
    let changed = move || query.with(|q| q.get("geaendert").is_some());
    let error = submission_error(actions.change_password);
    view! {
        <h1>"Mein Konto"</h1>
        <Show when=changed>
            <p class="notice" role="status">"Ihr Passwort wurde geändert. Alle anderen Sitzungen wurden beendet."</p>
        </Show>
        {move || query.with(|q| q.get("zweiter_faktor").map(|_| view! {
            <p class="notice" role="status">"Ihr zweiter Faktor ist eingerichtet. Ab jetzt fragt die Anmeldung nach dem Code Ihrer App."</p>
        }))}
        {move || query.with(|q| q.get("wiederherstellungscodes").map(|n| view! {
            <p class="notice" role="status">{format!("Sie haben sich mit einem Wiederherstellungscode angemeldet; er ist nun verbraucht. Es bleiben {n} Codes.")}</p>
        }))}
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
            <ActionForm action=actions.change_password attr:class="form" attr:novalidate="">
                <Field name="current" label="Aktuelles Passwort" kind="password" autocomplete="current-password" required=true error/>
                <Field name="new_password" label="Neues Passwort" kind="password" autocomplete="new-password" required=true
                    hint="Mindestens 12 Zeichen; häufig verwendete Passwörter werden abgelehnt." error/>
                <Field name="confirm" label="Neues Passwort wiederholen" kind="password" autocomplete="new-password" required=true error/>
                <button type="submit" class="button">"Passwort ändern"</button>
            </ActionForm>
        </section>
        <SecondFactor/>
        <ProviderLink/>
        <ApiTokens/>
        <section aria-labelledby="data-title" class="narrow">
            <h2 id="data-title">"Ihre Daten"</h2>
            <p>"Alles, was das Portal zu Ihrer Person speichert – Konto, Organisationen, Anmeldungen, Ihre Fälle und Nachrichten, Benachrichtigungen und API-Schlüssel (ohne Geheimnisse) – als eine JSON-Datei (Auskunft nach Art. 15 DSGVO)."</p>
            <p><a class="button button-secondary" href="/konto/auskunft.json">"Meine Daten herunterladen"</a></p>
        </section>
    }
}

/// Binding the Land's identity provider to this account (where one is configured): started
/// from here, signed in, which is the proof the binding needs.
#[component]
fn ProviderLink() -> impl IntoView {
    let provider = Resource::new(|| (), |_| crate::accounts::api::session::login_options());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                provider.await.ok().flatten().map(|_| view! {
                    <section aria-labelledby="provider-title" class="narrow">
                        <h2 id="provider-title">"Landeskonto"</h2>
                        <p>"Verbinden Sie Ihr Landeskonto mit diesem Konto; danach können Sie sich auch über das Landeskonto anmelden. Die Verbindung entsteht nur von hier aus, während Sie angemeldet sind."</p>
                        <p><a class="button button-secondary" href="/anmelden/landeskonto?verbinden=1">"Mit dem Landeskonto verbinden"</a></p>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// The second factor: its state, setting it up, turning it off where it is optional.
#[component]
fn SecondFactor() -> impl IntoView {
    let status = Resource::new(|| (), |_| crate::accounts::api::recovery::my_mfa_status());
    let disable = ServerAction::<crate::accounts::api::recovery::DisableMyMfa>::new();
    let error = submission_error(disable);
    view! {
        <section aria-labelledby="mfa-title" class="narrow">
            <h2 id="mfa-title">"Zweiter Faktor"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match status.await {
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                        Ok(s) if s.enabled => view! {
                            <p>{format!("Eingerichtet: Die Anmeldung fragt nach dem Code Ihrer Authenticator-App. Unverbrauchte Wiederherstellungscodes: {}.", s.recovery_codes_left)}</p>
                            {(!s.required).then(|| view! {
                                <ErrorSummary error/>
                                <ActionForm action=disable attr:class="form" attr:novalidate="">
                                    <Field name="code" label="Aktueller Code zum Abschalten" autocomplete="one-time-code" required=true error/>
                                    <button type="submit" class="button button-secondary">"Zweiten Faktor abschalten"</button>
                                </ActionForm>
                            })}
                        }.into_any(),
                        Ok(s) => view! {
                            <p>{if s.required { "Für Ihre Rolle ist ein zweiter Faktor vorgeschrieben." } else { "Nicht eingerichtet. Ein zweiter Faktor schützt Ihr Konto, auch wenn jemand Ihr Passwort kennt." }}</p>
                            <p><a class="button" href="/konto/zweiter-faktor">"Zweiten Faktor einrichten"</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Personal API tokens: create (a plain form post; the secret is shown once), list, revoke.
/// Where the API key form posts (a route of the server).
pub const TOKEN_FORM: &str = "/konto/api-schluessel";

#[component]
fn ApiTokens() -> impl IntoView {
    // A refused key comes back here with its messages and what was typed (never the password).
    let token_error = crate::ui::forms::route_error(TOKEN_FORM);
    let revoke = ServerAction::<crate::accounts::api::tokens::RevokeToken>::new();
    let tokens = Resource::new(move || revoke.version().get(), |_| crate::accounts::api::tokens::my_tokens());
    let error = Signal::derive(move || revoke.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned())));
    view! {
        <section aria-labelledby="token-title">
            <h2 id="token-title">"API-Schlüssel"</h2>
            <p>"Mit einem persönlichen API-Schlüssel greifen Programme (z. B. ein Fachverfahren) mit Ihren Rechten auf die "
                <a href="/api/v1/openapi.json">"REST-Schnittstelle"</a>" zu. Der Schlüssel wird nur beim Anlegen angezeigt; widerrufen Sie ihn, sobald er nicht mehr gebraucht wird."</p>
            <ErrorSummary error/>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>"Sie haben keine API-Schlüssel."</p> }.into_any(),
                        Ok(list) => view! {
                            <DataTable id="token-caption" caption="Ihre API-Schlüssel" columns=cols(["Name", "Beginnt mit", "Berechtigung", "Angelegt", "Gültig bis", "Zuletzt verwendet", "Status"])>
                                        {list.into_iter().map(|t| view! {
                                            <tr>
                                                <th scope="row">{t.name.clone()}</th>
                                                <td class="mono">{format!("{}…", t.prefix)}</td>
                                                <td>{t.scope_label()}</td>
                                                <td>{crate::ui::format::format_date(&t.created_at)}</td>
                                                <td>{crate::ui::format::format_date(&t.expires_at)}</td>
                                                <td>{t.last_used_at.as_deref().map(crate::ui::format::format_date).unwrap_or_else(|| "nie".into())}</td>
                                                <td>{if t.revoked { view! { "widerrufen" }.into_any() } else { view! {
                                                    <ActionForm action=revoke>
                                                        <input type="hidden" name="id" value=t.id.clone()/>
                                                        <button type="submit" class="button button-small">"Widerrufen"<span class="visually-hidden">{format!(": {}", t.name)}</span></button>
                                                    </ActionForm>
                                                }.into_any() }}</td>
                                            </tr>
                                        }).collect_view()}
                                    </DataTable>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <crate::ui::forms::ErrorSummary error=token_error/>
            <form method="post" action=TOKEN_FORM class="form narrow" id="neuer-schluessel">
                <FieldBox name="name" id="token-name" label="Name des neuen Schlüssels" error=token_error><input id="token-name" name="name" required maxlength="100" value=kept(token_error, "name", "")/></FieldBox>
                <FieldBox name="days" id="token-days" label="Gültigkeit in Tagen (1–365)" error=token_error><input id="token-days" name="days" inputmode="numeric" value=kept(token_error, "days", "90")/></FieldBox>
                <FieldBox name="scope" id="token-scope" label="Berechtigung" error=token_error>
                    <select id="token-scope" name="scope">
                        {let chosen = kept(token_error, "scope", "read"); view! {
                            <option value="read" selected=chosen != "write">"nur lesen"</option>
                            <option value="write" selected=chosen == "write">"lesen und schreiben"</option>
                        }}
                    </select>
                </FieldBox>
                <FieldBox name="reauth" id="token-reauth" label="Aktuelles Passwort oder Code Ihrer App (nur für »lesen und schreiben«)" error=token_error>
                    <input id="token-reauth" name="reauth" type="password" autocomplete="current-password" aria-describedby="token-reauth-hinweis"/>
                    <p id="token-reauth-hinweis" class="hint">"Ein Schlüssel, der schreiben darf, handelt in Ihrem Namen: Bestätigen Sie, dass Sie es sind."</p>
                </FieldBox>
                <button type="submit" class="button">"Schlüssel anlegen"</button>
            </form>
        </section>
    }
}
