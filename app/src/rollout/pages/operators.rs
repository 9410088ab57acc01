//! The operators' parts of the roll-out pages: who operates a service (chosen by administrators)
//! and the proposed dates of a connection's test and go-live.

use crate::rollout::api_operators::{ProposeConnectionDates, SetServiceOperators};
use crate::ui::forms::{ErrorSummary, FieldBox, kept, submission_error};
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
                        <FieldBox name="betreiber" label="Partnerorganisationen, die den Dienst betreiben" error=e>
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
                        </FieldBox>
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
