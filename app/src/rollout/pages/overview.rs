//! `/nachnutzung`: the Nachnutzungsübersicht per OZG-Leistung, with filters, the CSV export and
//! (advisors) the import; a clerk's own connections above it.

use crate::ui::forms::{FieldBox};
use crate::ui::list::{Col, DataTable, FilterChoice, FilterForm, FilterText, Pager, cols, options};
use crate::rollout::api::rollout_overview;
use crate::rollout::model::{priority_label, Model, Overview, PlanRow};
use crate::ui::errors::ErrorPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn efa_cell(r: &PlanRow, sees_connections: bool) -> AnyView {
    match &r.efa {
        None => view! { <span>"–"</span> }.into_any(),
        Some(e) => {
            let provider = e.provider.clone().map(|p| format!(" (aus {p})")).unwrap_or_default();
            let link = e.marketplace_url.clone();
            view! {
                {if sees_connections {
                    view! { <a href=format!("/nachnutzung/dienst/{}", e.id)>{e.name.clone()}</a> }.into_any()
                } else {
                    view! { <span>{e.name.clone()}</span> }.into_any()
                }}
                {provider}
                {link.map(|l| view! { " · " <a href=l>"Marktplatz"<span class="visually-hidden">{format!(" – Angebot {}", e.name)}</span></a> })}
            }
            .into_any()
        }
    }
}

#[component]
pub fn RolloutOverviewPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || query.with(|q| (q.get("modell").unwrap_or_default(), q.get("fokus").unwrap_or_default(), q.get("q").unwrap_or_default()));
    let data = Resource::new(move || (params(), query.with(|q| q.get("seite").unwrap_or_default())), |((m, f, q), seite)| rollout_overview(m, f, q, seite));
    let saved = query.with_untracked(|q| q.get("gespeichert"));
    let imported = query.with_untracked(|q| q.get("importiert"));
    view! {
        <Title text="Nachnutzungsübersicht"/>
        <h1>"Nachnutzungsübersicht"</h1>
        <p>"Wie das Land Sachsen-Anhalt jede OZG-Leistung umsetzt: als EfA-Dienst eines anderen Landes, als Landesbasisdienst oder durch die Kommunen selbst, mit Priorität und Phase. Kommunen bekunden hier ihr Interesse an einem EfA-Dienst und verfolgen ihre Anbindung bis »Live«."</p>
        {saved.map(|o| view! { <p class="notice" role="status">{format!("Die Zeile zu {o} ist gespeichert.")}</p> })}
        {imported.map(|n| view! { <p class="notice" role="status">{format!("Import abgeschlossen: {} geändert.", crate::ui::format::count_of(n.parse::<i64>().unwrap_or_default(), "Zeile", "Zeilen"))}</p> })}
        <p class="actions"><a href="/lagebild/nachnutzung">"Roll-out im Lagebild"</a>" · "<a href="/nachnutzung.csv" download="nachnutzung.csv">"Übersicht als CSV herunterladen"</a></p>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(o) => view! { <OverviewBody o params=params()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OverviewBody(o: Overview, params: (String, String, String)) -> impl IntoView {
    let (modell, fokus, q) = params;
    let link = {
        let (modell, fokus, q) = (modell.clone(), fokus.clone(), q.clone());
        move |page: u64| {
            format!(
                "/nachnutzung?modell={}&fokus={}&q={}&seite={page}",
                crate::ui::format::urlencode(&modell),
                crate::ui::format::urlencode(&fokus),
                crate::ui::format::urlencode(&q)
            )
        }
    };
    let pager = view! { <Pager page=o.page as u64 pages=o.pages as u64 href=link label="Seiten der Übersicht"/> };
    let sees = o.sees_connections;
    let may_edit = o.may_edit;
    view! {
        {(!o.mine.is_empty()).then(|| view! {
            <h2>"Anbindungen Ihrer Kommune"</h2>
            <ul class="article-list">
                {o.mine.iter().map(|c| view! {
                    <li class="article-item">
                        <a href=format!("/nachnutzung/anbindung/{}", c.id)>{format!("{} – {}", c.service, c.kommune)}</a>
                        <p class="hint">{format!("{} seit {}", c.state.label(), c.since)}</p>
                    </li>
                }).collect_view()}
            </ul>
        })}
        {may_edit.then(|| view! { <p class="actions"><a href="/nachnutzung/kosten">"Kosten der Nachnutzung"</a></p> })}
        {may_edit.then(|| view! {
            <details class="desk">
                <summary>"Übersicht aus CSV einlesen"</summary>
                <form method="post" action="/nachnutzung/import" enctype="multipart/form-data" class="form">
                    <FieldBox name="datei" label="CSV-Datei im Format des Exports" hint="Alle Zeilen werden geprüft; ein Fehler, und es wird nichts übernommen. Checklistenpunkte sind durch »|« getrennt."><input type="file" id="feld-datei" name="datei" accept=".csv,text/csv" aria-describedby="feld-datei-hinweis"/></FieldBox>
                    <button type="submit" class="button">"Einlesen"</button>
                </form>
            </details>
        })}
        <h2>"OZG-Leistungen"</h2>
        <FilterForm action="/nachnutzung" label="OZG-Leistungen filtern">
            <FilterChoice name="modell" label="Umsetzungsmodell" options=options(Model::ALL, Model::code, Model::label) current=modell.clone()/>
            <div class="field checkbox-field">
                <input type="checkbox" id="feld-fokus" name="fokus" value="ja" checked=fokus == "ja"/>
                <label for="feld-fokus">"nur Fokusleistungen"</label>
            </div>
            <FilterText name="q" label="Suche (OZG-ID, Leistung, EfA-Dienst)" value=q kind="search"/>
            <button type="submit" class="button button-secondary">"Anzeigen"</button>
        </FilterForm>
        <p role="status">{format!("{} von {} OZG-Leistungen", o.matching, o.total)}</p>
        <DataTable id="uebersicht-titel" caption="Umsetzung der OZG-Leistungen in Sachsen-Anhalt" columns={
                let mut c = cols(["OZG-ID", "Leistung", "Umsetzungsmodell", "EfA-Dienst", "Priorität", "Phase"]);
                if o.rows.first().is_some_and(|r| r.land_pays.is_some()) { c.push("Land trägt Nachnutzungskosten".into()); }
                if may_edit { c.push(Col::hidden("Bearbeiten")); }
                c
            }>
                    {o.rows.iter().map(|r| {
                        let unrecorded = r.version == 0;
                        view! {
                            <tr>
                                <td>{r.ozg_id.clone()}</td>
                                <td>{r.name.clone()}{r.focus.then(|| view! { " " <span class="badge">"Fokus"</span> })}</td>
                                <td>{if unrecorded { "noch nicht erfasst" } else { r.model.label() }}</td>
                                <td>{efa_cell(r, sees)}</td>
                                <td>{if unrecorded { "–" } else { priority_label(r.priority) }}</td>
                                <td>{if unrecorded { "–" } else { r.phase.label() }}</td>
                                {r.land_pays.map(|p| view! { <td>{if unrecorded { "–" } else if p { "ja" } else { "nein" }}</td> })}
                                {may_edit.then(|| view! {
                                    <td><a href=format!("/nachnutzung/leistung/{}", r.ozg_id)>"Bearbeiten"<span class="visually-hidden">{format!(" {}", r.name)}</span></a></td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
        {pager}
    }
}
