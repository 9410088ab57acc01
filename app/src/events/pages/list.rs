//! `/termine`: upcoming events (the OZG-Sprechstunde and others) and past ones with their
//! materials; `/termine/:id`: one event with registration.

use crate::ui::list::{DataTable, cols};
use crate::events::api::{list_events, load_event, CancelEvent, RegisterEvent, SaveEventMaterials, UnregisterEvent};
use crate::events::model::{EventSummary, EventView};
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{ErrorSummary, FieldBox, kept, submission_error};
use crate::ui::rich::Rich;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn item(e: EventSummary) -> impl IntoView {
    let mut meta = vec![e.location.clone()];
    if let Some(f) = e.free {
        meta.push(if f == 0 { "ausgebucht (Warteliste)".into() } else { format!("{} frei", crate::ui::format::count_of(f, "Platz", "Plätze")) });
    }
    if e.audience == crate::vocabulary::knowledge::Audience::Kommunen {
        meta.push("für Kommunen".into());
    }
    if let Some(m) = &e.mine {
        meta.push(format!("Sie sind {}", m.label()));
    }
    let cancelled = e.status == crate::events::model::EventStatus::Cancelled;
    view! {
        <li class="article-item">
            <a href=format!("/termine/{}", e.id)>{e.title}</a>
            {cancelled.then(|| view! { " " <strong>"(abgesagt)"</strong> })}
            <p>{e.when}</p>
            <p class="hint">{meta.join(" · ")}</p>
        </li>
    }
}

#[component]
pub fn EventsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| list_events());
    view! {
        <Title text="Termine und OZG-Sprechstunde"/>
        <h1>"Termine und OZG-Sprechstunde"</h1>
        <p>"In der OZG-Sprechstunde beantwortet die Landesberatung Fragen der Kommunen; dazu kommen Workshops und Informationsveranstaltungen. Melden Sie sich mit Ihrem Konto an; Sie erhalten eine Bestätigung mit Kalendereintrag und am Vortag eine Erinnerung."</p>
        <p><a href="/termine.ics">"Öffentliche Termine als Kalender abonnieren (iCalendar)"</a></p>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(l) => view! {
                        {l.advisor.then(|| view! { <p class="actions"><a class="button" href="/termine/neu">"Neuer Termin"</a></p> })}
                        <h2>"Anstehende Termine"</h2>
                        {if l.upcoming.is_empty() {
                            view! { <p>"Zurzeit sind keine Termine geplant."</p> }.into_any()
                        } else {
                            view! { <ul class="article-list">{l.upcoming.into_iter().map(item).collect_view()}</ul> }.into_any()
                        }}
                        <h2>"Vergangene Termine"</h2>
                        {if l.past.is_empty() {
                            view! { <p>"Keine im letzten Jahr."</p> }.into_any()
                        } else {
                            view! { <ul class="article-list">{l.past.into_iter().map(item).collect_view()}</ul> }.into_any()
                        }}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn notice(q: &leptos_router::params::ParamsMap) -> Option<&'static str> {
    [
        ("gespeichert", "Gespeichert."),
        ("angemeldet", "Sie sind angemeldet. Die Bestätigung mit dem Kalendereintrag kommt per E-Mail."),
        ("warteliste", "Der Termin ist ausgebucht: Sie stehen auf der Warteliste und erhalten eine E-Mail, wenn ein Platz frei wird."),
        ("abgemeldet", "Sie sind vom Termin abgemeldet."),
        ("abgesagt", "Der Termin ist abgesagt; die Angemeldeten werden per E-Mail benachrichtigt."),
        ("unterlagen", "Die Unterlagen sind gespeichert."),
    ]
    .into_iter()
    .find(|(k, _)| q.get(k).is_some())
    .map(|(_, t)| t)
}

#[component]
pub fn EventPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let event = Resource::new(id, load_event);
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match event.await {
                    Err(e) => view! { <Title text="Termin"/><ErrorPage error=e/> }.into_any(),
                    Ok(v) => view! { <Event v note=query.with_untracked(notice)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Event(v: EventView, note: Option<&'static str>) -> impl IntoView {
    let register = ServerAction::<RegisterEvent>::new();
    let unregister = ServerAction::<UnregisterEvent>::new();
    let cancel = ServerAction::<CancelEvent>::new();
    let materials = ServerAction::<SaveEventMaterials>::new();
    let (e1, e2, e3, e4) = (submission_error(register), submission_error(unregister), submission_error(cancel), submission_error(materials));
    let s = v.summary.clone();
    let id = s.id;
    let places = match v.capacity {
        Some(c) => format!("{} von {c} Plätzen vergeben, {} auf der Warteliste", v.registered, v.waiting),
        None => format!("{} angemeldet, Plätze unbegrenzt", v.registered),
    };
    view! {
        <Title text=s.title.clone()/>
        <p class="hint"><a href="/termine">"Termine"</a></p>
        <h1>{s.title.clone()}</h1>
        {note.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        {(s.status == crate::events::model::EventStatus::Cancelled).then(|| view! { <p class="notice">"Dieser Termin ist abgesagt."</p> })}
        <dl class="profile">
            <div><dt>"Wann"</dt><dd>{s.when.clone()}</dd></div>
            {v.place.clone().map(|p| view! { <div><dt>"Ort"</dt><dd>{p}</dd></div> })}
            {v.online_url.clone().map(|u| view! { <div><dt>"Online"</dt><dd><a href=u.clone()>{u.clone()}</a></dd></div> })}
            <div><dt>"Plätze"</dt><dd>{places}</dd></div>
            {(!s.themenfelder.is_empty()).then(|| view! { <div><dt>"Themenfelder"</dt><dd>{s.themenfelder.join(", ")}</dd></div> })}
        </dl>
        <Rich text=v.description.clone() class="article-text"/>
        <ErrorSummary error=e1/>
        <ErrorSummary error=e2/>
        {match (&s.mine, v.may_register) {
            (Some(m), _) => view! {
                <p>{match v.waiting_position {
                    Some(p) => format!("Sie stehen auf Platz {p} der Warteliste."),
                    None => format!("Sie sind {}.", m.label()),
                }}</p>
                {(!v.past).then(|| view! {
                    <ActionForm action=unregister>
                        <input type="hidden" name="id" value=id.to_string()/>
                        <button type="submit" class="button button-outline">"Vom Termin abmelden"</button>
                    </ActionForm>
                })}
            }.into_any(),
            (None, true) => view! {
                <ActionForm action=register>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button">{if v.capacity.is_some_and(|c| v.registered >= c as i64) { "Auf die Warteliste setzen" } else { "Anmelden" }}</button>
                </ActionForm>
            }.into_any(),
            (None, false) => view! { <span></span> }.into_any(),
        }}
        {v.materials.clone().map(|m| view! { <h2>"Unterlagen"</h2><Rich text=m class="article-text"/> })}
        {v.desk.clone().map(|d| {
            view! {
                <section class="desk" aria-labelledby="desk-titel">
                    <h2 id="desk-titel">"Für die Landesberatung"</h2>
                    <ErrorSummary error=e3/>
                    <div class="actions">
                        <a class="button" href=format!("/termine/{id}/bearbeiten")>"Bearbeiten"</a>" "
                        {(s.status == crate::events::model::EventStatus::Planned && !v.past).then(|| view! {
                            <ActionForm action=cancel attr:class="inline-form">
                                <input type="hidden" name="id" value=id.to_string()/>
                                <button type="submit" class="button button-outline">"Termin absagen"</button>
                            </ActionForm>
                        })}
                    </div>
                    <h3>"Angemeldete"</h3>
                    {if d.registrants.is_empty() {
                        view! { <p>"Noch niemand."</p> }.into_any()
                    } else {
                        view! {
                            <DataTable id="reg-caption" caption="Anmeldungen in der Reihenfolge des Eingangs" columns=cols(["Name", "Organisation", "Stand", "angemeldet am"])>{d.registrants.into_iter().map(|(n, o, st, at)| view! { <tr><td>{n}</td><td>{o}</td><td>{st}</td><td>{at}</td></tr> }).collect_view()}</DataTable>
                        }.into_any()
                    }}
                    <h3>"Unterlagen nach dem Termin"</h3>
                    <ErrorSummary error=e4/>
                    <ActionForm action=materials attr:class="form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <FieldBox name="materials" label="Unterlagen und Ergebnisse (Markdown)" error=e4>
                            <textarea id="feld-materials" name="materials" rows="8" class="wide">{kept(e4, "materials", d.materials_markdown)}</textarea>
                        </FieldBox>
                        <div class="field checkbox-field">
                            <input type="checkbox" id="feld-artikel" name="artikel" value="ja"/>
                            <label for="feld-artikel">"Zusätzlich als Entwurf eines Wissensartikels übernehmen"</label>
                        </div>
                        <button type="submit" class="button">"Unterlagen speichern"</button>
                    </ActionForm>
                </section>
            }
        })}
    }
}
