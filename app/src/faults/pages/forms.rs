//! The forms of the faults room: a Kommune's report and the answer.

use crate::faults::api::{AnswerServiceReport, FileServiceReport};
use crate::faults::model::{ReportKind, ReportStatus, Severity};
use crate::ui::forms::{ErrorSummary, FieldBox, FieldSet, kept, kept_checked, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// A connected Kommune reports a fault or a requirement.
#[component]
pub fn ReportFormSection(service: String, kommunen: Vec<(String, String)>) -> impl IntoView {
    let file = ServerAction::<FileServiceReport>::new();
    let e = submission_error(file);
    let single = (kommunen.len() == 1).then(|| kommunen[0].0.clone());
    view! {
        <section aria-labelledby="melden-titel">
            <h2 id="melden-titel">"Störung oder Anforderung melden"</h2>
            <p class="hint">"Bitte sehen Sie zuerst oben nach, ob es schon gemeldet ist: dann genügt »Betrifft uns auch«. Andere angebundene Kommunen, die Landesberatung und der Betreiber lesen Ihre Meldung."</p>
            <ErrorSummary error=e/>
            <ActionForm action=file attr:class="form" attr:novalidate="">
                <input type="hidden" name="dienst" value=service/>
                {match single {
                    Some(key) => view! { <input type="hidden" name="kommune" value=key/> }.into_any(),
                    None => view! {
                        <FieldBox name="kommune" label="Für welche Kommune melden Sie?" error=e required=true>
                            <select id="feld-kommune" name="kommune">
                                <option value="">"Bitte wählen"</option>
                                {let chosen = kept(e, "kommune", ""); kommunen.into_iter().map(|(k, n)| view! { <option value=k.clone() selected=k == chosen>{n}</option> }).collect_view()}
                            </select>
                        </FieldBox>
                    }.into_any(),
                }}
                <FieldSet legend="Was melden Sie? (Pflichtfeld)" names=&["art"] error=e>
                    {ReportKind::ALL.iter().map(|k| {
                        let cid = format!("art-{}", k.code());
                        view! {
                            <div class="checkbox-field">
                                <input type="radio" id=cid.clone() name="art" value=k.code() checked=kept_checked(e, "art", k.code(), false)/>
                                <label for=cid>{k.label()}</label>
                            </div>
                        }
                    }).collect_view()}
                </FieldSet>
                <FieldBox name="titel" label="Titel" error=e required=true>
                    <input id="feld-titel" name="titel" maxlength="200" value=kept(e, "titel", "")/>
                </FieldBox>
                <FieldBox name="beschreibung" label="Beschreibung" hint="Was geschieht, wo, mit welcher Meldung; keine personenbezogenen Daten von Antragstellenden." error=e required=true>
                    <textarea id="feld-beschreibung" name="beschreibung" rows="5" maxlength="5000" aria-describedby="feld-beschreibung-hinweis">{kept(e, "beschreibung", "")}</textarea>
                </FieldBox>
                <FieldBox name="schwere" label="Wie schwer trifft es Sie?" error=e required=true>
                    <select id="feld-schwere" name="schwere">
                        <option value="">"Bitte wählen"</option>
                        {let chosen = kept(e, "schwere", ""); Severity::ALL.iter().map(|s| view! { <option value=s.code() selected=s.code() == chosen>{s.label()}</option> }).collect_view()}
                    </select>
                </FieldBox>
                <FieldBox name="seit" label="Seit wann?" error=e required=true>
                    <input id="feld-seit" name="seit" type="date" value=kept(e, "seit", "")/>
                </FieldBox>
                <div class="checkbox-field">
                    <input type="checkbox" id="feld-namentlich" name="namentlich" value="ja" checked=kept_checked(e, "namentlich", "ja", false)/>
                    <label for="feld-namentlich">"Andere Kommunen dürfen sehen, dass meine Kommune das gemeldet hat"</label>
                </div>
                <button type="submit" class="button">"Meldung absenden"</button>
            </ActionForm>
        </section>
    }
}

/// The Land or the operator answers in public and/or sets the status.
#[component]
pub fn AnswerFormSection(id: i64, version: i32, kind: ReportKind, current: ReportStatus) -> impl IntoView {
    let answer = ServerAction::<AnswerServiceReport>::new();
    let e = submission_error(answer);
    view! {
        <section aria-labelledby="antworten-titel">
            <h2 id="antworten-titel">"Antworten und Status setzen"</h2>
            <p class="hint">"Die Antwort lesen alle an den Dienst angebundenen Kommunen; jede betroffene Kommune wird benachrichtigt."</p>
            <ErrorSummary error=e/>
            <ActionForm action=answer attr:class="form" attr:novalidate="">
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="version" value=version.to_string()/>
                <FieldBox name="status" label="Status" error=e>
                    <select id="feld-status" name="status">
                        <option value="">{format!("unverändert ({})", current.label())}</option>
                        {let chosen = kept(e, "status", ""); ReportStatus::of(kind).into_iter().filter(|s| *s != current).map(|s| view! { <option value=s.code() selected=s.code() == chosen>{s.label()}</option> }).collect_view()}
                    </select>
                </FieldBox>
                <FieldBox name="antwort" label="Öffentliche Antwort" hint="Bei »abgelehnt« die Begründung." error=e>
                    <textarea id="feld-antwort" name="antwort" rows="4" maxlength="5000" aria-describedby="feld-antwort-hinweis">{kept(e, "antwort", "")}</textarea>
                </FieldBox>
                <button type="submit" class="button">"Antwort speichern"</button>
            </ActionForm>
        </section>
    }
}
