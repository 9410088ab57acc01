//! `/gremien/massnahmen/:id`: a task with its status; its owners and those who run the body set
//! the status with a note (and the latter a new due date). `TaskTable` lists tasks on a body's
//! and a meeting's page.

use crate::gremien::api_work::{SetTaskStatus, TaskPage as TaskData, load_own_tasks, load_task};
use crate::gremien::work::{TaskStatus, TaskView};
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{ErrorSummary, Field, FieldBox, kept, submission_error};
use crate::ui::list::{DataTable, cols};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Tasks in a table: title, owner, due date (overdue marked), status.
#[component]
pub fn TaskTable(tasks: Vec<TaskView>, caption: &'static str) -> impl IntoView {
    view! {
        <DataTable id=format!("massnahmen-{}", caption.len()) caption=caption columns=cols(["Maßnahme", "verantwortlich", "fällig", "Stand"])>
            {tasks.into_iter().map(|t| view! {
                <tr>
                    <td><a href=format!("/gremien/massnahmen/{}", t.id)>{t.title}</a></td>
                    <td>{t.owner}</td>
                    <td>{t.due}{t.overdue.then(|| view! { " " <strong class="badge badge-late">"überfällig"</strong> })}</td>
                    <td>{t.status.label()}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}

#[component]
pub fn TaskPage() -> impl IntoView {
    let params = use_params_map();
    let task = Resource::new(move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or_default()), load_task);
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match task.await {
                    Err(e) => view! { <Title text="Maßnahme"/><ErrorPage error=e/> }.into_any(),
                    Ok(t) => view! { <Task t/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Task(t: TaskData) -> impl IntoView {
    let saved = use_query_map().with_untracked(|q| q.get("gespeichert"));
    let set = ServerAction::<SetTaskStatus>::new();
    let error = submission_error(set);
    let task = t.task;
    let chosen = kept(error, "status", task.status.code());
    view! {
        <Title text=format!("Maßnahme: {}", task.title)/>
        <p><a href=format!("/gremien/{}", task.gremium_id)>{format!("← {}", task.gremium)}</a></p>
        <h1>{format!("Maßnahme: {}", task.title)}</h1>
        {saved.map(|s| view! { <p class="notice" role="status">{if s == "angelegt" { "Die Maßnahme ist angelegt." } else { "Der Stand ist gespeichert." }}</p> })}
        <dl class="profile">
            <dt>"Gremium"</dt><dd>{task.gremium.clone()}</dd>
            <dt>"verantwortlich"</dt><dd>{task.owner.clone()}</dd>
            <dt>"fällig am"</dt><dd>{task.due.clone()}{task.overdue.then(|| view! { " " <strong class="badge badge-late">"überfällig"</strong> })}</dd>
            <dt>"Stand"</dt><dd>{task.status.label()}</dd>
            {(!task.note.is_empty()).then(|| view! { <dt>"Bemerkung"</dt><dd class="prewrap">{task.note.clone()}</dd> })}
            {task.source.clone().map(|s| view! { <dt>"Herkunft"</dt><dd><a href=s.clone()>{if s.starts_with("/beschluesse") { "Beschluss" } else { "Sitzung" }}</a></dd> })}
            {task.link.clone().map(|(k, v, href)| view! { <dt>{k.label()}</dt><dd>{match href { Some(h) => view! { <a href=h>{v.clone()}</a> }.into_any(), None => view! { <span>{v.clone()}</span> }.into_any() }}</dd> })}
        </dl>
        {t.may_set.then(|| view! {
            <section aria-labelledby="stand" class="narrow">
                <h2 id="stand">"Stand setzen"</h2>
                <ErrorSummary error/>
                <ActionForm action=set attr:class="form">
                    <input type="hidden" name="task" value=task.id/>
                    <input type="hidden" name="version" value=task.version/>
                    <FieldBox name="status" id="massnahme-stand" label="Stand" error>
                        <select id="massnahme-stand" name="status">
                            {TaskStatus::ALL.iter().map(|s| view! { <option value=s.code() selected=s.code() == chosen>{s.label()}</option> }).collect_view()}
                        </select>
                    </FieldBox>
                    <FieldBox name="note" id="massnahme-bemerkung" label="Bemerkung (beim Verwerfen: der Grund)" error>
                        <textarea id="massnahme-bemerkung" name="note" rows="3">{kept(error, "note", task.note.clone())}</textarea>
                    </FieldBox>
                    {t.runs.then(|| view! { <Field name="due" id="massnahme-frist" label="Frist (TT.MM.JJJJ)" value=task.due.clone() error/> })}
                    <button type="submit" class="button">"Speichern"</button>
                </ActionForm>
            </section>
        })}
    }
}

/// `/gremien/massnahmen`: every open task the person owns, overdue ones first.
#[component]
pub fn OwnTasksPage() -> impl IntoView {
    let tasks = Resource::new(|| (), |_| load_own_tasks());
    view! {
        <Title text="Ihre Maßnahmen aus Gremien"/>
        <h1>"Ihre Maßnahmen aus Gremien"</h1>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match tasks.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(t) if t.shown.is_empty() => view! { <p>"Sie haben keine offenen Maßnahmen."</p> }.into_any(),
                    Ok(t) => view! {
                        <p>{format!("{} offen, davon {} überfällig.", t.open, t.overdue)}</p>
                        <TaskTable tasks=t.shown caption="Ihre offenen Maßnahmen"/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
