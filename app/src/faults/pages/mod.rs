//! Pages of the faults room: a service's operating state and reports (`service`, with the forms
//! in `forms`) and one report (`report`).

pub mod forms;
pub mod report;
pub mod service;

use crate::faults::model::ReportItem;
use crate::ui::list::{DataTable, cols};
use leptos::prelude::*;

/// Reports as a table: what, how bad, where it stands, how many Kommunen.
#[component]
pub fn ReportTable(id: &'static str, caption: String, list: Vec<ReportItem>, #[prop(optional)] with_service: bool) -> impl IntoView {
    let mut columns = cols(["Meldung", "Art", "Schwere", "Status", "seit", "Kommunen"]);
    if with_service {
        columns.insert(1, crate::ui::list::Col::from("EfA-Dienst"));
    }
    view! {
        <DataTable id caption columns class="stacked">
            {list.into_iter().map(|r| view! {
                <tr>
                    <td data-label="Meldung"><a href=format!("/nachnutzung/meldung/{}", r.id)>{r.title.clone()}</a>{r.ours.then_some(" (Ihre Kommune ist betroffen)")}</td>
                    {with_service.then(|| view! { <td data-label="EfA-Dienst">{r.service.clone()}</td> })}
                    <td data-label="Art">{r.kind.label()}</td>
                    <td data-label="Schwere">{r.severity.label()}</td>
                    <td data-label="Status">{r.status.label()}</td>
                    <td data-label="seit">{r.since.clone()}</td>
                    <td data-label="Kommunen" class="num">{r.joined}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}
