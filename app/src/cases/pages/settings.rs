//! The administrators' page for the case module: categories, teams, service-level targets and
//! working hours. Plain forms, one per row.

use crate::cases::api::settings::{AdminSaveAssignment, AdminSaveCategory, AdminSaveHours, AdminSaveSla, AdminSaveTeam, CaseSettingsView, admin_case_settings};
use crate::ui::forms::{ErrorSummary, Field, FieldBox, submission_error};
use crate::ui::errors::ErrorPage;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const DAYS: [&str; 7] = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"];

fn hours(minutes: i32) -> String {
    let h = f64::from(minutes) / 60.0;
    if minutes % 60 == 0 { format!("{}", minutes / 60) } else { format!("{h:.2}").replace('.', ",") }
}

#[component]
pub fn AdminCasesPage() -> impl IntoView {
    let category = ServerAction::<AdminSaveCategory>::new();
    let team = ServerAction::<AdminSaveTeam>::new();
    let sla = ServerAction::<AdminSaveSla>::new();
    let work = ServerAction::<AdminSaveHours>::new();
    let data = Resource::new(
        move || (category.version().get(), team.version().get(), sla.version().get(), work.version().get()),
        |_| admin_case_settings(),
    );
    view! {
        <Title text="Beratungsfälle einrichten"/>
        <h1>"Beratungsfälle einrichten"</h1>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Settings v category team sla work/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Settings(
    v: CaseSettingsView,
    category: ServerAction<AdminSaveCategory>,
    team: ServerAction<AdminSaveTeam>,
    sla: ServerAction<AdminSaveSla>,
    work: ServerAction<AdminSaveHours>,
) -> impl IntoView {
    let query = use_query_map();
    let (e1, e2, e3, e4) = (submission_error(category), submission_error(team), submission_error(sla), submission_error(work));
    let assign = ServerAction::<AdminSaveAssignment>::new();
    view! {
        {move || query.with(|q| q.get("gespeichert")).map(|_| view! { <p class="notice" role="status">"Gespeichert."</p> })}
        <section aria-labelledby="zeiten-title">
            <h2 id="zeiten-title">"Arbeitszeiten für die Servicezeiten"</h2>
            <p class="hint">"Servicezeiten zählen nur in diesen Zeiten (Europe/Berlin); die gesetzlichen Feiertage Sachsen-Anhalts werden immer ausgelassen. Neue Fristen werden mit den neuen Zeiten berechnet."</p>
            <ErrorSummary error=e4/>
            <ActionForm action=work attr:class="form">
                <Field name="start" id="work-start" label="Beginn (HH:MM)" value=v.work_start.clone() required=true error=e4/>
                <Field name="end" id="work-end" label="Ende (HH:MM)" value=v.work_end.clone() required=true error=e4/>
                <fieldset>
                    <legend>"Arbeitstage"</legend>
                    {DAYS.iter().enumerate().map(|(i, d)| {
                        let id = format!("tag-{}", i + 1);
                        view! {
                            <div class="field checkbox-field">
                                <input type="checkbox" id=id.clone() name=format!("d{}", i + 1) value="ja" checked=v.work_days[i]/>
                                <label for=id>{*d}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button">"Arbeitszeiten speichern"</button>
            </ActionForm>
        </section>
        <section aria-labelledby="uebernahme-title">
            <h2 id="uebernahme-title">"Zuständigkeit beim Antworten"</h2>
            <ActionForm action=assign attr:class="form">
                <div class="field checkbox-field">
                    <input type="checkbox" id="uebernehmen" name="uebernehmen" value="ja" checked=v.assign_on_reply/>
                    <label for="uebernehmen">"Wer einen Fall ohne Zuständigkeit öffentlich beantwortet, übernimmt ihn"</label>
                </div>
                <button type="submit" class="button">"Zuständigkeit beim Antworten speichern"</button>
            </ActionForm>
        </section>
        <section aria-labelledby="sla-title">
            <h2 id="sla-title">"Servicezeiten je Priorität (in Arbeitsstunden)"</h2>
            <ErrorSummary error=e3/>
            {v.targets.clone().into_iter().map(|t| {
                let p = t.priority;
                let (fid, uid, rid) = (format!("sla-first-{}", p.code()), format!("sla-followup-{}", p.code()), format!("sla-res-{}", p.code()));
                view! {
                    <ActionForm action=sla attr:class="form inline-form">
                        <input type="hidden" name="priority" value=p.code()/>
                        <strong class="inline-label">{format!("Priorität {}", p.label())}</strong>
                        <Field name="first_hours" id=fid label=format!("Erste Antwort ({})", p.label()) inputmode="decimal" value=hours(t.first_response_minutes) required=true/>
                        <Field name="followup_hours" id=uid label=format!("Folgeantwort ({})", p.label()) inputmode="decimal" value=hours(t.followup_minutes) required=true/>
                        <Field name="resolution_hours" id=rid label=format!("Lösung ({})", p.label()) inputmode="decimal" value=hours(t.resolution_minutes) required=true/>
                        <button type="submit" class="button button-outline">{format!("Servicezeiten »{}« speichern", p.label())}</button>
                    </ActionForm>
                }
            }).collect_view()}
        </section>
        <section aria-labelledby="kategorien-title">
            <h2 id="kategorien-title">"Kategorien"</h2>
            <ErrorSummary error=e1/>
            {v.categories.clone().into_iter().map(|c| {
                let (lid, pid, aid) = (format!("cat-label-{}", c.code), format!("cat-pos-{}", c.code), format!("cat-active-{}", c.code));
                view! {
                    <ActionForm action=category attr:class="form inline-form">
                        <input type="hidden" name="code" value=c.code.clone()/>
                        <Field name="label" id=lid label=format!("Bezeichnung ({})", c.code) value=c.label.clone() required=true/>
                        <Field name="position" id=pid label="Reihenfolge" inputmode="numeric" value=c.position.to_string() size=4/>
                        <div class="field checkbox-field"><input type="checkbox" id=aid.clone() name="active" value="ja" checked=c.active/><label for=aid>"angeboten"</label></div>
                        <button type="submit" class="button button-outline">{format!("Kategorie »{}« speichern", c.label.clone())}</button>
                    </ActionForm>
                }
            }).collect_view()}
            <h3>"Neue Kategorie"</h3>
            <ActionForm action=category attr:class="form inline-form">
                <Field name="code" id="cat-new-code" label="Code (Kleinbuchstaben)" required=true error=e1/>
                <Field name="label" id="cat-new-label" label="Bezeichnung" required=true error=e1/>
                <input type="hidden" name="position" value="100"/>
                <input type="hidden" name="active" value="ja"/>
                <button type="submit" class="button">"Kategorie anlegen"</button>
            </ActionForm>
        </section>
        <section aria-labelledby="teams-title">
            <h2 id="teams-title">"Teams"</h2>
            <ErrorSummary error=e2/>
            {v.teams.clone().into_iter().map(|t| {
                let (nid, lid, aid) = (format!("team-name-{}", t.id), format!("team-lead-{}", t.id), format!("team-active-{}", t.id));
                let advisors = v.advisors.clone();
                let lead = t.lead_id.clone();
                view! {
                    <ActionForm action=team attr:class="form inline-form">
                        <input type="hidden" name="id" value=t.id.clone()/>
                        <Field name="name" id=nid label="Teamname" value=t.name.clone() required=true/>
                        <FieldBox name="lead" id=lid.clone() label=format!("Teamleitung ({})", t.name)>
                            <select id=lid name="lead">
                                <option value="" selected=lead.is_none()>"keine"</option>
                                {advisors.into_iter().map(|(id, name)| { let sel = lead.as_deref() == Some(id.as_str()); view! { <option value=id selected=sel>{name}</option> } }).collect_view()}
                            </select>
                        </FieldBox>
                        <div class="field checkbox-field"><input type="checkbox" id=aid.clone() name="active" value="ja" checked=t.active/><label for=aid>"aktiv"</label></div>
                        <button type="submit" class="button button-outline">{format!("Team »{}« speichern", t.name)}</button>
                    </ActionForm>
                }
            }).collect_view()}
            <h3>"Neues Team"</h3>
            <ActionForm action=team attr:class="form inline-form">
                <Field name="name" id="team-new-name" label="Name des neuen Teams" required=true error=e2/>
                <input type="hidden" name="active" value="ja"/>
                <button type="submit" class="button">"Team anlegen"</button>
            </ActionForm>
        </section>
    }
}
