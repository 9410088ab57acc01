//! A clerk's start section for one Kommune: progress, what needs them, comparison.

use crate::ui::list::{DataTable, cols};
use crate::start::model::{percent_text, share, Comparison, KommuneStart};
use leptos::prelude::*;

fn part_of(n: usize, of: usize) -> String {
    percent_text(share(Some(n as i64), Some(of as i64)))
}

#[component]
pub fn KommuneSection(k: KommuneStart) -> impl IntoView {
    let id = format!("kommune-{}", k.key);
    let needs_id = format!("bedarf-{}", k.key);
    let cmp_id = format!("vergleich-{}", k.key);
    let open_needs: usize = k.needs.iter().filter(|n| n.count > 0).count();
    view! {
        <section class="kommune-start" aria-labelledby=id.clone()>
            <h2 id=id.clone()>{k.name.clone()}</h2>
            <dl class="figures">
                <div><dt>"Online"</dt><dd>{format!("{} von {} ({})", k.online, k.catalogue, part_of(k.online, k.catalogue))}</dd></div>
                <div><dt>"OZG-konform (Reifegrad ≥ 3, Modell 1.1)"</dt><dd>{format!("{} ({})", k.compliant, part_of(k.compliant, k.catalogue))}</dd></div>
                <div><dt>"Fokusleistungen online"</dt><dd>{format!("{} von {}", k.focus_online, k.focus)}</dd></div>
            </dl>
            {(!k.new_replies.is_empty()).then(|| view! {
                <h3>"Neue Antworten der Beratung"</h3>
                <ul class="needs new-replies">
                    {k.new_replies.iter().map(|r| view! {
                        <li><a href=format!("/faelle/{}#unterhaltung", r.case_id)>{format!("Fall {} {}", r.case_id, crate::ui::format::quoted(&r.subject))}</a> " (" {r.at.clone()} ")"</li>
                    }).collect_view()}
                </ul>
            })}
            <h3 id=needs_id.clone()>"Was Sie erwartet"</h3>
            {if open_needs == 0 {
                view! { <p>"Nichts offen: keine wartenden Fälle, keine überfälligen oder veralteten Einträge."</p> }.into_any()
            } else {
                view! {
                    <ul class="needs" aria-labelledby=needs_id.clone()>
                        {k.needs.iter().filter(|n| n.count > 0).map(|n| view! {
                            <li><a href=n.href.clone()>{n.label.clone()} ": " <strong>{n.count}</strong></a></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!k.notes.is_empty()).then(|| view! {
                <h3>"Neue Anmerkungen der Landesberatung"</h3>
                <ul class="notes">
                    {k.notes.iter().map(|n| view! {
                        <li><a href=n.href.clone()>{n.service.clone()}</a> " (" {n.date.clone()} "): " {n.body.clone()}</li>
                    }).collect_view()}
                </ul>
            })}
            <h3>"Entwicklung in den letzten zwölf Monaten"</h3>
            <crate::register::pages::progress::ProgressChart progress=k.progress.clone() id=format!("entwicklung-{}", k.key)/>
            <DataTable id=cmp_id.clone() caption="Im Vergleich (Anteile an den Leistungen, für die die Kommunen zuständig sind)" columns=cols(["Gebiet", "Online-Quote", "OZG-konform"]) class="compact">
                        {k.comparison.iter().map(|c: &Comparison| view! {
                            <tr><th scope="row">{c.name.clone()}</th><td>{percent_text(c.online_share)}</td><td>{percent_text(c.compliant_share)}</td></tr>
                        }).collect_view()}
                    </DataTable>
            {k.usage.clone().map(|u| view! {
                <h3>"Nutzung Ihrer Online-Dienste"</h3>
                <DataTable id=format!("nutzung-{}", k.key) caption=format!("Vorgänge {}, je 1.000 Einwohner im Vergleich", u.period) columns=cols(["OZG-Leistung", "Vorgänge", "je 1.000 Einwohner", "Kreis", "Land"]) class="compact">
                    {u.rows.iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.name.clone()}</th>
                            <td class="num">{crate::ui::format::format_number(r.own)}</td>
                            <td class="num">{r.own_per_1000.map(crate::ui::format::decimal).unwrap_or_else(|| "–".into())}</td>
                            <td class="num">{r.kreis_per_1000.map(crate::ui::format::decimal).unwrap_or_else(|| crate::ui::format::WITHHELD.into())}</td>
                            <td class="num">{r.land_per_1000.map(crate::ui::format::decimal).unwrap_or_else(|| crate::ui::format::WITHHELD.into())}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
            })}
            <p><a href=format!("/kommunen/{}/leistungen", k.key)>"Zum Leistungsregister"</a> " · " <a href=format!("/kommunen/{}/nutzung", k.key)>"Nutzungszahlen"</a> " · " <a href=format!("/lagebild?gebiet=15")>"Zum Lagebild"</a></p>
        </section>
    }
}
