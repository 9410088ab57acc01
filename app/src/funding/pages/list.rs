//! `/foerderung`: the Land's funding programmes with their budget, and the applications the
//! caller may see (a Kommune its own, the Land all, filtered by status).

use crate::ui::list::{DataTable, FilterChoice, FilterForm, cols, options};
use crate::funding::api::load_funding_page;
use crate::funding::model::{FundingPage, Status};
use crate::ui::errors::ErrorPage;
use crate::ui::format::{euro, format_date};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn FundingListPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.with(|q| q.get("stand").unwrap_or_default()), load_funding_page);
    let saved = query.with_untracked(|q| q.get("gespeichert").is_some());
    view! {
        <Title text="Förderung"/>
        <h1>"Förderprogramme des Landes"</h1>
        <p>"Das Land fördert digitale Vorhaben der Kommunen. Anträge stellen die Kommunen hier; die Landesberatung prüft, bewilligt und begleitet Mittelabruf und Verwendungsnachweis."</p>
        {saved.then(|| view! { <p class="notice" role="status">"Das Programm ist gespeichert."</p> })}
        <p><a href="/lagebild/foerderung">"Förderung im Lagebild"</a></p>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(p) => view! { <Body p stand=query.with_untracked(|q| q.get("stand").unwrap_or_default())/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Body(p: FundingPage, stand: String) -> impl IntoView {
    let may_apply = p.may_apply;
    let may_edit = p.may_edit_programmes;
    view! {
        {may_edit.then(|| view! { <p class="actions"><a class="button" href="/foerderung/programme/neu">"Neues Programm"</a></p> })}
        {if p.programmes.is_empty() {
            view! { <p>"Zurzeit gibt es kein Förderprogramm."</p> }.into_any()
        } else {
            view! {
                <ul class="article-list">
                    {p.programmes.iter().map(|g| view! {
                        <li class="article-item">
                            <h2>{g.name.clone()}{(!g.active).then_some(" (inaktiv)")}</h2>
                            <p>{g.description.clone()}</p>
                            <p class="hint">{format!(
                                "Antragsfrist {} bis {} · Förderquote bis {}\u{a0}% · höchstens {} je Vorhaben · Budget {}: {}",
                                format_date(&g.opens_on), format_date(&g.closes_on), g.rate_percent, euro(g.max_cents), euro(g.budget_cents),
                                if g.sums_shown {
                                    format!("bewilligt {}, abgerufen {}, frei {}", euro(g.committed_cents), euro(g.disbursed_cents), euro(g.budget_cents - g.committed_cents))
                                } else {
                                    "bewilligte und abgerufene Summen noch nicht veröffentlicht".to_string()
                                }
                            )}</p>
                            <p class="actions">
                                {(may_apply && g.open_now).then(|| view! { <a class="button" href=format!("/foerderung/antrag/neu?programm={}", g.id)>{format!("Antrag stellen: {}", g.name)}</a> })}
                                {may_edit.then(|| view! { <a href=format!("/foerderung/programme/{}", g.id)>"Programm bearbeiten"<span class="visually-hidden">{format!(": {}", g.name)}</span></a> })}
                            </p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {p.sees_applications.then(|| view! {
            <h2>"Anträge"</h2>
            <FilterForm action="/foerderung" label="Anträge filtern">
                <FilterChoice name="stand" label="Stand" options=options(Status::ALL, Status::code, Status::label) current=stand.clone()/>
                <button type="submit" class="button button-secondary">"Anzeigen"</button>
            </FilterForm>
            {if p.applications.is_empty() {
                view! { <p>"Keine Anträge."</p> }.into_any()
            } else {
                view! {
                    <DataTable id="antraege-titel" caption="Anträge, neueste zuerst" columns=cols(["Vorhaben", "Kommune", "Programm", "Stand", "beantragt", "bewilligt", "eingegangen"])>
                                {p.applications.iter().map(|a| view! {
                                    <tr>
                                        <td><a href=format!("/foerderung/antrag/{}", a.id)>{a.title.clone()}</a></td>
                                        <td>{a.kommune.clone()}</td>
                                        <td>{a.programme.clone()}</td>
                                        <td>{a.status.label()}</td>
                                        <td class="num">{euro(a.requested_cents)}</td>
                                        <td class="num">{a.approved_cents.map(euro).unwrap_or_else(|| "–".into())}</td>
                                        <td>{a.received.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </DataTable>
                }.into_any()
            }}
        })}
    }
}
