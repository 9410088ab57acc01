//! `/wissen`: the Wissensportal's search (words, Themenfeld, OZG-Leistung) and its results; for
//! advisors also the drafts and the articles in review.

use crate::ui::forms::{FieldBox};
use crate::ui::list::{FilterForm, FilterText, Pager};
use crate::knowledge::api::search_articles;
use crate::knowledge::model::{ArticleStatus, ArticleSummary, Audience};
use crate::ui::errors::ErrorPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// An article in a list: title as link, summary, Themenfelder and "geprüft am".
#[component]
pub fn ArticleItem(a: ArticleSummary) -> impl IntoView {
    let meta = {
        let mut parts = vec![a.category.clone()];
        parts.extend(a.themenfelder.iter().cloned());
        if let Some(r) = &a.reviewed {
            parts.push(format!("geprüft am {r}"));
        }
        if a.audience == Audience::Kommunen {
            parts.push("nur für Kommunen".into());
        }
        if a.status != ArticleStatus::Published {
            parts.push(a.status.label().to_string());
        }
        parts.join(" · ")
    };
    view! {
        <li class="article-item">
            <a href=format!("/wissen/{}", a.id)>{a.title}</a>
            <p>{a.summary}</p>
            <p class="hint">{meta}</p>
        </li>
    }
}

fn page_link(q: &leptos_router::params::ParamsMap, page: u64) -> String {
    let mut pairs: Vec<(String, String)> = ["q", "themenfeld", "leistung", "status"]
        .iter()
        .filter_map(|k| q.get(k).filter(|v| !v.is_empty()).map(|v| (k.to_string(), v)))
        .collect();
    pairs.push(("seite".into(), page.to_string()));
    let query = pairs.iter().map(|(k, v)| format!("{k}={}", crate::ui::format::urlencode(&v))).collect::<Vec<_>>().join("&");
    format!("/wissen?{query}")
}

#[component]
pub fn KnowledgePage() -> impl IntoView {
    let query = use_query_map();
    let current = move |k: &'static str| query.with(|q| q.get(k).unwrap_or_default());
    let list = Resource::new(
        move || (current("q"), current("themenfeld"), current("leistung"), current("status"), current("seite")),
        |(q, t, l, s, p)| search_articles(q, t, l, s, p),
    );
    view! {
        <Title text="Wissensportal"/>
        <h1>"Wissensportal"</h1>
        <p>"Antworten der Landesberatung auf Fragen, die viele Kommunen stellen: zur Umsetzung von OZG-Leistungen, zu EfA-Diensten, zu Förderung und Technik. Vielleicht ist Ihre Frage hier schon beantwortet."</p>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(v) => {
                        let r = v.results.clone();
                        let params = query.get_untracked();
                        view! {
                            {v.advisor.then(|| view! {
                                <p class="actions">
                                    <a class="button" href="/wissen/neu">"Neuer Artikel"</a>" "
                                    <a class="button button-outline" href="/wissen/auswertung">"Auswertung für das Land"</a>
                                </p>
                            })}
                            <FilterForm action="/wissen" label="Artikel suchen">
                                <FilterText name="q" label="Suchbegriffe" value=current("q") kind="search" maxlength=200/>
                                <FieldBox name="themenfeld" id="wissen-themenfeld" label="Themenfeld">
                                    <select id="wissen-themenfeld" name="themenfeld">
                                        <option value="">"alle"</option>
                                        {v.themenfelder.iter().map(|t| {
                                            let sel = t.clone();
                                            view! { <option value=t.clone() selected=move || current("themenfeld") == sel>{t.clone()}</option> }
                                        }).collect_view()}
                                    </select>
                                </FieldBox>
                                <FilterText name="leistung" label="OZG-Leistung (OZG-ID)" value=current("leistung") inputmode="numeric" maxlength=20/>
                                {v.advisor.then(|| view! {
                                    <FieldBox name="status" id="wissen-status" label="Stand">
                                        <select id="wissen-status" name="status">
                                            {ArticleStatus::ALL.iter().rev().map(|s| view! { <option value=s.code() selected=move || current("status") == s.code()>{s.label()}</option> }).collect_view()}
                                        </select>
                                    </FieldBox>
                                })}
                                <button type="submit" class="button">"Suchen"</button>
                            </FilterForm>
                            <p role="status">{match r.total {
                                0 => "Keine Artikel gefunden.".to_string(),
                                1 => "1 Artikel gefunden.".to_string(),
                                n => format!("{n} Artikel gefunden; Seite {} von {}.", r.page, r.pages),
                            }}</p>
                            <ul class="article-list">
                                {r.articles.into_iter().map(|a| view! { <ArticleItem a/> }).collect_view()}
                            </ul>
                            <Pager page=r.page pages=r.pages href=move |n| page_link(&params, n)/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
