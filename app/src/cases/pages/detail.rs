//! One case: its conversation, history, fields and the actions the caller may take.

use crate::cases::api::{CaseView, ChangeCase, ConfirmCase, RateCase, RelateCase, ReplyCase, load_case};
use crate::ui::forms::{ErrorSummary, Field, FieldBox, kept};
use crate::cases::model::{AttachmentInfo, Case, CaseStatus, Message, Priority, Team};
use crate::ui::errors::ErrorPage;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use super::*;

#[component]
pub fn CaseDetailPage() -> impl IntoView {
    let params = use_params_map();
    let reply = ServerAction::<ReplyCase>::new();
    let change = ServerAction::<ChangeCase>::new();
    let confirm = ServerAction::<ConfirmCase>::new();
    let relate = ServerAction::<RelateCase>::new();
    let rate = ServerAction::<RateCase>::new();
    let data = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                reply.version().get(),
                change.version().get(),
                confirm.version().get(),
                relate.version().get(),
                rate.version().get(),
            )
        },
        |(id, ..)| load_case(id),
    );
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <CaseDetailView v reply change confirm relate rate/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub(super) fn CaseDetailView(
    v: CaseView,
    reply: ServerAction<ReplyCase>,
    change: ServerAction<ChangeCase>,
    confirm: ServerAction<ConfirmCase>,
    relate: ServerAction<RelateCase>,
    rate: ServerAction<RateCase>,
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
                ("bewertet", "Danke, Ihre Bewertung wurde gespeichert."),
            ]
            .into_iter()
            .find(|(k, _)| q.get(k).is_some())
            .map(|(_, t)| t)
        })
    };
    let upload_error = move || query.with(|q| q.get("anhangfehler"));
    let advisor_view = d.advisor_view;
    // The Land's side of the conversation: an advisor, or the operator the case is shared with.
    let land_side = advisor_view || d.partner_view;
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
            {d.partner.clone().map(|p| view! { <div><dt>"Betreiber"</dt><dd>{p}" (antwortet in diesem Fall)"</dd></div> })}
            {(!c.ozg_services.is_empty()).then(|| view! {
                <div><dt>"OZG-Leistungen"</dt><dd><crate::ui::list::ServiceLinks services=c.ozg_services.clone() kommune=c.municipality.clone()/></dd></div>
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
        {(advisor_view && !v.advisors.is_empty() && matches!(c.status, CaseStatus::Solved | CaseStatus::Closed)).then(|| view! {
            <p><a class="button button-outline" href=format!("/wissen/neu?fall={}", c.id)>"Als Artikel für das Wissensportal übernehmen"</a></p>
        })}
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
            <h2 id="unterhaltung" tabindex="-1">"Nachrichten und Verlauf"</h2>
            {if d.messages.is_empty() {
                view! { <p>"Noch keine Nachrichten."</p> }.into_any()
            } else {
                view! { <ol class="conversation">{d.messages.iter().cloned().map(|m| view! { <MessageItem m/> }).collect_view()}</ol> }.into_any()
            }}
            {d.may_reply.then(|| view! {
                <ErrorSummary error=reply_error/>
                <ActionForm action=reply attr:class="form reply-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <FieldBox name="body" id="antwort" label=if land_side { "Antwort an die Kommune (für die Kommune sichtbar)" } else if d.partner.is_some() { "Antwort an den Betreiber und die Landesberatung" } else if c.status == CaseStatus::Solved { "Antwort an die Landesberatung (öffnet den gelösten Fall wieder)" } else { "Antwort an die Landesberatung" }>
                        <textarea id="antwort" name="body" rows="5" required></textarea>
                    </FieldBox>
                    <div class="actions">
                        <button type="submit" class="button">"Antwort senden"</button>
                        {(land_side && matches!(c.status, CaseStatus::New | CaseStatus::Triage | CaseStatus::InProgress)).then(|| view! {
                            <button type="submit" name="warten" value="ja" class="button button-secondary">"Antworten und auf die Kommune warten"</button>
                        })}
                    </div>
                    {land_side.then(|| view! {
                        <p class="hint">"Mit einer Antwort wird ein neuer Fall »In Bearbeitung«; »Antworten und auf die Kommune warten« setzt ihn auf »Wartet auf Kommune« und hält die Servicezeiten an."</p>
                    })}
                </ActionForm>
            })}
            {(land_side && d.may_reply).then(|| view! {
                <ActionForm action=reply attr:class="form note-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="internal" value="ja"/>
                    <FieldBox name="body" id="notiz" label="Interne Notiz – für die Kommune nicht sichtbar" icon=view! { <LockIcon/> }.into_any()>
                        <textarea id="notiz" name="body" rows="3" required></textarea>
                    </FieldBox>
                    <button type="submit" class="button button-note">"Interne Notiz speichern"</button>
                </ActionForm>
            })}
            {(!land_side && c.status == CaseStatus::Solved).then(|| view! {
                <ErrorSummary error=confirm_error/>
                <ActionForm action=confirm attr:class="form inline-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button button-outline">"Lösung bestätigen und Fall schließen"</button>
                </ActionForm>
            })}
        </section>
        <super::rating::RatingSection id rating=d.rating.clone() may_rate=d.may_rate advisor_view rate/>
        <Attachments id list=d.attachments.clone() can_upload=v.can_upload max_upload=v.max_upload.clone() accepted=v.accepted.clone() advisor_view=land_side/>
        {can_act.then(|| view! { <EditCase case=c.clone() transitions=d.transitions.clone() advisors=v.advisors.clone() teams=v.teams.clone() change change_error relate relate_error/> })}
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

/// The case's attachments, each a download, and the upload form for those who may add one.
#[component]
fn Attachments(id: i64, list: Vec<AttachmentInfo>, can_upload: bool, max_upload: String, accepted: String, advisor_view: bool) -> impl IntoView {
    // "Nur intern" as it was ticked when the upload was refused.
    let kept_internal = use_context::<crate::ui::forms::Submitted>().is_some_and(|s| s.value("intern") == Some("ja"));
    view! {
        <section aria-labelledby="anhaenge-title" id="anhaenge">
            <h2 id="anhaenge-title">"Anhänge"</h2>
            {if list.is_empty() {
                view! { <p>"Keine Anhänge."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {list.iter().map(|a| view! {
                            <li>
                                <a href=format!("/faelle/{id}/anhaenge/{}", a.id) download="">{a.filename.clone()}</a>
                                {format!(" ({}, {} von {})", crate::ui::format::human_size(a.size), a.created_at, a.uploaded_by)}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {can_upload.then(|| view! {
                <form method="post" action=format!("/faelle/{id}/anhaenge") enctype="multipart/form-data" class="form upload-form">
                    // The flag before the files: a refused upload still knows it, and the page
                    // shows it ticked again (the files a browser never keeps).
                    {advisor_view.then(|| view! {
                        <div class="field checkbox-field">
                            <input type="checkbox" id="datei-intern" name="intern" value="ja" checked=kept_internal/>
                            <label for="datei-intern">"Nur intern (für die Kommune nicht sichtbar)"</label>
                        </div>
                    })}
                    <FieldBox name="datei" id="datei" label="Datei hinzufügen" hint=format!("Höchstens {} je Datei, bis zu 5 Dateien; erlaubt sind {}.", max_upload, accepted)>
                        <input id="datei" type="file" name="datei" multiple required aria-describedby="datei-hinweis"/>
                    </FieldBox>
                    <button type="submit" class="button button-outline">"Hochladen"</button>
                </form>
            })}
        </section>
    }
}

/// Changing the case (status, who works it, team, priority, tags) and relating it to another.
#[component]
fn EditCase(
    case: Case,
    transitions: Vec<CaseStatus>,
    advisors: Vec<(String, String)>,
    teams: Vec<Team>,
    change: ServerAction<ChangeCase>,
    change_error: Signal<Option<crate::error::AppError>>,
    relate: ServerAction<RelateCase>,
    relate_error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let id = case.id;
    let c2 = case;
    view! {
                <section aria-labelledby="bearbeiten-title">
                    <h2 id="bearbeiten-title">"Bearbeiten"</h2>
                    <ErrorSummary error=change_error/>
                    <ActionForm action=change attr:class="form case-edit">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <input type="hidden" name="version" value=c2.version.to_string()/>
                        <FieldBox name="status" id="edit-status" label="Status" error=change_error>
                            <select id="edit-status" name="status">
                                <option value="">{format!("unverändert ({})", c2.status.label())}</option>
                                {let chosen = kept(change_error, "status", ""); transitions.iter().map(|s| view! { <option value=s.code() selected=s.code() == chosen>{format!("→ {}", s.label())}</option> }).collect_view()}
                            </select>
                        </FieldBox>
                        <FieldBox name="owner_id" id="edit-owner" label="Zuständig" error=change_error>
                            <select id="edit-owner" name="owner_id">
                                {let owner = kept(change_error, "owner_id", c2.owner_id.clone().unwrap_or_default()); view! {
                                    <option value="" selected=owner.is_empty()>"niemand"</option>
                                    {advisors.iter().map(|(aid, name)| view! { <option value=aid.clone() selected=owner == *aid>{name.clone()}</option> }).collect_view()}
                                }}
                            </select>
                        </FieldBox>
                        <FieldBox name="team" id="edit-team" label="Team" error=change_error>
                            <select id="edit-team" name="team">
                                {let team = kept(change_error, "team", c2.team.clone().unwrap_or_default()); view! {
                                    <option value="" selected=team.is_empty()>"kein Team"</option>
                                    {teams.iter().filter(|t| t.active || c2.team.as_deref() == Some(t.id.as_str())).map(|t| view! { <option value=t.id.clone() selected=team == t.id>{t.name.clone()}</option> }).collect_view()}
                                }}
                            </select>
                        </FieldBox>
                        <FieldBox name="priority" id="edit-priority" label="Priorität" error=change_error>
                            <select id="edit-priority" name="priority">
                                {let priority = kept(change_error, "priority", c2.priority.map(|p| p.code()).unwrap_or_default()); Priority::ALL.iter().rev().map(|p| view! { <option value=p.code() selected=p.code() == priority>{p.label()}</option> }).collect_view()}
                            </select>
                        </FieldBox>
                        <Field name="tags" id="edit-tags" label="Schlagwörter (durch Komma getrennt)" value=c2.tags.join(", ") error=change_error/>
                        <button type="submit" class="button">"Änderungen speichern"</button>
                    </ActionForm>
                    <h3>"Verknüpfen"</h3>
                    <ErrorSummary error=relate_error/>
                    <ActionForm action=relate attr:class="form inline-form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <input type="hidden" name="version" value=c2.version.to_string()/>
                        <Field name="other" id="relate-other" label="Nummer des anderen Falls" inputmode="numeric" required=true error=relate_error/>
                        <FieldBox name="kind" id="relate-kind" label="Art" error=relate_error>
                            <select id="relate-kind" name="kind">
                                <option value="related">"verwandter Fall"</option>
                                <option value="duplicate" selected=kept(relate_error, "kind", "") == "duplicate">"dieser Fall ist ein Duplikat davon (schließt diesen Fall)"</option>
                            </select>
                        </FieldBox>
                        <button type="submit" class="button button-outline">"Verknüpfen"</button>
                    </ActionForm>
                </section>
    }
}

#[component]
pub(super) fn MessageItem(m: Message) -> impl IntoView {
    let side = match (m.internal, m.author_side.as_str()) {
        (true, _) => "message-internal",
        (false, "land" | "partner") => "message-land",
        _ => "message-kommune",
    };
    let label = match (m.internal, m.author_side.as_str()) {
        (true, _) => "Interne Notiz – für die Kommune nicht sichtbar",
        (false, "land") => "Antwort der Landesberatung",
        (false, "partner") => "Antwort des Betreibers",
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
