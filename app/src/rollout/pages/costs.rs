//! `/nachnutzung/kosten`: cost totals per Kommune, Kreis, EfA service and year (advisors and
//! administrators).

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
        <div class="table-wrap" role="region" aria-labelledby=id tabindex="0">
            <table>
                <caption id=id>{caption}</caption>
                <thead><tr><th scope="col">{head}</th><th scope="col">"einmalig"</th><th scope="col">"jährlich"</th><th scope="col">"trägt das Land"</th><th scope="col">"trägt die Kommune"</th><th scope="col">"tragen andere"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|t| view! {
                        <tr><th scope="row">{t.label}</th><td class="num">{euro(t.one_off)}</td><td class="num">{euro(t.yearly)}</td><td class="num">{euro(t.land)}</td><td class="num">{euro(t.kommune)}</td><td class="num">{euro(t.other)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
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
            <Suspense fallback=|| view! { <p>"Wird geladen …"</p> }>
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
