//! `/abfragen/:id/profil`: a Kommune's Selbstcheck profile (its scores per section beside the
//! mean of Kommunen of its kind and size, and what to read or apply for where it is weakest);
//! and the builder's editor of a Selbstcheck section's weight and recommendations.

use crate::identity::Role;
use crate::surveys::api::{SetSelfcheckSection, selfcheck_profile};
use crate::surveys::selfcheck::{Profile, SectionSettings};
use crate::ui::auth::RequireRole;
use crate::ui::errors::ErrorPage;
use crate::ui::list::{DataTable, cols};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn SelfCheckProfilePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || (params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or_default()), query.with(|q| q.get("kommune")));
    let profile = Resource::new(key, |(id, kommune)| selfcheck_profile(id, kommune));
    view! {
        <RequireRole roles=vec![Role::Clerk]>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match profile.await {
                        Err(e) => view! { <Title text="Selbstcheck"/><ErrorPage error=e/> }.into_any(),
                        Ok(p) => view! { <ProfileView p/> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

/// A score out of 100 in words, with a meter beside it.
fn score_view(score: Option<i64>, label: String) -> impl IntoView {
    match score {
        None => view! { <span>"–"</span> }.into_any(),
        Some(s) => view! { <span class="score">{format!("{s} von 100")}" "<meter min="0" max="100" value=s aria-label=label>{format!("{s} %")}</meter></span> }.into_any(),
    }
}

#[component]
fn ProfileView(p: Profile) -> impl IntoView {
    let query = use_query_map();
    let submitted_now = query.with_untracked(|q| q.get("eingereicht")).is_some();
    let answer = format!("/abfragen/{}/antwort?kommune={}", p.survey_id, crate::ui::format::urlencode(&p.kommune_key));
    let group = format!("{}, {}", p.kind, p.size_class.label());
    let compared = p.peers as i64 >= p.threshold;
    view! {
        <Title text=format!("Selbstcheck: {}", p.title)/>
        <h1>{format!("Selbstcheck: {}", p.title)}</h1>
        {submitted_now.then(|| view! { <p class="notice" role="status">"Eingereicht: Ihr Ergebnis ist gespeichert. Sie können den Selbstcheck jederzeit erneut durchführen; frühere Ergebnisse bleiben im Verlauf."</p> })}
        <dl class="profile">
            <div><dt>"Für"</dt><dd>{p.kommune.clone()}</dd></div>
            <div><dt>"Vergleichsgruppe"</dt><dd>{format!("{group} ({} den Selbstcheck abgeschlossen)", crate::ui::format::count_of(p.peers as i64, "andere Kommune hat", "andere Kommunen haben"))}</dd></div>
            {p.taken.clone().map(|t| view! { <div><dt>"Ergebnis vom"</dt><dd>{t}</dd></div> })}
            {p.taken.is_some().then(|| view! { <div><dt>"Gesamtwertung"</dt><dd>{score_view(p.total, "Gesamtwertung Ihrer Kommune".into())}{p.peers_total.map(|t| format!(" (Vergleichsgruppe: {t} von 100)"))}</dd></div> })}
        </dl>
        {(p.kommunen.len() > 1).then(|| view! {
            <nav aria-label="Profil einer anderen Kommune">
                <p>"Sie sehen das Profil jeder Ihrer Kommunen:"</p>
                <ul>{p.kommunen.iter().map(|(k, name)| view! { <li><a href=format!("/abfragen/{}/profil?kommune={}", p.survey_id, crate::ui::format::urlencode(k)) aria-current=(*k == p.kommune_key).then_some("page")>{name.clone()}</a></li> }).collect_view()}</ul>
            </nav>
        })}
        {if p.taken.is_none() {
            view! { <p>"Ihre Kommune hat den Selbstcheck noch nicht abgeschlossen. "<a href=answer.clone()>"Jetzt beantworten"</a></p> }.into_any()
        } else {
            view! {
                <DataTable id="profil-caption" caption="Ihr Ergebnis je Abschnitt (0 bis 100)" columns=cols(["Abschnitt", "Gewicht", "Ihre Kommune", "Vergleichsgruppe"]) class="stacked">
                    {p.sections.iter().map(|s| view! {
                        <tr>
                            <th scope="row" data-label="Abschnitt">{s.title.clone()}</th>
                            <td data-label="Gewicht">{s.weight}</td>
                            <td data-label="Ihre Kommune">{score_view(s.score, format!("{}: Ihre Kommune", s.title))}</td>
                            <td data-label="Vergleichsgruppe">{score_view(s.peers, format!("{}: Vergleichsgruppe", s.title))}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
            }.into_any()
        }}
        {(!compared).then(|| view! { <p class="hint">{format!("Der Vergleich erscheint, sobald mindestens {} andere Kommunen Ihrer Gruppe ({group}) den Selbstcheck abgeschlossen haben; so lässt sich aus ihm kein einzelnes Ergebnis ablesen.", p.threshold)}</p> })}
        {compared.then(|| view! { <p class="hint">"Die Vergleichsgruppe zeigt den Mittelwert der jeweils letzten Ergebnisse der anderen Kommunen Ihrer Art und Größenklasse, gerundet; ein Abschnitt erscheint dort erst, wenn genug von ihnen ihn beantwortet haben."</p> })}
        {(!p.advice.is_empty()).then(|| view! {
            <h2 id="empfehlungen">"Empfehlungen für Ihre schwächsten Abschnitte"</h2>
            {p.advice.iter().map(|a| view! {
                <section class="desk" aria-label=a.section.clone()>
                    <h3>{a.section.clone()}</h3>
                    {if a.articles.is_empty() && a.programmes.is_empty() {
                        view! { <p>"Die Landesberatung hat hierzu noch nichts hinterlegt. Sie können im "<a href="/wissen">"Wissensportal"</a>" suchen oder eine Beratung anfragen."</p> }.into_any()
                    } else {
                        view! {
                            <ul>
                                {a.articles.iter().map(|(id, title)| view! { <li>"Wissensartikel: "<a href=format!("/wissen/{id}")>{title.clone()}</a></li> }).collect_view()}
                                {a.programmes.iter().map(|(id, name)| view! { <li>"Förderprogramm: "<a href=format!("/foerderung/antrag/neu?programm={id}")>{name.clone()}</a></li> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            }).collect_view()}
        })}
        {(!p.history.is_empty()).then(|| view! {
            <DataTable id="verlauf-caption" caption="Frühere Ergebnisse" columns=cols(["Abgeschlossen", "Gesamtwertung"]) class="stacked">
                {p.history.iter().map(|(at, total)| view! { <tr><th scope="row" data-label="Abgeschlossen">{at.clone()}</th><td data-label="Gesamtwertung">{total.map(|t| format!("{t} von 100")).unwrap_or_else(|| "–".into())}</td></tr> }).collect_view()}
            </DataTable>
        })}
        {(p.open && p.taken.is_some()).then(|| view! { <p><a href=answer class="button button-secondary">"Antworten ansehen und erneut durchführen"</a></p> })}
    }
}

/// The builder's form of a Selbstcheck section's weight and recommendations.
#[component]
pub fn SectionSettingsEditor(survey: i64, section: SectionSettings, articles: Vec<(i64, String)>, programmes: Vec<(i64, String)>, action: ServerAction<SetSelfcheckSection>) -> impl IntoView {
    let sid = section.id;
    // After a refused save of this section's settings: what was sent, and the form stays open.
    let error = crate::ui::forms::submission_error(action);
    let typed = error.with_untracked(Option::is_some).then(|| use_context::<crate::ui::forms::Submitted>()).flatten().filter(|t| t.value("section") == Some(sid.to_string().as_str()));
    let weight = typed.as_ref().and_then(|t| t.value("weight").map(str::to_string)).unwrap_or_else(|| section.weight.to_string());
    let chosen = |name: &str, stored: &[i64]| -> Vec<i64> {
        match &typed {
            Some(t) => t.0.iter().filter_map(|(k, v)| k.starts_with(&format!("{name}[")).then(|| v.parse().ok()).flatten()).collect(),
            None => stored.to_vec(),
        }
    };
    let (chosen_articles, chosen_programmes, open) = (chosen("artikel", &section.articles), chosen("programm", &section.programmes), typed.is_some());
    let picked = |list: &[(i64, String)], chosen: &[i64]| list.iter().filter(|(id, _)| chosen.contains(id)).map(|(_, t)| t.clone()).collect::<Vec<_>>().join(", ");
    let summary = format!(
        "Gewicht {}; empfiehlt: {}",
        section.weight,
        match [picked(&articles, &section.articles), picked(&programmes, &section.programmes)].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("; ") {
            s if s.is_empty() => "nichts".to_string(),
            s => s,
        }
    );
    let boxes = move |name: &'static str, list: Vec<(i64, String)>, chosen: Vec<i64>| {
        list.into_iter()
            .map(|(id, title)| {
                let input = format!("{name}-{sid}-{id}");
                view! {
                    <div class="checkbox-field">
                        <input type="checkbox" id=input.clone() name=format!("{name}[{id}]") value=id checked=chosen.contains(&id)/>
                        <label for=input>{title}</label>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <p class="hint">{summary}</p>
        <details open=open>
            <summary>{format!("Gewicht und Empfehlungen von »{}« ändern", section.title)}</summary>
            <ActionForm action attr:class="form" attr:novalidate="">
                <input type="hidden" name="survey" value=survey/>
                <input type="hidden" name="section" value=sid/>
                <div class="field">
                    <label for=format!("gewicht-{sid}")>"Gewicht (0 bis 10; 0: zählt nicht zur Gesamtwertung)"</label>
                    <input id=format!("gewicht-{sid}") name="weight" inputmode="numeric" size="4" value=weight/>
                </div>
                <fieldset class="picklist">
                    <legend>"Wissensartikel, die der Abschnitt empfiehlt"</legend>
                    {boxes("artikel", articles.clone(), chosen_articles)}
                </fieldset>
                <fieldset class="picklist">
                    <legend>"Förderprogramme, die der Abschnitt empfiehlt"</legend>
                    {boxes("programm", programmes.clone(), chosen_programmes)}
                </fieldset>
                <div class="actions"><button type="submit" class="button">"Gewicht und Empfehlungen speichern"<span class="visually-hidden">{format!(": {}", section.title)}</span></button></div>
            </ActionForm>
        </details>
    }
}
