//! `/gremien/sitzungen/:id`: a meeting for its body's members: time, place, agenda, the answer to
//! the invitation, the minutes (read, commented while circulated) and the tasks that came from
//! it; those who run the body plan the agenda, invite, record attendance and write the minutes
//! (see `minutes`).

use crate::gremien::api_work::{AddMeetingItem, AnswerMeeting, InviteMeeting, RecordAttendance, load_meeting};
use crate::gremien::work::{MeetingAnswer, MeetingView};
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{ErrorSummary, Field, submission_error};
use crate::ui::list::{DataTable, cols};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn MeetingPage() -> impl IntoView {
    let params = use_params_map();
    let meeting = Resource::new(move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or_default()), load_meeting);
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match meeting.await {
                    Err(e) => view! { <Title text="Sitzung"/><ErrorPage error=e/> }.into_any(),
                    Ok(m) => view! { <Meeting m/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Documents with their download links.
#[component]
fn Documents(meeting: i64, list: Vec<(String, String, String)>) -> impl IntoView {
    view! {
        <ul class="file-list">
            {list.into_iter().map(|(id, name, size)| view! { <li><a href=format!("/gremien/sitzungen/{meeting}/unterlagen/{id}")>{name}</a>{format!(" ({size})")}</li> }).collect_view()}
        </ul>
    }
}

fn notice(saved: Option<&str>, invited: Option<&str>) -> Option<String> {
    if let Some(n) = invited {
        return Some(format!("Eingeladen: {} erhalten die Einladung mit Kalendereintrag per E-Mail.", crate::ui::format::count_of(n.parse::<i64>().unwrap_or_default(), "Mitglied", "Mitglieder")));
    }
    Some(
        match saved? {
            "geplant" => "Die Sitzung ist geplant. Ergänzen Sie die Tagesordnung und laden Sie dann ein.",
            "punkt" => "Der Tagesordnungspunkt ist ergänzt.",
            "unterlage" => "Die Unterlage ist hochgeladen.",
            "antwort" => "Ihre Antwort ist gespeichert.",
            "anwesenheit" => "Die Anwesenheit ist gespeichert.",
            "protokoll" => "Das Protokoll ist gespeichert.",
            "umlauf" => "Das Protokoll ist an die Mitglieder zur Kommentierung verteilt.",
            "genehmigt" => "Das Protokoll ist genehmigt. Es kann nicht mehr geändert werden.",
            "kommentar" => "Ihr Kommentar ist gespeichert.",
            _ => return None,
        }
        .to_string(),
    )
}

#[component]
fn Meeting(m: MeetingView) -> impl IntoView {
    let query = use_query_map();
    let (saved, invited) = query.with_untracked(|q| (q.get("gespeichert"), q.get("eingeladen")));
    let add = ServerAction::<AddMeetingItem>::new();
    let invite = ServerAction::<InviteMeeting>::new();
    let answer = ServerAction::<AnswerMeeting>::new();
    let attendance = ServerAction::<RecordAttendance>::new();
    let (add_error, invite_error, answer_error, attendance_error) = (submission_error(add), submission_error(invite), submission_error(answer), submission_error(attendance));
    let id = m.id;
    let title = format!("{} – {}", m.title, m.gremium);
    let minutes = m.minutes.clone();
    let tasks = m.tasks.clone();
    view! {
        <Title text=title/>
        <p><a href=format!("/gremien/{}", m.gremium_id)>{format!("← {}", m.gremium)}</a></p>
        <h1>{m.title.clone()}{m.cancelled.then_some(" (abgesagt)")}</h1>
        {notice(saved.as_deref(), invited.as_deref()).map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <dl class="profile">
            <dt>"Zeit"</dt><dd>{m.when.clone()}</dd>
            {m.place.clone().map(|p| view! { <dt>"Ort"</dt><dd>{p}</dd> })}
            {m.link.clone().map(|l| view! { <dt>"Videokonferenz"</dt><dd><a href=l.clone() rel="noopener noreferrer">{l.clone()}</a></dd> })}
            <dt>"Einladung"</dt><dd>{m.invited.clone().map(|t| format!("verschickt am {t}")).unwrap_or_else(|| "noch nicht verschickt".into())}</dd>
        </dl>
        {(m.member && !m.past).then(|| view! {
            <section aria-labelledby="antwort">
                <h2 id="antwort">"Ihre Teilnahme"</h2>
                <p>{match m.my_answer { Some(a) => format!("Ihre Antwort: {}.", a.label()), None => "Sie haben noch nicht geantwortet.".into() }}</p>
                <ErrorSummary error=answer_error/>
                <div class="actions">
                    {MeetingAnswer::ALL.iter().map(|a| view! {
                        <ActionForm action=answer attr:class="inline-form">
                            <input type="hidden" name="meeting" value=id/>
                            <input type="hidden" name="answer" value=a.code()/>
                            <button type="submit" class=if *a == MeetingAnswer::Accepted { "button" } else { "button button-secondary" }>{if *a == MeetingAnswer::Accepted { "Zusagen" } else { "Absagen" }}</button>
                        </ActionForm>
                    }).collect_view()}
                </div>
            </section>
        })}
        <section aria-labelledby="tagesordnung">
            <h2 id="tagesordnung">"Tagesordnung"</h2>
            {if m.items.is_empty() {
                view! { <p>"Die Tagesordnung folgt."</p> }.into_any()
            } else {
                view! {
                    <ol class="agenda">
                        {m.items.iter().cloned().map(|i| {
                            let extra = [i.presenter.clone(), i.minutes.map(|n| format!("{n} Minuten"))].into_iter().flatten().collect::<Vec<_>>().join(", ");
                            view! {
                                <li>
                                    {i.title}{(!extra.is_empty()).then(|| format!(" ({extra})"))}
                                    {(!i.documents.is_empty()).then(|| view! { <Documents meeting=id list=i.documents.clone()/> })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            {(!m.documents.is_empty()).then(|| view! { <p>"Unterlagen zur Sitzung:"</p><Documents meeting=id list=m.documents.clone()/> })}
            {m.runs.then(|| view! {
                <form method="post" action=format!("/gremien/sitzungen/{id}/unterlagen") enctype="multipart/form-data" class="form narrow">
                    <div class="field">
                        <label for="unterlage-punkt">"Unterlage zu"</label>
                        <select id="unterlage-punkt" name="punkt">
                            <option value="">"der Sitzung insgesamt"</option>
                            {m.items.iter().map(|i| view! { <option value=i.id>{format!("TOP {}: {}", i.position, i.title)}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="unterlage-datei">"Datei (PDF, Office-Dokument, Bild; wie Anlagen zu Fällen)"</label>
                        <input id="unterlage-datei" type="file" name="datei" required/>
                    </div>
                    <button type="submit" class="button button-secondary">"Unterlage hochladen"</button>
                </form>
                <ErrorSummary error=add_error/>
                <ActionForm action=add attr:class="form narrow">
                    <input type="hidden" name="meeting" value=id/>
                    <Field name="item_title" id="punkt-titel" label="Neuer Tagesordnungspunkt" required=true maxlength=200 error=add_error/>
                    <Field name="presenter" id="punkt-vortrag" label="Vortragende Person (optional)" maxlength=200 error=add_error/>
                    <Field name="minutes" id="punkt-dauer" label="Dauer in Minuten (optional)" inputmode="numeric" size=4 error=add_error/>
                    <button type="submit" class="button button-secondary">"Punkt ergänzen"</button>
                </ActionForm>
                <ErrorSummary error=invite_error/>
                <ActionForm action=invite attr:class="inline-form">
                    <input type="hidden" name="meeting" value=id/>
                    <button type="submit" class="button">{if m.invited.is_some() { "Erneut einladen (aktualisierte Tagesordnung)" } else { "Mitglieder einladen" }}</button>
                </ActionForm>
            })}
        </section>
        {m.runs.then(|| view! {
            <section aria-labelledby="anwesenheit">
                <h2 id="anwesenheit">"Zusagen und Anwesenheit"</h2>
                <ErrorSummary error=attendance_error/>
                <ActionForm action=attendance>
                    <input type="hidden" name="meeting" value=id/>
                    <DataTable id="antworten" caption="Antworten der Mitglieder" columns=cols(["Name", "Organisation", "Antwort", "anwesend"])>
                        {m.responses.iter().cloned().map(|r| {
                            let field = format!("da-{}", r.user_id);
                            view! {
                                <tr>
                                    <td>{r.name.clone()}</td>
                                    <td>{r.organisation}</td>
                                    <td>{r.answer.map(|a| a.label()).unwrap_or("keine Antwort")}</td>
                                    <td>
                                        <input type="checkbox" id=field.clone() name=format!("da[{}]", r.user_id) value=r.user_id.clone() checked=r.attended == Some(true)/>
                                        <label for=field class="visually-hidden">{format!("{} anwesend", r.name)}</label>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                    <button type="submit" class="button button-secondary">"Anwesenheit speichern"</button>
                </ActionForm>
            </section>
        })}
        <crate::gremien::pages::minutes::Minutes meeting=id minutes runs=m.runs/>
        {(!tasks.is_empty()).then(|| view! {
            <section aria-labelledby="massnahmen-sitzung">
                <h2 id="massnahmen-sitzung">"Maßnahmen aus dieser Sitzung"</h2>
                <crate::gremien::pages::task::TaskTable tasks caption="Maßnahmen aus dieser Sitzung"/>
            </section>
        })}
    }
}
