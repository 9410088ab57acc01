//! `/mitteilungen`: advisors publish announcements to all Kommunen or a selection and see how
//! far each reached and how many read it.

use crate::ui::list::{DataTable, cols};
use crate::announcements::api::{load_announcements, PublishAnnouncement, PREVIEW};
use crate::announcements::model::{AnnouncementDesk, Target};
use crate::identity::OrgKind;
use crate::identity::Role;
use crate::ui::auth::RequireRole;
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{ErrorSummary, Field, FieldBox, FieldSet, kept, kept_checked, submission_error};
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
            <FieldSet legend="Wen soll die Mitteilung erreichen?" names=&["target", "value"] error>
                {Target::ALL.iter().map(|t| {
                    let id = format!("ziel-{}", t.code());
                    view! {
                        <div class="checkbox-field">
                            <input type="radio" id=id.clone() name="target" value=t.code() checked=kept_checked(submitted, "target", t.code(), *t == Target::All)/>
                            <label for=id>{t.label()}</label>
                        </div>
                    }
                }).collect_view()}
                <details>
                    <summary>"Kreise auswählen (bei »Kommunen in bestimmten Kreisen«)"</summary>
                    <div class="checkbox-columns">
                        {d.kreise.iter().enumerate().map(|(i, (key, name))| {
                            let id = format!("kreis-{key}");
                            view! { <div class="checkbox-field"><input type="checkbox" id=id.clone() name=format!("wahl[k{i}]") value=key.clone() checked=kept_checked(submitted, &format!("wahl[k{i}]"), key, false)/><label for=id>{name.clone()}</label></div> }
                        }).collect_view()}
                    </div>
                </details>
                <details>
                    <summary>"Arten auswählen (bei »bestimmte Arten von Kommunen«)"</summary>
                    {OrgKind::KOMMUNEN.iter().enumerate().map(|(i, k)| {
                        let id = format!("art-{}", k.code());
                        view! { <div class="checkbox-field"><input type="checkbox" id=id.clone() name=format!("wahl[a{i}]") value=k.code() checked=kept_checked(submitted, &format!("wahl[a{i}]"), k.code(), false)/><label for=id>{k.plural()}</label></div> }
                    }).collect_view()}
                </details>
                <FieldBox name="wert" label="Spitzenverband (SGSA oder LKT) oder OZG-ID (bei den letzten beiden Auswahlen)"><input id="feld-wert" name="wert" maxlength="20" value=kept(submitted, "wert", "")/></FieldBox>
            </FieldSet>
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
