//! The legal texts on their pages (the operator's newest version, or the template), and the
//! administrators' editor with the version history (`/verwaltung/rechtstexte`).

use crate::identity::Role;
use crate::legal::api::{legal_text_editor, legal_text_page, SaveLegalText};
use crate::legal::model::LegalKind;
use crate::ui::auth::RequireRole;
use crate::ui::forms::{ErrorSummary, FieldBox, kept, submission_error};
use crate::ui::rich::Rich;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The operator's text of `page`, with the date of its last change.
#[component]
pub fn LegalText(page: &'static str) -> impl IntoView {
    let text = Resource::new(|| (), move |_| legal_text_page(page.to_string()));
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match text.await {
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(t) => view! {
                        <Rich text=t.text class="legal-text"/>
                        <p class="hint">{match t.changed {
                            Some(d) => format!("Stand: {d}"),
                            None => "Vorlage: die betreibende Stelle hat diesen Text noch nicht angepasst.".to_string(),
                        }}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn LegalTextsPage() -> impl IntoView {
    view! {
        <Title text="Rechtstexte"/>
        <RequireRole roles=vec![Role::Admin]>
            <h1>"Rechtstexte"</h1>
            <p>"Impressum, Datenschutzerklärung und Erklärung zur Barrierefreiheit stammen von der betreibenden Stelle. Bis sie einen Text speichert, zeigt die Seite eine Vorlage, die alle vorgeschriebenen Angaben nennt; Platzhalter stehen in [eckigen Klammern]."</p>
            <ul>
                {LegalKind::ALL.iter().map(|k| view! { <li><a href=format!("/verwaltung/rechtstexte/{}", k.code())>{k.label()}</a></li> }).collect_view()}
            </ul>
        </RequireRole>
    }
}

#[component]
pub fn LegalEditorPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = move || params.with(|p| p.get("seite").unwrap_or_default());
    let version = move || query.with(|q| q.get("version").and_then(|v| v.parse::<i32>().ok()));
    let saved = move || query.with(|q| q.get("gespeichert").is_some());
    let save = ServerAction::<SaveLegalText>::new();
    let error = submission_error(save);
    let editor = Resource::new(move || (page(), version(), save.version().get()), |(p, v, _)| legal_text_editor(p, v));
    view! {
        <Title text="Rechtstext bearbeiten"/>
        <RequireRole roles=vec![Role::Admin]>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match editor.await {
                        Err(e) => view! { <h1>"Rechtstext bearbeiten"</h1><p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(ed) => {
                            let public = format!("/{}", ed.page);
                            let newest = ed.versions.first().map(|v| v.version);
                            let page_key = ed.page.clone();
                            view! {
                                <h1>{format!("{} bearbeiten", ed.title)}</h1>
                                <Show when=saved>
                                    <p class="notice" role="status">"Gespeichert. Die Seite zeigt jetzt diese Fassung."</p>
                                </Show>
                                <p>"Markdown: Überschriften mit ## , Listen mit - , Links als [Text](https://…). HTML wird als Text angezeigt. Jede Speicherung ist eine neue Fassung; frühere bleiben erhalten. "
                                   <a href=public.clone()>"Zur Seite"</a></p>
                                {(ed.shown.is_some() && ed.shown != newest).then(|| view! {
                                    <p class="notice" role="status">{format!("Sie sehen Fassung {}. Speichern macht sie wieder zur gültigen Fassung.", ed.shown.unwrap_or_default())}</p>
                                })}
                                <ErrorSummary error/>
                                <ActionForm action=save attr:class="form" attr:novalidate="">
                                    <input type="hidden" name="page" value=ed.page.clone()/>
                                    <FieldBox name="text" label="Text (Markdown)" error>
                                        <textarea id="feld-text" name="text" rows="24" class="wide">{kept(error, "text", ed.markdown.clone())}</textarea>
                                    </FieldBox>
                                    <button type="submit" class="button">"Speichern"</button>
                                </ActionForm>
                                <h2>"Fassungen"</h2>
                                {if ed.versions.is_empty() {
                                    view! { <p>"Noch keine: die Seite zeigt die Vorlage."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul>
                                            {ed.versions.iter().map(|v| view! {
                                                <li><a href=format!("/verwaltung/rechtstexte/{}?version={}", page_key, v.version)>{format!("Fassung {}", v.version)}</a>
                                                    {format!(" vom {} von {}", v.changed, v.by)}</li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}
