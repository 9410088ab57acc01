//! `/termine/neu` and `/termine/:id/bearbeiten`: the advisors' editor of an event.

use crate::events::api::{event_editor, SaveEvent};
use crate::events::model::EventDraft;
use crate::identity::Role;
use crate::ui::auth::RequireRole;
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{submission_error, AudienceChoice, ErrorSummary, ThemenfeldChoice};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn EventEditorPage() -> impl IntoView {
    let params = use_params_map();
    let draft = Resource::new(move || params.with(|p| p.get("id")), event_editor);
    view! {
        <Title text="Termin bearbeiten"/>
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
fn Editor(d: EventDraft) -> impl IntoView {
    let save = ServerAction::<SaveEvent>::new();
    let error = submission_error(save);
    let msg = move |f: &'static str| move || error.get().map(|e| e.field_messages(f).join(" ")).unwrap_or_default();
    let bad = move |f: &'static str| move || error.get().is_some_and(|e| !e.field_messages(f).is_empty());
    let field = move |name: &'static str, label: &'static str, hint: &'static str, input: AnyView| {
        view! {
            <div class="field" class:field-invalid=bad(name)>
                <label for=format!("feld-{name}")>{label}</label>
                {(!hint.is_empty()).then(|| view! { <p class="hint" id=format!("feld-{name}-hinweis")>{hint}</p> })}
                <p class="field-error" id=format!("feld-{name}-fehler") hidden=move || !bad(name)()>{msg(name)}</p>
                {input}
            </div>
        }
    };
    view! {
        <h1>{if d.id.is_some() { "Termin bearbeiten" } else { "Neuer Termin" }}</h1>
        <p>"Zeiten in deutscher Zeit (Europe/Berlin). Ändern Sie Zeit oder Ort, erhalten alle Angemeldeten eine E-Mail mit dem neuen Kalendereintrag."</p>
        <ErrorSummary error/>
        <ActionForm action=save attr:class="form" attr:novalidate="">
            <input type="hidden" name="id" value=d.id.map(|i| i.to_string()).unwrap_or_default()/>
            <input type="hidden" name="version" value=d.version.to_string()/>
            {field("title", "Titel (Pflichtfeld)", "", view! { <input id="feld-title" name="title" maxlength="200" required value=d.title.clone()/> }.into_any())}
            {field("description", "Beschreibung (Markdown, Pflichtfeld)", "",
                view! { <textarea id="feld-description" name="description" rows="8" class="wide" required>{d.description.clone()}</textarea> }.into_any())}
            {field("starts", "Beginn (Pflichtfeld)", "", view! { <input id="feld-starts" name="starts" type="datetime-local" required value=d.starts.clone()/> }.into_any())}
            {field("ends", "Ende (Pflichtfeld)", "", view! { <input id="feld-ends" name="ends" type="datetime-local" required value=d.ends.clone()/> }.into_any())}
            {field("place", "Ort", "Adresse und Raum; leer bei einem reinen Online-Termin.", view! { <input id="feld-place" name="place" maxlength="300" value=d.place.clone() aria-describedby="feld-place-hinweis"/> }.into_any())}
            {field("online_url", "Link für die Teilnahme online", "Sehen nur Angemeldete und die Landesberatung.",
                view! { <input id="feld-online_url" name="online_url" type="url" maxlength="500" value=d.online_url.clone() aria-describedby="feld-online_url-hinweis"/> }.into_any())}
            {field("capacity", "Plätze", "Leer: unbegrenzt. Ist der Termin voll, kommen weitere Anmeldungen auf die Warteliste.",
                view! { <input id="feld-capacity" name="capacity" inputmode="numeric" value=d.capacity.clone() aria-describedby="feld-capacity-hinweis"/> }.into_any())}
            <AudienceChoice current=d.audience legend="Für wen?" public_label="alle (öffentlich, auch im Kalender-Abonnement)" error/>
            <ThemenfeldChoice all=d.all_themenfelder.clone() chosen=d.themenfelder.clone() error/>
            <button type="submit" class="button">"Speichern"</button>
        </ActionForm>
    }
}
