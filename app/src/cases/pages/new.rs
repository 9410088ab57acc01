//! Filing a new case.

use crate::cases::api::{FileCase, filing_form};
use crate::ui::forms::{ErrorSummary, FieldBox};
use crate::ui::errors::ErrorPage;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use super::*;

/// The first step: subject and OZG-Leistungen, so that matching articles can be shown before
/// the case is sent (a plain GET form: no JavaScript needed).
#[component]
fn FirstStep() -> impl IntoView {
    view! {
        <p>"Beschreiben Sie kurz, worum es geht. Wir zeigen Ihnen zuerst Antworten aus dem Wissensportal, die passen könnten; danach legen Sie den Fall an."</p>
        <form method="get" action="/faelle/neu" class="form">
            <input type="hidden" name="schritt" value="2"/>
            <div class="field">
                <label for="schritt-betreff">"Betreff"</label>
                <input id="schritt-betreff" name="betreff" maxlength="200"/>
            </div>
            <div class="field">
                <label for="schritt-ozg">"Betroffene OZG-Leistungen (optional)"</label>
                <p class="hint" id="schritt-ozg-hinweis">"OZG-IDs durch Komma getrennt, z. B. 10000, 10002."</p>
                <input id="schritt-ozg" name="ozg" inputmode="numeric" aria-describedby="schritt-ozg-hinweis"/>
            </div>
            <button type="submit" class="button">"Weiter"</button>
        </form>
    }
}

#[component]
pub fn NewCasePage() -> impl IntoView {
    let query = use_query_map();
    let q = move |k: &'static str| query.with(|q| q.get(k).unwrap_or_default());
    let second = move || q("schritt") == "2";
    view! {
        <Title text="Neuen Beratungsfall anlegen"/>
        <crate::ui::auth::RequireRole roles=vec![crate::identity::Role::Clerk]>
            <h1>"Neuen Beratungsfall anlegen"</h1>
            {move || if second() { view! { <FilingForm subject=q("betreff") ozg=q("ozg")/> }.into_any() } else { view! { <FirstStep/> }.into_any() }}
        </crate::ui::auth::RequireRole>
    }
}

#[component]
fn FilingForm(subject: String, ozg: String) -> impl IntoView {
    let (s0, o0) = (subject.clone(), ozg.clone());
    let form = Resource::new(move || (s0.clone(), o0.clone()), |(s, o)| filing_form(s, o));
    let file = ServerAction::<FileCase>::new();
    let error = action_error(file);
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || {
                let (subject, ozg) = (subject.clone(), ozg.clone());
                Suspend::new(async move {
                match form.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(f) => {
                        let msg = move |field: &'static str| move || error.get().map(|e| e.field_messages(field).join(" ")).unwrap_or_default();
                        let invalid = move |field: &'static str| move || error.get().is_some_and(|e| !e.field_messages(field).is_empty());
                        view! {
                            {if f.suggestions.is_empty() {
                                view! { <p>"Im Wissensportal haben wir keinen passenden Artikel gefunden."</p> }.into_any()
                            } else {
                                view! {
                                    <section class="suggestions" aria-labelledby="vorschlaege">
                                        <h2 id="vorschlaege">"Vielleicht ist Ihre Frage schon beantwortet"</h2>
                                        <ul class="article-list">
                                            {f.suggestions.iter().map(|a| view! {
                                                <li class="article-item"><a href=format!("/wissen/{}", a.id)>{a.title.clone()}</a><p>{a.summary.clone()}</p></li>
                                            }).collect_view()}
                                        </ul>
                                        <p>"Ist Ihre Frage damit beantwortet, brauchen Sie keinen Fall anzulegen. Sonst geht es hier weiter."</p>
                                    </section>
                                }.into_any()
                            }}
                            <h2>"Ihr Anliegen"</h2>
                            <p>"Beschreiben Sie Ihr Anliegen an die Landesberatung. Anhänge (z. B. Bescheide, Screenshots) fügen Sie nach dem Anlegen auf der Seite des Falls hinzu."</p>
                            <ErrorSummary error/>
                            <ActionForm action=file attr:class="form case-form">
                                <input type="hidden" name="idempotency_key" value=f.idempotency_key.clone()/>
                                {(f.municipalities.len() > 1).then(|| view! {
                                    <FieldBox name="municipality" label="Für welche Kommune?" error>
<select id="feld-municipality" name="municipality">
                                            {f.municipalities.iter().map(|(k, n)| view! { <option value=k.clone()>{n.clone()}</option> }).collect_view()}
                                        </select>
</FieldBox>
                                })}
                                <div class="field" class:field-invalid=invalid("subject")>
                                    <label for="feld-subject">"Betreff (Pflichtfeld)"</label>
                                    <p class="field-error" id="feld-subject-fehler" hidden=move || !invalid("subject")()>{msg("subject")}</p>
                                    <input id="feld-subject" name="subject" maxlength="200" required value=subject aria-describedby="feld-subject-fehler"/>
                                </div>
                                <div class="field" class:field-invalid=invalid("category")>
                                    <label for="feld-category">"Kategorie (Pflichtfeld)"</label>
                                    <p class="field-error" id="feld-category-fehler" hidden=move || !invalid("category")()>{msg("category")}</p>
                                    <select id="feld-category" name="category" required aria-describedby="feld-category-fehler">
                                        <option value="">"Bitte wählen"</option>
                                        {f.categories.iter().map(|c| view! { <option value=c.code.clone()>{c.label.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field" class:field-invalid=invalid("description")>
                                    <label for="feld-description">"Beschreibung (Pflichtfeld)"</label>
                                    <p class="field-error" id="feld-description-fehler" hidden=move || !invalid("description")()>{msg("description")}</p>
                                    <textarea id="feld-description" name="description" rows="8" required aria-describedby="feld-description-fehler"></textarea>
                                </div>
                                <div class="field" class:field-invalid=invalid("ozg_ids")>
                                    <label for="feld-ozg_ids">"Betroffene OZG-Leistungen (optional)"</label>
                                    <p class="hint" id="feld-ozg_ids-hinweis">"OZG-IDs durch Komma getrennt, z. B. 10000, 10002 – zu finden im Leistungsregister."</p>
                                    <p class="field-error" id="feld-ozg_ids-fehler" hidden=move || !invalid("ozg_ids")()>{msg("ozg_ids")}</p>
                                    <input id="feld-ozg_ids" name="ozg_ids" inputmode="numeric" value=ozg aria-describedby="feld-ozg_ids-hinweis feld-ozg_ids-fehler"/>
                                </div>
                                <div class="field" class:field-invalid=invalid("desired_date")>
                                    <label for="feld-desired_date">"Wunschtermin (optional)"</label>
                                    <p class="field-error" id="feld-desired_date-fehler" hidden=move || !invalid("desired_date")()>{msg("desired_date")}</p>
                                    <input id="feld-desired_date" name="desired_date" type="date" aria-describedby="feld-desired_date-fehler"/>
                                </div>
                                <button type="submit" class="button">"Fall anlegen"</button>
                            </ActionForm>
                        }.into_any()
                    }
                }
            })}}
        </Suspense>
    }
}
