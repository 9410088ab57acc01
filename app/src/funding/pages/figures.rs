//! `/lagebild/foerderung`: funding in the Lagebild — per programme budget, granted, called and
//! free; per Kreis; per month; with definitions. Suppressed for associations and the public.

use crate::ui::list::{DataTable, cols};
use crate::funding::api::load_funding_figures;
use crate::funding::model::FundingFigures;
use crate::ui::errors::ErrorPage;
use crate::ui::format::euro;
use leptos::prelude::*;
use leptos_meta::Title;

fn amount(v: Option<crate::funding::model::Cents>) -> String {
    v.map(euro).unwrap_or_else(|| crate::ui::format::WITHHELD.into())
}

#[component]
pub fn FundingFiguresPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_funding_figures());
    view! {
        <Title text="Lagebild: Förderung"/>
        <p class="hint"><a href="/lagebild">"Lagebild"</a>" · "<a href="/lagebild/nachnutzung">"Roll-out im Lagebild"</a></p>
        <h1>"Förderung der Kommunen"</h1>
        <p><a href="/api/v1/public/funding?format=csv">"Als CSV herunterladen"</a>" · "<a href="/api/v1/public/funding">"als JSON (offene Daten)"</a></p>
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

#[component]
fn Figures(f: FundingFigures) -> impl IntoView {
    view! {
        {f.counted.clone().map(|c| view! { <p class="notice">{format!("Gezählt werden nur Ihre Mitglieder: {c}.")}</p> })}
        {f.suppressed.then(|| view! { <p class="hint">{format!("Die Summen werden nur gemeinsam für mindestens {} Kommunen fortgeschrieben; Werte, die weniger Kommunen betreffen, werden nicht gezeigt (•). Je Kreis erscheinen keine Beträge.", f.threshold)}</p> })}
        <DataTable id="programme-titel" caption="Budget der Förderprogramme" columns=cols(["Programm", "Budget", "bewilligt", "abgerufen", "frei", "Anträge", "davon bewilligt"])>
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
                </DataTable>
        <h2>"Je Kreis"</h2>
        <DataTable id="kreise-titel" caption=if f.suppressed { "Anträge je Kreis" } else { "Anträge und bewilligte Summe je Kreis" } columns={
            let mut c = cols(["Kreis", "Anträge"]);
            if !f.suppressed { c.push("bewilligt".into()); }
            c
        }>
                    {f.kreise.iter().map(|k| view! {
                        <tr><th scope="row">{k.name.clone()}</th><td class="num">{k.applications.map(|n| n.to_string()).unwrap_or_else(|| crate::ui::format::WITHHELD.into())}</td>{(!f.suppressed).then(|| view! { <td class="num">{amount(k.approved_cents)}</td> })}</tr>
                    }).collect_view()}
                </DataTable>
        <h2>"Verlauf"</h2>
        <DataTable id="monate-titel" caption="Eingegangene und bewilligte Anträge je Monat" columns=cols(["Monat", "eingegangen", "bewilligt"])>{f.trend.iter().map(|m| view! { <tr><th scope="row">{crate::ui::format::month(&m.month)}</th><td class="num">{m.received}</td><td class="num">{m.approved}</td></tr> }).collect_view()}</DataTable>
        <h2>"Begriffe"</h2>
        <dl class="definitions">{f.definitions.iter().map(|(t, d)| view! { <dt>{t.clone()}</dt><dd>{d.clone()}</dd> }).collect_view()}</dl>
    }
}
