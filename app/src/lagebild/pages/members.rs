//! `/lagebild/mitglieder`: a Spitzenverband's members side by side — per Kreis and for the Land
//! as quartiles of their Online-Quote, by band, and (for the Land) by name.

use crate::lagebild::api::load_members;
use crate::lagebild::model::{MemberComparison, QUARTILE_FACTOR, Quartiles};
use crate::ui::errors::ErrorPage;
use crate::ui::format::{WITHHELD, format_number, percent};
use crate::ui::list::{DataTable, cols};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn quartile(q: Option<Quartiles>, f: fn(&Quartiles) -> f64, as_share: bool) -> String {
    match q {
        None => WITHHELD.to_string(),
        Some(q) if as_share => percent(f(&q)),
        Some(q) => format!("{:.1}", f(&q)).replace(".0", "").replace('.', ","),
    }
}

#[component]
pub fn MembersPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.with(|q| q.get("verband")), load_members);
    view! {
        <Title text="Lagebild: Mitglieder im Vergleich"/>
        <p class="hint"><a href="/lagebild">"Lagebild"</a></p>
        <h1>"Mitglieder im Vergleich"</h1>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(c) => view! { <Comparison c/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Comparison(c: MemberComparison) -> impl IntoView {
    let t = c.threshold;
    let min = QUARTILE_FACTOR * t;
    let choice = |key: &'static str, label: &'static str, current: &str| {
        let href = format!("/lagebild/mitglieder?verband={key}");
        view! { <a href=href aria-current=(current == key).then_some("page")>{label}</a> }
    };
    let named = c.named.clone();
    view! {
        <p class="lead">{format!(
            "Wie weit die Mitglieder sind: {} – je Mitglied der Anteil seiner zuständigen OZG-Leistungen, die online sind (Online-Quote), über {} des Katalogs. Datenstand: {}.",
            c.label,
            crate::ui::format::count_of(c.services, "Leistung", "Leistungen"),
            crate::ui::format::format_date(&c.data_date)
        )}</p>
        {c.full.then(|| view! {
            <nav class="sub-nav" aria-label="Mitglieder welches Spitzenverbands">
                <ul><li>{choice("sgsa", "Städte- und Gemeindebund", &c.verband)}</li><li>{choice("lkt", "Landkreistag", &c.verband)}</li></ul>
            </nav>
        })}
        <section aria-labelledby="mv-gebiete">
            <h2 id="mv-gebiete">"Je Kreis und im Land"</h2>
            <p class="hint">{format!(
                "Die Hälfte der Mitglieder liegt zwischen dem 1. und dem 3. Quartil, der Median teilt sie in zwei gleich große Hälften. Einzelne Mitglieder werden hier nicht genannt; Quartile erst ab {min} Mitgliedern. {}",
                crate::ui::format::withheld_note(min)
            )}</p>
            <DataTable id="mv-gebiete-caption" caption="Online-Quote der Mitglieder" columns=cols(["Gebiet", "Mitglieder", "1. Quartil", "Median", "3. Quartil", "Leistungen online (Median)"]) class="stacked">
                {c.groups.iter().map(|g| view! {
                    <tr>
                        <th scope="row">{g.name.clone()}</th>
                        <td class="num" data-label="Mitglieder">{format_number(g.members)}</td>
                        <td class="num" data-label="1. Quartil">{quartile(g.share, |q| q.q1, true)}</td>
                        <td class="num" data-label="Median">{quartile(g.share, |q| q.median, true)}</td>
                        <td class="num" data-label="3. Quartil">{quartile(g.share, |q| q.q3, true)}</td>
                        <td class="num" data-label="Leistungen online (Median)">{quartile(g.online, |q| q.median, false)}</td>
                    </tr>
                }).collect_view()}
            </DataTable>
        </section>
        <section aria-labelledby="mv-stufen">
            <h2 id="mv-stufen">"Nach Online-Quote"</h2>
            <DataTable id="mv-stufen-caption" caption="Mitglieder je Stufe der Online-Quote" columns=cols(["Online-Quote", "Mitglieder"]) class="stacked">
                {c.bands.iter().map(|(label, n)| view! { <tr><th scope="row">{label.clone()}</th><td class="num" data-label="Mitglieder">{format_number(*n)}</td></tr> }).collect_view()}
            </DataTable>
        </section>
        {(!named.is_empty()).then(|| view! {
            <section aria-labelledby="mv-alle">
                <h2 id="mv-alle">"Alle Mitglieder"</h2>
                <p class="hint">"Nur für die Beratung und die Verwaltung des Landes: jedes Mitglied mit Namen."</p>
                <DataTable id="mv-alle-caption" caption="Mitglieder mit ihren Zahlen" columns=cols(["Kommune", "Kreis", "zuständig", "online", "Online-Quote", "Reifegrad ≥ 3"]) class="stacked">
                    {named.iter().map(|m| view! {
                        <tr>
                            <th scope="row" data-label="Kommune"><a href=format!("/kommunen/{}/leistungen", m.key)>{m.name.clone()}</a></th>
                            <td data-label="Kreis">{m.kreis.clone()}</td>
                            <td class="num" data-label="zuständig">{format_number(m.responsible)}</td>
                            <td class="num" data-label="online">{format_number(m.online)}</td>
                            <td class="num" data-label="Online-Quote">{m.share().map(percent).unwrap_or_else(|| "–".into())}</td>
                            <td class="num" data-label="Reifegrad ≥ 3">{format_number(m.reifegrad_3)}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
            </section>
        })}
        <section aria-labelledby="mv-begriffe" class="definitions">
            <h2 id="mv-begriffe">"Wie wird gezählt?"</h2>
            <dl>
                <dt>"Online-Quote eines Mitglieds"</dt>
                <dd>"Von den OZG-Leistungen des Katalogs, für die das Mitglied zuständig ist (alle, die es nicht als »nicht zuständig« eingetragen hat), der Anteil mit dem Umsetzungsstand »online« – gezählt wie im Lagebild."</dd>
                <dt>"Quartile"</dt>
                <dd>"Die Online-Quoten der Mitglieder eines Gebiets der Größe nach geordnet: ein Viertel liegt unter dem 1. Quartil, die Hälfte unter dem Median, drei Viertel unter dem 3. Quartil (zwischen zwei Mitgliedern linear gemittelt)."</dd>
            </dl>
        </section>
    }
}
