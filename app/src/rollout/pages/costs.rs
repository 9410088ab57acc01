//! `/nachnutzung/kosten`: cost totals per Kommune, Kreis, EfA service and year (advisors and
//! administrators).

use crate::ui::list::{Col, DataTable};
use crate::identity::Role;
use crate::rollout::api::rollout_costs;
use crate::rollout::model::CostTotal;
use crate::ui::auth::RequireRole;
use crate::ui::errors::ErrorPage;
use crate::ui::format::euro;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn Totals(id: &'static str, caption: &'static str, head: &'static str, rows: Vec<CostTotal>) -> impl IntoView {
    view! {
        <DataTable id=id caption=caption columns=vec![Col::from(head), Col::from("einmalig"), Col::from("jährlich"), Col::from("trägt das Land"), Col::from("trägt die Kommune"), Col::from("tragen andere")]>
                    {rows.into_iter().map(|t| view! {
                        <tr><th scope="row">{t.label}</th><td class="num">{euro(t.one_off)}</td><td class="num">{euro(t.yearly)}</td><td class="num">{euro(t.land)}</td><td class="num">{euro(t.kommune)}</td><td class="num">{euro(t.other)}</td></tr>
                    }).collect_view()}
                </DataTable>
    }
}

#[component]
pub fn RolloutCostsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| rollout_costs());
    view! {
        <Title text="Kosten der Nachnutzung"/>
        <h1>"Kosten der Nachnutzung"</h1>
        <p>"Von der Landesberatung je Anbindung erfasste Kosten. Diese Zahlen sind nicht öffentlich."</p>
        <RequireRole roles=vec![Role::Advisor, Role::Admin]>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                        Ok(r) => view! {
                            <Totals id="kosten-gesamt" caption="Insgesamt" head="" rows=vec![r.all.clone()]/>
                            <h2>"Je Jahr"</h2>
                            <Totals id="kosten-jahr" caption="Kosten je Jahr" head="Jahr" rows=r.by_year/>
                            <h2>"Je EfA-Dienst"</h2>
                            <Totals id="kosten-dienst" caption="Kosten je EfA-Dienst" head="EfA-Dienst" rows=r.by_service/>
                            <h2>"Je Kreis"</h2>
                            <Totals id="kosten-kreis" caption="Kosten je Kreis" head="Kreis" rows=r.by_kreis/>
                            <h2>"Je Kommune"</h2>
                            <Totals id="kosten-kommune" caption="Kosten je Kommune" head="Kommune" rows=r.by_kommune/>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}
