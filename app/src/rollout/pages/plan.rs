//! `/nachnutzung/leistung/:ozg`: the advisors' editor of one row of the overview.

use crate::identity::Role;
use crate::rollout::api::{rollout_plan_editor, SaveRolloutPlan};
use crate::rollout::model::{Model, Phase, PlanEditor, PRIORITIES};
use crate::ui::auth::RequireRole;
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{ErrorSummary, FieldBox, kept, kept_checked, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PlanEditorPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || params.with(|p| p.get("ozg").unwrap_or_default()), rollout_plan_editor);
    view! {
        <Title text="Nachnutzung: Leistung bearbeiten"/>
        <RequireRole roles=vec![Role::Advisor]>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                        Ok(d) => view! { <Editor d/> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

#[component]
fn Editor(d: PlanEditor) -> impl IntoView {
    let save = ServerAction::<SaveRolloutPlan>::new();
    let error = submission_error(save);
    let r = d.row.clone();
    // After a refused submission: what was submitted.
    let current_efa = kept(error, "efa_service_id", r.efa.as_ref().map(|e| e.id.clone()).unwrap_or_default());
    let model = kept(error, "model", r.model.code());
    let priority = kept(error, "priority", r.priority.to_string());
    let phase = kept(error, "phase", r.phase.code());
    let land_pays = kept_checked(error, "land_pays", "ja", r.land_pays.unwrap_or(false));
    let checklist = kept(error, "checklist", r.checklist.join("\n"));
    view! {
        <p class="hint"><a href="/nachnutzung">"Nachnutzungsübersicht"</a></p>
        <h1>{format!("{} – {}", r.ozg_id, r.name)}</h1>
        <ErrorSummary error/>
        <ActionForm action=save attr:class="form" attr:novalidate="">
            <input type="hidden" name="ozg" value=r.ozg_id.clone()/>
            <input type="hidden" name="version" value=r.version.to_string()/>
            <FieldBox name="model" label="Umsetzungsmodell" error>
                <select id="feld-model" name="model">
                    {Model::ALL.iter().map(|m| view! { <option value=m.code() selected=m.code() == model>{m.label()}</option> }).collect_view()}
                </select>
            </FieldBox>
            <FieldBox name="efa_service_id" label="EfA-Dienst" hint="Aus der Liste des Landes (gepflegt unter »OZG-Katalog« von der Administration); nur beim Modell »EfA-Nachnutzung«." error>
                <select id="feld-efa_service_id" name="efa_service_id" aria-describedby="feld-efa_service_id-hinweis">
                    <option value="" selected=current_efa.is_empty()>"keiner"</option>
                    {d.services.iter().map(|s| {
                        let text = match &s.provider { Some(p) => format!("{} ({p})", s.name), None => s.name.clone() };
                        view! { <option value=s.id.clone() selected=current_efa == s.id>{text}</option> }
                    }).collect_view()}
                </select>
            </FieldBox>
            <FieldBox name="priority" label="Priorität des Landes" error>
                <select id="feld-priority" name="priority">
                    {PRIORITIES.iter().map(|(v, l)| view! { <option value=v.to_string() selected=v.to_string() == priority>{*l}</option> }).collect_view()}
                </select>
            </FieldBox>
            <FieldBox name="phase" label="Phase" error>
                <select id="feld-phase" name="phase">
                    {Phase::ALL.iter().map(|p| view! { <option value=p.code() selected=p.code() == phase>{p.label()}</option> }).collect_view()}
                </select>
            </FieldBox>
            <div class="field checkbox-field">
                <input type="checkbox" id="feld-land_pays" name="land_pays" value="ja" checked=land_pays/>
                <label for="feld-land_pays">"Das Land trägt die Nachnutzungskosten"</label>
            </div>
            <FieldBox name="checklist" label="Voraussetzungen der Anbindung (Checkliste)" hint="Ein Punkt je Zeile, höchstens 30. Neue Anbindungen an den Dienst beginnen mit diesen Punkten." error>
                <textarea id="feld-checklist" name="checklist" rows="8" class="wide" aria-describedby="feld-checklist-hinweis">{checklist}</textarea>
            </FieldBox>
            <button type="submit" class="button">"Speichern"</button>
        </ActionForm>
    }
}
