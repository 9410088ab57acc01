//! `/abfragen/:id/auswertung`: a survey's results (the Land: every figure, the rate per Kreis and
//! kind, publication; an association: its members'; everyone: the published results) and
//! `/abfrage-ergebnisse`: the surveys whose results the reader may see.

use crate::surveys::api::{PublishSurvey, survey_result_list, survey_results};
use crate::surveys::model::SurveyPhase;
use crate::surveys::results::{Audience, Count, QuestionResult, RateRow, Summary, SurveyResults};
use crate::ui::chart::pct;
use crate::ui::errors::ErrorPage;
use crate::ui::format::{WITHHELD, count_of, decimal, percent, withheld_note};
use crate::ui::forms::{ErrorSummary, submission_error};
use crate::ui::list::{DataTable, cols};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn SurveyResultsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || (params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or_default()), query.with(|q| q.get("verband")));
    let results = Resource::new(key, |(id, verband)| survey_results(id, verband));
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match results.await {
                    Err(e) => view! { <Title text="Ergebnisse einer Abfrage"/><ErrorPage error=e/> }.into_any(),
                    Ok(r) => view! { <Results r/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn share(n: i64, of: i64) -> String {
    percent(pct(n.max(0) as usize, of.max(0) as usize))
}

/// A count and its share of the answers, or the mark of a withheld one.
fn count_text(c: &Count, answered: i64) -> (String, String) {
    match c.n {
        Some(n) => (crate::ui::format::format_number(n), share(n, answered)),
        None => (WITHHELD.into(), WITHHELD.into()),
    }
}

/// A summary in one line (for a matrix row).
fn in_words(s: &Summary, answered: i64) -> String {
    match s {
        Summary::Counts { counts } => counts.iter().map(|c| format!("{}: {}", c.label, c.n.map(|n| format!("{} ({})", n, share(n, answered))).unwrap_or_else(|| WITHHELD.into()))).collect::<Vec<_>>().join(" · "),
        Summary::Numbers { mean, median, unit, .. } => {
            let u = unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
            format!("Mittelwert {}{u} · Median {}{u}", mean.map(decimal).unwrap_or_else(|| "–".into()), median.map(decimal).unwrap_or_else(|| "–".into()))
        }
        Summary::Dates { median, .. } => format!("Median {}", median.clone().unwrap_or_else(|| "–".into())),
        Summary::Answered | Summary::Matrix { .. } => count_of(answered, "Antwort", "Antworten"),
        Summary::Withheld { reason } => reason.clone(),
    }
}

#[component]
fn Question(q: QuestionResult, n: usize) -> impl IntoView {
    let head = format!("frage-{}", q.id);
    let table = format!("{head}-tabelle");
    let answered = q.answered;
    let body = match q.summary.clone() {
        Summary::Counts { counts } => view! {
            <DataTable id=table.clone() caption=format!("Antworten auf »{}«", q.text) columns=cols(["Antwort", "Kommunen", "Anteil"]) class="stacked">
                {counts.into_iter().map(|c| {
                    let (k, s) = count_text(&c, answered);
                    view! { <tr><th scope="row" data-label="Antwort">{c.label}</th><td data-label="Kommunen" class="num">{k}</td><td data-label="Anteil" class="num">{s}</td></tr> }
                }).collect_view()}
            </DataTable>
        }.into_any(),
        Summary::Numbers { mean, median, min, max, unit } => {
            let u = unit.map(|u| format!(" {u}")).unwrap_or_default();
            let v = move |x: Option<f64>| x.map(|x| format!("{}{}", decimal(x), u)).unwrap_or_else(|| "–".into());
            view! {
                <dl class="profile">
                    <div><dt>"Mittelwert"</dt><dd>{v(mean)}</dd></div>
                    <div><dt>"Median"</dt><dd>{v(median)}</dd></div>
                    {min.is_some().then(|| view! { <div><dt>"Kleinster Wert"</dt><dd>{v(min)}</dd></div> })}
                    {max.is_some().then(|| view! { <div><dt>"Größter Wert"</dt><dd>{v(max)}</dd></div> })}
                </dl>
            }.into_any()
        }
        Summary::Dates { earliest, median, latest } => view! {
            <dl class="profile">
                {earliest.map(|d| view! { <div><dt>"Frühestes"</dt><dd>{d}</dd></div> })}
                <div><dt>"Median"</dt><dd>{median.unwrap_or_else(|| "–".into())}</dd></div>
                {latest.map(|d| view! { <div><dt>"Spätestes"</dt><dd>{d}</dd></div> })}
            </dl>
        }.into_any(),
        Summary::Answered => view! { <p>"Die einzelnen Antworten stehen im Export."</p> }.into_any(),
        Summary::Matrix { rows } => view! {
            <DataTable id=table.clone() caption=format!("Antworten auf »{}« je OZG-Leistung", q.text) columns=cols(["OZG-Leistung", "Antworten", "Ergebnis"]) class="stacked">
                {rows.into_iter().map(|r| view! {
                    <tr>
                        <th scope="row" data-label="OZG-Leistung">{crate::ui::format::service_label(&r.ozg_id, &r.name)}</th>
                        <td data-label="Antworten" class="num">{r.answered}</td>
                        <td data-label="Ergebnis">{in_words(&r.summary, r.answered)}</td>
                    </tr>
                }).collect_view()}
            </DataTable>
        }.into_any(),
        Summary::Withheld { reason } => view! { <p class="hint">{reason}</p> }.into_any(),
    };
    view! {
        <section class="desk" aria-labelledby=format!("frage-{}", q.id)>
            <h3 id=head>{format!("{n}. {}", q.text)}</h3>
            <p class="hint">{format!("{} · {}", q.kind.label(), count_of(answered, "Kommune hat geantwortet", "Kommunen haben geantwortet"))}</p>
            {body}
        </section>
    }
}

#[component]
fn Rates(caption: &'static str, id: &'static str, rows: Vec<RateRow>) -> impl IntoView {
    view! {
        <DataTable id=id caption=caption columns=cols(["Gruppe", "Gefragt", "Eingereicht", "Quote"]) class="stacked">
            {rows.into_iter().map(|r| view! {
                <tr><th scope="row" data-label="Gruppe">{r.label}</th><td data-label="Gefragt" class="num">{r.asked}</td><td data-label="Eingereicht" class="num">{r.submitted}</td><td data-label="Quote" class="num">{share(r.submitted, r.asked)}</td></tr>
            }).collect_view()}
        </DataTable>
    }
}

#[component]
fn Results(r: SurveyResults) -> impl IntoView {
    let publish = ServerAction::<PublishSurvey>::new();
    let error = submission_error(publish);
    let land = r.audience == Audience::Land;
    let id = r.id;
    let mut n = 0;
    let who = match r.audience {
        Audience::Land => "Sie sehen jede Zahl, auch während die Abfrage läuft. Verbände sehen die Zahlen ihrer Mitglieder und alle die veröffentlichten Ergebnisse: beide erst nach der Frist, ohne Freitext, Dateien und an das Register gebundene Fragen, und ohne Zahlen, die einzelne Antworten erkennen ließen.",
        Audience::Members => "Die Antworten Ihrer Mitglieder, zusammengefasst: ohne Freitext und Dateien, und ohne Zahlen, die einzelne Antworten erkennen ließen.",
        Audience::Public => "Die veröffentlichten Ergebnisse: zusammengefasst, ohne Freitext und Dateien, und ohne Zahlen, die einzelne Antworten erkennen ließen.",
    };
    view! {
        <Title text=format!("Ergebnisse: {}", r.title)/>
        <p class="breadcrumb">{if land { view! { <a href=format!("/abfragen/{id}")>"Zur Abfrage"</a> }.into_any() } else { view! { <a href="/abfrage-ergebnisse">"Ergebnisse der Abfragen"</a> }.into_any() }}</p>
        <h1>{format!("Ergebnisse: {}", r.title)}</h1>
        <p>{who}</p>
        <dl class="profile">
            <div><dt>"Stand"</dt><dd>{r.phase.label()}</dd></div>
            <div><dt>"Zeitraum"</dt><dd>{format!("{} bis {}", r.opens, r.closes)}</dd></div>
            <div><dt>"Gefragt"</dt><dd>{r.target_label.clone()}</dd></div>
            {(r.asked > 0).then(|| view! { <div><dt>"Antworten"</dt><dd>{format!("{} von {} eingereicht ({})", r.submitted, count_of(r.asked, "gefragten Kommune", "gefragten Kommunen"), share(r.submitted, r.asked))}</dd></div> })}
            <div><dt>"Veröffentlicht"</dt><dd>{r.published.clone().map(|d| format!("am {d}")).unwrap_or_else(|| "nein".into())}</dd></div>
        </dl>
        {land.then(|| view! {
            <section class="desk" aria-labelledby="veroeffentlichung">
                <h2 id="veroeffentlichung">"Veröffentlichung und Export"</h2>
                <p>"Alle Antworten, eine Zeile je gefragter Kommune: "<a href=format!("/abfragen/{id}/antworten.xlsx")>"als Excel-Datei (XLSX)"</a>" oder "<a href=format!("/abfragen/{id}/antworten.csv")>"als CSV"</a></p>
                <ErrorSummary error/>
                {match (r.phase, r.published.is_some()) {
                    (_, true) => view! {
                        <ActionForm action=publish attr:class="inline-form">
                            <input type="hidden" name="survey" value=id/>
                            <input type="hidden" name="zuruecknehmen" value="true"/>
                            <button type="submit" class="button button-secondary">"Veröffentlichung zurücknehmen"</button>
                        </ActionForm>
                    }.into_any(),
                    (SurveyPhase::Closed, false) => view! {
                        <ActionForm action=publish attr:class="inline-form">
                            <input type="hidden" name="survey" value=id/>
                            <button type="submit" class="button">"Ergebnisse veröffentlichen"</button>
                        </ActionForm>
                    }.into_any(),
                    _ => view! { <p class="hint">"Veröffentlichen lassen sich die Ergebnisse nach dem Ende der Frist."</p> }.into_any(),
                }}
            </section>
            <h2 id="quote">"Rücklauf"</h2>
            <Rates caption="Rücklauf je Kreis" id="quote-kreis" rows=r.by_kreis.clone()/>
            <Rates caption="Rücklauf je Art der Kommune" id="quote-art" rows=r.by_kind.clone()/>
        })}
        {r.withheld.clone().map(|w| view! { <p class="notice" role="status">{w}</p> })}
        {(!land && r.withheld.is_none()).then(|| view! { <p class="hint">{withheld_note(r.threshold)}</p> })}
        {r.sections.into_iter().map(|s| view! {
            <h2>{s.title}</h2>
            {s.questions.into_iter().map(|q| { n += 1; view! { <Question q n/> } }).collect_view()}
        }).collect_view()}
    }
}

#[component]
pub fn SurveyResultListPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| survey_result_list());
    view! {
        <Title text="Ergebnisse der Abfragen"/>
        <h1>"Ergebnisse der Abfragen"</h1>
        <p>"Das Land fragt die Kommunen nach dem Stand ihrer Digitalisierung. Hier stehen die Ergebnisse, die Sie sehen dürfen: zusammengefasst und ohne Zahlen, die einzelne Antworten erkennen ließen."</p>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(lines) if lines.is_empty() => view! { <p>"Noch keine Ergebnisse."</p> }.into_any(),
                    Ok(lines) => view! {
                        <DataTable id="ergebnisse-caption" caption="Abfragen, zuletzt beendete zuerst" columns=cols(["Abfrage", "Stand", "Frist", "Veröffentlicht"]) class="stacked">
                            {lines.into_iter().map(|l| view! {
                                <tr>
                                    <th scope="row" data-label="Abfrage"><a href=format!("/abfragen/{}/auswertung", l.id)>{l.title}</a></th>
                                    <td data-label="Stand">{l.phase.label()}</td>
                                    <td data-label="Frist">{l.closes}</td>
                                    <td data-label="Veröffentlicht">{l.published.unwrap_or_else(|| "nein".into())}</td>
                                </tr>
                            }).collect_view()}
                        </DataTable>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
