//! `/nachnutzung/dienst/:id/meldungen`: how an EfA service runs and what its connected Kommunen
//! reported: the open reports first (so a known fault is found before it is reported twice), the
//! report form, the operating state's form for the operator and the Land, the closed reports.

use super::forms::{ReportFormSection, StateFormSection};
use super::{ReportTable, StatusNotice};
use crate::faults::api::service_reports;
use crate::faults::model::ReportsOfService;
use crate::ui::errors::ErrorPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ServiceReportsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let data = Resource::new(id, service_reports);
    let saved = query.with_untracked(|q| q.get("zustand").is_some());
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <Title text="Betrieb und Meldungen"/><ErrorPage error=e/> }.into_any(),
                    Ok(p) => view! { <Reports p saved/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Reports(p: ReportsOfService, saved: bool) -> impl IntoView {
    let service = p.status.service.clone();
    let id = p.status.service_id.clone();
    let title = format!("Betrieb und Meldungen: {service}");
    view! {
        <Title text=title.clone()/>
        <p class="hint"><a href="/nachnutzung">"Nachnutzungsübersicht"</a>" · "<a href=format!("/nachnutzung/dienst/{id}")>{service.clone()}</a></p>
        <h1>{title}</h1>
        {saved.then(|| view! { <p class="notice" role="status">"Der Betriebszustand ist gespeichert; die angebundenen Kommunen sind benachrichtigt."</p> })}
        <section aria-labelledby="zustand-titel">
            <h2 id="zustand-titel">"Betriebszustand"</h2>
            <StatusNotice s=p.status.clone()/>
            {p.status.since.clone().map(|s| view! { <p class="hint">{format!("Gesetzt am {s}")}</p> })}
            {p.may_set_state.then(|| view! { <StateFormSection service=id.clone() current=p.status.state/> })}
        </section>
        <h2>"Offene Meldungen"</h2>
        {if p.open.is_empty() {
            view! { <p>"Keine offenen Störungen oder Anforderungen."</p> }.into_any()
        } else {
            view! { <ReportTable id="offen-titel" caption=format!("Offene Meldungen zu {service}") list=p.open.clone()/> }.into_any()
        }}
        {(!p.may_report.is_empty()).then(|| view! { <ReportFormSection service=id.clone() kommunen=p.may_report.clone()/> })}
        {(!p.closed.is_empty()).then(|| view! {
            <h2>"Abgeschlossene Meldungen"</h2>
            <ReportTable id="erledigt-titel" caption="Die zuletzt abgeschlossenen Meldungen".to_string() list=p.closed.clone()/>
        })}
    }
}
