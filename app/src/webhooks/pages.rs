//! `/verwaltung/webhooks`: the receivers with their secrets and last answers, the form to register
//! one, the internal hosts allowed, and the newest deliveries.

use crate::identity::Role;
use crate::ui::auth::RequireRole;
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{ErrorSummary, Field, FieldBox, FieldSet, kept, submission_error};
use crate::ui::list::{DataTable, cols};
use crate::webhooks::api::{AddWebhook, AllowWebhookHost, RemoveWebhook, RemoveWebhookHost, load_webhooks};
use crate::webhooks::model::{DeliveryRow, WebhookEvent, WebhooksPage};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn notice(q: &leptos_router::params::ParamsMap) -> Option<&'static str> {
    [
        ("eingetragen", "Der Empfänger ist eingetragen. Geben Sie sein Geheimnis an die empfangende Stelle weiter."),
        ("entfernt", "Der Empfänger ist entfernt."),
        ("host", "Die Liste der zugelassenen internen Hosts ist gespeichert."),
    ]
    .into_iter()
    .find(|(k, _)| q.get(k).is_some())
    .map(|(_, t)| t)
}

fn answer(d: &DeliveryRow) -> String {
    let text = d.last_answer.as_deref().filter(|a| !a.is_empty()).map(|a| crate::ui::format::shorten(a, 120));
    match (d.last_status, text) {
        (Some(s), Some(a)) => format!("HTTP {s}: {a}"),
        (Some(s), None) => format!("HTTP {s}"),
        (None, Some(a)) => a,
        (None, None) => "–".into(),
    }
}

#[component]
pub fn AdminWebhooksPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_webhooks());
    let note = use_query_map().with_untracked(notice);
    view! {
        <Title text="Webhooks"/>
        <RequireRole roles=vec![Role::Admin]>
            <h1>"Webhooks"</h1>
            <p>"Ein Webhook meldet einem System einer Partnerorganisation oder des Landes, was im Portal geschieht: Schritte der Anbindungen, den Status von Störungen und Anforderungen, den Status von Beratungsfällen und Entscheidungen über Förderanträge – jeweils nur, was die Organisation betrifft; die Systeme des Landes erhalten alles. Jede Zustellung ist mit dem Geheimnis des Empfängers signiert (HMAC-SHA256 über Zeitstempel und Inhalt) und wird bei einem Fehler später erneut versucht."</p>
            {note.map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                        Ok(p) => view! { <Webhooks p/> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

#[component]
fn Webhooks(p: WebhooksPage) -> impl IntoView {
    let add = ServerAction::<AddWebhook>::new();
    let remove = ServerAction::<RemoveWebhook>::new();
    let allow = ServerAction::<AllowWebhookHost>::new();
    let drop_host = ServerAction::<RemoveWebhookHost>::new();
    let (e_add, e_allow) = (submission_error(add), submission_error(allow));
    let kept_org = kept(e_add, "organisation", "");
    view! {
        <h2 id="empfaenger">"Empfänger"</h2>
        {if p.receivers.is_empty() {
            view! { <p>"Noch kein Empfänger eingetragen."</p> }.into_any()
        } else {
            view! {
                <ul class="plain-list">
                    {p.receivers.into_iter().map(|r| view! {
                        <li class="card">
                            <h3>{r.organisation.clone()}</h3>
                            <p class="mono">{r.url.clone()}</p>
                            <p>{r.events.iter().map(|e| e.label()).collect::<Vec<_>>().join(" · ")}</p>
                            <p>{format!("Wartend: {} · aufgegeben: {}", r.waiting, r.given_up)}</p>
                            <p>"Letzte Zustellung: "{r.last.as_ref().map(|d| format!("{} ({}), {}", d.state.label(), d.created_at, answer(d))).unwrap_or_else(|| "noch keine".into())}</p>
                            <details>
                                <summary>"Geheimnis für die Signatur anzeigen"</summary>
                                <p class="mono">{r.secret.clone()}</p>
                            </details>
                            <ActionForm action=remove attr:class="inline-form">
                                <input type="hidden" name="id" value=r.id.clone()/>
                                <button type="submit" class="button button-outline">"Entfernen"<span class="visually-hidden">{format!(": {}", r.url)}</span></button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <section aria-labelledby="neu-titel" class="narrow">
            <h2 id="neu-titel">"Empfänger eintragen"</h2>
            <ErrorSummary error=e_add/>
            <ActionForm action=add attr:class="form">
                <FieldBox name="organisation" label="Organisation" required=true error=e_add>
                    <select id="feld-organisation" name="organisation" required>
                        <option value="">"– bitte wählen –"</option>
                        {p.organisations.iter().map(|(k, n)| view! { <option value=k.clone() selected=*k == kept_org>{n.clone()}</option> }).collect_view()}
                    </select>
                </FieldBox>
                <Field name="url" label="Adresse (https://…)" kind="url" required=true hint="Adressen im internen Netz (Loopback, privat, link-local) nur für einen unten zugelassenen Host." error=e_add/>
                <FieldSet legend="Ereignisse" names=&["ereignisse"] error=e_add>
                    <div id="feld-ereignisse" class="choices">
                        {WebhookEvent::ALL.iter().map(|e| {
                            let cid = format!("ereignis-{}", e.code().replace('.', "-"));
                            view! {
                                <div class="checkbox-field">
                                    <input type="checkbox" id=cid.clone() name=format!("ereignis[{}]", e.code()) value="ja" checked=kept(e_add, &format!("ereignis[{}]", e.code()), "") == "ja"/>
                                    <label for=cid>{e.label()}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </FieldSet>
                <button type="submit" class="button">"Eintragen"</button>
            </ActionForm>
        </section>
        <section aria-labelledby="hosts-titel" class="narrow">
            <h2 id="hosts-titel">"Zugelassene interne Hosts"</h2>
            <p class="hint">"Das Portal sendet nie an Adressen im internen Netz und ruft dort auch keine Online-Adressen des Registers zur Prüfung auf – außer bei einem Host, den Sie hier ausdrücklich zulassen (etwa ein System des Landes im Landesnetz). An ihn gehen Webhooks auch über http."</p>
            {(!p.hosts.is_empty()).then(|| view! {
                <ul class="plain-list">
                    {p.hosts.into_iter().map(|h| view! {
                        <li>
                            <span class="mono">{h.clone()}</span>" "
                            <ActionForm action=drop_host attr:class="inline-form">
                                <input type="hidden" name="host" value=h.clone()/>
                                <button type="submit" class="button button-outline">"Streichen"<span class="visually-hidden">{format!(": {h}")}</span></button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            <ErrorSummary error=e_allow/>
            <ActionForm action=allow attr:class="form">
                <Field name="host" label="Host oder IP-Adresse" required=true error=e_allow/>
                <button type="submit" class="button button-secondary">"Zulassen"</button>
            </ActionForm>
        </section>
        <h2 id="zustellungen">"Letzte Zustellungen"</h2>
        {if p.deliveries.is_empty() {
            view! { <p>"Noch keine Zustellung."</p> }.into_any()
        } else {
            view! {
                <DataTable id="zustellungen-liste" caption="Die neuesten Zustellungen mit der letzten Antwort des Empfängers" columns=cols(["Nr.", "Ereignis", "erzeugt", "Versuche", "Stand", "Letzte Antwort"])>
                    {p.deliveries.iter().map(|d| view! {
                        <tr><td class="num">{d.id}</td><td>{d.event.label()}</td><td>{d.created_at.clone()}</td><td class="num">{d.attempts}</td><td>{d.state.label()}</td><td>{answer(d)}</td></tr>
                    }).collect_view()}
                </DataTable>
            }.into_any()
        }}
    }
}
