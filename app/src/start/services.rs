//! The EfA services on the start page: for a Kommune's clerk, the services of its Kommunen that
//! do not run normally and their open faults; for an operator's people, the services they operate.

use crate::faults::model::ReportItem;
use crate::rollout::model::ServiceStatus;
use crate::rollout::model::OperatedService;
use crate::ui::list::{DataTable, cols};
use leptos::prelude::*;

/// A clerk's services that do not run normally, and the open faults of their services.
#[component]
pub fn KommuneServices(states: Vec<ServiceStatus>, faults: Vec<ReportItem>) -> impl IntoView {
    view! {
        <section aria-labelledby="dienste-titel">
            <h2 id="dienste-titel">"Ihre EfA-Dienste: Betrieb und bekannte Störungen"</h2>
            {states.into_iter().map(|s| view! { <crate::ui::status::StatusNotice s link=true/> }).collect_view()}
            {(!faults.is_empty()).then(|| view! {
                <DataTable id="stoerungen-titel" caption="Offene Störungen Ihrer EfA-Dienste" columns=cols(["Störung", "EfA-Dienst", "Status", "Kommunen"]) class="stacked">
                    {faults.into_iter().take(10).map(|r| view! {
                        <tr>
                            <td data-label="Störung"><a href=format!("/nachnutzung/meldung/{}", r.id)>{r.title.clone()}</a>{r.ours.then_some(" (betrifft Sie)")}</td>
                            <td data-label="EfA-Dienst">{r.service.clone()}</td>
                            <td data-label="Status">{r.status.label()}</td>
                            <td data-label="Kommunen" class="num">{r.joined}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
            })}
        </section>
    }
}

/// The services an operator's organisation operates.
#[component]
pub fn OperatedServices(list: Vec<OperatedService>) -> impl IntoView {
    view! {
        <section aria-labelledby="betrieb-titel">
            <h2 id="betrieb-titel">"Von Ihnen betriebene EfA-Dienste"</h2>
            <DataTable id="betrieb-tabelle" caption="Anbindungen der Kommunen an Ihre Dienste" columns=cols(["EfA-Dienst", "in Vorbereitung", "im Test", "live", "blockierte Punkte"]) class="stacked">
                {list.into_iter().map(|s| view! {
                    <tr>
                        <td data-label="EfA-Dienst"><a href=format!("/nachnutzung/dienst/{}", s.id)>{s.name.clone()}</a>" · "<a href=format!("/nachnutzung/dienst/{}/meldungen", s.id)>"Meldungen"</a></td>
                        <td data-label="in Vorbereitung" class="num">{s.preparing}</td>
                        <td data-label="im Test" class="num">{s.testing}</td>
                        <td data-label="live" class="num">{s.live}</td>
                        <td data-label="blockierte Punkte" class="num">{s.blocked}</td>
                    </tr>
                }).collect_view()}
            </DataTable>
        </section>
    }
}
