//! A Kommune's register: its OZG-Leistungen with filters, progress and bulk edit.

use crate::ui::forms::{FieldBox};
use crate::ui::list::{Col, DataTable, FilterChoice, FilterForm, FilterText, MoreFilters, Pager, cols, options, plain_options};
use crate::register::api::{PAGE_SIZE, RegisterQuery, RegisterView, register_page};
use crate::register::model::{MaturityModel, SolutionKind, Stage};
use crate::ui::errors::ErrorPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use super::*;

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
                pflege: query_value(q, "pflege"),
            });
            (key, q)
        },
        |(key, q)| register_page(key, q.themenfeld, q.stand, q.fokus, q.suche, q.seite, q.lebenslage, q.reifegrad, q.loesung, q.sortierung, q.pflege),
    );
    view! {
        <Suspense fallback=crate::ui::list::Loading>
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
pub(super) fn RegisterList(p: RegisterView) -> impl IntoView {
    let query = use_query_map();
    let current = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let title = format!("Leistungsregister {}", p.name);
    let share = if p.catalogue == 0 { 0.0 } else { 100.0 * p.compliant as f64 / p.catalogue as f64 };
    let key = p.key.clone();
    let page_link = {
        let key = key.clone();
        move |n: u64| {
            let mut parts = vec![];
            for k in FILTER_KEYS {
                let v = current(k);
                if !v.is_empty() {
                    parts.push(format!("{k}={}", crate::ui::format::urlencode(&v)));
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
        <p class="lead">
            {format!("{} von {} Leistungen des Katalogs OZG-konform (Reifegrad ≥ 3, Modell 1.1). ", p.compliant, p.catalogue)}
            <a href="#progress-title">"Stand der Umsetzung und Entwicklung"</a>
        </p>
        <section aria-labelledby="list-title">
            <h2 id="list-title">"Leistungen"</h2>
            <RegisterFilter key=key.clone() themenfelder=p.themenfelder.clone() lebenslagen=p.lebenslagen.clone()/>
            {move || query.with(|q| q.get("sammel")).map(|n| view! { <p class="notice" role="status">{format!("Sammeländerung gespeichert: {} geändert.", crate::ui::format::count_of(n.parse::<i64>().unwrap_or_default(), "Leistung", "Leistungen"))}</p> })}
            {move || query.with(|q| q.get("sammelfehler")).map(|m| view! {
                <div class="error-summary" role="alert"><h2>"Die Sammeländerung wurde nicht gespeichert"</h2><p>{m}</p></div>
            })}
            {move || query.with(|q| q.get("importiert").zip(q.get("unveraendert"))).map(|(n, u)| view! {
                <p class="notice" role="status">{format!("CSV-Datei eingelesen: {} geändert, {u} unverändert.", crate::ui::format::count_of(n.parse::<i64>().unwrap_or_default(), "Leistung", "Leistungen"))}</p>
            })}
            <p>{format!("{} gefunden; angezeigt {}–{}.", crate::ui::format::count_of(p.total as i64, "Leistung", "Leistungen"), if p.total == 0 { 0 } else { first }, last)}</p>
            <form method="post" action=format!("/kommunen/{}/leistungen/sammelaenderung", p.key) class="bulk-form">
            <DataTable id="register-caption" caption=format!("Leistungen, Seite {} von {}", p.page, p.pages) columns={p.can_write.then(|| Col::from("Auswahl")).into_iter().chain(cols(["OZG-ID", "Leistung", "Themenfeld", "Stand", "Reifegrad", "Lösung"])).collect()}>
                        {p.rows.into_iter().map(|r| {
                            let can_write = p.can_write;
                            let href = format!("/kommunen/{}/leistungen/{}", key, r.ozg_id);
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
                    </DataTable>
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
            <Pager page=p.page as u64 pages=p.pages as u64 href=page_link/>
            <details class="desk">
                <summary>"CSV-Export und -Import"</summary>
                <p>
                    <a href=format!("/api/v1/municipalities/{}/services.csv", p.key) download="">"Gesamtes Register als CSV herunterladen"</a>
                    " (für Excel: Trennzeichen Semikolon, UTF-8)"
                </p>
                {p.can_write.then(|| view! {
                    <form method="post" action=format!("/kommunen/{}/leistungen/import", p.key) enctype="multipart/form-data" class="form import-form">
                        <FieldBox name="datei" id="import-datei" label="CSV-Datei im Format des Exports einlesen">
                            <input id="import-datei" type="file" name="datei" accept=".csv,text/csv" required aria-describedby="import-hinweis"/>
                            <p id="import-hinweis" class="hint">"Jede Zeile wird geprüft; bei einem Fehler wird nichts gespeichert und jede fehlerhafte Zeile mit Spalte genannt. Die Spalte »Version« aus dem Export schützt vor dem Überschreiben neuerer Änderungen."</p>
                        </FieldBox>
                        <button type="submit" class="button">"CSV einlesen"</button>
                    </form>
                })}
            </details>
        </section>
        <section aria-labelledby="progress-title" class="after-list">
            <h2 id="progress-title">"Stand der Umsetzung"</h2>
            <dl class="figures">
                {p.by_stage.iter().map(|(label, n)| view! { <div><dt>{label.clone()}</dt><dd>{*n}</dd></div> }).collect_view()}
                <div>
                    <dt>"OZG-konform (Reifegrad ≥ 3, Modell 1.1)"</dt>
                    <dd>{crate::ui::format::percent(share)}</dd>
                </div>
            </dl>
            <p class="hint">{format!("{} von {} Leistungen des Katalogs sind mit Reifegrad 3 oder 4 im Modell 1.1 bewertet.", p.compliant, p.catalogue)}</p>
            <DataTable id="maturity-caption" caption="Leistungen je Reifegrad" columns=cols(["Reifegrad", "Leistungen"]) class="compact">
                        {p.by_maturity.iter().map(|(label, n)| view! { <tr><th scope="row">{label.clone()}</th><td>{*n}</td></tr> }).collect_view()}
                    </DataTable>
            <h3>"Entwicklung in den letzten zwölf Monaten"</h3>
            <crate::register::pages::progress::ProgressChart progress=p.progress.clone() id="entwicklung"/>
        </section>
    }
}

/// The filters of a register list (kept in the query, so a filtered list can be linked).
#[component]
fn RegisterFilter(key: String, themenfelder: Vec<String>, lebenslagen: Vec<String>) -> impl IntoView {
    let query = use_query_map();
    let current = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    view! {
            <FilterForm action=format!("/kommunen/{key}/leistungen") label="Leistungen filtern">
                <FilterText name="suche" label="Suche (Name, OZG-ID oder LeiKa-Schlüssel)" value=current("suche") kind="search"/>
                <FilterChoice name="themenfeld" label="Themenfeld" options=plain_options(&themenfelder) current=current("themenfeld")/>
                <FilterChoice name="stand" label="Umsetzungsstand" options=options(&Stage::ALL, Stage::code, Stage::label) current=current("stand")/>
                <MoreFilters active=["lebenslage", "reifegrad", "loesung", "pflege", "sortierung", "fokus"].into_iter().filter(|k| !matches!(current(k).as_str(), "" | "ozg")).count()>
                    <FilterChoice name="lebenslage" label="Lebens- bzw. Unternehmenslage" options=plain_options(&lebenslagen) current=current("lebenslage")/>
                    <FilterChoice name="reifegrad" label="Reifegrad" options=[MaturityModel::V1_1, MaturityModel::V2_0].into_iter().flat_map(|m| (0..=m.max_level()).map(move |l| (format!("{}:{l}", m.code()), format!("Modell {}: {l}", m.code())))).collect() current=current("reifegrad")/>
                    <FilterChoice name="loesung" label="Lösung" options=options(&SolutionKind::ALL, SolutionKind::code, SolutionKind::label) current=current("loesung")/>
                    <FilterChoice name="pflege" label="Pflegebedarf" options=vec![("veraltet".to_string(), "seit 90 Tagen unverändert".to_string()), ("ueberfaellig".to_string(), "geplanter Start überschritten".to_string())] current=current("pflege")/>
                    <FieldBox name="sortierung" id="filter-sortierung" label="Sortierung">
                        <select id="filter-sortierung" name="sortierung">
                            {[("ozg", "nach OZG-ID"), ("name", "nach Name"), ("stand", "nach Stand (weiteste zuerst)"), ("reifegrad", "nach Reifegrad (höchster zuerst)")].into_iter().map(|(v, l)| {
                                let selected = current("sortierung") == v;
                                view! { <option value=v selected=selected>{l}</option> }
                            }).collect_view()}
                        </select>
                    </FieldBox>
                    <FilterChoice name="fokus" label="Fokusleistungen" options=vec![("ja".to_string(), "nur Fokusleistungen".to_string()), ("nein".to_string(), "ohne Fokusleistungen".to_string())] current=current("fokus") all="alle Leistungen"/>
                </MoreFilters>
                <button type="submit" class="button">"Filtern"</button>
            </FilterForm>
    }
}
