//! The inbox: filters, saved views, the case table and the advisors' bulk actions.

use crate::ui::list::{Col, DataTable, FilterChoice, FilterForm, FilterText, MoreFilters, Pager, cols, options};
use crate::cases::api::{DeleteView, INBOX_KEYS, InboxQuery, InboxView, RenameView, SaveView, inbox_page};
use crate::ui::forms::{ErrorSummary, FieldBox};
use crate::cases::model::{Case, CaseStatus, PresetView, Priority};
use crate::ui::errors::ErrorPage;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use super::*;

#[component]
pub fn CasesPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || query.with(|q| InboxQuery::from_pairs(|k| q.get(k).filter(|v| !v.is_empty()))),
        |q| {
            inbox_page(
                q.ansicht, q.status, q.prioritaet, q.kategorie, q.team, q.zustaendig, q.kreis, q.kommune, q.ozg, q.schlagwort, q.von, q.bis, q.seit, q.suche,
                q.sortierung, q.seite,
            )
        },
    );
    view! {
        <Suspense fallback=crate::ui::list::Loading>
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
pub(super) fn Inbox(mut v: InboxView) -> impl IntoView {
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
    // The page's cases are moved, not copied, into the table; the rest of the view stays for the
    // filters and the bulk controls, which do not read the page.
    let cases = std::mem::take(&mut v.page.cases);
    let p = v.page.clone();
    let first = (p.page - 1) * p.per_page + 1;
    let last = first + cases.len() as u32 - 1;
    let page_link = move |n: u64| {
        let f = filter_string();
        if f.is_empty() { format!("/faelle?seite={n}") } else { format!("/faelle?{f}&seite={n}") }
    };
    let save_view = ServerAction::<SaveView>::new();
    let delete_view = ServerAction::<DeleteView>::new();
    let rename_view = ServerAction::<RenameView>::new();
    let save_error = action_error(save_view);
    let rename_error = action_error(rename_view);
    let views: Vec<PresetView> = PresetView::ALL.iter().copied().filter(|w| v.advisor || w.for_kommunen()).collect();
    let due: std::collections::HashMap<i64, String> = v.due.iter().cloned().collect();
    let advisor = v.advisor;
    let can_bulk = v.can_bulk;
    let saved_list = v.saved_views.clone();
    let categories: Vec<(String, String)> = v.categories.iter().map(|c| (c.code.clone(), c.label.clone())).collect();
    let (teams, advisors, kreise) = (v.teams.clone(), v.advisors.clone(), v.kreise.clone());
    let more_active = ["prioritaet", "team", "zustaendig", "kreis", "kommune", "schlagwort", "ozg", "von", "bis", "seit", "sortierung"].into_iter().filter(|k| !current(k).is_empty()).count();
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        {v.can_file.then(|| view! { <p><a class="button" href="/faelle/neu">"Neuen Fall anlegen"</a></p> })}
        {v.advisor.then(|| view! { <p><a href="/faelle/bewertungen">"Bewertungen der Beratung durch die Kommunen"</a></p> })}
        {v.notes.iter().map(|n| view! { <p class="notice" role="status">{n.clone()}</p> }).collect_view()}
        {move || query.with(|q| q.get("sammel")).map(|n| view! { <p class="notice" role="status">{format!("Sammelaktion ausgeführt: {} geändert.", crate::ui::format::count_of(n.parse::<i64>().unwrap_or_default(), "Fall", "Fälle"))}</p> })}
        <nav aria-label="Ansichten" class="view-tabs">
            <ul>
                {views.into_iter().map(|w| {
                    let (k, label) = (w.code(), w.label());
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
        <FilterForm action="/faelle" label="Fälle filtern">
            <input type="hidden" name="ansicht" value=view_now/>
            <FieldBox name="suche" id="filter-suche" label=format!("Volltextsuche (Betreff, Beschreibung, Nachrichten{})", if advisor { ", interne Notizen" } else { "" })>
                <input id="filter-suche" name="suche" type="search" value=move || current("suche")/>
            </FieldBox>
            <FilterChoice name="status" label="Status" options=options(&CaseStatus::ALL, CaseStatus::code, CaseStatus::label) current=current("status")/>
            <FilterChoice name="kategorie" label="Kategorie" options=categories current=current("kategorie")/>
            <MoreFilters active=more_active>
                {advisor.then(|| {
                    let (teams, advisors, kreise) = (teams.clone(), advisors.clone(), kreise.clone());
                    view! {
                        <FilterChoice name="prioritaet" label="Priorität" options=options(&Priority::ALL.iter().rev().copied().collect::<Vec<_>>(), Priority::code, Priority::label) current=current("prioritaet")/>
                        <FilterChoice name="team" label="Team" options=teams.into_iter().map(|t| (t.id, t.name)).collect() current=current("team") none="ohne Team"/>
                        <FilterChoice name="zustaendig" label="Zuständig" options=advisors current=current("zustaendig") none="niemand"/>
                        <FilterChoice name="kreis" label="Landkreis / kreisfreie Stadt" options=kreise current=current("kreis")/>
                        <FilterText name="kommune" label="Kommune (AGS)" value=current("kommune") inputmode="numeric"/>
                        <FilterText name="schlagwort" label="Schlagwort" value=current("schlagwort")/>
                    }
                })}
                <FilterText name="ozg" label="OZG-ID" value=current("ozg") inputmode="numeric"/>
                <FilterText name="von" label="angelegt ab" value=current("von") kind="date"/>
                <FilterText name="bis" label="angelegt bis" value=current("bis") kind="date"/>
                <div class="field checkbox-field">
                    <input id="filter-seit" name="seit" type="checkbox" value="last_sign_in" checked=move || current("seit") == "last_sign_in"/>
                    <label for="filter-seit">"nur neu seit meiner letzten Anmeldung"</label>
                </div>
                <FieldBox name="sortierung" id="filter-sortierung" label="Sortierung">
                    <select id="filter-sortierung" name="sortierung">
                        {[("", "zuletzt geändert (bei Suche: neueste zuerst)"), ("updated", "zuletzt geändert"), ("created", "neueste zuerst"), ("due", "Lösung fällig (früheste zuerst)"), ("priority", "Priorität (höchste zuerst)")].into_iter().filter(|(k, _)| advisor || !matches!(*k, "due" | "priority")).map(|(k, l)| {
                            view! { <option value=k selected=move || current("sortierung") == k>{l}</option> }
                        }).collect_view()}
                    </select>
                </FieldBox>
            </MoreFilters>
            <button type="submit" class="button">"Filtern"</button>
        </FilterForm>
        {can_bulk.then(move || view! {
            <details class="save-view">
                <summary>"Diese Filter als eigene Ansicht speichern"</summary>
                <ErrorSummary error=save_error/>
                <ActionForm action=save_view attr:class="form inline-form">
                    <input type="hidden" name="query" value=filter_string/>
                    <FieldBox name="name" id="view-name" label="Name der Ansicht"><input id="view-name" name="name" maxlength="80" required/></FieldBox>
                    <button type="submit" class="button button-outline">"Ansicht speichern"</button>
                </ActionForm>
                {(!saved_list.is_empty()).then(move || view! {
                    <h2>"Eigene Ansichten"</h2>
                    <ErrorSummary error=rename_error/>
                    <ul class="plain-list saved-views">
                        {saved_list.into_iter().map(|(id, name, _)| {
                            let field = format!("view-rename-{id}");
                            let renamed = id.clone();
                            let (label, rename, delete) = (format!("Neuer Name für »{name}«"), format!("Ansicht »{name}« umbenennen"), format!("Ansicht »{name}« löschen"));
                            view! {
                                <li>
                                    <ActionForm action=rename_view attr:class="inline-form">
                                        <input type="hidden" name="id" value=renamed/>
                                        <FieldBox name="name" id=field.clone() label=label><input id=field name="name" maxlength="80" required value=name/></FieldBox>
                                        <button type="submit" class="button button-outline">{rename}</button>
                                    </ActionForm>
                                    <ActionForm action=delete_view attr:class="inline-form">
                                        <input type="hidden" name="id" value=id/>
                                        <button type="submit" class="button button-link">{delete}</button>
                                    </ActionForm>
                                </li>
                            }
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
            format!("{} gefunden; angezeigt {first}–{last}.", crate::ui::format::count_of(p.total, "Fall", "Fälle"))
        }}</p>
        {(p.total > 0).then(|| {
            let table = view! { <CaseTable cases advisor selectable=can_bulk due/> };
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
        {(advisor && p.total > 0).then(|| view! {
            <p class="hint">"Die Frist nennt die dringendste laufende Servicezeit eines Falls (AT: Arbeitstage); alle Servicezeiten stehen im Fall."</p>
        })}
        <Pager page=u64::from(p.page) pages=u64::from(p.pages) href=page_link/>
    }
}

#[component]
pub(super) fn CaseTable(cases: Vec<Case>, advisor: bool, selectable: bool, due: std::collections::HashMap<i64, String>) -> impl IntoView {
    view! {
        <DataTable id="cases-caption" caption="Fälle" columns={
                let mut c = Vec::new();
                if selectable { c.push(Col::hidden("Auswahl")); }
                c.extend(cols(["Nr.", "Betreff", "Kommune", "Status"]));
                if advisor { c.extend(cols(["Zuständig", "Frist"])); }
                c.push("Geändert".into());
                c
            } class="cases">
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
                                <td class="case-subject">
                                    <a href=format!("/faelle/{id}")>{c.subject.clone()}</a>
                                    {c.unread.then(|| view! { " " <span class="badge badge-unread">"ungelesen"</span> })}
                                </td>
                                <td>{c.municipality_name.clone()}</td>
                                <td>
                                    {status_badge(c.status)}
                                    // The priority beside the status, when it is not the usual one.
                                    {advisor.then_some(c.priority).flatten().filter(|p| *p != Priority::Normal).map(|p| view! {
                                        <br/><span class="priority">{format!("Priorität {}", p.label())}</span>
                                    })}
                                </td>
                                {advisor.then(|| view! {
                                    <td>{c.owner_name.clone().unwrap_or_else(|| "–".into())}{c.team_name.clone().map(|t| format!(" ({t})"))}</td>
                                    <td class="sla-cell">{match due.get(&id) {
                                        Some(text) => view! { <span class="badge badge-sla" class:badge-late=breached>{text.clone()}</span> }.into_any(),
                                        None => view! { "–" }.into_any(),
                                    }}</td>
                                })}
                                <td>{c.updated_at.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
    }
}

#[component]
pub(super) fn BulkControls(v: InboxView, total: u64) -> impl IntoView {
    view! {
        <fieldset class="bulk-controls">
            <legend>"Sammelaktion für die ausgewählten Fälle"</legend>
            <div class="field checkbox-field">
                <input type="checkbox" id="bulk-alle" name="alle" value="ja"/>
                <label for="bulk-alle">{format!("stattdessen auf alle {total} Ergebnisse dieses Filters anwenden")}</label>
            </div>
            <FieldBox name="status" id="bulk-status" label="Status setzen">
                <select id="bulk-status" name="status">
                    <option value="">"– unverändert –"</option>
                    {CaseStatus::ALL.iter().map(|s| view! { <option value=s.code()>{s.label()}</option> }).collect_view()}
                </select>
            </FieldBox>
            <FieldBox name="owner_id" id="bulk-owner" label="Zuständig">
                <select id="bulk-owner" name="owner_id">
                    <option value="-">"– unverändert –"</option>
                    <option value="">"niemand"</option>
                    {v.advisors.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view()}
                </select>
            </FieldBox>
            <FieldBox name="team" id="bulk-team" label="Team">
                <select id="bulk-team" name="team">
                    <option value="-">"– unverändert –"</option>
                    <option value="">"kein Team"</option>
                    {v.teams.iter().filter(|t| t.active).map(|t| view! { <option value=t.id.clone()>{t.name.clone()}</option> }).collect_view()}
                </select>
            </FieldBox>
            <FieldBox name="priority" id="bulk-priority" label="Priorität">
                <select id="bulk-priority" name="priority">
                    <option value="">"– unverändert –"</option>
                    {Priority::ALL.iter().rev().map(|p| view! { <option value=p.code()>{p.label()}</option> }).collect_view()}
                </select>
            </FieldBox>
            <FieldBox name="add_tag" id="bulk-tag" label="Schlagwort hinzufügen"><input id="bulk-tag" name="add_tag" maxlength="40"/></FieldBox>
            <FieldBox name="reply" id="bulk-reply" label="Öffentliche Antwort an jede Kommune (optional)" hint="Dieselbe Antwort geht an jeden ausgewählten Fall und ist für die jeweilige Kommune sichtbar."><textarea id="bulk-reply" name="reply" rows="3" aria-describedby="bulk-reply-hinweis"></textarea></FieldBox>
            <button type="submit" class="button">"Sammelaktion ausführen"</button>
        </fieldset>
    }
}
