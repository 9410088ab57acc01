//! The operators' parts of the roll-out pages: who operates a service (chosen by administrators),
//! how it runs (with the form of the operator and the Land), and the proposed dates of a
//! connection's test and go-live.

use crate::rollout::api_operators::{ProposeConnectionDates, SetServiceOperators, SetServiceState};
use crate::rollout::model::{OperatingState, ServiceStatus};
use crate::ui::forms::{ErrorSummary, FieldBox, FieldSet, kept, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The administrators' choice of a service's operators among the partner organisations.
#[component]
pub fn OperatorChoice(service: String, chosen: Vec<(String, String)>, choices: Vec<(String, String)>) -> impl IntoView {
    let set = ServerAction::<SetServiceOperators>::new();
    let e = submission_error(set);
    view! {
        <section aria-labelledby="betreiber-titel">
            <h2 id="betreiber-titel">"Betreiber festlegen"</h2>
            <ErrorSummary error=e/>
            {if choices.is_empty() {
                view! { <p>"Es gibt noch keine Partnerorganisation; legen Sie sie unter "<a href="/verwaltung/partner">"Partnerorganisationen"</a>" an."</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=set attr:class="form">
                        <input type="hidden" name="dienst" value=service/>
                        <FieldSet legend="Partnerorganisationen, die den Dienst betreiben" names=&["betreiber"] error=e>
                            <div id="feld-betreiber" class="choices">
                                {choices.into_iter().map(|(key, name)| {
                                    let on = chosen.iter().any(|(k, _)| *k == key);
                                    let cid = format!("betreiber-{key}");
                                    view! {
                                        <div class="checkbox-field">
                                            <input type="checkbox" id=cid.clone() name=format!("betreiber[{key}]") value=key.clone() checked=on/>
                                            <label for=cid>{name}</label>
                                        </div>
                                    }
                                }).collect_view()}
                            </div>
                        </FieldSet>
                        <button type="submit" class="button">"Betreiber speichern"</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

/// The proposed dates of the test and the go-live; a form for the operator and the Land.
#[component]
pub fn PlannedDates(id: i64, version: i32, test: Option<String>, live: Option<String>, editable: bool, saved: bool) -> impl IntoView {
    let propose = ServerAction::<ProposeConnectionDates>::new();
    let e = submission_error(propose);
    let shown = |d: &Option<String>| d.as_deref().map(crate::ui::format::format_date).unwrap_or_else(|| "noch offen".to_string());
    view! {
        <section aria-labelledby="termine">
            <h2 id="termine">"Geplante Termine"</h2>
            {saved.then(|| view! { <p class="notice" role="status">"Die Termine sind gespeichert."</p> })}
            <dl class="profile">
                <div><dt>"Testbeginn"</dt><dd>{shown(&test)}</dd></div>
                <div><dt>"Live-Termin"</dt><dd>{shown(&live)}</dd></div>
            </dl>
            {editable.then(|| view! {
                <ErrorSummary error=e/>
                <ActionForm action=propose attr:class="form" attr:novalidate="">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="version" value=version.to_string()/>
                    <FieldBox name="test" label="Testbeginn" error=e>
                        <input id="feld-test" name="test" type="date" value=kept(e, "test", test.as_deref().unwrap_or(""))/>
                    </FieldBox>
                    <FieldBox name="live" label="Live-Termin" error=e>
                        <input id="feld-live" name="live" type="date" value=kept(e, "live", live.as_deref().unwrap_or(""))/>
                    </FieldBox>
                    <button type="submit" class="button button-secondary">"Termine vorschlagen"</button>
                </ActionForm>
            })}
        </section>
    }
}

/// The operating state with its form (for the operator and the Land).
#[component]
pub fn OperatingSection(status: ServiceStatus, editable: bool, saved: bool) -> impl IntoView {
    let id = status.service_id.clone();
    let current = status.state;
    let since = status.since.clone();
    view! {
        <section aria-labelledby="zustand-titel">
            <h2 id="zustand-titel">"Betriebszustand"</h2>
            {saved.then(|| view! { <p class="notice" role="status">"Der Betriebszustand ist gespeichert; die angebundenen Kommunen sind benachrichtigt."</p> })}
            <crate::ui::status::StatusNotice s=status/>
            {since.map(|s| view! { <p class="hint">{format!("Gesetzt am {s}")}</p> })}
            {editable.then(|| view! { <StateFormSection service=id.clone() current/> })}
        </section>
    }
}

/// The operator or the Land sets the operating state.
#[component]
fn StateFormSection(service: String, current: OperatingState) -> impl IntoView {
    let set = ServerAction::<SetServiceState>::new();
    let e = submission_error(set);
    view! {
        <details class="desk" open=e.with_untracked(Option::is_some)>
            <summary>"Betriebszustand ändern"</summary>
            <ErrorSummary error=e/>
            <ActionForm action=set attr:class="form" attr:novalidate="">
                <input type="hidden" name="dienst" value=service/>
                <FieldBox name="zustand" label="Betriebszustand" error=e>
                    <select id="feld-zustand" name="zustand">
                        {let chosen = kept(e, "zustand", current.code()); OperatingState::ALL.iter().map(|s| view! { <option value=s.code() selected=s.code() == chosen>{s.label()}</option> }).collect_view()}
                    </select>
                </FieldBox>
                <FieldBox name="hinweis" label="Hinweis für die Kommunen" error=e>
                    <textarea id="feld-hinweis" name="hinweis" rows="2" maxlength="1000">{kept(e, "hinweis", "")}</textarea>
                </FieldBox>
                <FieldSet legend="Zeitfenster der Wartung (nur bei »Wartung angekündigt«)" names=&["von", "bis"] error=e>
                    <label for="feld-von">"Beginn"</label>
                    <input id="feld-von" name="von" type="datetime-local" value=kept(e, "von", "")/>
                    <label for="feld-bis">"Ende"</label>
                    <input id="feld-bis" name="bis" type="datetime-local" value=kept(e, "bis", "")/>
                </FieldSet>
                <button type="submit" class="button button-secondary">"Betriebszustand setzen"</button>
            </ActionForm>
        </details>
    }
}

