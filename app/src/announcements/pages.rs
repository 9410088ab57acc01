//! `/mitteilungen`: advisors publish announcements to all Kommunen or a selection and see how
//! far each reached and how many read it.

use crate::ui::list::{DataTable, cols};
use crate::announcements::api::{load_announcements, PublishAnnouncement, PREVIEW};
use crate::announcements::model::AnnouncementDesk;
use crate::identity::Role;
use crate::ui::auth::RequireRole;
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{ErrorSummary, Field, FieldBox, kept, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AnnouncementsPage() -> impl IntoView {
    // After "Vorschau" the page comes back with the submitted text, shown as the start page will.
    let preview = use_context::<crate::ui::forms::Submitted>().filter(|s| s.value(PREVIEW) == Some("ja")).and_then(|s| s.value("body").map(str::to_string));
    let desk = Resource::new(move || preview.clone(), load_announcements);
    view! {
        <Title text="Mitteilungen an die Kommunen"/>
        <RequireRole roles=vec![Role::Advisor]>
            <h1>"Mitteilungen an die Kommunen"</h1>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match desk.await {
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                        Ok(d) => view! { <Desk d/> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

#[component]
fn Desk(d: AnnouncementDesk) -> impl IntoView {
    let query = use_query_map();
    let sent = query.with_untracked(|q| q.get("veroeffentlicht"));
    let publish = ServerAction::<PublishAnnouncement>::new();
    let submitted = submission_error(publish);
    // A preview is no refusal: its answer is kept out of the messages.
    let error = Signal::derive(move || submitted.get().filter(|e| !matches!(e, crate::error::AppError::Validation(m) if m.keys().all(|k| k == PREVIEW))));
    let preview = d.preview.clone();
    let preview_title = kept(submitted, "title", "");
    view! {
        {sent.map(|n| view! { <p class="notice" role="status">{format!("Veröffentlicht: die Mitteilung erreicht {}. Ihre Sachbearbeitung sieht sie auf der Startseite und erhält sie per E-Mail, wenn sie es so eingestellt hat.", crate::ui::format::count_of(n.parse::<i64>().unwrap_or_default(), "Kommune", "Kommunen"))}</p> })}
        <p>"Wer von den Kommunen eine Antwort braucht, fragt sie mit einer "<a href="/abfragen">"Abfrage an die Kommunen"</a>". Lenkungskreise, Arbeitsgruppen und ihre Beschlüsse finden Sie unter "<a href="/gremien">"Gremien"</a>"."</p>
        <p>"Eine Mitteilung erscheint auf der Startseite der Sachbearbeitung der ausgewählten Kommunen, bis sie gelesen ist oder ihre Anzeige endet. Wer es in seinen Benachrichtigungen so eingestellt hat, erhält sie auch per E-Mail."</p>
        <ErrorSummary error/>
        {preview.map(|text| view! {
            <section class="desk" aria-labelledby="vorschau-titel" id="vorschau">
                <h2 id="vorschau-titel">"Vorschau"</h2>
                <p class="hint" role="status">"So erscheint die Mitteilung auf der Startseite der Sachbearbeitung. Sie ist noch nicht veröffentlicht."</p>
                <h3>{preview_title}</h3>
                <crate::ui::rich::Rich text/>
            </section>
        })}
        <ActionForm action=publish attr:class="form" attr:novalidate="">
            <Field name="title" label="Titel" maxlength=200 required=true value=kept(submitted, "title", "") error/>
            <FieldBox name="body" label="Text (Markdown, Pflichtfeld)" hint="Absätze durch eine Leerzeile; **fett**, *kursiv*, Listen mit »- «, Links als [Text](https://…). »Vorschau« zeigt, wie es aussieht." error><textarea id="feld-body" name="body" rows="8" class="wide" required aria-describedby="feld-body-hinweis">{kept(submitted, "body", "")}</textarea></FieldBox>
            <crate::ui::selection::TargetChoice legend="Wen soll die Mitteilung erreichen?" kreise=d.kreise.clone() error submitted/>
            <Field name="expires" label="Angezeigt bis" kind="date" value=kept(submitted, "expires", d.default_expiry.clone()) required=true error/>
            <div class="actions">
                <button type="submit" class="button">"Veröffentlichen"</button>
                <button type="submit" class="button button-secondary" name=PREVIEW value="ja">"Vorschau"</button>
            </div>
        </ActionForm>
        <h2>"Veröffentlichte Mitteilungen"</h2>
        {if d.lines.is_empty() {
            view! { <p>"Noch keine."</p> }.into_any()
        } else {
            view! {
                <DataTable id="mitteilungen-caption" caption="Mitteilungen des letzten Jahres, neueste zuerst" columns=cols(["Titel", "an", "Kommunen", "gelesen von", "veröffentlicht", "angezeigt bis"])>
                            {d.lines.into_iter().map(|l| view! {
                                <tr>
                                    <th scope="row">{l.title}{l.expired.then_some(" (abgelaufen)")}</th>
                                    <td>{l.target}</td><td>{l.kommunen}</td><td>{format!("{} Personen", l.read_by)}</td><td>{l.published}</td><td>{l.expires}</td>
                                </tr>
                            }).collect_view()}
                        </DataTable>
            }.into_any()
        }}
    }
}
