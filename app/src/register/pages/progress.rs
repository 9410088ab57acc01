//! A Kommune's progress month by month: the line chart and the same figures as a table.

use crate::ui::list::{DataTable, cols};
use crate::register::model::Progress;
use crate::ui::chart::{MonthLines, month_long, pct, pct_text};
use leptos::prelude::*;

/// The share of services online and OZG-compliant at the end of each month, as a line chart
/// with the same figures as a table.
#[component]
pub fn ProgressChart(progress: Progress, #[prop(into)] id: String) -> impl IntoView {
    let online: Vec<Option<f64>> = progress.months.iter().map(|m| Some(pct(m.online, progress.catalogue))).collect();
    let compliant: Vec<Option<f64>> = progress.months.iter().map(|m| Some(pct(m.compliant, progress.catalogue))).collect();
    let caption_id = format!("{id}-tabelle");
    let desc = match progress.months.last() {
        Some(m) => format!(
            "Liniendiagramm über {} Monate. Ende {}: {} von {} Leistungen online ({}), {} OZG-konform ({}). Die Werte stehen in der Tabelle unter dem Diagramm.",
            progress.months.len(),
            month_long(&m.month),
            m.online,
            progress.catalogue,
            pct_text(pct(m.online, progress.catalogue)),
            m.compliant,
            pct_text(pct(m.compliant, progress.catalogue)),
        ),
        None => "Keine Daten.".to_string(),
    };
    view! {
        <MonthLines
            id=id
            title="Anteil der Leistungen online und OZG-konform je Monat"
            desc=desc
            months=progress.months.iter().map(|m| m.month.clone()).collect()
            first=online
            second=compliant
            first_label="online (Umsetzungsstand »online«)"
            second_label="OZG-konform (Reifegrad ≥ 3 im Modell 1.1)"
            hint=format!("Anteil an den {} Leistungen des Katalogs, jeweils zum Monatsende, aus dem Verlauf der Einträge berechnet.", progress.catalogue)
        />
        <DataTable id=caption_id.clone() caption="Entwicklung je Monat als Tabelle" columns=cols(["Monat", "online", "Anteil online", "OZG-konform", "Anteil OZG-konform"]) class="compact">
                    {progress.months.iter().map(|m| view! {
                        <tr>
                            <th scope="row">{month_long(&m.month)}</th>
                            <td>{m.online}</td>
                            <td>{pct_text(pct(m.online, progress.catalogue))}</td>
                            <td>{m.compliant}</td>
                            <td>{pct_text(pct(m.compliant, progress.catalogue))}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
    }
}
