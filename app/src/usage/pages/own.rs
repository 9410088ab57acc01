//! `/kommunen/:key/nutzung`: a Kommune's usage figures per Leistung and month (from the ZSK and
//! its own entries) and, for its clerks, the form for an own monthly figure of a Leistung the ZSK
//! does not count.

use crate::ui::errors::ErrorPage;
use crate::ui::forms::{ErrorSummary, FieldBox, kept, submission_error};
use crate::ui::list::{Col, DataTable};
use crate::usage::api::{EnterUsage, load_own_usage};
use crate::usage::model::{OwnUsage, UsageSource};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn OwnUsagePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let saved = query.with_untracked(|q| q.get("gespeichert").is_some());
    let data = Resource::new(move || params.with(|p| p.get("key").unwrap_or_default()), load_own_usage);
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <Title text="Nutzungszahlen"/><ErrorPage error=e/> }.into_any(),
                    Ok(u) => view! { <Own u saved/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Own(u: OwnUsage, saved: bool) -> impl IntoView {
    let title = format!("Nutzungszahlen: {}", u.name);
    let rows = u.rows.clone();
    let form = u.clone();
    let columns: Vec<Col> = [Col::from("OZG-Leistung"), Col::from("Quelle")].into_iter().chain(u.months.iter().map(|m| Col::from(crate::ui::format::month(m).as_str()))).collect();
    view! {
        <Title text=title.clone()/>
        <p class="hint"><a href=format!("/kommunen/{}/leistungen", u.key)>"Leistungsregister"</a>" · "<a href="/lagebild/nutzung">"Nutzung im Lagebild"</a></p>
        <h1>{title}</h1>
        {saved.then(|| view! { <p class="notice" role="status">"Die Zahl ist gespeichert."</p> })}
        <p>"Vorgänge je Monat, wie die Zentrale Statistik-Komponente sie für Ihre Kommune zählt, und Ihre eigenen Angaben für Leistungen, die sie nicht zählt."</p>
        {if u.rows.is_empty() {
            view! { <p>"Für die letzten zwölf Monate liegen keine Zahlen vor."</p> }.into_any()
        } else {
            view! {
                <DataTable id="nutzung-titel" caption="Vorgänge je Leistung und Monat" columns>
                    {rows.iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.name.clone()}</th>
                            <td>{if r.source == UsageSource::Zsk { "ZSK" } else { "eigene Angabe" }}</td>
                            {r.counts.iter().map(|c| view! { <td class="num">{c.map(crate::ui::format::format_number).unwrap_or_else(|| "–".into())}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </DataTable>
            }.into_any()
        }}
        {form.may_enter.then(|| view! { <EntryForm u=form.clone()/> })}
    }
}

#[component]
fn EntryForm(u: OwnUsage) -> impl IntoView {
    let enter = ServerAction::<EnterUsage>::new();
    let e = submission_error(enter);
    let last = u.months.last().cloned().unwrap_or_default();
    view! {
        <section aria-labelledby="eintragen-titel" class="narrow">
            <h2 id="eintragen-titel">"Eigene Zahl eintragen"</h2>
            <p class="hint">"Für Leistungen, die die ZSK für Ihre Kommune nicht zählt. Eine zweite Angabe für denselben Monat ersetzt die erste."</p>
            <ErrorSummary error=e/>
            <ActionForm action=enter attr:class="form" attr:novalidate="">
                <input type="hidden" name="kommune" value=u.key.clone()/>
                <FieldBox name="leistung" label="OZG-Leistung" hint="Ihre online angebotenen Leistungen stehen oben." error=e required=true>
                    <select id="feld-leistung" name="leistung" aria-describedby="feld-leistung-hinweis">
                        <option value="">"bitte wählen"</option>
                        {let chosen = kept(e, "leistung", ""); u.services.iter().map(|(id, name)| view! { <option value=id.clone() selected=*id == chosen>{crate::ui::format::service_label(id, name)}</option> }).collect_view()}
                    </select>
                </FieldBox>
                <FieldBox name="monat" label="Monat" hint="JJJJ-MM" error=e required=true>
                    <input id="feld-monat" name="monat" type="month" value=kept(e, "monat", &last) aria-describedby="feld-monat-hinweis"/>
                </FieldBox>
                <FieldBox name="anzahl" label="Vorgänge im Monat" error=e required=true>
                    <input id="feld-anzahl" name="anzahl" inputmode="numeric" value=kept(e, "anzahl", "")/>
                </FieldBox>
                <button type="submit" class="button">"Speichern"</button>
            </ActionForm>
        </section>
    }
}
