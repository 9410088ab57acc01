//! `/nachnutzung/dienst/:id/meldungen`: how an EfA service runs and what its connected Kommunen
//! reported: the open reports first (so a known fault is found before it is reported twice), the
//! report form and the closed reports. The operator and the Land set the operating state on the
//! service's page.

use super::forms::ReportFormSection;
use super::ReportTable;
use crate::ui::status::StatusNotice;
use crate::faults::api::service_reports;
use crate::faults::model::ReportsOfService;
use crate::ui::errors::ErrorPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ServiceReportsPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let data = Resource::new(id, service_reports);
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <Title text="Betrieb und Meldungen"/><ErrorPage error=e/> }.into_any(),
                    Ok(p) => view! { <Reports p/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Reports(p: ReportsOfService) -> impl IntoView {
    let service = p.status.service.clone();
    let id = p.status.service_id.clone();
    let title = format!("Betrieb und Meldungen: {service}");
    view! {
        <Title text=title.clone()/>
        <p class="hint"><a href="/nachnutzung">"Nachnutzungsübersicht"</a>" · "<a href=format!("/nachnutzung/dienst/{id}")>{service.clone()}</a></p>
        <h1>{title}</h1>
        <section aria-labelledby="zustand-titel">
            <h2 id="zustand-titel">"Betriebszustand"</h2>
            <StatusNotice s=p.status.clone()/>
            {p.status.since.clone().map(|s| view! { <p class="hint">{format!("Gesetzt am {s}")}</p> })}
            {p.may_set_state.then(|| view! { <p><a href=format!("/nachnutzung/dienst/{id}#zustand-titel")>"Betriebszustand ändern"</a></p> })}
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
