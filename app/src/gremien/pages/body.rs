//! `/gremien/:id`: one body, its purpose, members and decisions; those who run it manage it
//! below (see `manage`).

use crate::gremien::api::load_gremium;
use crate::gremien::model::GremiumView;
use crate::ui::errors::ErrorPage;
use crate::ui::list::{DataTable, cols};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn GremiumPage() -> impl IntoView {
    let params = use_params_map();
    let body = Resource::new(move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or_default()), load_gremium);
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match body.await {
                    Err(e) => view! { <Title text="Gremium"/><ErrorPage error=e/> }.into_any(),
                    Ok(g) => view! { <Body g/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Body(g: GremiumView) -> impl IntoView {
    let query = use_query_map();
    let saved = query.with_untracked(|q| q.get("gespeichert"));
    let notice = match saved.as_deref() {
        Some("angelegt") => Some("Das Gremium ist angelegt. Sie sind seine Geschäftsstelle; nehmen Sie nun die Mitglieder auf."),
        Some("gremium") => Some("Die Angaben des Gremiums sind gespeichert."),
        Some("mitglied") => Some("Das Mitglied ist aufgenommen."),
        Some("rolle") => Some("Die Rolle ist geändert."),
        Some("beendet") => Some("Die Mitgliedschaft ist beendet."),
        _ => None,
    };
    let title = g.name.clone();
    let decisions = g.decisions.clone();
    let decisions_total = g.decisions_total;
    let body_id = g.id;
    let manage = g.runs.then(|| view! { <crate::gremien::pages::manage::Manage g=g.clone()/> });
    view! {
        <Title text=title.clone()/>
        <p><a href="/gremien">"← Alle Gremien"</a></p>
        <h1>{title}</h1>
        {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <dl class="profile">
            <dt>"Art"</dt><dd>{g.kind.label()}</dd>
            <dt>"sichtbar für"</dt><dd>{g.visibility.label()}</dd>
            {g.mine.map(|r| view! { <dt>"Ihre Rolle"</dt><dd>{r.label()}</dd> })}
        </dl>
        <h2>"Zweck und Auftrag"</h2>
        <p class="prewrap">{g.purpose.clone()}</p>
        <section aria-labelledby="mitglieder">
            <h2 id="mitglieder">"Mitglieder"</h2>
            {if g.shows_people {
                view! {
                    <DataTable id="mitglieder-tabelle" caption=format!("{} des Gremiums", crate::ui::format::count_of(g.members.len() as i64, "Mitglied", "Mitglieder")) columns=cols(["Name", "Organisation", "Rolle", "seit"])>
                        {g.members.iter().cloned().map(|m| view! {
                            <tr><td>{m.name}</td><td>{m.organisation}</td><td>{m.role.label()}</td><td>{m.since}</td></tr>
                        }).collect_view()}
                    </DataTable>
                }.into_any()
            } else {
                view! {
                    <p>"Beteiligte Organisationen:"</p>
                    <ul>{g.organisations.iter().cloned().map(|o| view! { <li>{o}</li> }).collect_view()}</ul>
                }.into_any()
            }}
        </section>
        {(g.mine.is_some() || g.runs).then(|| {
            let (meetings, tasks) = (g.meetings.clone(), g.tasks.clone());
            let open = tasks.iter().filter(|t| t.status.is_open()).count();
            let overdue = tasks.iter().filter(|t| t.overdue).count();
            view! {
                <section aria-labelledby="sitzungen">
                    <h2 id="sitzungen">"Sitzungen"</h2>
                    {if meetings.is_empty() {
                        view! { <p>"Noch keine Sitzung geplant."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="article-list">
                                {meetings.into_iter().map(|m| view! {
                                    <li class="article-item">
                                        <a href=format!("/gremien/sitzungen/{}", m.id)>{m.title}</a>{m.cancelled.then_some(" (abgesagt)")}
                                        <p class="hint">{m.when}{m.minutes.map(|s| format!(" · Protokoll: {}", s.label()))}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
                <section aria-labelledby="massnahmen">
                    <h2 id="massnahmen">"Maßnahmen"</h2>
                    <p>{format!("{} offen, davon {} überfällig.", open, overdue)}</p>
                    {(!tasks.is_empty()).then(|| view! { <crate::gremien::pages::task::TaskTable tasks caption="Maßnahmen des Gremiums"/> })}
                </section>
            }
        })}
        <section aria-labelledby="beschluesse">
            <h2 id="beschluesse">"Beschlüsse"</h2>
            {if decisions.is_empty() {
                view! { <p>"Noch keine Beschlüsse, die Sie lesen können."</p> }.into_any()
            } else {
                view! {
                    {(decisions_total > decisions.len() as u64).then(|| view! { <p>{format!("Die neuesten {} von {} Beschlüssen:", decisions.len(), decisions_total)}</p> })}
                    <ul class="article-list">{decisions.into_iter().map(crate::gremien::pages::parts::decision_item).collect_view()}</ul>
                    <p><a href=format!("/beschluesse?gremium={body_id}")>"Alle Beschlüsse des Gremiums im Beschlussregister"</a></p>
                }.into_any()
            }}
        </section>
        {manage}
    }
}
