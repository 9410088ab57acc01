//! `/foerderung/programme/neu` and `/foerderung/programme/:id`: the administrators' editor of a
//! funding programme.

use crate::funding::api::{funding_programme, SaveFundingProgramme};
use crate::funding::model::Programme;
use crate::identity::Role;
use crate::ui::auth::RequireRole;
use crate::ui::errors::ErrorPage;
use crate::ui::format::euro;
use crate::ui::forms::{kept_checked, ErrorSummary, FieldBox, kept, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProgrammeEditorPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || params.with(|p| p.get("id")), funding_programme);
    view! {
        <Title text="Förderprogramm bearbeiten"/>
        <RequireRole roles=vec![Role::Admin]>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                        Ok(p) => view! { <Editor p/> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

/// An amount as the form shows it (without the euro sign).
fn amount(cents: crate::funding::model::Cents) -> String {
    euro(cents).trim_end_matches("\u{a0}€").to_string()
}

#[component]
fn Editor(p: Option<Programme>) -> impl IntoView {
    let save = ServerAction::<SaveFundingProgramme>::new();
    let error = submission_error(save);
    let v = |f: fn(&Programme) -> String| p.as_ref().map(f).unwrap_or_default();
    let (id, version, name, description) = (v(|g| g.id.to_string()), v(|g| g.version.to_string()), v(|g| g.name.clone()), v(|g| g.description.clone()));
    let (budget, rate, max) = (v(|g| amount(g.budget_cents)), v(|g| g.rate_percent.to_string()), v(|g| amount(g.max_cents)));
    let (opens, closes) = (v(|g| g.opens_on.clone()), v(|g| g.closes_on.clone()));
    view! {
        <p class="hint"><a href="/foerderung">"Förderung"</a></p>
        <h1>{if p.is_some() { "Förderprogramm bearbeiten" } else { "Neues Förderprogramm" }}</h1>
        {p.as_ref().map(|g| view! { <p>{format!("Bewilligt sind {}, abgerufen {}; das Budget kann nicht kleiner als das Bewilligte werden.", euro(g.committed_cents), euro(g.disbursed_cents))}</p> })}
        <ErrorSummary error/>
        <ActionForm action=save attr:class="form" attr:novalidate="">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="version" value=version/>
            <FieldBox name="name" label="Name (Pflichtfeld)" error><input id="feld-name" name="name" maxlength="200" value=kept(error, "name", name)/></FieldBox>
            <FieldBox name="description" label="Beschreibung" error><textarea id="feld-description" name="description" rows="5" class="wide">{kept(error, "description", description)}</textarea></FieldBox>
            <FieldBox name="budget" label="Budget in Euro (Pflichtfeld)" hint="Etwa 7.500.000,00" error>
                <input id="feld-budget" name="budget" inputmode="decimal" value=kept(error, "budget", budget) aria-describedby="feld-budget-hinweis"/>
            </FieldBox>
            <FieldBox name="rate" label="Förderquote in Prozent (Pflichtfeld)" error><input id="feld-rate" name="rate" inputmode="numeric" value=kept(error, "rate", rate)/></FieldBox>
            <FieldBox name="max" label="Höchstbetrag je Vorhaben in Euro (Pflichtfeld)" error><input id="feld-max" name="max" inputmode="decimal" value=kept(error, "max", max)/></FieldBox>
            <FieldBox name="opens_on" label="Antragsfrist von (Pflichtfeld)" error><input id="feld-opens_on" name="opens_on" type="date" value=kept(error, "opens_on", opens)/></FieldBox>
            <FieldBox name="closes_on" label="Antragsfrist bis (Pflichtfeld)" error><input id="feld-closes_on" name="closes_on" type="date" value=kept(error, "closes_on", closes)/></FieldBox>
            <div class="field checkbox-field">
                <input type="checkbox" id="feld-active" name="active" value="ja" checked=kept_checked(error, "active", "ja", p.as_ref().is_none_or(|g| g.active))/>
                <label for="feld-active">"aktiv (für die Kommunen sichtbar)"</label>
            </div>
            <button type="submit" class="button">"Speichern"</button>
        </ActionForm>
    }
}
