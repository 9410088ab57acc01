//! `/foerderung/antrag/neu?programm=ID`: a Kommune's application; `/foerderung/antrag/:id`: one
//! application with its workflow.

use crate::ui::list::{DataTable, cols};
use crate::funding::api::{funding_application, funding_form, ApplyFunding, FundingStep as Step};
use crate::funding::model::{Action, ApplicationForm, ApplicationView, Status};
use crate::identity::Role;
use crate::ui::auth::RequireRole;
use crate::ui::errors::ErrorPage;
use crate::ui::format::{euro, format_date};
use crate::ui::forms::{ErrorSummary, FieldBox, kept, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use crate::funding::model::{COST_ROWS, COST_ROWS_SHOWN};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ApplicationFormPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.with(|q| q.get("programm").unwrap_or_default()), funding_form);
    view! {
        <Title text="Förderantrag stellen"/>
        <RequireRole roles=vec![Role::Clerk]>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                        Ok(f) => view! { <Form f/> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

#[component]
fn Form(f: ApplicationForm) -> impl IntoView {
    let apply = ServerAction::<ApplyFunding>::new();
    let error = submission_error(apply);
    let g = f.programme.clone();
    view! {
        <p class="hint"><a href="/foerderung">"Förderung"</a></p>
        <h1>{format!("Antrag: {}", g.name)}</h1>
        <p>{format!(
            "Gefördert werden bis zu {}\u{a0}% der Kosten, höchstens {} je Vorhaben. Antragsfrist {} bis {}.",
            g.rate_percent, euro(g.max_cents), format_date(&g.opens_on), format_date(&g.closes_on)
        )}</p>
        <ErrorSummary error/>
        <ActionForm action=apply attr:class="form" attr:novalidate="">
            <input type="hidden" name="programm" value=g.id.to_string()/>
            <input type="hidden" name="idempotency_key" value=f.idempotency_key.clone()/>
            <FieldBox name="kommune" label="Für die Kommune" error>
                <select id="feld-kommune" name="kommune">
                    // Acting for several Kommunen, the person chooses one: none is preselected.
                    {(f.kommunen.len() > 1).then(|| view! { <option value="">"– bitte wählen –"</option> })}
                    {let chosen = kept(error, "kommune", ""); f.kommunen.iter().map(|(k, n)| view! { <option value=k.clone() selected=*k == chosen>{n.clone()}</option> }).collect_view()}
                </select>
            </FieldBox>
            <FieldBox name="title" label="Titel des Vorhabens (Pflichtfeld)" error><input id="feld-title" name="title" maxlength="200" value=kept(error, "title", "")/></FieldBox>
            <FieldBox name="description" label="Beschreibung des Vorhabens (Pflichtfeld)" error><textarea id="feld-description" name="description" rows="6" class="wide">{kept(error, "description", "")}</textarea></FieldBox>
            <FieldBox name="ozg_ids" label="Betroffene OZG-Leistungen (optional)" hint=crate::ui::forms::SERVICES_HINT error><input id="feld-ozg_ids" name="ozg_ids" maxlength="500" list="ozg-leistungen" autocomplete="off" value=kept(error, "ozg_ids", "") aria-describedby="feld-ozg_ids-hinweis feld-ozg_ids-fehler"/></FieldBox>
            <crate::catalogue::pages::ServiceChoiceList/>
            <crate::ui::forms::FieldSet legend="Kostenplan (Pflichtfeld)" names=&["cost_plan"] error>
                <p class="hint">"Je Position die Bezeichnung und der Betrag in Euro, etwa »Anpassung Fachverfahren« und »12.000,00«. Die Summe sind die förderfähigen Kosten."</p>
                {(0..COST_ROWS_SHOWN).map(|i| view! { <CostRow i error/> }).collect_view()}
                <details class="desk" open=(COST_ROWS_SHOWN..COST_ROWS).any(|i| !kept(error, &format!("posten[w{i}]"), "").is_empty() || !kept(error, &format!("posten[b{i}]"), "").is_empty())>
                    <summary>{format!("Weitere Positionen ({} bis {COST_ROWS})", COST_ROWS_SHOWN + 1)}</summary>
                    {(COST_ROWS_SHOWN..COST_ROWS).map(|i| view! { <CostRow i error/> }).collect_view()}
                </details>
            </crate::ui::forms::FieldSet>
            <FieldBox name="requested" label="Beantragte Förderung in Euro (Pflichtfeld)" error><input id="feld-requested" name="requested" inputmode="decimal" value=kept(error, "requested", "")/></FieldBox>
            <button type="submit" class="button">"Antrag stellen"</button>
        </ActionForm>
    }
}

/// One row of the cost plan: its Bezeichnung and its Betrag, kept after a refusal.
#[component]
fn CostRow(i: usize, error: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    let (w, b) = (format!("posten[w{i}]"), format!("posten[b{i}]"));
    let (wid, bid) = (format!("posten-w{i}"), format!("posten-b{i}"));
    view! {
        <div class="inline-field">
            <label for=wid.clone()>{format!("Position {}", i + 1)}</label>
            <input id=wid name=w.clone() maxlength="200" value=kept(error, &w, "")/>
            <label for=bid.clone()>{format!("Betrag {} in Euro", i + 1)}</label>
            <input id=bid name=b.clone() inputmode="decimal" size="12" value=kept(error, &b, "")/>
        </div>
    }
}

#[component]
pub fn ApplicationPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(move || params.with(|p| p.get("id").unwrap_or_default()), funding_application);
    let notice = query.with_untracked(|q| if q.get("gestellt").is_some() { Some("Ihr Antrag ist eingegangen.".to_string()) } else { q.get("stand").map(|s| format!("Neuer Stand: {}.", Status::label_of(&s))) });
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || {
                let notice = notice.clone();
                Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <Title text="Förderantrag"/><ErrorPage error=e/> }.into_any(),
                        Ok(v) => view! { <Application v notice/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Application(v: ApplicationView, notice: Option<String>) -> impl IntoView {
    let step = ServerAction::<Step>::new();
    let error = submission_error(step);
    let a = v.item.clone();
    let id = a.id.to_string();
    let actions = v.actions.clone();
    let version = v.version.to_string();
    view! {
        <Title text=format!("Förderantrag: {}", a.title)/>
        <p class="hint"><a href="/foerderung">"Förderung"</a></p>
        <h1>{a.title.clone()}</h1>
        {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <dl class="profile">
            <div><dt>"Kommune"</dt><dd>{a.kommune.clone()}</dd></div>
            <div><dt>"Programm"</dt><dd>{a.programme.clone()}</dd></div>
            <div><dt>"Stand"</dt><dd><strong>{a.status.label()}</strong></dd></div>
            <div><dt>"Förderfähige Kosten"</dt><dd>{euro(v.total_cents)}</dd></div>
            <div><dt>"Beantragt"</dt><dd>{euro(a.requested_cents)}</dd></div>
            {a.approved_cents.map(|c| view! { <div><dt>"Bewilligt"</dt><dd>{euro(c)}</dd></div> })}
            {a.approved_cents.map(|_| view! { <div><dt>"Abgerufen"</dt><dd>{euro(v.disbursed_cents)}</dd></div> })}
            {v.proof_due_on.clone().map(|d| view! { <div><dt>"Verwendungsnachweis fällig"</dt><dd>{d}</dd></div> })}
            {v.reason.clone().map(|r| view! { <div><dt>"Grund der Ablehnung"</dt><dd>{r}</dd></div> })}
            {(!v.leistungen.is_empty()).then(|| view! { <div><dt>"OZG-Leistungen"</dt><dd>{v.leistungen.iter().map(|(o, n)| format!("{o} {n}")).collect::<Vec<_>>().join(", ")}</dd></div> })}
        </dl>
        <h2>"Vorhaben"</h2>
        <p class="pre">{v.description.clone()}</p>
        <DataTable id="plan-titel" caption="Kostenplan" columns=cols(["Position", "Betrag"])>{v.cost_plan.iter().map(|p| view! { <tr><td>{p.what.clone()}</td><td class="num">{euro(p.cents)}</td></tr> }).collect_view()}</DataTable>
        {v.report.clone().map(|r| view! { <h2>"Verwendungsnachweis"</h2><p class="pre">{r}</p> })}
        <ErrorSummary error/>
        {(!actions.is_empty()).then(|| view! {
            <h2>"Nächster Schritt"</h2>
            {actions.into_iter().map(|act| {
                let (id, version) = (id.clone(), version.clone());
                let amount_label = if act == Action::Grant { "Bewilligter Betrag in Euro" } else { "Abzurufender Betrag in Euro" };
                let text_label = if act == Action::Reject { "Begründung" } else { "Verwendungsnachweis: wofür wurden die Mittel verwendet?" };
                view! {
                    <ActionForm action=step attr:class="form">
                        <input type="hidden" name="id" value=id.clone()/>
                        <input type="hidden" name="version" value=version.clone()/>
                        <input type="hidden" name="aktion" value=act.code()/>
                        {act.needs_amount().then(|| view! {
                            <FieldBox name="amount" label=amount_label error>
                                <input id="feld-amount" name="amount" inputmode="decimal"/>
                            </FieldBox>
                        })}
                        {(act == Action::Grant).then(|| view! {
                            <FieldBox name="nachweis_bis" label="Verwendungsnachweis fällig am" hint="Leer gelassen: ein Jahr nach der Bewilligung." error>
                                <input id="feld-nachweis_bis" name="nachweis_bis" type="date"/>
                            </FieldBox>
                        })}
                        {act.needs_note().is_some().then(|| view! {
                            <FieldBox name="note" label=text_label error>
                                <textarea id="feld-note" name="note" rows="4" class="wide"></textarea>
                            </FieldBox>
                        })}
                        <button type="submit" class=if act == Action::Reject { "button button-outline" } else { "button" }>{act.label()}</button>
                    </ActionForm>
                }
            }).collect_view()}
        })}
        <h2>"Verlauf"</h2>
        <DataTable id="schritte-titel" caption="Jeder Schritt des Antrags" columns=cols(["Stand", "Betrag", "am", "von", "Bemerkung"])>
                    {v.steps.iter().map(|s| view! {
                        <tr><td>{s.status.label()}</td><td class="num">{s.amount_cents.map(euro).unwrap_or_default()}</td><td>{s.at.clone()}</td><td>{s.by.clone()}</td><td>{s.note.clone().unwrap_or_default()}</td></tr>
                    }).collect_view()}
                </DataTable>
    }
}
