//! Filing a new case.

use crate::cases::api::{FileCase, filing_form};
use crate::ui::forms::ErrorSummary;
use crate::ui::errors::ErrorPage;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use super::*;

#[component]
pub fn NewCasePage() -> impl IntoView {
    let form = Resource::new(|| (), |_| filing_form());
    let file = ServerAction::<FileCase>::new();
    let error = action_error(file);
    view! {
        <Title text="Neuen Beratungsfall anlegen"/>
        <h1>"Neuen Beratungsfall anlegen"</h1>
        <Suspense fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(f) => {
                        let msg = move |field: &'static str| move || error.get().map(|e| e.field_messages(field).join(" ")).unwrap_or_default();
                        let invalid = move |field: &'static str| move || error.get().is_some_and(|e| !e.field_messages(field).is_empty());
                        view! {
                            <p>"Beschreiben Sie Ihr Anliegen an die Landesberatung. Anhänge (z. B. Bescheide, Screenshots) fügen Sie nach dem Anlegen auf der Seite des Falls hinzu."</p>
                            <ErrorSummary error/>
                            <ActionForm action=file attr:class="form case-form">
                                <input type="hidden" name="idempotency_key" value=f.idempotency_key.clone()/>
                                {(f.municipalities.len() > 1).then(|| view! {
                                    <div class="field">
                                        <label for="feld-municipality">"Für welche Kommune?"</label>
                                        <select id="feld-municipality" name="municipality">
                                            {f.municipalities.iter().map(|(k, n)| view! { <option value=k.clone()>{n.clone()}</option> }).collect_view()}
                                        </select>
                                    </div>
                                })}
                                <div class="field" class:field-invalid=invalid("subject")>
                                    <label for="feld-subject">"Betreff (Pflichtfeld)"</label>
                                    <p class="field-error" id="feld-subject-fehler" hidden=move || !invalid("subject")()>{msg("subject")}</p>
                                    <input id="feld-subject" name="subject" maxlength="200" required aria-describedby="feld-subject-fehler"/>
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
                                    <input id="feld-ozg_ids" name="ozg_ids" inputmode="numeric" aria-describedby="feld-ozg_ids-hinweis feld-ozg_ids-fehler"/>
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
            })}
        </Suspense>
    }
}
