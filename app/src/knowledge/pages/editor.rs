//! `/wissen/neu` and `/wissen/:id/bearbeiten`: the advisors' editor (Markdown, category, tags,
//! audience, OZG-Leistungen, Themenfelder); `/wissen/auswertung`: the Land's figures.

use crate::ui::list::{Col, DataTable};
use crate::identity::Role;
use crate::knowledge::api::{knowledge_editor, knowledge_report, SaveArticle};
use crate::knowledge::model::ArticleDraft;
use crate::ui::auth::RequireRole;
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{AudienceChoice, ErrorSummary, FieldBox, kept, submission_error, ThemenfeldChoice};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ArticleEditorPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id"));
    let fall = move || query.with(|q| q.get("fall"));
    let draft = Resource::new(move || (id(), fall()), |(id, fall)| knowledge_editor(id, fall));
    view! {
        <Title text="Artikel bearbeiten"/>
        <RequireRole roles=vec![Role::Advisor]>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match draft.await {
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                        Ok(d) => view! { <Editor d/> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

#[component]
fn Editor(d: ArticleDraft) -> impl IntoView {
    let from_case = d.id.is_none() && d.source_case.is_some();
    let save = ServerAction::<SaveArticle>::new();
    let error = submission_error(save);
    let title = if d.id.is_some() { "Artikel bearbeiten" } else { "Neuer Artikel" };
    view! {
        <h1>{title}</h1>
        {from_case.then(|| view! {
            <p class="notice" role="status">"Der Entwurf enthält die Frage und die öffentlichen Antworten des Falls. Namen der Kommune und der beteiligten Personen sind durch […] ersetzt. Bitte formulieren Sie den Text allgemein, bevor Sie ihn zur Prüfung geben."</p>
        })}
        <p>"Markdown: Überschriften mit ## , Listen mit - , Links als [Text](https://…). HTML wird als Text angezeigt. Jede Speicherung ist eine neue Fassung; frühere bleiben erhalten."</p>
        <ErrorSummary error/>
        <ActionForm action=save attr:class="form" attr:novalidate="">
            <input type="hidden" name="id" value=d.id.map(|i| i.to_string()).unwrap_or_default()/>
            <input type="hidden" name="version" value=d.version.to_string()/>
            <input type="hidden" name="fall" value=d.source_case.filter(|_| d.id.is_none()).map(|c| c.to_string()).unwrap_or_default()/>
            <FieldBox name="title" label="Titel (Pflichtfeld)" error><input id="feld-title" name="title" maxlength="200" required value=kept(error, "title", d.title.clone()) aria-describedby="feld-title-fehler"/></FieldBox>
            <FieldBox name="summary" label="Zusammenfassung (Pflichtfeld)" hint="Ein bis zwei Sätze; erscheinen in der Trefferliste. Höchstens 500 Zeichen." error><textarea id="feld-summary" name="summary" rows="2" maxlength="500" required aria-describedby="feld-summary-hinweis feld-summary-fehler">{kept(error, "summary", d.summary.clone())}</textarea></FieldBox>
            <FieldBox name="body" label="Text (Markdown, Pflichtfeld)" error><textarea id="feld-body" name="body" rows="20" class="wide" required aria-describedby="feld-body-fehler">{kept(error, "body", d.body.clone())}</textarea></FieldBox>
            <FieldBox name="category" label="Kategorie (Pflichtfeld)" hint="Zum Beispiel »Umsetzung«, »Technik«, »Förderung«, »Recht«." error><input id="feld-category" name="category" maxlength="80" required value=kept(error, "category", d.category.clone()) aria-describedby="feld-category-hinweis feld-category-fehler"/></FieldBox>
            <FieldBox name="tags" label="Schlagwörter" hint="Durch Komma getrennt." error><input id="feld-tags" name="tags" maxlength="500" value=kept(error, "tags", d.tags.clone()) aria-describedby="feld-tags-hinweis feld-tags-fehler"/></FieldBox>
            <FieldBox name="ozg_ids" label="OZG-Leistungen" hint=format!("{} Der Artikel erscheint auf den Seiten dieser Leistungen im Register.", crate::ui::forms::SERVICES_HINT) error><input id="feld-ozg_ids" name="ozg_ids" list="ozg-leistungen" autocomplete="off" value=kept(error, "ozg_ids", d.ozg_ids.clone()) aria-describedby="feld-ozg_ids-hinweis feld-ozg_ids-fehler"/></FieldBox>
            <crate::catalogue::pages::ServiceChoiceList/>
            <AudienceChoice current=d.audience legend="Wer darf den Artikel lesen?" public_label="alle, auch ohne Anmeldung (öffentlich)" error/>
            <ThemenfeldChoice all=d.all_themenfelder.clone() chosen=d.themenfelder.clone() error/>
            <button type="submit" class="button">"Speichern"</button>
            {d.id.map(|i| view! { " " <a href=format!("/wissen/{i}")>"Abbrechen"</a> })}
        </ActionForm>
    }
}

#[component]
pub fn KnowledgeReportPage() -> impl IntoView {
    let report = Resource::new(|| (), |_| knowledge_report());
    view! {
        <Title text="Wissensportal: Auswertung"/>
        <RequireRole roles=vec![Role::Advisor]>
            <h1>"Wissensportal: Auswertung"</h1>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match report.await {
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                        Ok(f) => view! {
                            <ul class="figures">
                                <li>{format!("{} veröffentlichte Artikel, {} Entwürfe oder in Prüfung", f.published, f.drafts)}</li>
                                <li>{format!("{} Mal beim Anlegen eines Falls angezeigt; {} vermieden (angezeigt und an dem Tag kein Fall angelegt)", f.shown_on_filing, crate::ui::format::count_of(f.avoided, "Fall", "Fälle"))}</li>
                            </ul>
                            <h2>"OZG-Leistungen mit den meisten Fällen ohne Artikel"</h2>
                            {table("ohne-artikel", "OZG-Leistungen nach Zahl der Fälle", &["OZG-ID", "Leistung", "Fälle"],
                                f.uncovered.into_iter().map(|(o, n, c)| vec![view! { <a href=format!("/faelle?ozg={o}")>{o.clone()}</a> }.into_any(), n.into_any(), c.to_string().into_any()]).collect())}
                            <h2>"Zur Überprüfung fällig"</h2>
                            {table("faellig", "Artikel, deren Prüfung am längsten her ist", &["Artikel", "geprüft am"],
                                f.due.into_iter().map(|(id, t, d)| vec![link(id, t), d.into_any()]).collect())}
                            <h2>"Meistgelesen"</h2>
                            {table("gelesen", "Artikel nach Aufrufen", &["Artikel", "Aufrufe"],
                                f.most_read.into_iter().map(|(id, t, n)| vec![link(id, t), n.to_string().into_any()]).collect())}
                            <h2>"Am hilfreichsten"</h2>
                            {table("hilfreich", "Artikel nach Antworten auf »hilfreich?«", &["Artikel", "ja", "nein"],
                                f.most_helpful.into_iter().map(|(id, t, y, n)| vec![link(id, t), y.to_string().into_any(), n.to_string().into_any()]).collect())}
                        }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

fn link(id: i64, title: String) -> AnyView {
    view! { <a href=format!("/wissen/{id}")>{title}</a> }.into_any()
}

fn table(id: &'static str, caption: &'static str, heads: &'static [&'static str], rows: Vec<Vec<AnyView>>) -> AnyView {
    if rows.is_empty() {
        return view! { <p>"Keine."</p> }.into_any();
    }
    view! {
        <DataTable id=format!("{id}-caption") caption=caption columns={heads.iter().map(|h| Col::from(*h)).collect()}>
                    {rows.into_iter().map(|r| view! { <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }).collect_view()}
                </DataTable>
    }
    .into_any()
}
