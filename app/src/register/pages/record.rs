//! One record: the form, the criteria, the advisors' annotations and the history.

use crate::register::api::{AnnotateRecord, RecordView, SaveRecord, record_page};
use crate::ui::forms::{ErrorSummary, Field, FieldBox, FieldSet, kept, kept_checked};
use crate::register::model::{HistoryEntry, MaturityModel, Responsibility, SolutionKind, Stage, field_label};
use crate::ui::errors::ErrorPage;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

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
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <RecordDetail p save annotate/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

pub(super) fn value_label(field: &str, v: &Option<String>) -> String {
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
                dates.iter().map(|(s, d)| format!("{} {}", s.label(), crate::ui::format::format_date(d))).collect::<Vec<_>>().join(", ")
            }
        }
        "planned_go_live" => crate::ui::format::format_date(v),
        _ => v.clone(),
    }
}


#[component]
pub(super) fn RecordDetail(p: RecordView, save: ServerAction<SaveRecord>, annotate: ServerAction<AnnotateRecord>) -> impl IntoView {
    let query = use_query_map();
    let saved = move || query.with(|q| q.get("gespeichert").is_some()) && save.value().with(|v| v.as_ref().is_none_or(|r| r.is_ok()));
    let error = Signal::derive(move || save.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned())));
    let r = p.record.clone();
    let d = r.data.clone();
    let title = format!("{} – {}", r.service_name, p.municipality_name);
    let stage_dates = d.stage_dates.clone();
    let date = move |s: Stage, name: &str| kept(error, name, stage_dates.get(&s).cloned().unwrap_or_default());
    // A rating from criteria is shown as "model only": the criteria set the level again on saving.
    let maturity_value = kept(error, "maturity", match (d.maturity_model, d.maturity_level) {
        (Some(m), _) if !d.maturity_criteria.is_empty() => format!("{}:", m.code()),
        (Some(m), Some(l)) => format!("{}:{l}", m.code()),
        _ => String::new(),
    });
    // After a refused submission: what was submitted.
    let stage = kept(error, "stage", d.stage.code());
    let responsibility = kept(error, "responsibility", if d.responsibility == Responsibility::Other { "other" } else { "own" });
    let solution_kind = kept(error, "solution_kind", d.solution_kind.map(|k| k.code()).unwrap_or_default());
    let offered = kept_checked(error, "offered", "ja", d.offered);
    let note = kept(error, "note", d.note.clone().unwrap_or_default());
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
        {p.reuse.clone().map(|u| view! {
            <p id="nachnutzung">
                {format!("Nachnutzung: Das Land setzt diese Leistung mit dem EfA-Dienst {} um. ", crate::ui::format::quoted(&u.service_name))}
                {match u.connection {
                    Some((id, state)) => view! { <a href=format!("/nachnutzung/anbindung/{id}")>{format!("Zur Anbindung (Schritt: {})", state.label())}</a> }.into_any(),
                    None => view! { <a href=format!("/nachnutzung/dienst/{}", u.service_id)>"Zum Dienst – Interesse bekunden"</a> }.into_any(),
                }}
            </p>
        })}
        {r.updated_at.clone().map(|t| view! {
            <p class="hint">{format!("Zuletzt geändert am {} von {}{}.", crate::ui::format::format_date(&t), r.updated_by.clone().unwrap_or_else(|| "unbekannt".into()),
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
                        <FieldBox name="stage" label="Umsetzungsstand" error>
                            <select id="feld-stage" name="stage">
                                {Stage::ALL.iter().map(|s| view! { <option value=s.code() selected=s.code() == stage>{s.label()}</option> }).collect_view()}
                            </select>
                        </FieldBox>
                        <FieldSet legend="Datum, an dem der Stand erreicht wurde" names=&["stage_dates"] error>
                            {[(Stage::Planned, "date_planned"), (Stage::InProgress, "date_in_progress"), (Stage::Pilot, "date_pilot"), (Stage::Online, "date_online"), (Stage::Discontinued, "date_discontinued")]
                                .into_iter().map(|(s, name)| {
                                    let id = format!("feld-{name}");
                                    view! {
                                        <div class="inline-field">
                                            <label for=id.clone()>{s.label()}</label>
                                            <input id=id type="date" name=name value=date(s, name)/>
                                        </div>
                                    }
                                }).collect_view()}
                        </FieldSet>
                        <Field name="planned_go_live" label="Geplanter Start" kind="date" value=d.planned_go_live.clone().unwrap_or_default() error/>
                        <FieldBox name="maturity" label="Reifegrad" error>
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
                        </FieldBox>
                        <CriteriaFields criteria rated rated_model error/>
                        <div class="field checkbox">
                            <input id="feld-offered" type="checkbox" name="offered" value="ja" checked=offered/>
                            <label for="feld-offered">"Die Kommune bietet die Leistung an"</label>
                        </div>
                        <FieldBox name="responsibility" label="Zuständigkeit" error>
                            <select id="feld-responsibility" name="responsibility">
                                <option value="own" selected=responsibility == "own">"zuständig"</option>
                                <option value="other" selected=responsibility == "other">"nicht zuständig (z. B. Landkreis oder Land)"</option>
                            </select>
                        </FieldBox>
                        <Field name="responsibility_note" label="Begründung, falls nicht zuständig" value=d.responsibility_note.clone().unwrap_or_default() error/>
                        <FieldBox name="solution_kind" label="Lösung" error>
                            <select id="feld-solution_kind" name="solution_kind">
                                <option value="" selected=solution_kind.is_empty()>"keine Angabe"</option>
                                {SolutionKind::ALL.iter().map(|k| view! { <option value=k.code() selected=k.code() == solution_kind>{k.label()}</option> }).collect_view()}
                            </select>
                        </FieldBox>
                        <Field name="solution_name" label="Name der Lösung bzw. der EfA-Leistung" value=d.solution_name.clone().unwrap_or_default() error/>
                        <Field name="solution_provider" label="Bereitstellendes Land bzw. Anbieter" value=d.solution_provider.clone().unwrap_or_default() error/>
                        <Field name="url" label="Online-Adresse der Leistung" kind="url" value=d.url.clone().unwrap_or_default() error/>
                        <Field name="contact" label="Ansprechstelle" value=d.contact.clone().unwrap_or_default() error/>
                        <FieldBox name="note" label="Notiz" error>
                            <textarea id="feld-note" name="note" rows="4">{note}</textarea>
                        </FieldBox>
                        <button type="submit" class="button">"Speichern"</button>
                    </ActionForm>
                </section>
            }.into_any()
        } else {
            view! { <ReadOnlyRecord d=d.clone()/> }.into_any()
        }}
        <section aria-labelledby="articles-title">
            <h2 id="articles-title">"Aus dem Wissensportal"</h2>
            {if p.articles.is_empty() {
                view! { <p>"Noch keine Artikel zu dieser Leistung. " <a href="/wissen">"Zum Wissensportal"</a></p> }.into_any()
            } else {
                view! {
                    <ul class="article-list">
                        {p.articles.into_iter().map(|a| view! {
                            <li class="article-item"><a href=format!("/wissen/{}", a.id)>{a.title}</a><p>{a.summary}</p></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <Annotations list=p.annotations can_annotate=p.can_annotate key=note_key ozg_id=note_ozg annotate/>
        <History entries=p.history/>
    }
}

/// One select per criterion and model, inside a disclosure that works without JavaScript.
#[component]
pub(super) fn CriteriaFields(
    criteria: Vec<crate::register::model::MaturityCriterion>,
    rated: std::collections::BTreeMap<String, Option<i16>>,
    rated_model: Option<MaturityModel>,
    /// The record form's error: after a refused submission the ratings show what was submitted.
    #[prop(optional, into)]
    error: Option<Signal<Option<crate::error::AppError>>>,
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
                            let stored = match if rated_model == Some(m) { rated.get(&c.code).copied() } else { None } {
                                None => String::new(),
                                Some(None) => "ne".to_string(),
                                Some(Some(l)) => l.to_string(),
                            };
                            let current = match error {
                                Some(e) => kept(e, &name, stored),
                                None => stored,
                            };
                            view! {
                                <div class="inline-field">
                                    <label for=id.clone()>{c.label.clone()}{(!c.active).then_some(" (nicht mehr verwendet)")}</label>
                                    <select id=id name=name>
                                        <option value="" selected=current.is_empty()>"nicht bewertet"</option>
                                        <option value="ne" selected=current == "ne">"nicht erforderlich"</option>
                                        {(0..=m.max_level()).map(|l| view! { <option value=l.to_string() selected=current == l.to_string()>{format!("Stufe {l}")}</option> }).collect_view()}
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
pub(super) fn Annotations(
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
                            <li><p class="timeline-head"><strong>{crate::ui::format::format_date(&a.created_at)}</strong>{format!(" · {}", a.author)}</p><p>{a.body}</p></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {can_annotate.then(|| view! {
                <ErrorSummary error/>
                <ActionForm action=annotate attr:class="form">
                    <input type="hidden" name="key" value=key.clone()/>
                    <input type="hidden" name="ozg_id" value=ozg_id.clone()/>
                    <FieldBox name="annotation" label="Anmerkung für die Kommune (für die Kommune sichtbar)" error>
                        <textarea id="feld-annotation" name="body" rows="3"></textarea>
                    </FieldBox>
                    <button type="submit" class="button">"Anmerkung speichern"</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
pub(super) fn ReadOnlyRecord(d: crate::register::model::ServiceRecordInput) -> impl IntoView {
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
pub(super) fn History(entries: Vec<HistoryEntry>) -> impl IntoView {
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
                                    <strong>{crate::ui::format::format_date(&e.changed_at)}</strong>
                                    {format!(" · Version {} · {}{}", e.version, e.user.clone().unwrap_or_else(|| "unbekannt".into()),
                                        e.acting_organisation.clone().map(|o| format!(" für {o}")).unwrap_or_default())}
                                    {e.source.clone().map(|s| format!(" · Quelle: {s}"))}
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
