//! `/kommunen/links`: the register's online addresses that the weekly check found broken, so a
//! Kommune mends its entry before citizens stumble over it; the Land sees them per Kreis.

use crate::register::api::broken_links;
use crate::register::model::BrokenLinks;
use crate::ui::errors::ErrorPage;
use crate::ui::list::{DataTable, FilterChoice, FilterForm, cols};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const TITLE: &str = "Nicht erreichbare Online-Adressen";

#[component]
pub fn BrokenLinksPage() -> impl IntoView {
    let query = use_query_map();
    let kreis = move || query.with(|q| q.get("kreis").unwrap_or_default());
    let data = Resource::new(kreis, broken_links);
    view! {
        <Title text=TITLE/>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(p) => view! { <Links p/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Links(p: BrokenLinks) -> impl IntoView {
    let land = !p.kreise.is_empty() || !p.kreis.is_empty();
    let options: Vec<(String, String)> = p.kreise.iter().map(|(key, name, n)| (key.clone(), format!("{name} ({n})"))).collect();
    let caption = crate::ui::format::count_of(p.links.len(), "Eintrag mit nicht erreichbarer Adresse", "Einträge mit nicht erreichbarer Adresse");
    view! {
        <h1>{TITLE}</h1>
        <p class="hint">
            "Das Portal ruft die Online-Adressen des Leistungsregisters einmal in der Woche auf, wie es ein Browser täte "
            "(höchstens fünf Weiterleitungen, nur Adressen im öffentlichen Internet). Hier stehen die Einträge, deren Adresse dabei nicht zum Ziel führte. "
            "Korrigieren Sie die Adresse im Eintrag; die nächste Prüfung zeigt, ob sie wieder erreichbar ist."
        </p>
        {land.then(|| view! {
            <FilterForm action="/kommunen/links" label="Nach Kreis filtern">
                <FilterChoice name="kreis" label="Kreis (Anzahl der Einträge)" options=options.clone() current=p.kreis.clone()/>
                <button type="submit" class="button button-secondary">"Anzeigen"</button>
            </FilterForm>
        })}
        {if p.links.is_empty() {
            view! { <p>"Keine nicht erreichbaren Adressen."</p> }.into_any()
        } else {
            view! {
                <DataTable id="links-titel" caption columns=cols(["Kommune", "Leistung", "Adresse", "Befund", "seit", "zuletzt geprüft"]) class="stacked">
                    {p.links.into_iter().map(|l| {
                        let befund = if l.detail.is_empty() { l.outcome.label().to_string() } else { format!("{}: {}", l.outcome.label(), l.detail) };
                        view! {
                            <tr>
                                <td data-label="Kommune">{l.kommune.clone()}{(!l.kreis.is_empty() && l.kreis != l.kommune).then(|| format!(" ({})", l.kreis))}</td>
                                <td data-label="Leistung"><a href=format!("/kommunen/{}/leistungen/{}", l.kommune_key, l.ozg_id)>{l.service.clone()}</a></td>
                                <td data-label="Adresse" class="url-cell">{l.url.clone()}</td>
                                <td data-label="Befund">{befund}</td>
                                <td data-label="seit">{l.since.clone()}</td>
                                <td data-label="zuletzt geprüft">{l.checked.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
            }.into_any()
        }}
    }
}
