//! `/lagebild/nachnutzung`: the roll-out in the Lagebild — per EfA service the funnel, the
//! median days to live and the Kommunen still without it; per Kreis for a chosen service; the
//! steps per month; with definitions. Suppressed for associations and the public.

use crate::ui::list::{Col, DataTable, cols};
use crate::rollout::api::load_rollout_figures;
use crate::rollout::model::{ConnectionState, RolloutFigures};
use crate::ui::errors::ErrorPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RolloutFiguresPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.with(|q| q.get("dienst").unwrap_or_default()), load_rollout_figures);
    view! {
        <Title text="Lagebild: Roll-out der EfA-Dienste"/>
        <p class="hint"><a href="/lagebild">"Lagebild"</a>" · "<a href="/lagebild/foerderung">"Förderung im Lagebild"</a></p>
        <h1>"Roll-out der EfA-Dienste"</h1>
        <p><a href="/api/v1/public/rollout?format=csv">"Als CSV herunterladen"</a>" · "<a href="/api/v1/public/rollout">"als JSON (offene Daten)"</a></p>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(f) => view! { <Figures f/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn cell(v: Option<i64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_else(|| crate::ui::format::WITHHELD.into())
}

#[component]
fn Figures(f: RolloutFigures) -> impl IntoView {
    let selected = f.selected.clone().unwrap_or_default();
    let selected_name = f.services.iter().find(|s| s.id == selected).map(|s| s.name.clone()).unwrap_or_default();
    view! {
        {f.counted.clone().map(|c| view! { <p class="notice">{format!("Gezählt werden nur Ihre Mitglieder: {c}.")}</p> })}
        {f.suppressed.then(|| view! { <p class="hint">{format!("Kreise mit weniger als {} Kommunen und Mediane über weniger als {} Kommunen werden nicht gezeigt (•).", f.threshold, f.threshold)}</p> })}
        {if f.services.is_empty() {
            view! { <p>"Noch ist keine OZG-Leistung einem EfA-Dienst zugeordnet."</p> }.into_any()
        } else {
            view! {
                <DataTable id="trichter-titel" caption="Kommunen je Schritt der Anbindung, je EfA-Dienst" columns={std::iter::once(Col::from("EfA-Dienst")).chain(ConnectionState::ALL.iter().map(|s| Col::from(s.label()))).chain(cols(["ohne den Dienst", "Median Tage bis Live"])).collect()}>
                            {f.services.iter().map(|s| view! {
                                <tr>
                                    <th scope="row"><a href=format!("/lagebild/nachnutzung?dienst={}", s.id)>{s.name.clone()}</a></th>
                                    {s.counts.iter().map(|n| view! { <td class="num">{*n}</td> }).collect_view()}
                                    <td class="num">{format!("{} von {}", s.without, s.kommunen)}</td>
                                    <td class="num">{s.median_days.map(|d| d.to_string()).unwrap_or_else(|| "–".into())}</td>
                                </tr>
                            }).collect_view()}
                        </DataTable>
                <h2>{format!("{selected_name} je Kreis")}</h2>
                <DataTable id="kreise-titel" caption=format!("{selected_name}: Kommunen je Schritt und Kreis") columns={cols(["Kreis", "Kommunen"]).into_iter().chain(ConnectionState::ALL.iter().map(|s| Col::from(s.label()))).collect()}>
                            {f.kreise.iter().map(|k| view! {
                                <tr>
                                    <th scope="row">{k.name.clone()}</th>
                                    <td class="num">{k.kommunen}</td>
                                    {(0..ConnectionState::ALL.len()).map(|i| view! { <td class="num">{cell(k.counts.as_ref().map(|c| c[i]))}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </DataTable>
                <h2>{format!("{selected_name}: Verlauf")}</h2>
                <DataTable id="verlauf-titel" caption="Bis Monatsende bekundete Interessen und erreichte »Live«-Schritte" columns=cols(["Monat", "Interesse bekundet", "Live"])>
                            {f.trend.iter().map(|p| view! { <tr><th scope="row">{crate::ui::format::month(&p.month)}</th><td class="num">{p.interest}</td><td class="num">{p.live}</td></tr> }).collect_view()}
                        </DataTable>
                {f.without.clone().map(|w| view! {
                    <h2>{format!("Kommunen ohne {selected_name}")}</h2>
                    {(w.len() >= 500).then(|| view! { <p>"Es werden die ersten 500 nach Namen genannt; die Zahl aller steht in der Tabelle oben."</p> })}
                    <p class="hint">"Nur für das Land sichtbar."</p>
                    <details><summary>"Liste anzeigen"</summary><p>{w.join(", ")}</p></details>
                })}
            }.into_any()
        }}
        <h2>"Begriffe"</h2>
        <dl class="definitions">
            {f.definitions.iter().map(|(t, d)| view! { <dt>{t.clone()}</dt><dd>{d.clone()}</dd> }).collect_view()}
            <dt>"Schritte"</dt><dd>{ConnectionState::ALL.iter().map(|s| s.label()).collect::<Vec<_>>().join(" → ")}</dd>
        </dl>
    }
}
