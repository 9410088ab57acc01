//! `/nachnutzung/dienst/:id`: an EfA service with its OZG-Leistungen and connections. Clerks
//! declare interest for their Kommune(s); advisors see every Kommune and move many a step at once.

use crate::ui::list::{Col, DataTable, FilterChoice, FilterForm, FilterText, cols, options};
use crate::rollout::api::{rollout_service, ConnectionBulk, DeclareInterest};
use crate::rollout::model::{ConnectionState, ServicePage};
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{ErrorSummary, FieldBox, kept, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn RolloutServicePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        (
            params.with(|p| p.get("id").unwrap_or_default()),
            query.with(|q| q.get("kreis").unwrap_or_default()),
            query.with(|q| q.get("stand").unwrap_or_default()),
        )
    };
    let data = Resource::new(key, |(id, kreis, stand)| rollout_service(id, kreis, stand));
    let state_saved = query.with_untracked(|q| q.get("zustand").is_some());
    let moved = query.with_untracked(|q| {
        q.get("verschoben")
            .map(|n| format!("{n} Anbindungen sind einen Schritt weiter."))
            .or_else(|| {
                q.get("betreiber")
                    .map(|_| "Die Betreiber sind gespeichert.".to_string())
            })
    });
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || {
                let (moved, filter) = (moved.clone(), key());
                Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <Title text="EfA-Dienst"/><ErrorPage error=e/> }.into_any(),
                        Ok(p) => view! { <Service p moved filter state_saved/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Service(p: ServicePage, moved: Option<String>, filter: (String, String, String), state_saved: bool) -> impl IntoView {
    let declare = ServerAction::<DeclareInterest>::new();
    let bulk = ServerAction::<ConnectionBulk>::new();
    let (e1, e2) = (submission_error(declare), submission_error(bulk));
    let id = p.efa.id.clone();
    let (_, kreis, stand) = filter;
    let truncated = p.connections.len() > 1000;
    let may_declare = p.may_declare.clone();
    let declare_id = id.clone();
    let counts: Vec<i64> = p.counts.iter().map(|(_, n)| *n).collect();
    view! {
        <Title text=format!("{} – Nachnutzung", p.efa.name)/>
        <p class="hint"><a href="/nachnutzung">"Nachnutzungsübersicht"</a></p>
        <h1>{p.efa.name.clone()}</h1>
        {moved.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        {p.as_operator.then(|| view! { <p class="lead">"Ihre Organisation betreibt diesen Dienst: Sie sehen alle Anbindungen, erledigen die Punkte der Checkliste für den Betreiber, schlagen Termine vor und setzen »Test«."</p> })}
        <dl class="profile">
            {p.efa.provider.clone().map(|v| view! { <div><dt>"Bereitstellendes Land"</dt><dd>{v}</dd></div> })}
            {if p.operators.is_empty() {
                p.efa.operator.clone().map(|v| view! { <div><dt>"Betreiber"</dt><dd>{v}</dd></div> })
            } else {
                Some(view! { <div><dt>"Betreiber"</dt><dd>{p.operators.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ")}</dd></div> })
            }}
            {p.efa.marketplace_url.clone().map(|v| view! { <div><dt>"Marktplatz für EfA-Leistungen"</dt><dd><a href=v.clone()>{v.clone()}</a></dd></div> })}
            <div><dt>"Störungen und Anforderungen"</dt><dd><a href=format!("/nachnutzung/dienst/{id}/meldungen")>"Meldungen der Kommunen zu diesem Dienst"</a></dd></div>
            <div><dt>"OZG-Leistungen"</dt><dd>{if p.leistungen.is_empty() { "keine zugeordnet".to_string() } else { p.leistungen.iter().map(|(o, n)| format!("{o} {n}")).collect::<Vec<_>>().join(", ") }}</dd></div>
        </dl>
        {p.may_set_operators.then(|| view! { <crate::rollout::pages::operators::OperatorChoice service=id.clone() chosen=p.operators.clone() choices=p.partner_choices.clone()/> })}
        <crate::rollout::pages::operators::OperatingSection status=p.status.clone() editable=p.may_set_state saved=state_saved/>
        <h2>"Stand der Anbindungen"</h2>
        <DataTable id="stand-titel" caption="Anbindungen je Schritt, soweit Sie sie sehen" columns={p.counts.iter().map(|(s, _)| Col::from(s.label())).collect()}><tr>{counts.into_iter().map(|n| view! { <td>{n}</td> }).collect_view()}</tr></DataTable>
        {(!may_declare.is_empty()).then(move || view! {
            <h2>"Interesse bekunden"</h2>
            <ErrorSummary error=e1/>
            <p>"Mit der Interessenbekundung beginnt die Anbindung Ihrer Kommune an diesen Dienst; die Landesberatung sieht sie und begleitet die nächsten Schritte."</p>
            {may_declare.into_iter().map(|(key, name)| { let id = declare_id.clone(); view! {
                <ActionForm action=declare attr:class="inline-form">
                    <input type="hidden" name="kommune" value=key.clone()/>
                    <input type="hidden" name="dienst" value=id.clone()/>
                    <button type="submit" class="button">{format!("Interesse bekunden für {name}")}</button>
                </ActionForm>
            }}).collect_view()}
        })}
        <h2>"Anbindungen"</h2>
        {p.advisor.then(|| view! {
            <FilterForm action=format!("/nachnutzung/dienst/{id}") label="Anbindungen filtern">
                <FilterText name="kreis" label="Kreis (Schlüssel)" value=kreis.clone() inputmode="numeric"/>
                <FilterChoice name="stand" label="Schritt" options=options(ConnectionState::ALL, ConnectionState::code, ConnectionState::label) current=stand.clone()/>
                <button type="submit" class="button button-secondary">"Anzeigen"</button>
            </FilterForm>
        })}
        {truncated.then(|| view! { <p class="notice">"Es werden die ersten 1.000 Anbindungen gezeigt; bitte grenzen Sie nach Kreis oder Schritt ein."</p> })}
        {if p.connections.is_empty() {
            view! { <p>"Noch keine Anbindungen."</p> }.into_any()
        } else if p.advisor {
            view! {
                <ErrorSummary error=e2/>
                <ActionForm action=bulk attr:class="form">
                    <input type="hidden" name="dienst" value=id.clone()/>
                    <Connections p=p.clone() select=true/>
                    <fieldset class="bulk">
                        <legend>"Ausgewählte Anbindungen auf einen Schritt setzen (alle oder keine)"</legend>
                        <FieldBox name="schritt" label="Schritt" error=e2>
                            <select id="feld-schritt" name="schritt">
                                {let chosen = kept(e2, "schritt", ""); ConnectionState::ALL.iter().skip(1).map(|s| view! { <option value=s.code() selected=s.code() == chosen>{s.label()}</option> }).collect_view()}
                            </select>
                        </FieldBox>
                        <FieldBox name="grund" label="Grund (nur beim Zurückstellen)" error=e2>
                            <input id="feld-grund" name="grund" maxlength="500" value=kept(e2, "grund", "")/>
                        </FieldBox>
                        <button type="submit" class="button">"Schritt setzen"</button>
                    </fieldset>
                </ActionForm>
            }.into_any()
        } else {
            view! { <Connections p=p.clone() select=false/> }.into_any()
        }}
    }
}

#[component]
fn Connections(p: ServicePage, select: bool) -> impl IntoView {
    view! {
        <DataTable id="anbindungen-titel" caption="Anbindungen an diesen Dienst" columns={select.then(|| Col::hidden("Auswahl")).into_iter().chain(cols(["Kommune", "Schritt", "seit"])).collect()}>
                    {p.connections.into_iter().take(1000).map(|c| view! {
                        <tr>
                            {select.then(|| view! {
                                <td>
                                    <input type="checkbox" id=format!("wahl-{}", c.id) name=format!("ids[{}]", c.id) value=c.id.to_string()/>
                                    <label for=format!("wahl-{}", c.id) class="visually-hidden">{format!("{} auswählen", c.kommune)}</label>
                                </td>
                            })}
                            <td><a href=format!("/nachnutzung/anbindung/{}", c.id)>{c.kommune.clone()}</a></td>
                            <td>{c.state.label()}</td>
                            <td>{c.since.clone()}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
    }
}
