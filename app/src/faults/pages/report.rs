//! `/nachnutzung/meldung/:id`: one report of a fault or a requirement with the public answers;
//! connected Kommunen join it, the Land and the operator answer and set its status.

use super::forms::AnswerFormSection;
use crate::faults::api::{JoinServiceReport, service_report};
use crate::faults::model::ReportView;
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{ErrorSummary, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn notice(q: &leptos_router::params::ParamsMap) -> Option<&'static str> {
    [
        ("gemeldet", "Ihre Meldung ist eingegangen. Der Betreiber und die Landesberatung sind benachrichtigt."),
        ("mitgezeichnet", "Ihre Kommune ist als betroffen vermerkt; Sie werden über jede Änderung benachrichtigt."),
        ("beantwortet", "Die Antwort ist gespeichert; die betroffenen Kommunen sind benachrichtigt."),
    ]
    .into_iter()
    .find(|(k, _)| q.get(k).is_some())
    .map(|(_, t)| t)
}

#[component]
pub fn ServiceReportPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(move || params.with(|p| p.get("id").unwrap_or_default()), service_report);
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <Title text="Meldung"/><ErrorPage error=e/> }.into_any(),
                    Ok(v) => view! { <Report v note=query.with_untracked(notice)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Report(v: ReportView, note: Option<&'static str>) -> impl IntoView {
    let join = ServerAction::<JoinServiceReport>::new();
    let e = submission_error(join);
    let r = v.item.clone();
    let title = format!("{}: {}", r.kind.label(), r.title);
    view! {
        <Title text=format!("{title} – {}", r.service)/>
        <p class="hint"><a href=format!("/nachnutzung/dienst/{}/meldungen", r.service_id)>{format!("Betrieb und Meldungen: {}", r.service)}</a></p>
        <h1>{title}</h1>
        {note.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <dl class="profile">
            <div><dt>"EfA-Dienst"</dt><dd>{r.service.clone()}</dd></div>
            <div><dt>"Status"</dt><dd><strong>{r.status.label()}</strong></dd></div>
            <div><dt>"Schwere"</dt><dd>{r.severity.label()}</dd></div>
            <div><dt>"seit"</dt><dd>{r.since.clone()}</dd></div>
            <div><dt>"Betroffene Kommunen"</dt><dd>{r.joined}{r.ours.then_some(" (darunter Ihre)")}</dd></div>
            <div><dt>"Gemeldet von"</dt><dd>{r.reporter.clone().unwrap_or_else(|| "einer Kommune (ohne Namen)".into())}</dd></div>
        </dl>
        <h2>"Beschreibung"</h2>
        <p class="case-description">{v.body.clone()}</p>
        {v.reason.clone().map(|reason| view! { <p><strong>"Begründung der Ablehnung: "</strong>{reason}</p> })}
        {(!v.may_join.is_empty()).then(|| view! {
            <section aria-labelledby="betrifft-titel">
                <h2 id="betrifft-titel">"Betrifft Ihre Kommune das auch?"</h2>
                <ErrorSummary error=e/>
                {v.may_join.clone().into_iter().map(|(key, name)| view! {
                    <ActionForm action=join attr:class="inline-form">
                        <input type="hidden" name="id" value=r.id.to_string()/>
                        <input type="hidden" name="kommune" value=key/>
                        <button type="submit" class="button">{format!("Betrifft uns auch: {name}")}</button>
                    </ActionForm>
                }).collect_view()}
            </section>
        })}
        <h2>"Antworten"</h2>
        {if v.answers.is_empty() {
            view! { <p>"Noch keine Antwort."</p> }.into_any()
        } else {
            view! {
                <ol class="timeline">
                    {v.answers.clone().into_iter().map(|a| view! {
                        <li>
                            <p><strong>{a.party.label()}</strong>{format!(" am {}", a.at)}{a.status.map(|s| format!(" – Status »{}«", s.label()))}</p>
                            {(!a.body.is_empty()).then(|| view! { <p class="case-description">{a.body.clone()}</p> })}
                        </li>
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        {v.may_answer.then(|| view! { <AnswerFormSection id=r.id version=v.version kind=r.kind current=r.status/> })}
    }
}
