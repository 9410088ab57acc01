//! `/beschluesse`: the register of decisions the caller may read (everyone: the public reads the
//! public decisions of public bodies), searched and filtered; `/beschluesse/:id`: one decision.

use crate::gremien::api::{load_decision, load_decision_register};
use crate::gremien::model::{DecisionRegister, DecisionView};
use crate::ui::errors::ErrorPage;
use crate::ui::list::{FilterChoice, FilterForm, FilterText, Pager};
use crate::ui::rich::Rich;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn DecisionRegisterPage() -> impl IntoView {
    let query = use_query_map();
    let args = move || query.with(|q| (q.get("suche"), q.get("gremium"), q.get("jahr"), q.get("seite")));
    let register = Resource::new(args, |(s, g, j, p)| load_decision_register(s, g, j, p));
    view! {
        <Title text="Register der Beschlüsse"/>
        <h1>"Register der Beschlüsse"</h1>
        <p class="lead">"Die Beschlüsse der Gremien der Zusammenarbeit, nummeriert je Gremium und Jahr. Angemeldete sehen zusätzlich, was für sie beschlossen wurde."</p>
        <p>
            <a href="/api/v1/public/decisions">"Öffentliche Beschlüsse als offene Daten (JSON)"</a>" · "
            <a href="/beschluesse.csv">"als CSV"</a>" · "
            <a href="/beschluesse.atom">"als Feed (Atom)"</a>
        </p>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match register.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(r) => view! { <Register r/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Register(r: DecisionRegister) -> impl IntoView {
    let query = use_query_map();
    let (search, body, year) = query.with_untracked(|q| (q.get("suche").unwrap_or_default(), q.get("gremium").unwrap_or_default(), q.get("jahr").unwrap_or_default()));
    let bodies: Vec<(String, String)> = r.bodies.iter().map(|(id, n)| (id.to_string(), n.clone())).collect();
    let years: Vec<(String, String)> = r.years.iter().map(|y| (y.to_string(), y.to_string())).collect();
    let href = {
        let (search, body, year) = (search.clone(), body.clone(), year.clone());
        move |page: u64| {
            let f = crate::ui::format::urlencode;
            format!("/beschluesse?suche={}&gremium={}&jahr={}&seite={page}", f(&search), f(&body), f(&year))
        }
    };
    view! {
        <FilterForm action="/beschluesse" label="Beschlüsse durchsuchen">
            <FilterText name="suche" label="Suche in Titel und Wortlaut" value=search maxlength=200/>
            <FilterChoice name="gremium" label="Gremium" options=bodies current=body/>
            <FilterChoice name="jahr" label="Jahr" options=years current=year/>
            <button type="submit" class="button">"Suchen"</button>
        </FilterForm>
        <p role="status">{crate::ui::format::count_of(r.matching as i64, "Beschluss", "Beschlüsse")}</p>
        {if r.items.is_empty() {
            view! { <p>"Keine Beschlüsse zu dieser Suche."</p> }.into_any()
        } else {
            view! { <ul class="article-list">{r.items.into_iter().map(crate::gremien::pages::parts::decision_item).collect_view()}</ul> }.into_any()
        }}
        <Pager page=r.page pages=r.pages href/>
    }
}

#[component]
pub fn DecisionPage() -> impl IntoView {
    let params = use_params_map();
    let decision = Resource::new(move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or_default()), load_decision);
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match decision.await {
                    Err(e) => view! { <Title text="Beschluss"/><ErrorPage error=e/> }.into_any(),
                    Ok(d) => view! { <Decision d/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Decision(d: DecisionView) -> impl IntoView {
    let saved = use_query_map().with_untracked(|q| q.get("gespeichert").is_some());
    let title = format!("{}: {}", d.reference, d.title);
    view! {
        <Title text=title.clone()/>
        <p><a href="/beschluesse">"← Register der Beschlüsse"</a></p>
        <h1>{title}</h1>
        {saved.then(|| view! { <p class="notice" role="status">{format!("Eingetragen als {}.", d.reference)}</p> })}
        <dl class="profile">
            <dt>"Gremium"</dt><dd><a href=format!("/gremien/{}", d.gremium_id)>{d.gremium.clone()}</a></dd>
            <dt>"beschlossen am"</dt><dd>{d.day()}</dd>
            {d.meeting.clone().map(|m| view! { <dt>"in der Sitzung"</dt><dd>{m}</dd> })}
            <dt>"Abstimmung"</dt><dd>{d.vote()}</dd>
            <dt>"sichtbar für"</dt><dd>{d.visibility.label()}</dd>
        </dl>
        <h2>"Wortlaut"</h2>
        <Rich text=d.rich.clone()/>
    }
}
