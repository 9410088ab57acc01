//! Leistungsregister pages: a Kommune's service list with progress, and one service's record
//! with its edit form and history. Both work without JavaScript (GET filter form, form post).

use crate::register::api::{AnnotateRecord, PAGE_SIZE, RecordView, RegisterQuery, RegisterView, SaveRecord, record_page, register_page};
use crate::ui::forms::ErrorSummary;
use crate::register::model::{HistoryEntry, MaturityModel, Responsibility, SolutionKind, Stage, field_label};
use crate::ui::errors::ErrorPage;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The list's filter and sort parameters (kept across pages and the bulk form).
const FILTER_KEYS: [&str; 8] = ["themenfeld", "lebenslage", "stand", "reifegrad", "loesung", "fokus", "suche", "sortierung"];

fn query_value(q: &leptos_router::params::ParamsMap, k: &str) -> Option<String> {
    q.get(k).filter(|v| !v.is_empty())
}

#[component]
pub fn RegisterListPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let key = params.with(|p| p.get("key").unwrap_or_default());
            let q = query.with(|q| RegisterQuery {
                themenfeld: query_value(q, "themenfeld"),
                stand: query_value(q, "stand"),
                fokus: query_value(q, "fokus"),
                suche: query_value(q, "suche"),
                seite: query_value(q, "seite"),
                lebenslage: query_value(q, "lebenslage"),
                reifegrad: query_value(q, "reifegrad"),
                loesung: query_value(q, "loesung"),
                sortierung: query_value(q, "sortierung"),
            });
            (key, q)
        },
        |(key, q)| register_page(key, q.themenfeld, q.stand, q.fokus, q.suche, q.seite, q.lebenslage, q.reifegrad, q.loesung, q.sortierung),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <RegisterList p/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RegisterList(p: RegisterView) -> impl IntoView {
    let query = use_query_map();
    let current = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let title = format!("Leistungsregister {}", p.name);
    let share = if p.catalogue == 0 { 0.0 } else { 100.0 * p.compliant as f64 / p.catalogue as f64 };
    let key = p.key.clone();
    let page_link = {
        let key = key.clone();
        move |n: usize| {
            let mut parts = vec![];
            for k in FILTER_KEYS {
                let v = current(k);
                if !v.is_empty() {
                    parts.push(format!("{k}={}", urlencode(&v)));
                }
            }
            parts.push(format!("seite={n}"));
            format!("/kommunen/{key}/leistungen?{}", parts.join("&"))
        }
    };
    let first = (p.page - 1) * PAGE_SIZE + 1;
    let last = (first + p.rows.len()).saturating_sub(1);
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <section aria-labelledby="progress-title">
            <h2 id="progress-title">"Stand der Umsetzung"</h2>
            <dl class="figures">
                {p.by_stage.iter().map(|(label, n)| view! { <div><dt>{label.clone()}</dt><dd>{*n}</dd></div> }).collect_view()}
                <div>
                    <dt>"OZG-konform (Reifegrad ≥ 3, Modell 1.1)"</dt>
                    <dd>{format!("{:.1} %", share).replace('.', ",")}</dd>
                </div>
            </dl>
            <p class="hint">{format!("{} von {} Leistungen des Katalogs sind mit Reifegrad 3 oder 4 im Modell 1.1 bewertet.", p.compliant, p.catalogue)}</p>
            <div class="table-wrap" role="region" aria-labelledby="maturity-caption" tabindex="0">
                <table class="compact">
                    <caption id="maturity-caption">"Leistungen je Reifegrad"</caption>
                    <thead><tr><th scope="col">"Reifegrad"</th><th scope="col">"Leistungen"</th></tr></thead>
                    <tbody>
                        {p.by_maturity.iter().map(|(label, n)| view! { <tr><th scope="row">{label.clone()}</th><td>{*n}</td></tr> }).collect_view()}
                    </tbody>
                </table>
            </div>
            <h3>"Entwicklung in den letzten zwölf Monaten"</h3>
            <crate::ui::chart::ProgressChart progress=p.progress.clone() id="entwicklung"/>
        </section>
        <section aria-labelledby="list-title">
            <h2 id="list-title">"Leistungen"</h2>
            <form method="get" class="filter-form" action=format!("/kommunen/{key}/leistungen")>
                <div class="field">
                    <label for="filter-suche">"Suche (Name, OZG-ID oder LeiKa-Schlüssel)"</label>
                    <input id="filter-suche" name="suche" type="search" value=current("suche")/>
                </div>
                <div class="field">
                    <label for="filter-themenfeld">"Themenfeld"</label>
                    <select id="filter-themenfeld" name="themenfeld">
                        <option value="">"alle"</option>
                        {p.themenfelder.iter().map(|t| {
                            let selected = current("themenfeld") == *t;
                            view! { <option value=t.clone() selected=selected>{t.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-stand">"Umsetzungsstand"</label>
                    <select id="filter-stand" name="stand">
                        <option value="">"alle"</option>
                        {Stage::ALL.iter().map(|s| {
                            let selected = current("stand") == s.code();
                            view! { <option value=s.code() selected=selected>{s.label()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-lebenslage">"Lebens- bzw. Unternehmenslage"</label>
                    <select id="filter-lebenslage" name="lebenslage">
                        <option value="">"alle"</option>
                        {p.lebenslagen.iter().map(|t| {
                            let selected = current("lebenslage") == *t;
                            view! { <option value=t.clone() selected=selected>{t.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-reifegrad">"Reifegrad"</label>
                    <select id="filter-reifegrad" name="reifegrad">
                        <option value="">"alle"</option>
                        {[MaturityModel::V1_1, MaturityModel::V2_0].into_iter().flat_map(|m| (0..=m.max_level()).map(move |l| (m, l))).map(|(m, l)| {
                            let v = format!("{}:{l}", m.code());
                            let selected = current("reifegrad") == v;
                            view! { <option value=v selected=selected>{format!("Modell {}: {l}", m.code())}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-loesung">"Lösung"</label>
                    <select id="filter-loesung" name="loesung">
                        <option value="">"alle"</option>
                        {SolutionKind::ALL.iter().map(|k| {
                            let selected = current("loesung") == k.code();
                            view! { <option value=k.code() selected=selected>{k.label()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-sortierung">"Sortierung"</label>
                    <select id="filter-sortierung" name="sortierung">
                        {[("ozg", "nach OZG-ID"), ("name", "nach Name"), ("stand", "nach Stand (weiteste zuerst)"), ("reifegrad", "nach Reifegrad (höchster zuerst)")].into_iter().map(|(v, l)| {
                            let selected = current("sortierung") == v;
                            view! { <option value=v selected=selected>{l}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-fokus">"Fokusleistungen"</label>
                    <select id="filter-fokus" name="fokus">
                        <option value="">"alle Leistungen"</option>
                        <option value="ja" selected=current("fokus") == "ja">"nur Fokusleistungen"</option>
                        <option value="nein" selected=current("fokus") == "nein">"ohne Fokusleistungen"</option>
                    </select>
                </div>
                <button type="submit" class="button">"Filtern"</button>
            </form>
            {move || query.with(|q| q.get("sammel")).map(|n| view! { <p class="notice" role="status">{format!("Sammeländerung gespeichert: {n} Leistungen geändert.")}</p> })}
            {move || query.with(|q| q.get("sammelfehler")).map(|m| view! {
                <div class="error-summary" role="alert"><h2>"Die Sammeländerung wurde nicht gespeichert"</h2><p>{m}</p></div>
            })}
            <p>{format!("{} Leistungen gefunden; angezeigt {}–{}.", p.total, if p.total == 0 { 0 } else { first }, last)}</p>
            <p>
                <a href=format!("/api/v1/municipalities/{}/services.csv", p.key) download="">"Gesamtes Register als CSV herunterladen"</a>
                " (für Excel: Trennzeichen Semikolon, UTF-8)"
            </p>
            {move || query.with(|q| q.get("importiert").zip(q.get("unveraendert"))).map(|(n, u)| view! {
                <p class="notice" role="status">{format!("CSV-Datei eingelesen: {n} Leistungen geändert, {u} unverändert.")}</p>
            })}
            {p.can_write.then(|| view! {
                <form method="post" action=format!("/kommunen/{}/leistungen/import", p.key) enctype="multipart/form-data" class="form import-form">
                    <div class="field">
                        <label for="import-datei">"CSV-Datei im Format des Exports einlesen"</label>
                        <input id="import-datei" type="file" name="datei" accept=".csv,text/csv" required aria-describedby="import-hinweis"/>
                        <p id="import-hinweis" class="hint">"Jede Zeile wird geprüft; bei einem Fehler wird nichts gespeichert und jede fehlerhafte Zeile mit Spalte genannt. Die Spalte »Version« aus dem Export schützt vor dem Überschreiben neuerer Änderungen."</p>
                    </div>
                    <button type="submit" class="button">"CSV einlesen"</button>
                </form>
            })}
            <form method="post" action=format!("/kommunen/{}/leistungen/sammelaenderung", p.key) class="bulk-form">
            <div class="table-wrap" role="region" aria-labelledby="register-caption" tabindex="0">
                <table>
                    <caption id="register-caption">{format!("Leistungen, Seite {} von {}", p.page, p.pages)}</caption>
                    <thead>
                        <tr>
                            {p.can_write.then(|| view! { <th scope="col">"Auswahl"</th> })}
                            <th scope="col">"OZG-ID"</th>
                            <th scope="col">"Leistung"</th>
                            <th scope="col">"Themenfeld"</th>
                            <th scope="col">"Stand"</th>
                            <th scope="col">"Reifegrad"</th>
                            <th scope="col">"Lösung"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {p.rows.into_iter().map(|r| {
                            let can_write = p.can_write;
                            let href = format!("/kommunen/{}/leistungen/{}", p.key, r.ozg_id);
                            view! {
                                <tr>
                                    {can_write.then(|| {
                                        let id = format!("auswahl-{}", r.ozg_id);
                                        view! {
                                            <td>
                                                <input type="checkbox" id=id.clone() name="ozg" value=r.ozg_id.clone()/>
                                                <label for=id class="visually-hidden">{format!("Auswählen: {}", r.name)}</label>
                                            </td>
                                        }
                                    })}
                                    <td class="mono">{r.ozg_id.clone()}</td>
                                    <th scope="row">
                                        <a href=href>{r.name.clone()}</a>
                                        {r.focus.then(|| view! { " " <span class="badge badge-focus">"Fokus"</span> })}
                                    </th>
                                    <td>{r.themenfeld.clone()}</td>
                                    <td>
                                        <span class=format!("stage stage-{}", r.stage.code())>{r.stage.label()}</span>
                                        {r.not_responsible.then_some(" (nicht zuständig)")}
                                    </td>
                                    <td>{r.maturity.clone().unwrap_or_else(|| "–".into())}</td>
                                    <td>{r.solution.clone().unwrap_or_else(|| "–".into())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {p.can_write.then(|| {
                let filters: Vec<(&'static str, String)> = FILTER_KEYS.into_iter().map(|k| (k, current(k))).filter(|(_, v)| !v.is_empty()).collect();
                let total = p.total;
                view! {
                    <fieldset class="bulk-panel">
                        <legend>"Sammeländerung"</legend>
                        <p class="hint">"Wählen Sie Leistungen in der Tabelle aus (oder alle Treffer des Filters) und die Werte, die gesetzt werden sollen. Jede geänderte Leistung erhält einen eigenen Eintrag im Verlauf."</p>
                        {filters.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
                        <div class="inline-field">
                            <label for="sammel-stage">"Umsetzungsstand setzen"</label>
                            <select id="sammel-stage" name="stage">
                                <option value="">"nicht ändern"</option>
                                {Stage::ALL.iter().map(|s| view! { <option value=s.code()>{s.label()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="inline-field">
                            <label for="sammel-solution">"Lösung setzen"</label>
                            <select id="sammel-solution" name="solution_kind">
                                <option value="">"nicht ändern"</option>
                                {SolutionKind::ALL.iter().filter(|k| **k != SolutionKind::Efa).map(|k| view! { <option value=k.code()>{k.label()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="inline-field">
                            <label for="sammel-planned">"Geplanten Start setzen"</label>
                            <input id="sammel-planned" type="date" name="planned_go_live"/>
                        </div>
                        <div class="field checkbox">
                            <input id="sammel-alle" type="checkbox" name="alle" value="ja"/>
                            <label for="sammel-alle">{format!("Alle {total} Treffer des Filters ändern (nicht nur die ausgewählten)")}</label>
                        </div>
                        <button type="submit" class="button">"Sammeländerung anwenden"</button>
                    </fieldset>
                }
            })}
            </form>
            <nav aria-label="Seiten" class="pagination">
                <ul>
                    {(p.page > 1).then(|| view! { <li><a href=page_link(p.page - 1) rel="prev">"Vorherige Seite"</a></li> })}
                    <li aria-current="page">{format!("Seite {} von {}", p.page, p.pages)}</li>
                    {(p.page < p.pages).then(|| view! { <li><a href=page_link(p.page + 1) rel="next">"Nächste Seite"</a></li> })}
                </ul>
            </nav>
        </section>
    }
}

/// Percent-encodes a query value.
pub(crate) fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
pub fn RecordDetailPage() -> impl IntoView {
    let params = use_params_map();
    let save = ServerAction::<SaveRecord>::new();
    let annotate = ServerAction::<AnnotateRecord>::new();
    let data = Resource::new(
        move || {
            (
                params.with(|p| (p.get("key").unwrap_or_default(), p.get("ozg_id").unwrap_or_default())),
                save.version().get(),
                annotate.version().get(),
            )
        },
        |((key, ozg), _, _)| record_page(key, ozg),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <RecordDetail p save annotate/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn value_label(field: &str, v: &Option<String>) -> String {
    let Some(v) = v else { return "–".into() };
    match field {
        "stage" => Stage::from_code(v).map(|s| s.label().to_string()).unwrap_or_else(|| v.clone()),
        "solution_kind" => SolutionKind::from_code(v).map(|s| s.label().to_string()).unwrap_or_else(|| v.clone()),
        "offered" => if v == "true" { "ja".into() } else { "nein".into() },
        "responsibility" => if v == "other" { "nicht zuständig".into() } else { "zuständig".into() },
        "stage_dates" => {
            let dates: std::collections::BTreeMap<Stage, String> = serde_json::from_str(v).unwrap_or_default();
            if dates.is_empty() {
                "–".into()
            } else {
                dates.iter().map(|(s, d)| format!("{} {}", s.label(), format_date(d))).collect::<Vec<_>>().join(", ")
            }
        }
        "planned_go_live" => format_date(v),
        _ => v.clone(),
    }
}

/// `JJJJ-MM-TT…` (an ISO date or timestamp) as `TT.MM.JJJJ`.
pub(crate) fn format_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.get(..10).unwrap_or(iso).split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

#[component]
fn RecordDetail(p: RecordView, save: ServerAction<SaveRecord>, annotate: ServerAction<AnnotateRecord>) -> impl IntoView {
    let query = use_query_map();
    let saved = move || query.with(|q| q.get("gespeichert").is_some()) && save.value().with(|v| v.as_ref().is_none_or(|r| r.is_ok()));
    let error = Signal::derive(move || save.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned())));
    let r = p.record.clone();
    let d = r.data.clone();
    let title = format!("{} – {}", r.service_name, p.municipality_name);
    let stage_dates = d.stage_dates.clone();
    let date = move |s: Stage| stage_dates.get(&s).cloned().unwrap_or_default();
    // A rating from criteria is shown as "model only": the criteria set the level again on saving.
    let maturity_value = match (d.maturity_model, d.maturity_level) {
        (Some(m), _) if !d.maturity_criteria.is_empty() => format!("{}:", m.code()),
        (Some(m), Some(l)) => format!("{}:{l}", m.code()),
        _ => String::new(),
    };
    let criteria = p.criteria.clone();
    let rated = d.maturity_criteria.clone();
    let rated_model = d.maturity_model;
    let back = format!("/kommunen/{}/leistungen", r.municipality);
    let (note_key, note_ozg) = (r.municipality.clone(), r.ozg_id.clone());
    view! {
        <Title text=title.clone()/>
        <p><a href=back>"← Zurück zur Leistungsliste"</a></p>
        <h1>{r.service_name.clone()}</h1>
        <p class="lead">{format!("OZG-ID {} · {}", r.ozg_id, p.municipality_name)}</p>
        <Show when=saved>
            <p class="notice" role="status">"Die Änderung wurde gespeichert."</p>
        </Show>
        {r.updated_at.clone().map(|t| view! {
            <p class="hint">{format!("Zuletzt geändert am {} von {}{}.", format_date(&t), r.updated_by.clone().unwrap_or_else(|| "unbekannt".into()),
                r.acting_organisation.clone().map(|o| format!(" für {o}")).unwrap_or_default())}</p>
        })}
        {if p.can_write {
            view! {
                <section aria-labelledby="edit-title">
                    <h2 id="edit-title">"Eintrag bearbeiten"</h2>
                    <ErrorSummary error/>
                    <ActionForm action=save attr:class="form record-form">
                        <input type="hidden" name="key" value=r.municipality.clone()/>
                        <input type="hidden" name="ozg_id" value=r.ozg_id.clone()/>
                        <input type="hidden" name="version" value=d.version.to_string()/>
                        <div class="field">
                            <label for="feld-stage">"Umsetzungsstand"</label>
                            <select id="feld-stage" name="stage">
                                {Stage::ALL.iter().map(|s| view! { <option value=s.code() selected=*s == d.stage>{s.label()}</option> }).collect_view()}
                            </select>
                        </div>
                        <fieldset class="field">
                            <legend>"Datum, an dem der Stand erreicht wurde (JJJJ-MM-TT)"</legend>
                            {[(Stage::Planned, "date_planned"), (Stage::InProgress, "date_in_progress"), (Stage::Pilot, "date_pilot"), (Stage::Online, "date_online"), (Stage::Discontinued, "date_discontinued")]
                                .into_iter().map(|(s, name)| {
                                    let id = format!("feld-{name}");
                                    view! {
                                        <div class="inline-field">
                                            <label for=id.clone()>{s.label()}</label>
                                            <input id=id type="date" name=name value=date(s)/>
                                        </div>
                                    }
                                }).collect_view()}
                        </fieldset>
                        <div class="field">
                            <label for="feld-planned_go_live">"Geplanter Start (JJJJ-MM-TT)"</label>
                            <input id="feld-planned_go_live" type="date" name="planned_go_live" value=d.planned_go_live.clone().unwrap_or_default()/>
                        </div>
                        <div class="field">
                            <label for="feld-maturity">"Reifegrad"</label>
                            <select id="feld-maturity" name="maturity">
                                <option value="" selected=maturity_value.is_empty()>"nicht bewertet"</option>
                                {[MaturityModel::V1_1, MaturityModel::V2_0].into_iter().flat_map(|m| (0..=m.max_level()).map(move |l| (m, l))).map(|(m, l)| {
                                    let v = format!("{}:{l}", m.code());
                                    let selected = v == maturity_value;
                                    view! { <option value=v selected=selected>{format!("Modell {}: {l} – {}", m.code(), m.level_label(l))}</option> }
                                }).collect_view()}
                                {[MaturityModel::V1_1, MaturityModel::V2_0].into_iter().map(|m| {
                                    let v = format!("{}:", m.code());
                                    let selected = v == maturity_value;
                                    view! { <option value=v selected=selected>{format!("Modell {}: aus der Bewertung der Kriterien", m.code())}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <CriteriaFields criteria rated rated_model/>
                        <div class="field checkbox">
                            <input id="feld-offered" type="checkbox" name="offered" value="ja" checked=d.offered/>
                            <label for="feld-offered">"Die Kommune bietet die Leistung an"</label>
                        </div>
                        <div class="field">
                            <label for="feld-responsibility">"Zuständigkeit"</label>
                            <select id="feld-responsibility" name="responsibility">
                                <option value="own" selected=d.responsibility == Responsibility::Own>"zuständig"</option>
                                <option value="other" selected=d.responsibility == Responsibility::Other>"nicht zuständig (z. B. Landkreis oder Land)"</option>
                            </select>
                        </div>
                        <div class="field">
                            <label for="feld-responsibility_note">"Begründung, falls nicht zuständig"</label>
                            <input id="feld-responsibility_note" name="responsibility_note" value=d.responsibility_note.clone().unwrap_or_default()/>
                        </div>
                        <div class="field">
                            <label for="feld-solution_kind">"Lösung"</label>
                            <select id="feld-solution_kind" name="solution_kind">
                                <option value="" selected=d.solution_kind.is_none()>"keine Angabe"</option>
                                {SolutionKind::ALL.iter().map(|k| view! { <option value=k.code() selected=Some(*k) == d.solution_kind>{k.label()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="feld-solution_name">"Name der Lösung bzw. der EfA-Leistung"</label>
                            <input id="feld-solution_name" name="solution_name" value=d.solution_name.clone().unwrap_or_default()/>
                        </div>
                        <div class="field">
                            <label for="feld-solution_provider">"Bereitstellendes Land bzw. Anbieter"</label>
                            <input id="feld-solution_provider" name="solution_provider" value=d.solution_provider.clone().unwrap_or_default()/>
                        </div>
                        <div class="field">
                            <label for="feld-url">"Online-Adresse der Leistung"</label>
                            <input id="feld-url" type="url" name="url" value=d.url.clone().unwrap_or_default()/>
                        </div>
                        <div class="field">
                            <label for="feld-contact">"Ansprechstelle"</label>
                            <input id="feld-contact" name="contact" value=d.contact.clone().unwrap_or_default()/>
                        </div>
                        <div class="field">
                            <label for="feld-note">"Notiz"</label>
                            <textarea id="feld-note" name="note" rows="4">{d.note.clone().unwrap_or_default()}</textarea>
                        </div>
                        <button type="submit" class="button">"Speichern"</button>
                    </ActionForm>
                </section>
            }.into_any()
        } else {
            view! { <ReadOnlyRecord d=d.clone()/> }.into_any()
        }}
        <Annotations list=p.annotations can_annotate=p.can_annotate key=note_key ozg_id=note_ozg annotate/>
        <History entries=p.history/>
    }
}

/// One select per criterion and model, inside a disclosure that works without JavaScript.
#[component]
fn CriteriaFields(
    criteria: Vec<crate::register::model::MaturityCriterion>,
    rated: std::collections::BTreeMap<String, Option<i16>>,
    rated_model: Option<MaturityModel>,
) -> impl IntoView {
    let open = !rated.is_empty();
    view! {
        <details class="field criteria" open=open>
            <summary>"Bewertung nach Kriterien (optional): das niedrigste bewertete Kriterium bestimmt den Reifegrad"</summary>
            {[MaturityModel::V1_1, MaturityModel::V2_0].into_iter().map(|m| {
                let list: Vec<_> = criteria.iter().filter(|c| c.model == m).cloned().collect();
                let rated = rated.clone();
                view! {
                    <fieldset>
                        <legend>{format!("Kriterien des Reifegradmodells {}", m.code())}</legend>
                        {list.into_iter().map(|c| {
                            let id = format!("kriterium-{}-{}", m.code().replace('.', ""), c.code);
                            let name = format!("criteria[m{}_{}]", m.code().replace('.', ""), c.code);
                            let current = if rated_model == Some(m) { rated.get(&c.code).copied() } else { None };
                            view! {
                                <div class="inline-field">
                                    <label for=id.clone()>{c.label.clone()}{(!c.active).then_some(" (nicht mehr verwendet)")}</label>
                                    <select id=id name=name>
                                        <option value="" selected=current.is_none()>"nicht bewertet"</option>
                                        <option value="ne" selected=current == Some(None)>"nicht erforderlich"</option>
                                        {(0..=m.max_level()).map(|l| view! { <option value=l.to_string() selected=current == Some(Some(l))>{format!("Stufe {l}")}</option> }).collect_view()}
                                    </select>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                }
            }).collect_view()}
        </details>
    }
}

#[component]
fn Annotations(
    list: Vec<crate::register::model::Annotation>,
    can_annotate: bool,
    key: String,
    ozg_id: String,
    annotate: ServerAction<AnnotateRecord>,
) -> impl IntoView {
    let error = Signal::derive(move || annotate.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned())));
    view! {
        <section aria-labelledby="notes-title">
            <h2 id="notes-title">"Anmerkungen der Landesberatung"</h2>
            {if list.is_empty() {
                view! { <p>"Keine Anmerkungen."</p> }.into_any()
            } else {
                view! {
                    <ul class="annotations">
                        {list.into_iter().map(|a| view! {
                            <li><p class="timeline-head"><strong>{format_date(&a.created_at)}</strong>{format!(" · {}", a.author)}</p><p>{a.body}</p></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {can_annotate.then(|| view! {
                <ErrorSummary error/>
                <ActionForm action=annotate attr:class="form">
                    <input type="hidden" name="key" value=key.clone()/>
                    <input type="hidden" name="ozg_id" value=ozg_id.clone()/>
                    <div class="field">
                        <label for="feld-annotation">"Anmerkung für die Kommune (für die Kommune sichtbar)"</label>
                        <textarea id="feld-annotation" name="body" rows="3"></textarea>
                    </div>
                    <button type="submit" class="button">"Anmerkung speichern"</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn ReadOnlyRecord(d: crate::register::model::ServiceRecordInput) -> impl IntoView {
    view! {
        <dl class="profile">
            <div><dt>"Umsetzungsstand"</dt><dd>{d.stage.label()}</dd></div>
            <div><dt>"Reifegrad"</dt><dd>{d.maturity_model.zip(d.maturity_level).map(|(m, l)| format!("{l} – {} (Modell {})", m.level_label(l), m.code())).unwrap_or_else(|| "nicht bewertet".into())}</dd></div>
            {(!d.maturity_criteria.is_empty()).then(|| view! {
                <div><dt>"Kriterienbewertung"</dt><dd>{crate::register::model::criteria_to_text(&d.maturity_criteria)}</dd></div>
            })}
            <div><dt>"Lösung"</dt><dd>{d.solution_kind.map(|k| k.label()).unwrap_or("keine Angabe")}</dd></div>
            <div><dt>"Online-Adresse"</dt><dd>{d.url.clone().unwrap_or_else(|| "–".into())}</dd></div>
        </dl>
    }
}

#[component]
fn History(entries: Vec<HistoryEntry>) -> impl IntoView {
    view! {
        <section aria-labelledby="history-title">
            <h2 id="history-title">"Verlauf"</h2>
            {if entries.is_empty() {
                view! { <p>"Für diese Leistung wurde noch nichts erfasst."</p> }.into_any()
            } else {
                view! {
                    <ol class="timeline">
                        {entries.into_iter().map(|e| view! {
                            <li>
                                <p class="timeline-head">
                                    <strong>{format_date(&e.changed_at)}</strong>
                                    {format!(" · Version {} · {}{}", e.version, e.user.clone().unwrap_or_else(|| "unbekannt".into()),
                                        e.acting_organisation.clone().map(|o| format!(" für {o}")).unwrap_or_default())}
                                </p>
                                <ul>
                                    {e.changes.into_iter().map(|c| view! {
                                        <li>{format!("{}: {} → {}", field_label(&c.field), value_label(&c.field, &c.old), value_label(&c.field, &c.new))}</li>
                                    }).collect_view()}
                                </ul>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

/// The index of registers the caller may read.
#[component]
pub fn KommunenPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| crate::register::api::list_kommunen());
    view! {
        <Title text="Leistungsregister der Kommunen"/>
        <Suspense fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(list) => view! {
                        <h1>"Leistungsregister der Kommunen"</h1>
                        <div class="table-wrap" role="region" aria-labelledby="kommunen-caption" tabindex="0">
                            <table>
                                <caption id="kommunen-caption">{format!("{} Kommunen", list.len())}</caption>
                                <thead><tr><th scope="col">"Kommune"</th><th scope="col">"Art"</th><th scope="col">"Kreis"</th><th scope="col">"Schlüssel"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|k| view! {
                                        <tr>
                                            <th scope="row"><a href=format!("/kommunen/{}/leistungen", k.key)>{k.name}</a></th>
                                            <td>{k.kind}</td>
                                            <td>{k.kreis}</td>
                                            <td class="mono">{k.key}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
