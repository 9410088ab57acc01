//! `/abfragen/:id`: an advisor builds a survey (sections, questions of every kind, conditions),
//! releases it to its Kommunen, copies it for its repetition and compares it with its predecessor.

use crate::identity::Role;
use crate::surveys::api::{AddSurveyQuestion, AddSurveySection, CopySurvey, ReleaseSurvey, RemindSurvey, RemoveSurveyQuestion, SetSelfcheckSection, load_survey};
use crate::surveys::model::{Binding, QuestionKind, QuestionView, SurveyPhase, SurveyPurpose, SurveyView};
use crate::ui::auth::RequireRole;
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{ErrorSummary, Field, FieldBox, kept, kept_checked, submission_error};
use crate::ui::list::{DataTable, cols};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn SurveyBuilderPage() -> impl IntoView {
    let params = use_params_map();
    let survey = Resource::new(move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or_default()), load_survey);
    view! {
        <RequireRole roles=vec![Role::Advisor]>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match survey.await {
                        Err(e) => view! { <Title text="Abfrage"/><ErrorPage error=e/> }.into_any(),
                        Ok(s) => view! { <Builder s/> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

/// What a question asks beyond its text, in words.
fn details(q: &QuestionView) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(k) = q.cell_kind {
        out.push(format!("je Zeile: {}", k.label()));
    }
    if !q.rows.is_empty() {
        out.push(format!("Zeilen: {}", q.rows.iter().map(|(id, name)| format!("{name} ({id})")).collect::<Vec<_>>().join("; ")));
    }
    if !q.options.is_empty() {
        out.push(format!("Möglichkeiten: {}", q.options.iter().map(|o| if o.2 { format!("{} (mit Text)", o.1) } else { o.1.clone() }).collect::<Vec<_>>().join(" · ")));
    }
    match (q.min, q.max) {
        (Some(a), Some(b)) => out.push(format!("von {} bis {}", crate::ui::format::decimal(a), crate::ui::format::decimal(b))),
        (Some(a), None) => out.push(format!("mindestens {}", crate::ui::format::decimal(a))),
        (None, Some(b)) => out.push(format!("höchstens {}", crate::ui::format::decimal(b))),
        (None, None) => {}
    }
    if let Some(u) = &q.unit {
        out.push(format!("Einheit: {u}"));
    }
    if let Some((b, name, _)) = &q.binding {
        out.push(format!("{}: {name}", b.label()));
    }
    if let Some(c) = &q.condition {
        out.push(c.clone());
    }
    if q.added_after_release {
        out.push("nach der Freigabe hinzugefügt".into());
    }
    out
}

#[component]
fn Builder(s: SurveyView) -> impl IntoView {
    let query = use_query_map();
    let saved = query.with_untracked(|q| q.get("gespeichert"));
    let released = query.with_untracked(|q| q.get("freigegeben"));
    let copied = query.with_untracked(|q| q.get("kopiert"));
    let add_section = ServerAction::<AddSurveySection>::new();
    let add_question = ServerAction::<AddSurveyQuestion>::new();
    let remove = ServerAction::<RemoveSurveyQuestion>::new();
    let release = ServerAction::<ReleaseSurvey>::new();
    let copy = ServerAction::<CopySurvey>::new();
    let remind = ServerAction::<RemindSurvey>::new();
    let remind_error = submission_error(remind);
    let reminded = query.with_untracked(|q| q.get("erinnert"));
    let (section_error, question_error) = (submission_error(add_section), submission_error(add_question));
    let (remove_error, release_error, copy_error) = (submission_error(remove), submission_error(release), submission_error(copy));
    let set_settings = ServerAction::<SetSelfcheckSection>::new();
    let settings_error = submission_error(set_settings);
    let settings = s.selfcheck.clone();
    let draft = s.phase == SurveyPhase::Draft;
    let id = s.id;
    // Every answer a later question may be shown after: (value `frage:antwort`, in words).
    let conditions: Vec<(String, String)> = s
        .sections
        .iter()
        .flat_map(|sec| &sec.questions)
        .flat_map(|q| match q.kind {
            QuestionKind::YesNo => vec![(format!("{}:ja", q.id), format!("{}: Ja", q.text)), (format!("{}:nein", q.id), format!("{}: Nein", q.text))],
            k if k.has_options() => q.options.iter().map(|o| (format!("{}:{}", q.id, o.0), format!("{}: {}", q.text, o.1))).collect(),
            _ => Vec::new(),
        })
        .collect();
    let sections: Vec<(i64, String)> = s.sections.iter().map(|sec| (sec.id, sec.title.clone())).collect();
    let notice = match (saved.as_deref(), released, copied) {
        _ if reminded.is_some() => Some(format!("Erinnert: {} ohne eingereichte Antwort erhalten eine Benachrichtigung.", crate::ui::format::count_of(reminded.as_deref().and_then(|n| n.parse::<i64>().ok()).unwrap_or_default(), "Kommune", "Kommunen"))),
        (_, Some(n), _) => Some(format!("Freigegeben: die Abfrage fragt {}.", crate::ui::format::count_of(n.parse::<i64>().unwrap_or_default(), "Kommune", "Kommunen"))),
        (_, _, Some(from)) => Some(format!("Kopiert aus Abfrage {from}: ein neuer Entwurf, ein Jahr später.")),
        (Some("abschnitt"), _, _) => Some("Der Abschnitt ist angelegt.".into()),
        (Some("frage"), _, _) => Some("Die Frage ist gespeichert.".into()),
        (Some("entfernt"), _, _) => Some("Die Frage ist entfernt.".into()),
        (Some("gewichtung"), _, _) => Some("Gewicht und Empfehlungen des Abschnitts sind gespeichert.".into()),
        _ => None,
    };
    view! {
        <Title text=format!("Abfrage: {}", s.title)/>
        <p class="breadcrumb"><a href="/abfragen">"Abfragen"</a></p>
        <h1>{s.title.clone()}</h1>
        {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <ErrorSummary error=remove_error/>
        <dl class="profile">
            <div><dt>"Art"</dt><dd>{s.purpose.label()}</dd></div>
            <div><dt>"Stand"</dt><dd>{s.phase.label()}</dd></div>
            <div><dt>"Zeitraum"</dt><dd>{format!("{} bis {}", s.opens, s.closes)}</dd></div>
            <div><dt>"Gefragt"</dt><dd>{s.target_label.clone()}{(s.kommunen > 0).then(|| format!(" ({})", crate::ui::format::count_of(s.kommunen as i64, "Kommune", "Kommunen")))}</dd></div>
            {(s.kommunen > 0).then(|| view! { <div><dt>"Antworten"</dt><dd>{format!("{} eingereicht, {} in Arbeit, {} noch nicht begonnen ({} der gefragten Kommunen eingereicht)", s.submitted, s.drafts, s.kommunen.saturating_sub(s.submitted + s.drafts), crate::ui::format::percent(crate::ui::chart::pct(s.submitted as usize, s.kommunen as usize)))}</dd></div> })}
            {(s.phase != SurveyPhase::Draft).then(|| view! { <div><dt>"Ergebnisse"</dt><dd><a href=format!("/abfragen/{id}/auswertung")>"Auswertung und Veröffentlichung"</a></dd></div> })}
            <div><dt>"Erinnerung"</dt><dd>{if s.reminder_days == 0 { "keine".to_string() } else { format!("{} Tage vor der Frist an Kommunen ohne eingereichte Antwort", s.reminder_days) }}</dd></div>
            <div><dt>"Verbandsgemeinden"</dt><dd>{if s.purpose == SurveyPurpose::SelfCheck { "Jede Kommune schätzt sich selbst ein, die Verbandsgemeinde und jede Mitgliedsgemeinde.".to_string() } else { format!("Es antwortet {}.", s.answering.label()) }}</dd></div>
            {s.predecessor.clone().map(|(pid, title)| view! { <div><dt>"Wiederholung von"</dt><dd><a href=format!("/abfragen/{pid}")>{title}</a></dd></div> })}
        </dl>
        <crate::ui::rich::Rich text=s.description.clone()/>
        {matches!(s.phase, SurveyPhase::Open | SurveyPhase::Closed).then(|| view! {
            <section class="desk" aria-label="Antworten">
                <p><a href=format!("/abfragen/{id}/antworten.csv")>"Alle Antworten als CSV herunterladen"</a>" (eine Zeile je gefragter Kommune)"</p>
                <form method="get" action=format!("/abfragen/{id}/antwort") class="inline-form">
                    <label for="antwort-kommune">"Antwort einer Kommune ansehen (Schlüssel oder Name)"</label>
                    <input id="antwort-kommune" name="kommune" required="" size="30"/>
                    <button type="submit" class="button button-secondary">"Antwort ansehen"</button>
                </form>
                {(!s.latest.is_empty()).then(|| view! {
                    <DataTable id="zuletzt-caption" caption="Zuletzt geänderte Antworten" columns=cols(["Kommune", "Stand", "Geändert"]) class="stacked">
                        {s.latest.iter().map(|(key, name, state, at)| view! {
                            <tr>
                                <th scope="row" data-label="Kommune"><a href=format!("/abfragen/{id}/antwort?kommune={}", crate::ui::format::urlencode(key))>{name.clone()}</a></th>
                                <td data-label="Stand">{state.clone()}</td>
                                <td data-label="Geändert">{at.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </DataTable>
                })}
                {(s.purpose == SurveyPurpose::Survey).then(|| view! { <h2 id="fehlend">{format!("Noch ohne eingereichte Antwort: {}", crate::ui::format::count_of(s.missing.len(), "Kommune", "Kommunen"))}</h2> })}
                <ErrorSummary error=remind_error/>
                {(!s.missing.is_empty() && s.phase == SurveyPhase::Open).then(|| view! {
                    <details><summary>"Kommunen anzeigen"</summary><ul class="columns">{s.missing.iter().map(|name| view! { <li>{name.clone()}</li> }).collect_view()}</ul></details>
                    <ActionForm action=remind attr:class="inline-form">
                        <input type="hidden" name="survey" value=id/>
                        <button type="submit" class="button button-secondary">"Jetzt an die Abfrage erinnern"</button>
                    </ActionForm>
                })}
            </section>
        })}
        <h2 id="abschnitte">"Abschnitte und Fragen"</h2>
        {s.selfcheck.is_some().then(|| view! {
            <p class="hint">"Jede Ja/Nein-Frage, Auswahl und Zahl mit Bereich zählt: Ja voll, Nein nichts; bei einer Einfachauswahl die erste Möglichkeit nichts, die letzte voll (ordnen Sie sie vom schwächsten zum stärksten Stand); bei einer Mehrfachauswahl der Anteil der gewählten; eine Zahl nach ihrer Lage im Bereich. Ein Abschnitt ergibt den Mittelwert seiner beantworteten Fragen (0 bis 100), die Gesamtwertung das nach Ihren Gewichten gewichtete Mittel der Abschnitte."</p>
            <ErrorSummary error=settings_error/>
        })}
        {if s.sections.is_empty() { Some(view! { <p>"Noch kein Abschnitt: legen Sie unten den ersten an."</p> }) } else { None }}
        {s.sections.clone().into_iter().enumerate().map(|(n, sec)| view! {
            <section class="desk" aria-labelledby=format!("abschnitt-{}", sec.id)>
                <h3 id=format!("abschnitt-{}", sec.id)>{format!("{}. {}", n + 1, sec.title)}</h3>
                {(!sec.intro.is_empty()).then(|| view! { <p>{sec.intro.clone()}</p> })}
                {settings.as_ref().and_then(|st| st.sections.iter().find(|x| x.id == sec.id).cloned().map(|x| view! { <crate::surveys::pages::selfcheck::SectionSettingsEditor survey=id section=x articles=st.articles.clone() programmes=st.programmes.clone() action=set_settings/> }))}
                {if sec.questions.is_empty() {
                    view! { <p>"Noch keine Frage."</p> }.into_any()
                } else {
                    view! {
                        <ol class="questions">
                            {sec.questions.into_iter().map(|q| view! {
                                <li>
                                    <strong>{q.text.clone()}</strong>
                                    {format!(" – {}, {}", q.kind.label(), if q.required { "Pflicht" } else { "freiwillig" })}
                                    {(!q.hint.is_empty()).then(|| view! { <br/><span class="hint">{q.hint.clone()}</span> })}
                                    <ul>{details(&q).into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                                    {draft.then(|| view! {
                                        <ActionForm action=remove attr:class="inline-form">
                                            <input type="hidden" name="survey" value=id/>
                                            <input type="hidden" name="question" value=q.id/>
                                            <button type="submit" class="button button-secondary">"Frage entfernen"<span class="visually-hidden">{format!(": {}", q.text)}</span></button>
                                        </ActionForm>
                                    })}
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </section>
        }).collect_view()}
        {(!draft).then(|| view! { <p class="hint">"Die Abfrage ist freigegeben: ihre Fragen stehen fest. Hinzukommen können freiwillige Fragen, auch in neuen Abschnitten."</p> })}
        <h2 id="abschnitt-neu">"Abschnitt hinzufügen"</h2>
        <ErrorSummary error=section_error/>
        <ActionForm action=add_section attr:class="form" attr:novalidate="" attr:aria-labelledby="abschnitt-neu">
            <input type="hidden" name="survey" value=id/>
            <Field name="title" id="abschnitt-titel" label="Titel des Abschnitts" maxlength=200 required=true error=section_error/>
            <FieldBox name="intro" id="abschnitt-intro" label="Einleitung (freiwillig)" error=section_error><textarea id="abschnitt-intro" name="intro" rows="2" class="wide">{kept(section_error, "intro", "")}</textarea></FieldBox>
            <div class="actions"><button type="submit" class="button">"Abschnitt anlegen"</button></div>
        </ActionForm>
        {(!sections.is_empty()).then(|| view! { <QuestionForm id sections=sections.clone() conditions=conditions.clone() draft error=question_error action=add_question/> })}
        <h2 id="freigabe">"Freigabe und Wiederholung"</h2>
        <ErrorSummary error=release_error/>
        <ErrorSummary error=copy_error/>
        {draft.then(|| view! {
            <p>"Mit der Freigabe werden die Kommunen der Auswahl festgestellt; ab dem Beginn können sie antworten. Danach lassen sich Fragen nicht mehr entfernen oder ändern."</p>
            <ActionForm action=release attr:class="inline-form">
                <input type="hidden" name="survey" value=id/>
                <input type="hidden" name="version" value=s.version/>
                <button type="submit" class="button">"Abfrage freigeben"</button>
            </ActionForm>
        })}
        <ActionForm action=copy attr:class="inline-form">
            <input type="hidden" name="survey" value=id/>
            <button type="submit" class="button button-secondary">"Für das nächste Jahr kopieren"</button>
        </ActionForm>
        {(!s.comparison.is_empty()).then(|| view! {
            <DataTable id="vergleich-caption" caption="Fragen im Vergleich mit der vorigen Abfrage" columns=cols(["Frage", "Vergleich"]) class="stacked">
                {s.comparison.iter().map(|(text, state)| view! { <tr><th scope="row" data-label="Frage">{text.clone()}</th><td data-label="Vergleich">{state.clone()}</td></tr> }).collect_view()}
            </DataTable>
        })}
    }
}

#[component]
fn QuestionForm(id: i64, sections: Vec<(i64, String)>, conditions: Vec<(String, String)>, draft: bool, error: Signal<Option<crate::error::AppError>>, action: ServerAction<AddSurveyQuestion>) -> impl IntoView {
    let kept_select = move |name: &str, value: &str| kept(error, name, "") == value;
    view! {
        <h2 id="frage-neu">"Frage hinzufügen"</h2>
        {(!draft).then(|| view! { <p class="hint">"Neue Fragen einer freigegebenen Abfrage sind freiwillig."</p> })}
        <ErrorSummary error/>
        <ActionForm action attr:class="form" attr:novalidate="" attr:aria-labelledby="frage-neu">
            <input type="hidden" name="survey" value=id/>
            <FieldBox name="section" label="Abschnitt" error><select id="feld-section" name="section">
                {sections.into_iter().map(|(sid, title)| view! { <option value=sid selected=kept_select("section", &sid.to_string())>{title}</option> }).collect_view()}
            </select></FieldBox>
            <FieldBox name="kind" label="Art der Frage" error><select id="feld-kind" name="kind">
                {QuestionKind::ALL.iter().map(|k| view! { <option value=k.code() selected=kept_select("kind", k.code())>{k.label()}</option> }).collect_view()}
            </select></FieldBox>
            <Field name="text" label="Frage" maxlength=500 required=true error/>
            <Field name="hint" label="Hinweis zur Frage (freiwillig)" maxlength=1000 error/>
            <div class="checkbox-field"><input type="checkbox" id="feld-required" name="required" value="on" checked=kept_checked(error, "required", "on", false)/><label for="feld-required">"Pflichtfrage"</label></div>
            <details open=true>
                <summary>"Bei einer Auswahl"</summary>
                <FieldBox name="options" label="Möglichkeiten, eine je Zeile" error><textarea id="feld-options" name="options" rows="4" class="wide">{kept(error, "options", "")}</textarea></FieldBox>
                <div class="checkbox-field"><input type="checkbox" id="feld-other" name="other" value="on" checked=kept_checked(error, "other", "on", false)/><label for="feld-other">"»Sonstiges« mit Textfeld anbieten"</label></div>
            </details>
            <details>
                <summary>"Bei einer Zahl"</summary>
                <Field name="unit" label="Einheit" maxlength=30 error/>
                <Field name="min" label="Kleinster Wert" inputmode="decimal" error/>
                <Field name="max" label="Größter Wert" inputmode="decimal" error/>
            </details>
            <details>
                <summary>"Bei einer Matrix je OZG-Leistung"</summary>
                <FieldBox name="cell_kind" label="Gefragt je OZG-Leistung" error><select id="feld-cell_kind" name="cell_kind">
                    <option value="">"–"</option>
                    {QuestionKind::ALL.iter().filter(|k| k.fits_a_cell()).map(|k| view! { <option value=k.code() selected=kept_select("cell_kind", k.code())>{k.label()}</option> }).collect_view()}
                </select></FieldBox>
                <FieldBox name="rows" label="OZG-IDs der Zeilen, eine je Zeile oder durch Komma getrennt" error><textarea id="feld-rows" name="rows" rows="3" class="wide">{kept(error, "rows", "")}</textarea></FieldBox>
            </details>
            <details>
                <summary>"Bedingung und Register"</summary>
                <FieldBox name="condition_question" label="Nur zeigen nach der Antwort" error><select id="feld-condition_question" name="condition">
                    <option value="">"immer zeigen"</option>
                    {conditions.into_iter().map(|(value, label)| view! { <option value=value.clone() selected=kept_select("condition", &value)>{label}</option> }).collect_view()}
                </select></FieldBox>
                <FieldBox name="binding" label="Mit dem Register verbinden" error><select id="feld-binding" name="binding">
                    <option value="">"nicht verbunden"</option>
                    {Binding::ALL.iter().map(|b| view! { <option value=b.code() selected=kept_select("binding", b.code())>{b.label()}</option> }).collect_view()}
                </select></FieldBox>
                <Field name="binding_ozg_id" label="OZG-ID der Leistung (bei »Stand der Leistung«)" maxlength=8 error/>
            </details>
            <div class="actions"><button type="submit" class="button">"Frage speichern"</button></div>
        </ActionForm>
    }
}
