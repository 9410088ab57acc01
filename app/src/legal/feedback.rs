//! `/barriere-melden`: anyone reports a barrier, without an account and without JavaScript;
//! `/verwaltung/barrieren`: the administrators work the reports.

use crate::ui::list::{DataTable, cols};
use crate::identity::Role;
use crate::legal::api::{barrier_reports, ReportBarrier, SetBarrierStatus};
use crate::legal::model::ReportStatus;
use crate::ui::auth::RequireRole;
use crate::ui::forms::{ErrorSummary, Field, FieldBox, kept, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The messages for one field of the form.
fn messages(error: Signal<Option<crate::error::AppError>>, field: &'static str) -> impl Fn() -> String + Copy {
    move || error.get().map(|e| e.field_messages(field).join(" ")).unwrap_or_default()
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let query = use_query_map();
    let sent = move || query.with(|q| q.get("gesendet").is_some());
    let page = move || query.with(|q| q.get("seite").unwrap_or_default());
    let report = ServerAction::<ReportBarrier>::new();
    let error = submission_error(report);
    let text_error = messages(error, "beschreibung");
    view! {
        <Title text="Barriere melden"/>
        <div class="narrow">
            <h1>"Barriere melden"</h1>
            <Show when=sent>
                <p class="notice" role="status">"Vielen Dank. Ihre Meldung ist eingegangen. Wir prüfen sie und beheben die Barriere so bald wie möglich. Wenn Sie eine E-Mail-Adresse angegeben haben, erhalten Sie eine Bestätigung."</p>
            </Show>
            <p>"Sie können etwas auf dieser Website nicht oder nur schwer nutzen? Beschreiben Sie uns bitte, was nicht funktioniert. Ein Konto brauchen Sie dafür nicht. Eine E-Mail-Adresse ist freiwillig; wir nutzen sie nur, um Ihnen zu antworten."</p>
            <ErrorSummary error/>
            <ActionForm action=report attr:class="form" attr:novalidate="">
                <FieldBox name="seite" label="Adresse der Seite" hint="Die Seite, auf der Sie die Barriere bemerkt haben." error>
                    <input id="feld-seite" name="seite" type="text" value=move || kept(error, "seite", page()) maxlength="500" aria-describedby="feld-seite-hinweis feld-seite-fehler"/>
                </FieldBox>
                <FieldBox name="beschreibung" label="Beschreibung der Barriere" required=true error
                    hint="Was wollten Sie tun, und was hat nicht funktioniert? Welche Hilfsmittel nutzen Sie, zum Beispiel einen Screenreader? Höchstens 5.000 Zeichen.">
                    <textarea id="feld-beschreibung" name="beschreibung" rows="8" required aria-invalid=move || (!text_error().is_empty()).then_some("true") aria-describedby="feld-beschreibung-hinweis feld-beschreibung-fehler">{kept(error, "beschreibung", "")}</textarea>
                </FieldBox>
                <Field name="kontakt" label="Ihre E-Mail-Adresse (freiwillig)" kind="email" autocomplete="email" maxlength=254 hint="Für eine Bestätigung und eine Antwort." error/>
                <div class="visually-hidden">
                    <label for="feld-website">"Dieses Feld bitte leer lassen"</label>
                    <input id="feld-website" name="website" type="text" tabindex="-1" autocomplete="off"/>
                </div>
                <button type="submit" class="button">"Meldung senden"</button>
            </ActionForm>
            <p>"Mehr zur Barrierefreiheit dieser Website und zu Ihren Rechten steht in der "<a href="/barrierefreiheit">"Erklärung zur Barrierefreiheit"</a>"."</p>
        </div>
    }
}

#[component]
pub fn AdminReportsPage() -> impl IntoView {
    let set = ServerAction::<SetBarrierStatus>::new();
    let reports = Resource::new(move || set.version().get(), |_| barrier_reports());
    let error = submission_error(set);
    view! {
        <Title text="Gemeldete Barrieren"/>
        <RequireRole roles=vec![Role::Admin]>
            <h1>"Gemeldete Barrieren"</h1>
            <p>"Meldungen über »Barriere melden« (BITV 2.0 § 7). Jede Statusänderung wird protokolliert."</p>
            <ErrorSummary error/>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match reports.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p role="status">"Keine Meldungen."</p> }.into_any(),
                        Ok(list) => view! {
                            <DataTable id="barrier-caption" caption=format!("{} Meldungen, neueste zuerst", list.len()) columns=cols(["Eingang", "Seite", "Beschreibung", "Kontakt", "Status"])>
                                        {list.into_iter().map(|r| {
                                            let select_id = format!("status-{}", r.id);
                                            let current = r.status;
                                            let received = r.received.clone();
                                            view! {
                                                <tr>
                                                    <th scope="row">{r.received}</th>
                                                    <td>{r.page}</td>
                                                    <td class="prewrap">{r.description}</td>
                                                    <td>{r.contact.unwrap_or_else(|| "–".into())}</td>
                                                    <td>{r.status.label()} <span class="hint">{format!(" (seit {})", r.changed)}</span></td>
                                                    <td class="actions">
                                                        <ActionForm action=set>
                                                            <input type="hidden" name="id" value=r.id.clone()/>
                                                            <label for=select_id.clone() class="visually-hidden">{format!("Neuer Status der Meldung vom {received}")}</label>
                                                            <select id=select_id name="status">
                                                                {ReportStatus::ALL.iter().map(|s| view! { <option value=s.code() selected=current == *s>{s.label()}</option> }).collect_view()}
                                                            </select>
                                                            <button type="submit" class="button button-small">"Setzen"</button>
                                                        </ActionForm>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </DataTable>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}
