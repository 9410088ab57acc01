//! `/nachnutzung/anbindung/:id`: one connection with its steps, the next steps the caller may
//! take, the checklist (a blocked item can open a Beratungsfall) and the costs.

use crate::ui::list::{Col, DataTable, cols};
use crate::rollout::api::{rollout_connection, AddConnectionCost, ConnectionItem as SetItem, ConnectionItemCase, ConnectionStep, RemoveConnectionCost};
use crate::rollout::model::{Bearer, ConnectionState, ConnectionView, CostKind, ItemState};
use crate::ui::errors::ErrorPage;
use crate::ui::format::euro;
use crate::ui::forms::{ErrorSummary, FieldBox, kept, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn notice(q: &leptos_router::params::ParamsMap) -> Option<&'static str> {
    [
        ("bekundet", "Ihr Interesse ist erfasst. Die Anbindung beginnt mit der Checkliste unten."),
        ("schritt", "Der Schritt ist gespeichert."),
        ("punkt", "Der Punkt der Checkliste ist gespeichert."),
        ("kosten", "Die Kosten sind gespeichert."),
    ]
    .into_iter()
    .find(|(k, _)| q.get(k).is_some())
    .map(|(_, t)| t)
}

#[component]
pub fn ConnectionPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(move || params.with(|p| p.get("id").unwrap_or_default()), rollout_connection);
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <Title text="Anbindung"/><ErrorPage error=e/> }.into_any(),
                    Ok(v) => view! { <Connection v note=query.with_untracked(notice)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Connection(v: ConnectionView, note: Option<&'static str>) -> impl IntoView {
    let step = ServerAction::<ConnectionStep>::new();
    let item = ServerAction::<SetItem>::new();
    let case = ServerAction::<ConnectionItemCase>::new();
    let add = ServerAction::<AddConnectionCost>::new();
    let remove = ServerAction::<RemoveConnectionCost>::new();
    let (e1, e2, e3, e4, e5) = (submission_error(step), submission_error(item), submission_error(case), submission_error(add), submission_error(remove));
    let id = v.id;
    let version = v.version;
    let (checklist, costs, may_edit_checklist, may_file_case, may_edit_costs) = (v.checklist.clone(), v.costs.clone(), v.may_edit_checklist, v.may_file_case, v.may_edit_costs);
    let title = format!("{}: Anbindung an {}", v.kommune, v.efa.name);
    let forward: Vec<ConnectionState> = v.next.iter().copied().filter(|s| *s != ConnectionState::Paused).collect();
    let may_pause = v.next.contains(&ConnectionState::Paused);
    let live_hint = v.live_by_land && v.state == ConnectionState::Test && !forward.contains(&ConnectionState::Live);
    let one_off: i64 = v.costs.iter().filter(|c| c.kind == CostKind::Once).map(|c| c.amount_cents).sum();
    let yearly: i64 = v.costs.iter().filter(|c| c.kind == CostKind::Yearly).map(|c| c.amount_cents).sum();
    view! {
        <Title text=title.clone()/>
        <p class="hint"><a href="/nachnutzung">"Nachnutzungsübersicht"</a>" · "<a href=format!("/nachnutzung/dienst/{}", v.efa.id)>{v.efa.name.clone()}</a></p>
        <h1>{title.clone()}</h1>
        {note.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <dl class="profile">
            <div><dt>"Schritt"</dt><dd><strong>{v.state.label()}</strong></dd></div>
            {v.reason.clone().map(|r| view! { <div><dt>"Grund der Zurückstellung"</dt><dd>{r}</dd></div> })}
            {v.efa.provider.clone().map(|p| view! { <div><dt>"Bereitstellendes Land"</dt><dd>{p}</dd></div> })}
        </dl>
        <ErrorSummary error=e1/>
        {(!forward.is_empty() || may_pause).then(move || view! {
            <section aria-labelledby="weiter-titel">
                <h2 id="weiter-titel">"Nächster Schritt"</h2>
                {(live_hint).then(|| view! {
                    <p class="hint">"»Live« bestätigt die Landesberatung; sie setzt damit auch das Leistungsregister auf »online«."</p>
                })}
                <div class="actions">
                    {forward.into_iter().map(|s| view! {
                        <ActionForm action=step attr:class="inline-form">
                            <input type="hidden" name="id" value=id.to_string()/>
                            <input type="hidden" name="version" value=version.to_string()/>
                            <input type="hidden" name="schritt" value=s.code()/>
                            <button type="submit" class="button">{format!("Weiter: {}", s.label())}</button>
                        </ActionForm>
                    }).collect_view()}
                </div>
                {may_pause.then(move || view! {
                    <ActionForm action=step attr:class="form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <input type="hidden" name="version" value=version.to_string()/>
                        <input type="hidden" name="schritt" value=ConnectionState::Paused.code()/>
                        <FieldBox name="state" label="Grund für das Zurückstellen" error=e1>
                            <input id="feld-state" name="grund" maxlength="500" value=kept(e1, "grund", "")/>
                        </FieldBox>
                        <button type="submit" class="button button-outline">"Zurückstellen"</button>
                    </ActionForm>
                })}
            </section>
        })}
        <h2>"Checkliste der Anbindung"</h2>
        <ErrorSummary error=e2/>
        <ErrorSummary error=e3/>
        {if checklist.is_empty() {
            view! { <p>"Für diesen Dienst ist keine Checkliste hinterlegt."</p> }.into_any()
        } else {
            view! {
                <ol class="checklist">
                    {checklist.into_iter().map(|c| {
                        let pos = c.position;
                        let (note, status, item_label) = (c.note.clone().unwrap_or_default(), c.status, c.label.clone());
                        view! {
                            <li id=format!("punkt-{pos}")>
                                <p><strong>{c.label.clone()}</strong>" – "{c.status.label()}</p>
                                {c.note.clone().map(|n| view! { <p class="hint">{n}</p> })}
                                {c.case_id.map(|k| view! { <p><a href=format!("/faelle/{k}")>{format!("Beratungsfall {k}")}</a></p> })}
                                {may_edit_checklist.then(|| view! {
                                    <ActionForm action=item attr:class="inline-form">
                                        <input type="hidden" name="id" value=id.to_string()/>
                                        <input type="hidden" name="punkt" value=pos.to_string()/>
                                        <label for=format!("status-{pos}")>"Stand"</label>
                                        <select id=format!("status-{pos}") name="status">
                                            {ItemState::ALL.iter().map(|s| view! { <option value=s.code() selected=status == *s>{s.label()}</option> }).collect_view()}
                                        </select>
                                        <label for=format!("notiz-{pos}")>"Notiz"</label>
                                        <input id=format!("notiz-{pos}") name="notiz" maxlength="2000" value=note.clone()/>
                                        <button type="submit" class="button button-secondary">"Speichern"<span class="visually-hidden">{format!(": {item_label}")}</span></button>
                                    </ActionForm>
                                })}
                                {(may_file_case && c.status == ItemState::Blocked && c.case_id.is_none()).then(|| view! {
                                    <ActionForm action=case attr:class="inline-form">
                                        <input type="hidden" name="id" value=id.to_string()/>
                                        <input type="hidden" name="punkt" value=pos.to_string()/>
                                        <button type="submit" class="button">"Beratungsfall eröffnen"<span class="visually-hidden">{format!(": {}", c.label)}</span></button>
                                    </ActionForm>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        <h2>"Verlauf"</h2>
        <DataTable id="verlauf-titel" caption="Schritte der Anbindung" columns=cols(["Schritt", "am", "von", "Bemerkung"])>
                    {v.steps.iter().map(|s| view! {
                        <tr><td>{s.state.label()}</td><td>{s.at.clone()}</td><td>{s.by.clone()}</td><td>{s.note.clone().unwrap_or_default()}</td></tr>
                    }).collect_view()}
                </DataTable>
        <h2 id="kosten">"Kosten"</h2>
        <ErrorSummary error=e5/>
        {if costs.is_empty() {
            view! { <p>"Keine Kosten erfasst."</p> }.into_any()
        } else {
            view! {
                <DataTable id="kosten-titel" caption=format!("Kosten: einmalig {}, jährlich {}", euro(one_off), euro(yearly)) columns={
                        let mut c = cols(["Jahr", "Art", "Betrag", "trägt", "Bemerkung"]);
                        if may_edit_costs { c.push(Col::hidden("Entfernen")); }
                        c
                    }>
                            {costs.into_iter().map(|c| view! {
                                <tr>
                                    <td>{c.year}</td><td>{c.kind.label()}</td><td class="num">{euro(c.amount_cents)}</td><td>{c.bearer.label()}</td><td>{c.note.clone().unwrap_or_default()}</td>
                                    {may_edit_costs.then(|| view! {
                                        <td>
                                            <ActionForm action=remove attr:class="inline-form">
                                                <input type="hidden" name="id" value=id.to_string()/>
                                                <input type="hidden" name="kosten" value=c.id.to_string()/>
                                                <button type="submit" class="button button-outline">"Entfernen"<span class="visually-hidden">{format!(" {} {}", c.year, euro(c.amount_cents))}</span></button>
                                            </ActionForm>
                                        </td>
                                    })}
                                </tr>
                            }).collect_view()}
                        </DataTable>
            }.into_any()
        }}
        {may_edit_costs.then(move || view! {
            <h3>"Kosten erfassen"</h3>
            <ErrorSummary error=e4/>
            <ActionForm action=add attr:class="form" attr:novalidate="">
                <input type="hidden" name="id" value=id.to_string()/>
                <FieldBox name="kind" label="Art" error=e4>
                    <select id="feld-kind" name="kind">{let chosen = kept(e4, "kind", ""); CostKind::ALL.iter().map(|c| view! { <option value=c.code() selected=c.code() == chosen>{c.label()}</option> }).collect_view()}</select>
                </FieldBox>
                <FieldBox name="year" label="Jahr" error=e4><input id="feld-year" name="year" inputmode="numeric" value=kept(e4, "year", "")/></FieldBox>
                <FieldBox name="amount" label="Betrag in Euro" hint="Etwa 1.250,00" error=e4><input id="feld-amount" name="amount" inputmode="decimal" value=kept(e4, "amount", "") aria-describedby="feld-amount-hinweis"/></FieldBox>
                <FieldBox name="bearer" label="Wer trägt die Kosten?" error=e4>
                    <select id="feld-bearer" name="bearer">{let chosen = kept(e4, "bearer", ""); Bearer::ALL.iter().map(|c| view! { <option value=c.code() selected=c.code() == chosen>{c.label()}</option> }).collect_view()}</select>
                </FieldBox>
                <FieldBox name="note" label="Bemerkung" error=e4><input id="feld-note" name="note" maxlength="300" value=kept(e4, "note", "")/></FieldBox>
                <button type="submit" class="button">"Kosten hinzufügen"</button>
            </ActionForm>
        })}
    }
}
