//! `/nachnutzung/anbindung/:id`: one connection with its steps, the next steps the caller may
//! take, the checklist (a blocked item can open a Beratungsfall), the dates the operator
//! proposes and the costs (not for the operator).

use crate::ui::list::{Col, DataTable, cols};
use crate::rollout::api::{rollout_connection, AddConnectionCost, ConnectionItem as SetItem, ConnectionStep, RemoveConnectionCost};
use crate::rollout::model::{Bearer, ConnectionState, ConnectionView, CostKind, ItemState};
use crate::ui::errors::ErrorPage;
use crate::ui::format::euro;
use crate::ui::forms::{ErrorSummary, FieldBox, kept, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Where a blocked item's Beratungsfall is opened: the cases' server function, posted as a plain
/// form (the roll-out does not reach into the cases' code).
const CASE_FROM_ITEM: &str = "/api/connection_item_case";

fn notice(q: &leptos_router::params::ParamsMap) -> Option<&'static str> {
    [
        ("bekundet", "Ihr Interesse ist erfasst. Die Anbindung beginnt mit der Checkliste unten."),
        ("schritt", "Der Schritt ist gespeichert."),
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
                    Ok(v) => view! { <Connection v note=query.with_untracked(notice) saved_item=query.with_untracked(|q| q.get("punkt").and_then(|p| p.parse().ok())) dates_saved=query.with_untracked(|q| q.get("termine").is_some())/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Connection(v: ConnectionView, note: Option<&'static str>, saved_item: Option<i32>, dates_saved: bool) -> impl IntoView {
    let step = ServerAction::<ConnectionStep>::new();
    let item = ServerAction::<SetItem>::new();
    let add = ServerAction::<AddConnectionCost>::new();
    let remove = ServerAction::<RemoveConnectionCost>::new();
    let (e1, e2, e3, e4, e5) = (submission_error(step), submission_error(item), crate::ui::forms::route_error(CASE_FROM_ITEM), submission_error(add), submission_error(remove));
    let id = v.id;
    let version = v.version;
    let (checklist, costs, may_file_case, may_edit_costs, as_operator) = (v.checklist.clone(), v.costs.clone(), v.may_file_case, v.may_edit_costs, v.as_operator);
    let title = format!("{}: Anbindung an {}", v.kommune, v.efa.name);
    let forward: Vec<ConnectionState> = v.next.iter().copied().filter(|s| *s != ConnectionState::Paused).collect();
    let may_pause = v.next.contains(&ConnectionState::Paused);
    let live_hint = v.live_by_land && v.state == ConnectionState::Test && !forward.contains(&ConnectionState::Live);
    let settled = v.checklist.iter().filter(|c| matches!(c.status, ItemState::Done | ItemState::NotNeeded)).count();
    let open = v.checklist.len() - settled;
    let pausing = e1.with_untracked(|e| e.as_ref().is_some_and(|e| !e.field_messages("state").is_empty() && kept(e1, "schritt", "") == ConnectionState::Paused.code()));
    let despite = move || e1.get().map(|e| e.field_messages("trotz_offener").join(" ")).unwrap_or_default();
    let leistungen = v.leistungen.clone();
    // A blocked item's case may go to the service's operator (the first by name) instead.
    let operator = v.operators.first().cloned();
    let kommune_key = v.kommune_key.clone();
    let one_off: i64 = v.costs.iter().filter(|c| c.kind == CostKind::Once).map(|c| c.amount_cents).sum();
    let yearly: i64 = v.costs.iter().filter(|c| c.kind == CostKind::Yearly).map(|c| c.amount_cents).sum();
    view! {
        <Title text=title.clone()/>
        <p class="hint"><a href="/nachnutzung">"Nachnutzungsübersicht"</a>" · "<a href=format!("/nachnutzung/dienst/{}", v.efa.id)>{v.efa.name.clone()}</a></p>
        <h1>{title.clone()}</h1>
        {note.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <dl class="profile">
            {v.reason.clone().map(|r| view! { <div><dt>"Grund der Zurückstellung"</dt><dd>{r}</dd></div> })}
            {v.efa.provider.clone().map(|p| view! { <div><dt>"Bereitstellendes Land"</dt><dd>{p}</dd></div> })}
            {(!v.operators.is_empty()).then(|| view! { <div><dt>"Betreiber"</dt><dd>{v.operators.join(", ")}</dd></div> })}
        </dl>
        <StepIndicator state=v.state paused_from=v.paused_from/>
        {(!leistungen.is_empty()).then(|| view! {
            <p>"Die Leistungen im Register der Kommune: "<crate::ui::list::ServiceLinks services=leistungen kommune=kommune_key/></p>
        })}
        <h2>"Checkliste der Anbindung"</h2>
        {(!checklist.is_empty()).then(|| view! {
            <p><strong>{format!("{settled} von {} erledigt", checklist.len())}</strong>{(open > 0).then(|| format!(" – noch {} offen", open))}</p>
        })}
        <ErrorSummary error=e2/>
        <ErrorSummary error=e3/>
        {if checklist.is_empty() {
            view! { <p>"Für diesen Dienst ist keine Checkliste hinterlegt."</p> }.into_any()
        } else {
            view! {
                <ol class="checklist">
                    {checklist.into_iter().map(|c| {
                        let pos = c.position;
                        let operator = operator.clone();
                        let (note, status, item_label) = (c.note.clone().unwrap_or_default(), c.status, c.label.clone());
                        view! {
                            <li id=format!("punkt-{pos}")>
                                <p><strong>{c.label.clone()}</strong>{c.operator.then_some(" (Betreiber)")}" – "{c.status.label()}</p>
                                {(saved_item == Some(pos)).then(|| view! { <p class="notice" role="status">"Der Punkt der Checkliste ist gespeichert."</p> })}
                                {c.note.clone().map(|n| view! { <p class="hint">{n}</p> })}
                                {c.case_id.map(|k| view! { <p><a href=format!("/faelle/{k}")>{format!("Beratungsfall {k}")}</a></p> })}
                                {c.may_edit.then(|| view! {
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
                                    <form method="post" action=CASE_FROM_ITEM class="inline-form">
                                        <input type="hidden" name="id" value=id.to_string()/>
                                        <input type="hidden" name="punkt" value=pos.to_string()/>
                                        <button type="submit" name="an" value="land" class="button">"Beratungsfall an das Land"<span class="visually-hidden">{format!(": {}", c.label)}</span></button>
                                        {operator.clone().map(|o| view! {
                                            <button type="submit" name="an" value="betreiber" class="button button-secondary">{format!("An den Betreiber {o}")}<span class="visually-hidden">{format!(": {}", c.label)}</span></button>
                                        })}
                                    </form>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        <ErrorSummary error=e1/>
        {(!forward.is_empty() || may_pause).then(move || view! {
            <section aria-labelledby="weiter-titel">
                <h2 id="weiter-titel">"Nächster Schritt"</h2>
                {(live_hint).then(|| view! {
                    <p class="hint">"»Live« bestätigt die Landesberatung; sie setzt damit auch das Leistungsregister auf »online«."</p>
                })}
                {(open > 0).then(|| view! {
                    <p class="hint">{format!("Noch {open} {} der Checkliste offen. Erledigen Sie sie zuerst – oder bestätigen Sie, dass es trotzdem weitergeht.", if open == 1 { "Punkt" } else { "Punkte" })}</p>
                })}
                <div class="actions">
                    {forward.into_iter().map(|s| view! {
                        <ActionForm action=step attr:class="inline-form">
                            <input type="hidden" name="id" value=id.to_string()/>
                            <input type="hidden" name="version" value=version.to_string()/>
                            <input type="hidden" name="schritt" value=s.code()/>
                            {(open > 0).then(|| {
                                let cid = format!("trotz-{}", s.code());
                                view! {
                                    <div class="field checkbox-field" class:field-invalid=move || !despite().is_empty()>
                                        <p class="field-error" id=format!("{cid}-fehler") hidden=move || despite().is_empty()>{despite}</p>
                                        <input type="checkbox" id=cid.clone() name="trotz_offener" value="ja" aria-describedby=format!("{cid}-fehler")/>
                                        <label for=cid>{format!("Trotz offener Punkte weiter zu »{}«", s.label())}</label>
                                    </div>
                                }
                            })}
                            <button type="submit" class={if open > 0 { "button button-secondary" } else { "button" }}>{format!("Weiter: {}", s.label())}</button>
                        </ActionForm>
                    }).collect_view()}
                </div>
                {may_pause.then(move || view! {
                    <details class="desk" open=pausing>
                        <summary>"Anbindung zurückstellen"</summary>
                        <ActionForm action=step attr:class="form">
                            <input type="hidden" name="id" value=id.to_string()/>
                            <input type="hidden" name="version" value=version.to_string()/>
                            <input type="hidden" name="schritt" value=ConnectionState::Paused.code()/>
                            <FieldBox name="state" label="Grund für das Zurückstellen" error=e1>
                                <input id="feld-state" name="grund" maxlength="500" value=kept(e1, "grund", "")/>
                            </FieldBox>
                            <button type="submit" class="button button-outline">"Zurückstellen"</button>
                        </ActionForm>
                    </details>
                })}
            </section>
        })}
        {(v.may_propose_dates || v.planned_test.is_some() || v.planned_live.is_some()).then(|| view! {
            <crate::rollout::pages::operators::PlannedDates id version test=v.planned_test.clone() live=v.planned_live.clone() editable=v.may_propose_dates saved=dates_saved/>
        })}
        <h2>"Verlauf"</h2>
        <DataTable id="verlauf-titel" caption="Schritte der Anbindung" columns=cols(["Schritt", "am", "von", "Bemerkung"])>
                    {v.steps.iter().map(|s| view! {
                        <tr><td>{s.state.label()}</td><td>{s.at.clone()}</td><td>{s.by.clone()}</td><td>{s.note.clone().unwrap_or_default()}</td></tr>
                    }).collect_view()}
                </DataTable>
        {(!as_operator).then(move || view! {
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
        })}
    }
}

/// Where the connection stands among its five steps: done ones ticked, the current one marked.
#[component]
fn StepIndicator(state: ConnectionState, paused_from: Option<ConnectionState>) -> impl IntoView {
    let at = state.rank().or_else(|| paused_from.and_then(ConnectionState::rank)).unwrap_or(0);
    let n = ConnectionState::ORDER.len();
    view! {
        <p><strong>{if state == ConnectionState::Paused {
            format!("Zurückgestellt in Schritt {} von {n}", at + 1)
        } else {
            format!("Schritt {} von {n}: {}", at + 1, state.label())
        }}</strong></p>
        <ol class="legend" aria-label="Schritte der Anbindung">
            {ConnectionState::ORDER.iter().enumerate().map(|(i, s)| {
                let current = i == at;
                view! {
                    <li aria-current=current.then_some("step")>
                        {if i < at { "✓ " } else if current { "▶ " } else { "○ " }}
                        {if current { view! { <strong>{s.label()}</strong> }.into_any() } else { view! { <span>{s.label()}</span> }.into_any() }}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
