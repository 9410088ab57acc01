//! Start-page parts for advisors, associations and administrators: what needs them, and the
//! Land's key figures with their change over the last month.

use crate::ui::list::{Col, DataTable, cols};
use crate::start::model::{AreaStart, JobLine, Need};
use leptos::prelude::*;

#[component]
pub fn NeedList(needs: Vec<Need>, #[prop(into)] title: String) -> impl IntoView {
    view! {
        <section aria-labelledby="needs-title">
            <h2 id="needs-title">{title}</h2>
            <ul class="needs">
                {needs.into_iter().map(|n| {
                    let sub = n.label.starts_with("davon");
                    view! {
                        <li class:sub=sub><a href=n.href>{n.label} ": " <strong>{n.count}</strong></a></li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn AreaFigures(area: AreaStart) -> impl IntoView {
    let since = area.compared_with.clone().map(|m| format!("Veränderung seit Ende {}", crate::ui::format::month(&m))).unwrap_or_else(|| "Veränderung (noch kein Verlauf berechnet)".into());
    view! {
        <section aria-labelledby="land-title">
            <h2 id="land-title">{format!("{} auf einen Blick", area.name)}</h2>
            <p class="hint">{format!("Gezählt: {}.", area.whose)}</p>
            <DataTable id="land-caption" caption="Kennzahlen" columns=vec![Col::from("Kennzahl"), Col::from("Stand"), Col::from(since)] class="compact">
                        {area.figures.into_iter().map(|f| view! {
                            <tr><th scope="row">{f.label}</th><td>{f.value}</td><td>{f.change.unwrap_or_else(|| "–".into())}</td></tr>
                        }).collect_view()}
                    </DataTable>
            <p><a href=area.href>"Zum Lagebild"</a></p>
        </section>
    }
}

#[component]
pub fn JobTable(jobs: Vec<JobLine>) -> impl IntoView {
    view! {
        <section aria-labelledby="jobs-title">
            <h2 id="jobs-title">"Hintergrundaufgaben"</h2>
            {if jobs.is_empty() {
                view! { <p>"Noch kein Lauf vermerkt: die Aufgaben laufen alle 30 Sekunden, sobald das Portal läuft."</p> }.into_any()
            } else {
                view! {
                    <DataTable id="jobs-caption" caption="Letzte Läufe" columns=cols(["Aufgabe", "Letzter Lauf", "Ergebnis", "Läufe / Fehlschläge", "Letzter Fehlschlag"]) class="compact">
                                {jobs.into_iter().map(|j| view! {
                                    <tr>
                                        <th scope="row">{j.label}</th>
                                        <td>{format!("{} ({} ms)", j.last_run, j.millis)}</td>
                                        <td>{if j.ok { "erfolgreich" } else { "fehlgeschlagen" }}</td>
                                        <td>{format!("{} / {}", j.runs, j.failures)}</td>
                                        <td>{j.last_failure.unwrap_or_else(|| "–".into())}</td>
                                    </tr>
                                }).collect_view()}
                            </DataTable>
                }.into_any()
            }}
        </section>
    }
}
