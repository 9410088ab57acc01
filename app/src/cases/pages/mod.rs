//! Beratungsfälle pages: the inbox with views, filters, search and bulk actions; the filing
//! form; a case with its conversation, timers, attachments and history; notifications. Every
//! form works without JavaScript (GET filters, form posts).

pub mod settings;

use crate::cases::api::{CaseView, ChangeCase, ConfirmCase, DeleteView, FileCase, INBOX_KEYS, InboxQuery, InboxView, ReadNotifications, RelateCase, ReplyCase, SaveNotificationPrefs, SaveView, filing_form, inbox_page, load_case, notifications_page};
use crate::ui::forms::ErrorSummary;
use crate::cases::model::{Case, CaseStatus, Message, Priority, VIEWS};
use crate::ui::errors::ErrorPage;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn encode(v: &str) -> String {
    crate::register::pages::urlencode(v)
}

fn status_badge(s: CaseStatus) -> impl IntoView {
    view! { <span class=format!("badge status-{}", s.code())>{s.label()}</span> }
}

fn action_error<S>(action: ServerAction<S>) -> Signal<Option<crate::error::AppError>>
where
    S: server_fn::ServerFn<Output = (), Error = crate::error::AppError> + Clone + Send + Sync + 'static,
{
    crate::ui::forms::submission_error(action)
}

#[component]
pub fn CasesPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || query.with(|q| InboxQuery::from_pairs(|k| q.get(k).filter(|v| !v.is_empty()))),
        |q| {
            inbox_page(
                q.ansicht, q.status, q.prioritaet, q.kategorie, q.team, q.zustaendig, q.kreis, q.kommune, q.ozg, q.schlagwort, q.von, q.bis, q.suche,
                q.sortierung, q.seite,
            )
        },
    );
    view! {
        <Suspense fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Inbox v/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Inbox(v: InboxView) -> impl IntoView {
    let query = use_query_map();
    let current = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let filter_string = move || {
        INBOX_KEYS
            .iter()
            .filter_map(|k| {
                let val = current(k);
                (!val.is_empty()).then(|| format!("{k}={}", encode(&val)))
            })
            .collect::<Vec<_>>()
            .join("&")
    };
    let view_now = move || {
        let a = current("ansicht");
        if a.is_empty() { "open".to_string() } else { a }
    };
    let title = if v.advisor { "Posteingang Beratungsfälle" } else { "Beratungsfälle meiner Kommune" };
    let p = v.page.clone();
    let first = (p.page - 1) * p.per_page + 1;
    let last = first + p.cases.len() as u32 - 1;
    let page_link = move |n: u32| {
        let f = filter_string();
        if f.is_empty() { format!("/faelle?seite={n}") } else { format!("/faelle?{f}&seite={n}") }
    };
    let save_view = ServerAction::<SaveView>::new();
    let delete_view = ServerAction::<DeleteView>::new();
    let save_error = action_error(save_view);
    let views: Vec<(&str, &str)> = if v.advisor { VIEWS.to_vec() } else { VIEWS.iter().copied().filter(|(k, _)| matches!(*k, "mine" | "waiting" | "open" | "all")).collect() };
    let due: std::collections::HashMap<i64, String> = v.due.iter().cloned().collect();
    let advisor = v.advisor;
    let can_bulk = v.can_bulk;
    let saved_list = v.saved_views.clone();
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        {v.can_file.then(|| view! { <p><a class="button" href="/faelle/neu">"Neuen Fall anlegen"</a></p> })}
        {move || query.with(|q| q.get("sammel")).map(|n| view! { <p class="notice" role="status">{format!("Sammelaktion ausgeführt: {n} Fälle geändert.")}</p> })}
        <nav aria-label="Ansichten" class="view-tabs">
            <ul>
                {views.into_iter().map(|(k, label)| {
                    let href = format!("/faelle?ansicht={k}");
                    let active = move || view_now() == k;
                    view! { <li><a href=href aria-current=move || active().then_some("page")>{label}</a></li> }
                }).collect_view()}
                {v.saved_views.iter().map(|(_, name, q)| {
                    let href = format!("/faelle?{q}");
                    view! { <li><a href=href class="saved-view">{name.clone()}</a></li> }
                }).collect_view()}
            </ul>
        </nav>
        <form method="get" action="/faelle" class="filter-form" role="search" aria-label="Fälle filtern">
            <input type="hidden" name="ansicht" value=view_now/>
            <div class="field">
                <label for="filter-suche">"Volltextsuche (Betreff, Beschreibung, Nachrichten" {advisor.then_some(", interne Notizen")} ")"</label>
                <input id="filter-suche" name="suche" type="search" value=move || current("suche")/>
            </div>
            <div class="field">
                <label for="filter-status">"Status"</label>
                <select id="filter-status" name="status">
                    <option value="">"alle"</option>
                    {CaseStatus::ALL.iter().map(|s| view! { <option value=s.code() selected=move || current("status") == s.code()>{s.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-kategorie">"Kategorie"</label>
                <select id="filter-kategorie" name="kategorie">
                    <option value="">"alle"</option>
                    {v.categories.iter().map(|c| {
                        let code = c.code.clone();
                        let sel = code.clone();
                        view! { <option value=code selected=move || current("kategorie") == sel>{c.label.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            {advisor.then(|| {
                let teams = v.teams.clone();
                let advisors = v.advisors.clone();
                let kreise = v.kreise.clone();
                view! {
                    <div class="field">
                        <label for="filter-prioritaet">"Priorität"</label>
                        <select id="filter-prioritaet" name="prioritaet">
                            <option value="">"alle"</option>
                            {Priority::ALL.iter().rev().map(|p| view! { <option value=p.code() selected=move || current("prioritaet") == p.code()>{p.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-team">"Team"</label>
                        <select id="filter-team" name="team">
                            <option value="">"alle"</option>
                            <option value="none" selected=move || current("team") == "none">"ohne Team"</option>
                            {teams.into_iter().map(|t| {
                                let id = t.id.clone();
                                view! { <option value=t.id selected=move || current("team") == id>{t.name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-zustaendig">"Zuständig"</label>
                        <select id="filter-zustaendig" name="zustaendig">
                            <option value="">"alle"</option>
                            <option value="none" selected=move || current("zustaendig") == "none">"niemand"</option>
                            {advisors.into_iter().map(|(id, name)| {
                                let sel = id.clone();
                                view! { <option value=id selected=move || current("zustaendig") == sel>{name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-kreis">"Landkreis / kreisfreie Stadt"</label>
                        <select id="filter-kreis" name="kreis">
                            <option value="">"alle"</option>
                            {kreise.into_iter().map(|(key, name)| {
                                let sel = key.clone();
                                view! { <option value=key selected=move || current("kreis") == sel>{name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-kommune">"Kommune (AGS)"</label>
                        <input id="filter-kommune" name="kommune" inputmode="numeric" value=move || current("kommune")/>
                    </div>
                    <div class="field">
                        <label for="filter-schlagwort">"Schlagwort"</label>
                        <input id="filter-schlagwort" name="schlagwort" value=move || current("schlagwort")/>
                    </div>
                }
            })}
            <div class="field">
                <label for="filter-ozg">"OZG-ID"</label>
                <input id="filter-ozg" name="ozg" inputmode="numeric" value=move || current("ozg")/>
            </div>
            <div class="field">
                <label for="filter-von">"angelegt ab"</label>
                <input id="filter-von" name="von" type="date" value=move || current("von")/>
            </div>
            <div class="field">
                <label for="filter-bis">"angelegt bis"</label>
                <input id="filter-bis" name="bis" type="date" value=move || current("bis")/>
            </div>
            <div class="field">
                <label for="filter-sortierung">"Sortierung"</label>
                <select id="filter-sortierung" name="sortierung">
                    {[("", "zuletzt geändert (bei Suche: neueste zuerst)"), ("updated", "zuletzt geändert"), ("created", "neueste zuerst"), ("due", "Lösung fällig (früheste zuerst)"), ("priority", "Priorität (höchste zuerst)")].into_iter().filter(|(k, _)| advisor || !matches!(*k, "due" | "priority")).map(|(k, l)| {
                        view! { <option value=k selected=move || current("sortierung") == k>{l}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">"Filtern"</button>
        </form>
        {can_bulk.then(move || view! {
            <details class="save-view">
                <summary>"Diese Filter als eigene Ansicht speichern"</summary>
                <ErrorSummary error=save_error/>
                <ActionForm action=save_view attr:class="form inline-form">
                    <input type="hidden" name="query" value=filter_string/>
                    <div class="field">
                        <label for="view-name">"Name der Ansicht"</label>
                        <input id="view-name" name="name" maxlength="80" required/>
                    </div>
                    <button type="submit" class="button button-outline">"Ansicht speichern"</button>
                </ActionForm>
                {(!saved_list.is_empty()).then(move || view! {
                    <ul class="plain-list">
                        {saved_list.into_iter().map(|(id, name, _)| view! {
                            <li>
                                <ActionForm action=delete_view attr:class="inline-form">
                                    <input type="hidden" name="id" value=id/>
                                    {name.clone()} " "
                                    <button type="submit" class="button button-link">{format!("Ansicht »{name}« löschen")}</button>
                                </ActionForm>
                            </li>
                        }).collect_view()}
                    </ul>
                })}
            </details>
        })}
        <p role="status">{if p.total == 0 {
            "Keine Fälle gefunden.".to_string()
        } else if p.total_capped {
            format!("Mehr als {} Fälle gefunden; angezeigt {first}–{last}, neueste zuerst. Bitte grenzen Sie die Suche ein.", crate::cases::pages::thousands(p.total))
        } else {
            format!("{} Fälle gefunden; angezeigt {first}–{last}.", p.total)
        }}</p>
        {(p.total > 0).then(|| {
            let table = view! { <CaseTable cases=p.cases.clone() advisor selectable=can_bulk due=due.clone()/> };
            if can_bulk {
                view! {
                    <form method="post" action="/faelle/sammelaktion" class="bulk-form">
                        <input type="hidden" name="filter" value=filter_string/>
                        {table}
                        <BulkControls v=v.clone() total=p.total/>
                    </form>
                }.into_any()
            } else {
                table.into_any()
            }
        })}
        {(p.pages > 1).then(|| view! {
            <nav aria-label="Seiten" class="pagination">
                <ul>
                    {(p.page > 1).then(|| view! { <li><a href=page_link(p.page - 1) rel="prev">"← vorherige Seite"</a></li> })}
                    <li aria-current="page">{format!("Seite {} von {}", p.page, p.pages)}</li>
                    {(p.page < p.pages).then(|| view! { <li><a href=page_link(p.page + 1) rel="next">"nächste Seite →"</a></li> })}
                </ul>
            </nav>
        })}
    }
}

#[component]
fn CaseTable(cases: Vec<Case>, advisor: bool, selectable: bool, due: std::collections::HashMap<i64, String>) -> impl IntoView {
    view! {
        <div class="table-wrap" role="region" aria-labelledby="cases-caption" tabindex="0">
            <table class="cases">
                <caption id="cases-caption">"Fälle"</caption>
                <thead>
                    <tr>
                        {selectable.then(|| view! { <th scope="col"><span class="visually-hidden">"Auswahl"</span></th> })}
                        <th scope="col">"Nr."</th>
                        <th scope="col">"Betreff"</th>
                        <th scope="col">"Kommune"</th>
                        <th scope="col">"Status"</th>
                        {advisor.then(|| view! {
                            <th scope="col">"Priorität"</th>
                            <th scope="col">"Zuständig"</th>
                            <th scope="col">"Servicezeiten"</th>
                        })}
                        <th scope="col">"Geändert"</th>
                    </tr>
                </thead>
                <tbody>
                    {cases.into_iter().map(|c| {
                        let id = c.id;
                        let check_id = format!("fall-{id}");
                        let breached = c.sla.iter().any(|t| t.breached);
                        view! {
                            <tr class:unread=c.unread class:breached=breached>
                                {selectable.then(|| view! {
                                    <td><input type="checkbox" name="fall" value=id.to_string() id=check_id.clone()/><label for=check_id.clone() class="visually-hidden">{format!("Fall {id} auswählen")}</label></td>
                                })}
                                <td>{id}</td>
                                <td>
                                    <a href=format!("/faelle/{id}")>{c.subject.clone()}</a>
                                    {c.unread.then(|| view! { " " <span class="badge badge-unread">"ungelesen"</span> })}
                                </td>
                                <td>{c.municipality_name.clone()}</td>
                                <td>{status_badge(c.status)}</td>
                                {advisor.then(|| view! {
                                    <td>{c.priority.map(|p| p.label()).unwrap_or("–")}</td>
                                    <td>{c.owner_name.clone().unwrap_or_else(|| "–".into())}{c.team_name.clone().map(|t| format!(" ({t})"))}</td>
                                    <td class="sla-cell">{breached.then(|| view! { <strong>"Überschritten: "</strong> })}{due.get(&id).cloned().unwrap_or_default()}</td>
                                })}
                                <td>{c.updated_at.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn BulkControls(v: InboxView, total: u64) -> impl IntoView {
    view! {
        <fieldset class="bulk-controls">
            <legend>"Sammelaktion für die ausgewählten Fälle"</legend>
            <div class="field checkbox-field">
                <input type="checkbox" id="bulk-alle" name="alle" value="ja"/>
                <label for="bulk-alle">{format!("stattdessen auf alle {total} Ergebnisse dieses Filters anwenden")}</label>
            </div>
            <div class="field">
                <label for="bulk-status">"Status setzen"</label>
                <select id="bulk-status" name="status">
                    <option value="">"– unverändert –"</option>
                    {CaseStatus::ALL.iter().map(|s| view! { <option value=s.code()>{s.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="bulk-owner">"Zuständig"</label>
                <select id="bulk-owner" name="owner_id">
                    <option value="-">"– unverändert –"</option>
                    <option value="">"niemand"</option>
                    {v.advisors.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="bulk-team">"Team"</label>
                <select id="bulk-team" name="team">
                    <option value="-">"– unverändert –"</option>
                    <option value="">"kein Team"</option>
                    {v.teams.iter().filter(|t| t.active).map(|t| view! { <option value=t.id.clone()>{t.name.clone()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="bulk-priority">"Priorität"</label>
                <select id="bulk-priority" name="priority">
                    <option value="">"– unverändert –"</option>
                    {Priority::ALL.iter().rev().map(|p| view! { <option value=p.code()>{p.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="bulk-tag">"Schlagwort hinzufügen"</label>
                <input id="bulk-tag" name="add_tag" maxlength="40"/>
            </div>
            <div class="field">
                <label for="bulk-reply">"Öffentliche Antwort an jede Kommune (optional)"</label>
                <textarea id="bulk-reply" name="reply" rows="3" aria-describedby="bulk-reply-hint"></textarea>
                <p class="hint" id="bulk-reply-hint">"Dieselbe Antwort geht an jeden ausgewählten Fall und ist für die jeweilige Kommune sichtbar."</p>
            </div>
            <button type="submit" class="button">"Sammelaktion ausführen"</button>
        </fieldset>
    }
}

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

#[component]
pub fn CaseDetailPage() -> impl IntoView {
    let params = use_params_map();
    let reply = ServerAction::<ReplyCase>::new();
    let change = ServerAction::<ChangeCase>::new();
    let confirm = ServerAction::<ConfirmCase>::new();
    let relate = ServerAction::<RelateCase>::new();
    let data = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                reply.version().get(),
                change.version().get(),
                confirm.version().get(),
                relate.version().get(),
            )
        },
        |(id, ..)| load_case(id),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <CaseDetailView v reply change confirm relate/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CaseDetailView(
    v: CaseView,
    reply: ServerAction<ReplyCase>,
    change: ServerAction<ChangeCase>,
    confirm: ServerAction<ConfirmCase>,
    relate: ServerAction<RelateCase>,
) -> impl IntoView {
    let query = use_query_map();
    let d = v.detail.clone();
    let c = d.case.clone();
    let id = c.id;
    let title = format!("Fall {id}: {}", c.subject);
    let reply_error = action_error(reply);
    let change_error = action_error(change);
    let confirm_error = action_error(confirm);
    let relate_error = action_error(relate);
    let notice = move || {
        query.with(|q| {
            [
                ("angelegt", "Der Fall wurde angelegt. Sie können jetzt Anhänge hinzufügen."),
                ("gesendet", "Ihre Antwort wurde gesendet."),
                ("notiert", "Die interne Notiz wurde gespeichert."),
                ("geaendert", "Die Änderungen wurden gespeichert."),
                ("bestaetigt", "Sie haben die Lösung bestätigt; der Fall ist geschlossen."),
                ("verknuepft", "Die Verknüpfung wurde gespeichert."),
                ("anhang", "Der Anhang wurde gespeichert."),
            ]
            .into_iter()
            .find(|(k, _)| q.get(k).is_some())
            .map(|(_, t)| t)
        })
    };
    let upload_error = move || query.with(|q| q.get("anhangfehler"));
    let advisor_view = d.advisor_view;
    let can_act = !d.transitions.is_empty() || (advisor_view && c.status != CaseStatus::Closed && !v.advisors.is_empty());
    view! {
        <Title text=title.clone()/>
        <p><a href="/faelle">"← Zur Fallübersicht"</a></p>
        <h1>{title}</h1>
        {move || notice().map(|t| view! { <p class="notice" role="status">{t}</p> })}
        {move || upload_error().map(|m| view! { <div class="error-summary" role="alert"><h2>"Der Anhang wurde nicht gespeichert"</h2><p>{m}</p></div> })}
        <dl class="profile case-facts">
            <div><dt>"Status"</dt><dd>{status_badge(c.status)}</dd></div>
            <div><dt>"Kommune"</dt><dd>{format!("{} ({})", c.municipality_name, c.municipality)}</dd></div>
            <div><dt>"Kategorie"</dt><dd>{c.category_label.clone()}</dd></div>
            <div><dt>"Angelegt"</dt><dd>{format!("{} von {}", c.created_at, c.created_by)}</dd></div>
            {c.desired_date.clone().map(|dd| view! { <div><dt>"Wunschtermin"</dt><dd>{dd}</dd></div> })}
            {(!c.ozg_ids.is_empty()).then(|| view! {
                <div><dt>"OZG-Leistungen"</dt><dd>{c.ozg_ids.join(", ")}</dd></div>
            })}
            {advisor_view.then(|| view! {
                <div><dt>"Priorität"</dt><dd>{c.priority.map(|p| p.label()).unwrap_or("–")}</dd></div>
                <div><dt>"Team"</dt><dd>{c.team_name.clone().unwrap_or_else(|| "–".into())}</dd></div>
                <div><dt>"Zuständig"</dt><dd>{c.owner_name.clone().unwrap_or_else(|| "niemand".into())}</dd></div>
                <div><dt>"Schlagwörter"</dt><dd>{if c.tags.is_empty() { "–".to_string() } else { c.tags.join(", ") }}</dd></div>
            })}
        </dl>
        {d.links.iter().filter(|l| l.kind == "duplicate_of").map(|l| view! {
            <p class="notice">{format!("Dieser Fall wird in Fall {} weitergeführt: ", l.case_id)}<a href=format!("/faelle/{}", l.case_id)>{l.subject.clone()}</a></p>
        }).collect_view()}
        {advisor_view.then(|| view! {
            <section aria-labelledby="sla-title">
                <h2 id="sla-title">"Servicezeiten"</h2>
                <p class="hint">"Gezählt in Arbeitszeit ohne die gesetzlichen Feiertage Sachsen-Anhalts; angehalten, solange der Fall auf die Kommune wartet oder gelöst ist."</p>
                <ul class="sla-timers">
                    {c.sla.iter().zip(v.sla_text.iter()).map(|(t, text)| view! {
                        <li class=format!("sla sla-{}", t.state)>
                            <strong>{t.label.clone()}": "</strong>{text.clone()}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-labelledby="beschreibung-title">
            <h2 id="beschreibung-title">"Anliegen"</h2>
            <p class="case-description">{c.description.clone()}</p>
        </section>
        <section aria-labelledby="unterhaltung" id="unterhaltung-bereich">
            <h2 id="unterhaltung" tabindex="-1">"Unterhaltung"</h2>
            {if d.messages.is_empty() {
                view! { <p>"Noch keine Nachrichten."</p> }.into_any()
            } else {
                view! { <ol class="conversation">{d.messages.iter().cloned().map(|m| view! { <MessageItem m/> }).collect_view()}</ol> }.into_any()
            }}
            {d.may_reply.then(|| view! {
                <ErrorSummary error=reply_error/>
                <ActionForm action=reply attr:class="form reply-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <div class="field">
                        <label for="antwort">{if advisor_view { "Antwort an die Kommune (für die Kommune sichtbar)" } else if c.status == CaseStatus::Solved { "Antwort an die Landesberatung (öffnet den gelösten Fall wieder)" } else { "Antwort an die Landesberatung" }}</label>
                        <textarea id="antwort" name="body" rows="5" required></textarea>
                    </div>
                    <button type="submit" class="button">{if advisor_view { "Antwort senden" } else { "Antwort senden" }}</button>
                </ActionForm>
            })}
            {(advisor_view && d.may_reply).then(|| view! {
                <ActionForm action=reply attr:class="form note-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="internal" value="ja"/>
                    <div class="field">
                        <label for="notiz"><LockIcon/>"Interne Notiz – für die Kommune nicht sichtbar"</label>
                        <textarea id="notiz" name="body" rows="3" required></textarea>
                    </div>
                    <button type="submit" class="button button-note">"Interne Notiz speichern"</button>
                </ActionForm>
            })}
            {(!advisor_view && c.status == CaseStatus::Solved).then(|| view! {
                <ErrorSummary error=confirm_error/>
                <ActionForm action=confirm attr:class="form inline-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button button-outline">"Lösung bestätigen und Fall schließen"</button>
                </ActionForm>
            })}
        </section>
        <section aria-labelledby="anhaenge-title" id="anhaenge">
            <h2 id="anhaenge-title">"Anhänge"</h2>
            {if d.attachments.is_empty() {
                view! { <p>"Keine Anhänge."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {d.attachments.iter().map(|a| view! {
                            <li>
                                <a href=format!("/faelle/{id}/anhaenge/{}", a.id) download="">{a.filename.clone()}</a>
                                {format!(" ({}, {} von {})", crate::cases::model::human_size(a.size), a.created_at, a.uploaded_by)}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {v.can_upload.then(|| view! {
                <form method="post" action=format!("/faelle/{id}/anhaenge") enctype="multipart/form-data" class="form upload-form">
                    <div class="field">
                        <label for="datei">"Datei hinzufügen"</label>
                        <p class="hint" id="datei-hinweis">{format!("Höchstens {} je Datei, bis zu 5 Dateien; erlaubt sind {}.", v.max_upload, v.accepted)}</p>
                        <input id="datei" type="file" name="datei" multiple required aria-describedby="datei-hinweis"/>
                    </div>
                    {advisor_view.then(|| view! {
                        <div class="field checkbox-field">
                            <input type="checkbox" id="datei-intern" name="intern" value="ja"/>
                            <label for="datei-intern">"Nur intern (für die Kommune nicht sichtbar)"</label>
                        </div>
                    })}
                    <button type="submit" class="button button-outline">"Hochladen"</button>
                </form>
            })}
        </section>
        {can_act.then(|| {
            let c2 = c.clone();
            let transitions = d.transitions.clone();
            view! {
                <section aria-labelledby="bearbeiten-title">
                    <h2 id="bearbeiten-title">"Bearbeiten"</h2>
                    <ErrorSummary error=change_error/>
                    <ActionForm action=change attr:class="form case-edit">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <input type="hidden" name="version" value=c2.version.to_string()/>
                        <div class="field">
                            <label for="edit-status">"Status"</label>
                            <select id="edit-status" name="status">
                                <option value="">{format!("unverändert ({})", c2.status.label())}</option>
                                {transitions.iter().map(|s| view! { <option value=s.code()>{format!("→ {}", s.label())}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="edit-owner">"Zuständig"</label>
                            <select id="edit-owner" name="owner_id">
                                <option value="" selected=c2.owner_id.is_none()>"niemand"</option>
                                {v.advisors.iter().map(|(aid, name)| view! { <option value=aid.clone() selected=c2.owner_id.as_deref() == Some(aid.as_str())>{name.clone()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="edit-team">"Team"</label>
                            <select id="edit-team" name="team">
                                <option value="" selected=c2.team.is_none()>"kein Team"</option>
                                {v.teams.iter().filter(|t| t.active || c2.team.as_deref() == Some(t.id.as_str())).map(|t| view! { <option value=t.id.clone() selected=c2.team.as_deref() == Some(t.id.as_str())>{t.name.clone()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="edit-priority">"Priorität"</label>
                            <select id="edit-priority" name="priority">
                                {Priority::ALL.iter().rev().map(|p| view! { <option value=p.code() selected=c2.priority == Some(*p)>{p.label()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="edit-tags">"Schlagwörter (durch Komma getrennt)"</label>
                            <input id="edit-tags" name="tags" value=c2.tags.join(", ")/>
                        </div>
                        <button type="submit" class="button">"Änderungen speichern"</button>
                    </ActionForm>
                    <h3>"Verknüpfen"</h3>
                    <ErrorSummary error=relate_error/>
                    <ActionForm action=relate attr:class="form inline-form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <input type="hidden" name="version" value=c2.version.to_string()/>
                        <div class="field">
                            <label for="relate-other">"Nummer des anderen Falls"</label>
                            <input id="relate-other" name="other" inputmode="numeric" required/>
                        </div>
                        <div class="field">
                            <label for="relate-kind">"Art"</label>
                            <select id="relate-kind" name="kind">
                                <option value="related">"verwandter Fall"</option>
                                <option value="duplicate">"dieser Fall ist ein Duplikat davon (schließt diesen Fall)"</option>
                            </select>
                        </div>
                        <button type="submit" class="button button-outline">"Verknüpfen"</button>
                    </ActionForm>
                </section>
            }
        })}
        {(advisor_view && !d.links.is_empty()).then(|| view! {
            <section aria-labelledby="links-title">
                <h2 id="links-title">"Verknüpfte Fälle"</h2>
                <ul class="plain-list">
                    {d.links.iter().map(|l| view! {
                        <li>
                            {match l.kind.as_str() { "duplicate" => "Duplikat: ", "duplicate_of" => "weitergeführt in: ", _ => "verwandt: " }}
                            <a href=format!("/faelle/{}", l.case_id)>{format!("Fall {} – {}", l.case_id, l.subject)}</a>
                            {format!(" ({})", l.status.label())}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-labelledby="verlauf-title">
            <h2 id="verlauf-title">"Verlauf"</h2>
            <ol class="timeline">
                {d.events.iter().map(|e| view! {
                    <li><p class="timeline-head"><strong>{e.at.clone()}</strong>{format!(" · {}", e.actor)}</p><p>{e.text.clone()}</p></li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// 1000 → "1.000".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[component]
fn MessageItem(m: Message) -> impl IntoView {
    let side = match (m.internal, m.author_side.as_str()) {
        (true, _) => "message-internal",
        (false, "land") => "message-land",
        _ => "message-kommune",
    };
    let label = match (m.internal, m.author_side.as_str()) {
        (true, _) => "Interne Notiz – für die Kommune nicht sichtbar",
        (false, "land") => "Antwort der Landesberatung",
        _ => "Nachricht der Kommune",
    };
    view! {
        <li class=format!("message {side}")>
            <p class="message-head">
                {m.internal.then(|| view! { <LockIcon/> })}
                <strong>{label}</strong>
                {format!(" · {} · {}", m.author, m.created_at)}
            </p>
            <p class="message-body">{m.body}</p>
        </li>
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let read = ServerAction::<ReadNotifications>::new();
    let save = ServerAction::<SaveNotificationPrefs>::new();
    let data = Resource::new(move || (read.version().get(), save.version().get()), |_| notifications_page());
    let query = use_query_map();
    view! {
        <Title text="Benachrichtigungen"/>
        <h1>"Benachrichtigungen"</h1>
        {move || query.with(|q| q.get("gespeichert")).map(|_| view! { <p class="notice" role="status">"Ihre Einstellungen wurden gespeichert."</p> })}
        <Suspense fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(v) => view! {
                        {if v.items.is_empty() {
                            view! { <p>"Keine Benachrichtigungen."</p> }.into_any()
                        } else {
                            view! {
                                <ActionForm action=read attr:class="inline-form">
                                    <button type="submit" class="button button-outline">"Alle als gelesen markieren"</button>
                                </ActionForm>
                                <ul class="notifications">
                                    {v.items.into_iter().map(|n| view! {
                                        <li class:unread=!n.read>
                                            {(!n.read).then(|| view! { <span class="badge badge-unread">"neu"</span> " " })}
                                            <span class="hint">{n.created_at}</span>" "
                                            {match n.case_id {
                                                Some(cid) => view! { <a href=format!("/faelle/{cid}")>{n.text}</a> }.into_any(),
                                                None => view! { <span>{n.text}</span> }.into_any(),
                                            }}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <section aria-labelledby="mail-title">
                            <h2 id="mail-title">"Benachrichtigung per E-Mail"</h2>
                            {(!v.mail_enabled).then(|| view! { <p class="hint">"Der E-Mail-Versand ist in diesem Portal nicht eingerichtet; Sie erhalten Benachrichtigungen nur hier."</p> })}
                            <ActionForm action=save attr:class="form">
                                <fieldset>
                                    <legend>"Diese Benachrichtigungen möchte ich zusätzlich per E-Mail erhalten:"</legend>
                                    {v.prefs.into_iter().map(|(kind, label, on)| {
                                        let id = format!("pref-{kind}");
                                        view! {
                                            <div class="field checkbox-field">
                                                <input type="checkbox" id=id.clone() name=kind value="ja" checked=on/>
                                                <label for=id>{label}</label>
                                            </div>
                                        }
                                    }).collect_view()}
                                </fieldset>
                                <button type="submit" class="button">"Einstellungen speichern"</button>
                            </ActionForm>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A padlock drawn inline (no icon font or emoji needed); decorative, the text says it all.
#[component]
fn LockIcon() -> impl IntoView {
    view! {
        <svg class="lock-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d="M4 7V5a4 4 0 1 1 8 0v2h1a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h1zm2 0h4V5a2 2 0 1 0-4 0v2z"/>
        </svg>
    }
}
