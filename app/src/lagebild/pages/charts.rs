//! The Lagebild's charts and map, each with its table alternative nearby.

use crate::ui::list::{Col, DataTable, cols};
use crate::lagebild::model::{stage_labels, AreaFigures, MapShape, TrendPoint};
use crate::ui::format::format_number;
use leptos::prelude::*;
use crate::ui::chart::MonthLines;
use super::*;

/// Umsetzungsstand as horizontal bars, each labelled with its count and share (no colour code).
#[component]
pub(super) fn StageChart(stages: Vec<i64>, total: i64) -> impl IntoView {
    const W: f64 = 640.0;
    const LABEL: f64 = 130.0;
    const ROW: f64 = 28.0;
    let h = ROW * stages.len() as f64 + 8.0;
    let max = stages.iter().copied().max().unwrap_or(1).max(1) as f64;
    let bar_w = W - LABEL - 150.0;
    let desc = stages
        .iter()
        .zip(stage_labels())
        .map(|(n, l)| format!("{l}: {} ({})", format_number(*n), pct(AreaFigures::share(Some(*n), Some(total)))))
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <section aria-labelledby="lb-stand">
            <h2 id="lb-stand">"Umsetzungsstand"</h2>
            <figure class="chart">
                <svg viewBox=format!("0 0 {W} {h}") role="img" aria-labelledby="lb-stand-titel lb-stand-beschreibung" class="chart-svg" focusable="false">
                    <title id="lb-stand-titel">"Kommune-Leistung-Paare je Umsetzungsstand"</title>
                    <desc id="lb-stand-beschreibung">{format!("Balkendiagramm. {desc}. Die Werte stehen auch in der Tabelle.")}</desc>
                    {stages.iter().zip(stage_labels()).enumerate().map(|(i, (n, l))| {
                        let y = 4.0 + ROW * i as f64;
                        let w = bar_w * *n as f64 / max;
                        view! {
                            <text x=LABEL - 8.0 y=y + 17.0 text-anchor="end" class="chart-label">{l}</text>
                            <rect x=LABEL y=y + 4.0 width=format!("{w:.1}") height="18" class=format!("bar bar-{i}")/>
                            <text x=LABEL + w + 6.0 y=y + 17.0 class="chart-label">{format!("{} ({})", format_number(*n), pct(AreaFigures::share(Some(*n), Some(total))))}</text>
                        }
                    }).collect_view()}
                </svg>
            </figure>
            <DataTable id="lb-stand-caption" caption="Umsetzungsstand als Tabelle" columns=cols(["Umsetzungsstand", "Kommune-Leistung-Paare", "Anteil"]) class="compact">
                        {stages.iter().zip(stage_labels()).map(|(n, l)| view! {
                            <tr><th scope="row">{l}</th><td>{format_number(*n)}</td><td>{pct(AreaFigures::share(Some(*n), Some(total)))}</td></tr>
                        }).collect_view()}
                    </DataTable>
        </section>
    }
}

/// The Kreise coloured (and hatched) by their online share; each region is a link to the Kreis.
#[component]
pub(super) fn KreisMap(shapes: Vec<MapShape>, height: f64, parts: Vec<AreaFigures>, query: String) -> impl IntoView {
    let figure_of = move |area: &str| parts.iter().find(|p| crate::lagebild::model::base_key(&p.area) == area).cloned();
    let regions: Vec<(MapShape, Option<AreaFigures>)> = shapes.into_iter().map(|s| {
        let f = figure_of(&s.area);
        (s, f)
    }).collect();
    view! {
        <figure class="map">
            <svg viewBox=format!("0 0 {} {height:.0}", crate::lagebild::model::MAP_WIDTH) class="map-svg" role="group" aria-labelledby="lb-karte-titel">
                <title id="lb-karte-titel">"Karte der Kreise: Online-Quote"</title>
                <defs>
                    <pattern id="hatch-1" width="6" height="6" patternUnits="userSpaceOnUse"><path d="M0,6 L6,0" class="hatch"/></pattern>
                    <pattern id="hatch-2" width="6" height="6" patternUnits="userSpaceOnUse"><path d="M0,6 L6,0 M0,0 L6,6" class="hatch"/></pattern>
                    <pattern id="hatch-none" width="8" height="8" patternUnits="userSpaceOnUse"><circle cx="4" cy="4" r="1.2" class="hatch-dot"/></pattern>
                </defs>
                {regions.into_iter().map(|(s, f)| {
                    let class = MapClass::of(f.as_ref()).css();
                    let label = match &f {
                        Some(f) if !f.suppressed => format!("{}: Online-Quote {}", s.name, pct(f.online_share())),
                        _ => format!("{}: keine Angabe", s.name),
                    };
                    let href = format!("/lagebild?gebiet={}{}", s.area, if query.is_empty() { String::new() } else { format!("&{query}") });
                    let title = label.clone();
                    // Inside <g> the macro knows that <a> is SVG's link (a separate view! would make
                    // it an HTML element when rendered in the browser).
                    view! {
                        <g>
                            <a href=href aria-label=label class="map-region">
                                <path d=s.path.clone() class=format!("region {class}") fill-rule="evenodd"><title>{title}</title></path>
                                <path d=s.path class=format!("region-overlay {class}") fill-rule="evenodd" aria-hidden="true"/>
                            </a>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption>
                <ul class="legend map-legend">
                    {MapClass::ALL.iter().map(|m| (m.css(), m.label())).map(|(c, l)| view! {
                        <li><svg width="28" height="16" aria-hidden="true"><rect width="28" height="16" class=format!("region {c}")/><rect width="28" height="16" class=format!("region-overlay {c}")/></svg>" " {l}</li>
                    }).collect_view()}
                </ul>
                <p class="hint">"Ein Klick auf einen Kreis (oder die Tabelle darunter) zeigt seine Kennzahlen. "
                    "Verwaltungsgrenzen: © " <a href="https://www.bkg.bund.de">"GeoBasis-DE / BKG"</a> " 2021 (Daten verändert), "
                    <a href="https://www.govdata.de/dl-de/by-2-0">"dl-de/by-2-0"</a>"."</p>
            </figcaption>
        </figure>
    }
}

/// Online-Quote and OZG-konform-Quote at each month's end as lines (different dash and marker),
/// with every figure of each month as tables (the distributions behind a disclosure).
#[component]
pub(super) fn TrendChart(stand: String, points: Vec<TrendPoint>, services: i64, t: i64) -> impl IntoView {
    let online: Vec<Option<f64>> = points.iter().map(|p| AreaFigures::share(p.online, p.responsible)).collect();
    let r3: Vec<Option<f64>> = points.iter().map(|p| AreaFigures::share(p.reifegrad_3, p.responsible)).collect();
    let withheld = points.iter().filter(|p| p.suppressed).count();
    let desc = match points.last() {
        Some(p) => format!(
            "Liniendiagramm über {} Monate{}. Ende {}: Online-Quote {}, OZG-konform {}. Die Werte stehen in der Tabelle unter dem Diagramm.",
            points.len(),
            if withheld > 0 { format!(", {withheld} davon nicht ausgewiesen ({WITHHELD}, weniger als {t} Kommunen)") } else { String::new() },
            month_label(&p.month),
            if p.suppressed { WITHHELD.to_string() } else { pct(AreaFigures::share(p.online, p.responsible)) },
            if p.suppressed { WITHHELD.to_string() } else { pct(AreaFigures::share(p.reifegrad_3, p.responsible)) },
        ),
        None => "Keine Daten.".into(),
    };
    let share = move |p: &TrendPoint, part: Option<i64>, whole: Option<i64>| if p.suppressed { WITHHELD.to_string() } else { pct(AreaFigures::share(part, whole)) };
    let of = move |p: &TrendPoint, v: Option<i64>| if p.suppressed { WITHHELD.to_string() } else { format!("{} von {services}", count(v, false)) };
    let dist = |caption: &'static str, id: &'static str, labels: Vec<String>, pick: fn(&TrendPoint) -> Option<&Vec<i64>>| {
        let labels_head = labels.clone();
        let points = points.clone();
        view! {
            <DataTable id=id caption=caption columns={std::iter::once(Col::from("Monat")).chain(labels_head.into_iter().map(Col::from)).collect()} class="compact">
                        {points.iter().map(|p| {
                            let cells: Vec<String> = (0..labels.len()).map(|i| match pick(p) { Some(v) => format_number(v.get(i).copied().unwrap_or(0)), None => WITHHELD.to_string() }).collect();
                            view! { <tr><th scope="row">{month_label(&p.month)}</th>{cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }
                        }).collect_view()}
                    </DataTable>
        }
    };
    let stages = dist("Umsetzungsstand je Monat (Kommune-Leistung-Paare)", "lb-verlauf-stufen", stage_labels().map(str::to_string).collect(), |p| p.stages.as_ref());
    let m11 = dist("Reifegradmodell 1.1 je Monat (Kommune-Leistung-Paare)", "lb-verlauf-m11", (0..5).map(|l| format!("Stufe {l}")).collect(), |p| p.model_11.as_ref());
    let m20 = dist("Reifegradmodell 2.0 je Monat (Kommune-Leistung-Paare)", "lb-verlauf-m20", (0..8).map(|l| format!("Stufe {l}")).collect(), |p| p.model_20.as_ref());
    view! {
        <section aria-labelledby="lb-verlauf">
            <h2 id="lb-verlauf">"Verlauf"</h2>
            <p class="hint">{format!(
                "Dieselben Kennzahlen zum Ende jedes Monats, aus dem Verlauf der Registereinträge berechnet (Stand: {}). Der laufende Monat zeigt den Stand dieser Berechnung. Zellen mit weniger als {t} zuständigen Kommunen bleiben in jedem Monat außen vor.",
                data_date(&stand)
            )}</p>
            <MonthLines
                id="lb-verlauf"
                title="Online-Quote und OZG-konforme Quote je Monat"
                desc=desc
                months=points.iter().map(|p| p.month.clone()).collect()
                first=online
                second=r3
                first_label="Online-Quote"
                second_label="Reifegrad ≥ 3 (Modell 1.1)"
            />
            <DataTable id="lb-verlauf-tabelle" caption="Verlauf je Monat als Tabelle" columns=cols(["Monat", "Online-Quote", "flächendeckend online", "in mindestens einer Kommune online", "Bevölkerungsabdeckung", "Reifegrad ≥ 2", "Reifegrad ≥ 3", "EfA-Nachnutzungen"]) class="compact">
                        {points.iter().map(|p| view! {
                            <tr>
                                <th scope="row">{month_label(&p.month)}</th>
                                <td>{share(p, p.online, p.responsible)}</td>
                                <td>{of(p, p.flaechendeckend)}</td>
                                <td>{of(p, p.mindestens_eine)}</td>
                                <td>{share(p, p.population_online, p.population_responsible)}</td>
                                <td>{share(p, p.reifegrad_2, p.responsible)}</td>
                                <td>{share(p, p.reifegrad_3, p.responsible)}</td>
                                <td>{count(p.efa, p.suppressed)}</td>
                            </tr>
                        }).collect_view()}
                    </DataTable>
            <details class="trend-more">
                <summary>"Umsetzungsstand und Reifegrade je Monat"</summary>
                {stages}
                {m11}
                {m20}
            </details>
        </section>
    }
}
