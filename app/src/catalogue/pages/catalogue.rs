//! Administration: the OZG catalogue and its Fokusleistung flag.

use crate::ui::list::{DataTable, FilterForm, FilterText, Pager, cols};
use crate::catalogue::api::{SaveEfaService, SetFocus, list_catalogue, list_efa_services};
use crate::catalogue::model::{CataloguePage, EfaListItem};
use crate::ui::auth::RequireRole;
use crate::ui::forms::{ErrorSummary, FieldBox};
use crate::error::AppError;
use crate::identity::Role;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminCataloguePage() -> impl IntoView {
    let query = use_query_map();
    let set_focus = ServerAction::<SetFocus>::new();
    let items = Resource::new(
        move || (query.with(|q| (q.get("suche"), q.get("seite"))), set_focus.version().get()),
        |((suche, seite), _)| list_catalogue(suche, seite),
    );
    view! {
        <Title text="OZG-Katalog und Fokusleistungen"/>
        <RequireRole roles=vec![Role::Admin]>
            <Catalogue items set_focus/>
            <EfaList/>
        </RequireRole>
    }
}

#[component]
fn Catalogue(items: Resource<Result<CataloguePage, AppError>>, set_focus: ServerAction<SetFocus>) -> impl IntoView {
    let query = use_query_map();
    let error = Signal::derive(move || set_focus.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned())));
    view! {
        <h1>"OZG-Katalog und Fokusleistungen"</h1>
        <p>"Fokusleistungen sind die stark nachgefragten Leistungen, die das OZG 2.0 vorrangig umsetzt. Die Markierung pflegt die Administration; ein neuer Katalogimport ändert sie nicht."</p>
        <ErrorSummary error/>
        <FilterForm action="/verwaltung/katalog" label="Katalog durchsuchen">
            <FilterText name="suche" label="Suche (Name oder OZG-ID)" value=query.with(|q| q.get("suche").unwrap_or_default()) kind="search"/>
            <button type="submit" class="button">"Suchen"</button>
        </FilterForm>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match items.await {
                    Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    Ok(list) => {
                        let suche = query.with_untracked(|q| q.get("suche").unwrap_or_default());
                        let link = move |n: u64| format!("/verwaltung/katalog?suche={}&seite={n}", crate::ui::format::urlencode(&suche));
                        view! {
                        <DataTable id="catalogue-caption" caption=format!("{} OZG-Leistungen, davon {} Fokusleistungen; Seite {} von {}", list.matching, list.focus, list.page, list.pages) columns=cols(["OZG-ID", "Leistung", "Themenfeld", "Fokusleistung", "Aktion"])>
                                    {list.items.into_iter().map(|i| {
                                        let (value, label) = if i.focus { ("nein", "Markierung entfernen") } else { ("ja", "Als Fokusleistung markieren") };
                                        view! {
                                            <tr>
                                                <td class="mono">{i.ozg_id.clone()}</td>
                                                <th scope="row">{i.name.clone()}{(!i.in_catalogue).then_some(" (nicht mehr im Katalog)")}</th>
                                                <td>{i.themenfeld.clone()}</td>
                                                <td>{if i.focus { "ja" } else { "nein" }}</td>
                                                <td>
                                                    <ActionForm action=set_focus>
                                                        <input type="hidden" name="ozg_id" value=i.ozg_id.clone()/>
                                                        <input type="hidden" name="focus" value=value/>
                                                        <button type="submit" class="button button-small">
                                                            {label}<span class="visually-hidden">{format!(": {}", i.name)}</span>
                                                        </button>
                                                    </ActionForm>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </DataTable>
                        <Pager page=list.page pages=list.pages href=link label="Seiten des Katalogs"/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The curated list of EfA services: only these names appear in public and association figures.
#[component]
fn EfaList() -> impl IntoView {
    let save = ServerAction::<SaveEfaService>::new();
    let items: Resource<Result<Vec<EfaListItem>, AppError>> = Resource::new(move || save.version().get(), |_| list_efa_services());
    let error = Signal::derive(move || save.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned())));
    view! {
        <section aria-labelledby="efa-title">
            <h2 id="efa-title">"EfA-Dienste für veröffentlichte Zahlen"</h2>
            <p>"Im Lagebild der Öffentlichkeit und der Spitzenverbände erscheint der Name eines nachgenutzten EfA-Dienstes nur, wenn er in dieser Liste steht und mindestens so viele Kommunen ihn nutzen wie die Schwelle der Geheimhaltung verlangt. Freitext aus dem Register wird sonst nicht veröffentlicht; Groß- und Kleinschreibung zählen beim Abgleich nicht."</p>
            <ErrorSummary error/>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match items.await {
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>"Die Liste ist leer: veröffentlichte Zahlen nennen keine EfA-Dienste."</p> }.into_any(),
                        Ok(list) => view! {
                            <DataTable id="efa-caption" caption=format!("{} EfA-Dienste", list.len()) columns=cols(["EfA-Dienst", "Bereitstellendes Land", "Betreiber", "Marktplatz", "Veröffentlicht", "Aktion"])>
                                        {list.into_iter().map(|e| {
                                            let (value, label) = if e.active { ("nein", "Nicht mehr veröffentlichen") } else { ("ja", "Wieder veröffentlichen") };
                                            view! {
                                                <tr>
                                                    <th scope="row">{e.name.clone()}</th>
                                                    <td>{e.provider.clone().unwrap_or_default()}</td>
                                                    <td>{e.operator.clone().unwrap_or_default()}</td>
                                                    <td>{e.marketplace_url.clone().map(|u| view! { <a href=u>"Angebot"<span class="visually-hidden">{format!(" {}", e.name)}</span></a> })}</td>
                                                    <td>{if e.active { "ja" } else { "nein" }}</td>
                                                    <td>
                                                        <ActionForm action=save>
                                                            <input type="hidden" name="id" value=e.id.clone()/>
                                                            <input type="hidden" name="name" value=e.name.clone()/>
                                                            <input type="hidden" name="provider" value=e.provider.clone().unwrap_or_default()/>
                                                            <input type="hidden" name="operator" value=e.operator.clone().unwrap_or_default()/>
                                                            <input type="hidden" name="marketplace_url" value=e.marketplace_url.clone().unwrap_or_default()/>
                                                            <input type="hidden" name="active" value=value/>
                                                            <button type="submit" class="button button-small">{label}<span class="visually-hidden">{format!(": {}", e.name)}</span></button>
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
            <ActionForm action=save attr:class="form narrow">
                <FieldBox name="name" id="efa-name" label="Name des EfA-Dienstes"><input id="efa-name" name="name" required maxlength="200"/></FieldBox>
                <FieldBox name="provider" id="efa-provider" label="Bereitstellendes Land (optional)"><input id="efa-provider" name="provider" maxlength="100"/></FieldBox>
                <FieldBox name="operator" id="efa-operator" label="Betreiber (optional)"><input id="efa-operator" name="operator" maxlength="200"/></FieldBox>
                <FieldBox name="marketplace_url" id="efa-url" label="Link zum Angebot auf dem Marktplatz für EfA-Leistungen (optional)"><input id="efa-url" name="marketplace_url" type="url" maxlength="500"/></FieldBox>
                <input type="hidden" name="active" value="ja"/>
                <button type="submit" class="button">"In die Liste aufnehmen"</button>
            </ActionForm>
        </section>
    }
}
