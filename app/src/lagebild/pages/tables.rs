//! The Lagebild's tables: areas, Themenfelder, services and the Beratungsfälle statistics.

use crate::ui::list::{Col, DataTable, cols};
use crate::lagebild::model::{AreaFigures, CaseRow, CaseStatsView, ServiceFigures};
use crate::ui::format::{format_number, WITHHELD};
use leptos::prelude::*;
use super::*;

#[component]
pub(super) fn AreaTable(rows: Vec<AreaFigures>, caption: &'static str, query: String) -> impl IntoView {
    view! {
        <DataTable id="lb-areas-caption" caption=caption columns=cols(["Gebiet", "Kommunen", "Online-Quote", "flächendeckend", "in mind. einer Kommune", "Bevölkerungsabdeckung", "Reifegrad ≥ 3", "Meldelücken"])>
                    {rows.into_iter().map(|f| {
                        let href = format!("/lagebild?gebiet={}{}", crate::lagebild::model::base_key(&f.area), if query.is_empty() { String::new() } else { format!("&{query}") });
                        view! {
                            <tr>
                                <th scope="row"><a href=href>{f.name.clone()}</a></th>
                                <td>{format_number(f.kommunen)}</td>
                                <td>{share(&f, f.online, f.responsible)}</td>
                                <td>{count(f.flaechendeckend, f.suppressed)}</td>
                                <td>{count(f.mindestens_eine, f.suppressed)}</td>
                                <td>{share(&f, f.population_online, f.population_responsible)}</td>
                                <td>{share(&f, f.reifegrad_3, f.responsible)}</td>
                                <td>{count(f.stale_kommunen, f.suppressed)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
    }
}

#[component]
pub(super) fn ThemenfeldTable(rows: Vec<(String, AreaFigures)>) -> impl IntoView {
    view! {
        <DataTable id="lb-tf-caption" caption="Kennzahlen je Themenfeld" columns=cols(["Themenfeld", "gezählte Leistungen", "Online-Quote", "flächendeckend", "in mind. einer Kommune", "Reifegrad ≥ 3"])>
                    {rows.into_iter().map(|(name, f)| view! {
                        <tr>
                            <th scope="row">{name}</th>
                            <td>{counted(&f)}</td>
                            <td>{share(&f, f.online, f.responsible)}</td>
                            <td>{count(f.flaechendeckend, f.suppressed)}</td>
                            <td>{count(f.mindestens_eine, f.suppressed)}</td>
                            <td>{share(&f, f.reifegrad_3, f.responsible)}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
    }
}

/// "30", or "4 von 30" where services are left out of the figures for the viewer.
pub(super) fn counted(f: &AreaFigures) -> String {
    if f.withheld > 0 && !f.suppressed {
        format!("{} von {}", format_number(f.services - f.withheld), format_number(f.services))
    } else {
        format_number(f.services)
    }
}

pub(super) use crate::ui::format::month as month_label;

pub(super) fn hours(v: Option<f64>, hidden: bool) -> String {
    match v {
        _ if hidden => WITHHELD.to_string(),
        Some(h) => format!("{h:.1}\u{a0}h").replace('.', ","),
        None => "–".to_string(),
    }
}

/// One table of case figures (months, categories or Kreise).
#[component]
pub(super) fn CaseTable(rows: Vec<CaseRow>, caption: String, first: &'static str, id: &'static str) -> impl IntoView {
    view! {
        <DataTable id=id caption=caption columns=vec![Col::from(first), Col::from("Fälle"), Col::from("Median bis zur ersten Antwort"), Col::from("erste Antwort in Frist"), Col::from("Median bis zur Lösung"), Col::from("Lösung in Frist")] class="compact">
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.label.clone()}</th>
                            <td>{count(r.cases, r.hidden)}</td>
                            <td>{hours(r.median_response_hours, r.hidden)}</td>
                            <td>{if r.hidden { WITHHELD.to_string() } else { pct(AreaFigures::share(r.responded_in_time, r.responded)) }}</td>
                            <td>{hours(r.median_solution_hours, r.hidden)}</td>
                            <td>{if r.hidden { WITHHELD.to_string() } else { pct(AreaFigures::share(r.solved_in_time, r.solved)) }}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
    }
}

/// Statistics of the Beratungsfälle: counts and durations only.
#[component]
pub(super) fn CaseSection(c: CaseStatsView, t: i64) -> impl IntoView {
    let months: Vec<CaseRow> = c.months.iter().map(|r| CaseRow { label: month_label(&r.label), ..r.clone() }).collect();
    let mut total = c.total.clone();
    total.label = "alle Fälle".into();
    view! {
        <section aria-labelledby="lb-beratung">
            <h2 id="lb-beratung">"Beratung"</h2>
            <p class="hint">{format!(
                "Beratungsfälle der letzten 12 Monate – nur Anzahlen und Dauern. Dauern in Arbeitsstunden nach dem Arbeitszeitkalender der Beratung (Zeit, in der auf die Kommune gewartet wurde, zählt bei der Lösung nicht); »in Frist«: Anteil der beantworteten bzw. gelösten Fälle, die ihr Serviceziel einhielten. Stand: {}.",
                data_date(&c.stand)
            )}</p>
            <p class="hint">{crate::ui::format::withheld_note(t)}</p>
            {c.rating.clone().map(|r| view! {
                <p class="lb-rating">{format!(
                    "Bewertung der Beratung durch die Kommunen: im Durchschnitt {} von 5 ({}, letzte 12 Monate).",
                    format!("{:.1}", r.average).replace('.', ","),
                    crate::ui::format::count_of(r.ratings, "Bewertung", "Bewertungen")
                )}</p>
            })}
            <CaseTable rows=vec![total] caption="Beratungsfälle insgesamt".to_string() first="Zeitraum" id="lb-cases-total"/>
            <CaseTable rows=months caption="Beratungsfälle je Monat".to_string() first="Monat" id="lb-cases-months"/>
            <CaseTable rows=c.categories.clone() caption="Beratungsfälle je Kategorie".to_string() first="Kategorie" id="lb-cases-categories"/>
            {(!c.parts.is_empty()).then(|| view! { <CaseTable rows=c.parts.clone() caption="Beratungsfälle je Kreis".to_string() first="Kreis" id="lb-cases-kreise"/> })}
            {(!c.top_ozg.is_empty()).then(|| view! {
                <h3>"OZG-Leistungen mit den meisten Beratungsfällen"</h3>
                <ol>{c.top_ozg.iter().map(|(id, name, n)| view! { <li>{format!("{name} ({id}): {}", crate::ui::format::count_of(*n, "Fall", "Fälle"))}</li> }).collect_view()}</ol>
            })}
        </section>
    }
}

/// Each OZG-Leistung of a narrower slice in the area.
#[component]
pub(super) fn ServiceTable(rows: Vec<ServiceFigures>, t: i64) -> impl IntoView {
    view! {
        <section aria-labelledby="lb-leistungen">
            <h2 id="lb-leistungen">"Verfügbarkeit je OZG-Leistung"</h2>
            <DataTable id="lb-leistungen-caption" caption="OZG-Leistungen der Auswahl" columns=cols(["OZG-ID", "Leistung", "zuständige Kommunen", "davon online", "Anteil", "flächendeckend", "Reifegrad ≥ 3", "Bevölkerungsabdeckung"])>
                        {rows.into_iter().map(|r| {
                            let withheld = WITHHELD.to_string();
                            view! {
                                <tr>
                                    <td class="mono">{r.ozg_id.clone()}</td>
                                    <th scope="row">{r.name.clone()}</th>
                                    <td>{count(r.responsible, r.suppressed)}</td>
                                    <td>{count(r.online, r.suppressed)}</td>
                                    <td>{if r.suppressed { withheld.clone() } else { pct(AreaFigures::share(r.online, r.responsible)) }}</td>
                                    <td>{match r.flaechendeckend { Some(true) => "ja".to_string(), Some(false) => "nein".to_string(), None => withheld.clone() }}</td>
                                    <td>{count(r.reifegrad_3, r.suppressed)}</td>
                                    <td>{if r.suppressed { withheld } else { pct(AreaFigures::share(r.population_online, r.population_responsible)) }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
            <p class="hint">{crate::ui::format::withheld_note(t)}</p>
        </section>
    }
}
