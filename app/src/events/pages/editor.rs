//! `/termine/neu` and `/termine/:id/bearbeiten`: the advisors' editor of an event.

use crate::events::api::{event_editor, SaveEvent};
use crate::events::model::EventDraft;
use crate::identity::Role;
use crate::ui::auth::RequireRole;
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{AudienceChoice, ErrorSummary, FieldBox, kept, submission_error, ThemenfeldChoice};
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
    view! {
        <h1>{if d.id.is_some() { "Termin bearbeiten" } else { "Neuer Termin" }}</h1>
        <p>"Zeiten in deutscher Zeit (Europe/Berlin). Ändern Sie Zeit oder Ort, erhalten alle Angemeldeten eine E-Mail mit dem neuen Kalendereintrag."</p>
        <ErrorSummary error/>
        <ActionForm action=save attr:class="form" attr:novalidate="">
            <input type="hidden" name="id" value=d.id.map(|i| i.to_string()).unwrap_or_default()/>
            <input type="hidden" name="version" value=d.version.to_string()/>
            <FieldBox name="title" label="Titel (Pflichtfeld)" error><input id="feld-title" name="title" maxlength="200" required value=kept(error, "title", d.title.clone())/></FieldBox>
            <FieldBox name="description" label="Beschreibung (Markdown, Pflichtfeld)" error><textarea id="feld-description" name="description" rows="8" class="wide" required>{kept(error, "description", d.description.clone())}</textarea></FieldBox>
            <FieldBox name="starts" label="Beginn (Pflichtfeld)" error><input id="feld-starts" name="starts" type="datetime-local" required value=kept(error, "starts", d.starts.clone())/></FieldBox>
            <FieldBox name="ends" label="Ende (Pflichtfeld)" error><input id="feld-ends" name="ends" type="datetime-local" required value=kept(error, "ends", d.ends.clone())/></FieldBox>
            <FieldBox name="place" label="Ort" hint="Adresse und Raum; leer bei einem reinen Online-Termin." error><input id="feld-place" name="place" maxlength="300" value=kept(error, "place", d.place.clone()) aria-describedby="feld-place-hinweis"/></FieldBox>
            <FieldBox name="online_url" label="Link für die Teilnahme online" hint="Sehen nur Angemeldete und die Landesberatung." error><input id="feld-online_url" name="online_url" type="url" maxlength="500" value=kept(error, "online_url", d.online_url.clone()) aria-describedby="feld-online_url-hinweis"/></FieldBox>
            <FieldBox name="capacity" label="Plätze" hint="Leer: unbegrenzt. Ist der Termin voll, kommen weitere Anmeldungen auf die Warteliste." error><input id="feld-capacity" name="capacity" inputmode="numeric" value=kept(error, "capacity", d.capacity.clone()) aria-describedby="feld-capacity-hinweis"/></FieldBox>
            <AudienceChoice current=d.audience legend="Für wen?" public_label="alle (öffentlich, auch im Kalender-Abonnement)" error/>
            <ThemenfeldChoice all=d.all_themenfelder.clone() chosen=d.themenfelder.clone() error/>
            <button type="submit" class="button">"Speichern"</button>
        </ActionForm>
    }
}
