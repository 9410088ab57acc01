//! `/lagebild/foerderung`: funding in the Lagebild — per programme budget, granted, called and
//! free; per Kreis; per month; with definitions. Suppressed for associations and the public.

use crate::funding::api::load_funding_figures;
use crate::funding::model::FundingFigures;
use crate::ui::errors::ErrorPage;
use crate::ui::format::euro;
use leptos::prelude::*;
use leptos_meta::Title;

fn amount(v: Option<i64>) -> String {
    v.map(euro).unwrap_or_else(|| "•".into())
}

#[component]
pub fn FundingFiguresPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_funding_figures());
    view! {
        <Title text="Lagebild: Förderung"/>
        <p class="hint"><a href="/lagebild">"Lagebild"</a>" · "<a href="/lagebild/nachnutzung">"Roll-out im Lagebild"</a></p>
        <h1>"Förderung der Kommunen"</h1>
        <p><a href="/api/v1/public/funding?format=csv">"Als CSV herunterladen"</a>" · "<a href="/api/v1/public/funding">"als JSON (offene Daten)"</a></p>
        <Suspense fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(f) => view! { <Figures f/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Figures(f: FundingFigures) -> impl IntoView {
    view! {
        {f.suppressed.then(|| view! { <p class="hint">{format!("Die Summen werden nur gemeinsam für mindestens {} Kommunen fortgeschrieben; Werte, die weniger Kommunen betreffen, werden nicht gezeigt (•). Je Kreis erscheinen keine Beträge.", f.threshold)}</p> })}
        <div class="table-wrap" role="region" aria-labelledby="programme-titel" tabindex="0">
            <table>
                <caption id="programme-titel">"Budget der Förderprogramme"</caption>
                <thead><tr><th scope="col">"Programm"</th><th scope="col">"Budget"</th><th scope="col">"bewilligt"</th><th scope="col">"abgerufen"</th><th scope="col">"frei"</th><th scope="col">"Anträge"</th><th scope="col">"davon bewilligt"</th></tr></thead>
                <tbody>
                    {f.programmes.iter().map(|p| view! {
                        <tr>
                            <th scope="row">{p.name.clone()}</th>
                            <td class="num">{euro(p.budget_cents)}</td>
                            <td class="num">{amount(p.committed_cents)}</td>
                            <td class="num">{amount(p.disbursed_cents)}</td>
                            <td class="num">{amount(p.free_cents)}</td>
                            <td class="num">{p.applications}</td>
                            <td class="num">{p.approved}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>"Je Kreis"</h2>
        <div class="table-wrap" role="region" aria-labelledby="kreise-titel" tabindex="0">
            <table>
                <caption id="kreise-titel">{if f.suppressed { "Anträge je Kreis" } else { "Anträge und bewilligte Summe je Kreis" }}</caption>
                <thead><tr><th scope="col">"Kreis"</th><th scope="col">"Anträge"</th>{(!f.suppressed).then(|| view! { <th scope="col">"bewilligt"</th> })}</tr></thead>
                <tbody>
                    {f.kreise.iter().map(|k| view! {
                        <tr><th scope="row">{k.name.clone()}</th><td class="num">{k.applications.map(|n| n.to_string()).unwrap_or_else(|| "•".into())}</td>{(!f.suppressed).then(|| view! { <td class="num">{amount(k.approved_cents)}</td> })}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>"Verlauf"</h2>
        <div class="table-wrap" role="region" aria-labelledby="monate-titel" tabindex="0">
            <table>
                <caption id="monate-titel">"Eingegangene und bewilligte Anträge je Monat"</caption>
                <thead><tr><th scope="col">"Monat"</th><th scope="col">"eingegangen"</th><th scope="col">"bewilligt"</th></tr></thead>
                <tbody>{f.trend.iter().map(|m| view! { <tr><th scope="row">{m.month.clone()}</th><td class="num">{m.received}</td><td class="num">{m.approved}</td></tr> }).collect_view()}</tbody>
            </table>
        </div>
        <h2>"Begriffe"</h2>
        <dl class="definitions">{f.definitions.iter().map(|(t, d)| view! { <dt>{t.clone()}</dt><dd>{d.clone()}</dd> }).collect_view()}</dl>
    }
}
