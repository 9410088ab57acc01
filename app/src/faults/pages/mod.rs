//! Pages of the faults room: a service's operating state and reports (`service`, with the forms
//! in `forms`) and one report (`report`).

pub mod forms;
pub mod report;
pub mod service;

use crate::faults::model::{ReportItem, ServiceStatus};
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

/// A service that does not run normally, as a notice: its state, the window and the note.
#[component]
pub fn StatusNotice(s: ServiceStatus, #[prop(optional)] link: bool) -> impl IntoView {
    let text = format!("{}: {}", s.service, s.describe().unwrap_or_else(|| s.state.label().to_string()));
    view! {
        <p class=if s.state.is_notable() { "notice warn" } else { "notice" }>
            {s.state.is_notable().then_some("Achtung – ")}
            {if link { view! { <a href=format!("/nachnutzung/dienst/{}/meldungen", s.service_id)>{text}</a> }.into_any() } else { view! { <strong>{text}</strong> }.into_any() }}
            {s.note.clone().map(|n| view! { <br/>{n} })}
        </p>
    }
}
