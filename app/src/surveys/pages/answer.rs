//! `/abfragen/:id/antwort`: a Kommune answers a survey, section by section; every clerk of the
//! Kommune works on the same answer, one submits it. Works without JavaScript: each section is a
//! form of its own, and a refused save shows the section again as it was typed.

use crate::identity::Role;
use crate::surveys::answers::{AnswerSheet, SheetFile, TakeOver, cell_field, field, option_field, other_field};
use crate::surveys::api::{ReopenSurveyAnswer, SaveSurveySection, SubmitSurveyAnswer, TakeOverSurveyAnswer, survey_sheet};
use crate::surveys::model::{QuestionKind, QuestionView, ResponseState, SurveyPhase, SurveyPurpose};
use crate::ui::auth::RequireRole;
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{ErrorSummary, Submitted, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::collections::BTreeMap;
use std::sync::Arc;

#[component]
pub fn SurveyAnswerPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || (params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or_default()), query.with(|q| q.get("kommune")));
    let sheet = Resource::new(key, |(id, kommune)| survey_sheet(id, kommune));
    view! {
        <RequireRole roles=vec![Role::Clerk, Role::Advisor]>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match sheet.await {
                        Err(e) => view! { <Title text="Abfrage"/><ErrorPage error=e/> }.into_any(),
                        Ok(s) => view! { <Sheet s/> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

/// What a section's fields show: after a refused save of this section what was typed, otherwise
/// what is stored.
#[derive(Clone)]
struct Shown {
    stored: Arc<BTreeMap<String, String>>,
    typed: Option<Arc<Submitted>>,
}

impl Shown {
    fn value(&self, name: &str) -> String {
        match &self.typed {
            Some(t) => t.value(&format!("a[{name}]")).unwrap_or_default().to_string(),
            None => self.stored.get(name).cloned().unwrap_or_default(),
        }
    }
    fn checked(&self, name: &str, value: &str) -> bool {
        self.value(name) == value
    }
}

#[component]
fn Sheet(s: AnswerSheet) -> impl IntoView {
    let query = use_query_map();
    let saved = query.with_untracked(|q| q.get("gespeichert"));
    let submitted_now = query.with_untracked(|q| q.get("eingereicht")).is_some();
    let reopened = query.with_untracked(|q| q.get("geoeffnet")).is_some();
    let save = ServerAction::<SaveSurveySection>::new();
    let submit = ServerAction::<SubmitSurveyAnswer>::new();
    let reopen = ServerAction::<ReopenSurveyAnswer>::new();
    let save_error = submission_error(save);
    let taken_over = query.with_untracked(|q| q.get("uebernommen")).is_some();
    let typed = use_context::<Submitted>();
    // The section a refused save came from.
    let refused_section = save_error.with_untracked(Option::is_some).then(|| typed.as_ref().and_then(|t| t.value("section").map(str::to_string))).flatten();
    let editable = !s.readonly && s.phase == SurveyPhase::Open && s.state == ResponseState::Draft;
    // A bound question not yet answered starts with the register's stage: the Kommune confirms it by saving.
    let mut values = s.values.clone();
    let mut prefilled = std::collections::BTreeSet::new();
    if editable {
        for sec in &s.sections {
            for (q, _) in &sec.questions {
                let stage = s.register.iter().find(|r| r.0 == q.id).map(|r| r.1.clone());
                if let (Some(stage), None) = (stage, values.get(&field(q.id))) {
                    if let Some(o) = q.options.iter().find(|o| o.1 == stage) {
                        values.insert(field(q.id), o.0.to_string());
                        prefilled.insert(q.id);
                    }
                }
            }
        }
    }
    let stored = Arc::new(values);
    let key = s.kommune.0.clone();
    let (survey_id, version) = (s.survey_id, s.version);
    let files = s.files.clone();
    // What became of a file just sent: (question, message) of a refusal; a success as a notice.
    let file_message: Option<(i64, String)> = typed.as_ref().and_then(|t| Some((t.value("dateifehler")?.parse().ok()?, t.value("meldung").unwrap_or_default().to_string())));
    let file_error = Signal::stored(file_message.clone().map(|(q, m)| crate::error::AppError::field(&field(q), m)));
    let file_done = query.with_untracked(|q| q.get("datei").is_some() || q.get("entfernt").is_some());
    let register: BTreeMap<i64, String> = s.register.iter().map(|(q, stage)| (*q, if prefilled.contains(q) { format!("{stage} (vorbelegt: speichern Sie den Abschnitt, um es als Antwort zu übernehmen)") } else { stage.clone() })).collect();
    let selfcheck = s.purpose == SurveyPurpose::SelfCheck;
    let notice = if submitted_now {
        Some("Eingereicht: die Landesberatung sieht Ihre Antwort. Bis zur Frist können Sie sie wieder öffnen und ändern.".to_string())
    } else if reopened {
        Some("Die Antwort ist wieder geöffnet. Bitte reichen Sie sie nach Ihren Änderungen erneut ein.".to_string())
    } else if file_done {
        Some(if query.with_untracked(|q| q.get("entfernt").is_some()) { "Die Datei ist entfernt." } else { "Die Datei ist gespeichert." }.to_string())
    } else {
        saved.map(|_| "Der Abschnitt ist gespeichert.".to_string())
    };
    let state = match (s.state, s.changed_after_submit) {
        (ResponseState::Submitted, _) => format!("eingereicht am {}", s.submitted.clone().unwrap_or_default()),
        (_, true) => "wieder geöffnet, noch nicht erneut eingereicht".to_string(),
        _ => "in Arbeit, noch nicht eingereicht".to_string(),
    };
    view! {
        <Title text=format!("Abfrage: {}", s.title)/>
        <h1>{s.title.clone()}</h1>
        {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        {s.readonly.then(|| view! { <p class="hint">{format!("Lesesicht der Landesberatung: die Antwort von {}, wie sie gespeichert ist. Ändern kann sie nur die Kommune.", s.kommune.1)}</p> })}
        <dl class="profile">
            <div><dt>"Für"</dt><dd>{s.kommune.1.clone()}</dd></div>
            <div><dt>{if selfcheck { "Verfügbar" } else { "Frist" }}</dt><dd>{format!("bis einschließlich {}", s.closes)}</dd></div>
            {selfcheck.then(|| view! { <div><dt>"Selbstcheck"</dt><dd><a href=format!("/abfragen/{}/profil?kommune={}", s.survey_id, crate::ui::format::urlencode(&s.kommune.0))>"Ihr Profil und der Vergleich mit ähnlichen Kommunen"</a></dd></div> })}
            <div><dt>"Stand der Antwort"</dt><dd>{state}</dd></div>
            <div><dt>"Beantwortet"</dt><dd>{format!("{} von {}", s.answered, crate::ui::format::count_of(s.total, "Frage", "Fragen"))}</dd></div>
            {s.last_saved.clone().map(|(who, at)| view! { <div><dt>"Zuletzt gespeichert"</dt><dd>{format!("{at} von {who}")}</dd></div> })}
        </dl>
        {(s.kommunen.len() > 1).then(|| view! {
            <nav aria-label="Antwort für eine andere Kommune">
                <p>"Sie können diese Abfrage für mehrere Kommunen beantworten:"</p>
                <ul>{s.kommunen.iter().map(|(k, name)| view! { <li><a href=format!("/abfragen/{}/antwort?kommune={k}", s.survey_id) aria-current=(*k == s.kommune.0).then_some("page")>{name.clone()}</a></li> }).collect_view()}</ul>
            </nav>
        })}
        <crate::ui::rich::Rich text=s.description.clone()/>
        {(s.phase != SurveyPhase::Open).then(|| view! { <p class="hint">{if s.phase == SurveyPhase::Closed { "Die Frist ist vorbei: die Antwort kann nicht mehr geändert werden." } else { "Die Abfrage ist noch nicht geöffnet." }}</p> })}
        <ErrorSummary error=save_error/>
        <ErrorSummary error=file_error/>
        {s.sections.clone().into_iter().map(|sec| {
            let (key, register, files, file_message) = (key.clone(), register.clone(), files.clone(), file_message.clone());
            let upload_base = format!("/abfragen/{survey_id}/antwort/{}/datei", crate::ui::format::urlencode(&key));
            let file_questions: Vec<i64> = sec.questions.iter().filter(|(q, _)| q.kind == QuestionKind::File).map(|(q, _)| q.id).collect();
            let shown = Shown { stored: stored.clone(), typed: (refused_section.as_deref() == Some(&sec.id.to_string())).then(|| typed.clone().map(Arc::new)).flatten() };
            let heading = format!("abschnitt-{}", sec.id);
            view! {
                <section class="desk" aria-labelledby=heading.clone()>
                    <h2 id=heading.clone()>{sec.title.clone()}</h2>
                    {(!sec.intro.is_empty()).then(|| view! { <p>{sec.intro.clone()}</p> })}
                    <ActionForm action=save attr:class="form" attr:novalidate="">
                        <input type="hidden" name="survey" value=survey_id/>
                        <input type="hidden" name="kommune" value=key/>
                        <input type="hidden" name="section" value=sec.id/>
                        <input type="hidden" name="version" value=version/>
                        {sec.questions.iter().map(|(q, _)| {
                            let file = FileAnswer { stored: files.iter().find(|f| f.question == q.id).cloned(), survey: survey_id, message: file_message.clone().filter(|(fq, _)| *fq == q.id).map(|(_, m)| m) };
                            view! { <Question q=q.clone() shown=shown.clone() editable error=save_error register=register.get(&q.id).cloned() file/> }
                        }).collect_view()}
                        {editable.then(|| view! { <div class="actions"><button type="submit" class="button button-secondary">{format!("Abschnitt »{}« speichern", sec.title)}</button></div> })}
                    </ActionForm>
                    // The file questions' own forms: their fields stand in the section above (`form=`).
                    {editable.then(|| file_questions.iter().map(|q| {
                        let base = format!("{upload_base}/{q}");
                        view! {
                            <form id=format!("datei-{q}") method="post" action=base.clone() enctype="multipart/form-data"></form>
                            <form id=format!("datei-weg-{q}") method="post" action=format!("{base}/entfernen")></form>
                        }
                    }).collect_view())}
                </section>
            }
        }).collect_view()}
        {(!s.readonly && (!s.takeover.is_empty() || taken_over)).then(|| view! { <TakeOverList items=s.takeover.clone() survey=s.survey_id kommune=key.clone() done=taken_over/> })}
        {(!s.readonly).then(|| view! { <SubmitPart s=s.clone() key=key.clone() submit reopen/> })}
    }
}

/// Submitting the answer, or opening it again.
#[component]
fn SubmitPart(s: AnswerSheet, key: String, submit: ServerAction<SubmitSurveyAnswer>, reopen: ServerAction<ReopenSurveyAnswer>) -> impl IntoView {
    let (submit_error, reopen_error) = (submission_error(submit), submission_error(reopen));
    view! {
        <h2 id="einreichen">"Antwort einreichen"</h2>
        <ErrorSummary error=submit_error/>
        <ErrorSummary error=reopen_error/>
        {match (s.phase, s.state) {
            (SurveyPhase::Open, ResponseState::Draft) => view! {
                <p>"Speichern Sie zuerst jeden Abschnitt, den Sie geändert haben. Einreichen kann jede Person Ihrer Kommune; bis zur Frist lässt sich die Antwort wieder öffnen."</p>
                <ActionForm action=submit attr:class="inline-form">
                    <input type="hidden" name="survey" value=s.survey_id/>
                    <input type="hidden" name="kommune" value=key.clone()/>
                    <input type="hidden" name="version" value=s.version/>
                    <button type="submit" class="button">"Antwort einreichen"</button>
                </ActionForm>
            }.into_any(),
            (SurveyPhase::Open, ResponseState::Submitted) => view! {
                <ActionForm action=reopen attr:class="inline-form">
                    <input type="hidden" name="survey" value=s.survey_id/>
                    <input type="hidden" name="kommune" value=key.clone()/>
                    <button type="submit" class="button button-secondary">"Antwort wieder öffnen"</button>
                </ActionForm>
            }.into_any(),
            _ => view! { <p>"Nicht mehr möglich."</p> }.into_any(),
        }}
    }
}

/// What a question of the kind Datei shows: the stored file, and the message of a refused upload.
#[derive(Clone, Default)]
struct FileAnswer {
    stored: Option<SheetFile>,
    survey: i64,
    message: Option<String>,
}

/// Bound questions whose saved answer differs from the register, each with its take-over.
#[component]
fn TakeOverList(items: Vec<TakeOver>, survey: i64, kommune: String, done: bool) -> impl IntoView {
    let take_over = ServerAction::<TakeOverSurveyAnswer>::new();
    let error = submission_error(take_over);
    view! {
        <section class="desk" aria-labelledby="register">
            <h2 id="register">"Ins Leistungsregister übernehmen"</h2>
            {done.then(|| view! { <p class="notice" role="status">"Übernommen: das Leistungsregister zeigt den Stand jetzt, sein Verlauf nennt die Abfrage als Quelle."</p> })}
            <ErrorSummary error/>
            {(!items.is_empty()).then(|| view! { <p>"Ihre Antwort weicht vom Leistungsregister ab. Übernehmen Sie sie, prüft das Register sie wie jede Änderung und vermerkt sie im Verlauf."</p> })}
            <ul class="plain-list">
                {items.into_iter().map(|t| {
                    let kommune = kommune.clone();
                    view! {
                    <li>
                        <ActionForm action=take_over attr:class="inline-form">
                            <input type="hidden" name="survey" value=survey/>
                            <input type="hidden" name="kommune" value=kommune/>
                            <input type="hidden" name="question" value=t.question/>
                            <span>{format!("{} ({}): Ihre Antwort »{}«, im Register »{}«. ", t.name, t.ozg_id, t.answer, t.register)}</span>
                            <button type="submit" class="button button-secondary">{format!("»{}« ins Register übernehmen", t.answer)}</button>
                        </ActionForm>
                    </li>
                }}).collect_view()}
            </ul>
        </section>
    }
}

fn unit_label(q: &QuestionView) -> String {
    match (&q.unit, q.min, q.max) {
        (Some(u), _, _) => format!(" (in {u})"),
        _ => String::new(),
    }
}

/// One input of `kind` named `name` (a question's or a matrix cell's); `label` names it for
/// assistive technology where no visible label stands beside it.
fn input(kind: QuestionKind, q: &QuestionView, name: String, id: String, label: Option<String>, shown: &Shown, editable: bool, described: Option<String>) -> AnyView {
    let value = shown.value(&name);
    let form_name = format!("a[{name}]");
    match kind {
        QuestionKind::YesNo | QuestionKind::Single => {
            let options: Vec<(String, String)> = if kind == QuestionKind::YesNo {
                vec![("ja".into(), "Ja".into()), ("nein".into(), "Nein".into())]
            } else {
                q.options.iter().filter(|o| !o.2).map(|o| (o.0.to_string(), o.1.clone())).collect()
            };
            options
                .into_iter()
                .map(|(v, text)| {
                    let rid = format!("{id}-{v}");
                    let aria = label.as_ref().map(|l| format!("{l}: {text}"));
                    view! { <span class="choice"><input type="radio" id=rid.clone() name=form_name.clone() value=v.clone() checked=shown.checked(&name, &v) disabled=!editable aria-label=aria/><label for=rid>{text}</label></span> }
                })
                .collect_view()
                .into_any()
        }
        QuestionKind::Multiple => q
            .options
            .iter()
            .filter(|o| !o.2)
            .map(|o| {
                let n = option_field(&name, o.0);
                let rid = format!("{id}-{}", o.0);
                let aria = label.as_ref().map(|l| format!("{l}: {}", o.1));
                view! { <span class="choice"><input type="checkbox" id=rid.clone() name=format!("a[{n}]") value="on" checked=shown.checked(&n, "on") disabled=!editable aria-label=aria/><label for=rid>{o.1.clone()}</label></span> }
            })
            .collect_view()
            .into_any(),
        QuestionKind::LongText => view! { <textarea id=id name=form_name rows="4" class="wide" disabled=!editable aria-label=label aria-describedby=described>{value}</textarea> }.into_any(),
        QuestionKind::Date => view! { <input id=id name=form_name type="date" value=value disabled=!editable aria-label=label aria-describedby=described/> }.into_any(),
        QuestionKind::Number => view! { <input id=id name=form_name inputmode="decimal" value=value disabled=!editable aria-label=label aria-describedby=described size="12"/> }.into_any(),
        _ => view! { <input id=id name=form_name value=value disabled=!editable aria-label=label aria-describedby=described class="wide"/> }.into_any(),
    }
}

#[component]
fn Question(q: QuestionView, shown: Shown, editable: bool, error: Signal<Option<crate::error::AppError>>, register: Option<String>, file: FileAnswer) -> impl IntoView {
    let base = field(q.id);
    let id = format!("frage-{}", q.id);
    let label = format!("{}{}{}", q.text, unit_label(&q), if q.required { " (Pflichtfrage)" } else { "" });
    let file_message = file.message.clone();
    let messages = {
        let q = q.clone();
        move || {
            let e = error.get();
            let mut m: Vec<String> = Vec::new();
            m.extend(file_message.clone());
            if let Some(e) = e {
                m.extend(e.field_messages(&field(q.id)));
                m.extend(e.field_messages(&other_field(q.id)));
                for (ozg, _) in &q.rows {
                    m.extend(e.field_messages(&cell_field(q.id, ozg)));
                }
            }
            m.join(" ")
        }
    };
    let err_id = format!("{id}-fehler");
    let hint_id = format!("{id}-hinweis");
    let mut hints: Vec<String> = Vec::new();
    if !q.hint.is_empty() {
        hints.push(q.hint.clone());
    }
    if let Some(c) = &q.condition {
        hints.push(format!("Diese Frage gilt {c}."));
    }
    if let Some(stage) = &register {
        hints.push(format!("Im Leistungsregister steht: {stage}."));
    }
    let hint = (!hints.is_empty()).then(|| hints.join(" "));
    let described = hint.as_ref().map(|_| hint_id.clone());
    let grouped = matches!(q.kind, QuestionKind::YesNo | QuestionKind::Single | QuestionKind::Multiple);
    let body: AnyView = match q.kind {
        QuestionKind::File => {
            let upload = format!("datei-{}", q.id);
            view! {
                {match file.stored.clone() {
                    Some(f) => view! {
                        <p>
                            "Hochgeladen: "<a href=format!("/abfragen/{}/dateien/{}", file.survey, f.id)>{f.name.clone()}</a>{format!(" ({}) ", f.size)}
                            {editable.then(|| view! { <button type="submit" form=format!("datei-weg-{}", q.id) class="button button-secondary">{format!("»{}« entfernen", f.name)}</button> })}
                        </p>
                    }.into_any(),
                    None if !editable => view! { <p>"Keine Datei."</p> }.into_any(),
                    None => ().into_any(),
                }}
                {editable.then(|| view! {
                    <input type="file" id=id.clone() name="datei" form=upload.clone() aria-describedby=described.clone()/>
                    <button type="submit" form=upload class="button button-secondary">{if file.stored.is_some() { "Andere Datei hochladen" } else { "Datei hochladen" }}</button>
                })}
            }.into_any()
        }
        QuestionKind::Matrix => {
            let cell = q.cell_kind.unwrap_or(QuestionKind::YesNo);
            view! {
                <div class="table-wrap">
                    <table class="compact stacked">
                        <caption>{label.clone()}</caption>
                        <thead><tr><th scope="col">"OZG-Leistung"</th><th scope="col">{cell.label()}</th></tr></thead>
                        <tbody>
                            {q.rows.iter().map(|(ozg, name)| {
                                let n = cell_field(q.id, ozg);
                                let cid = format!("{id}-{ozg}");
                                view! { <tr><th scope="row">{format!("{name} ({ozg})")}</th><td data-label=cell.label()>{input(cell, &q, n, cid, Some(name.clone()), &shown, editable, None)}</td></tr> }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }
        kind => input(kind, &q, base.clone(), id.clone(), None, &shown, editable, described.clone()),
    };
    let other = q.options.iter().any(|o| o.2).then(|| {
        let n = other_field(q.id);
        let oid = format!("{id}-sonstiges");
        view! { <div class="choice-other"><label for=oid.clone()>"Sonstiges:"</label><input id=oid name=format!("a[{n}]") value=shown.value(&n) disabled=!editable maxlength="500"/></div> }
    });
    view! {
        <div class="field" class:field-invalid={let m = messages.clone(); move || !m().is_empty()}>
            {if grouped {
                view! {
                    <fieldset class="question" aria-describedby=described.clone()>
                        <legend>{label.clone()}</legend>
                        {hint.clone().map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
                        <p class="field-error" id=err_id.clone() hidden={let m = messages.clone(); move || m().is_empty()}>{messages.clone()}</p>
                        {body}
                        {other}
                    </fieldset>
                }.into_any()
            } else if q.kind == QuestionKind::Matrix {
                // The table's caption names the question.
                view! {
                    {hint.clone().map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
                    <p class="field-error" id=err_id.clone() hidden={let m = messages.clone(); move || m().is_empty()}>{messages.clone()}</p>
                    {body}
                }.into_any()
            } else if q.kind == QuestionKind::File && !editable {
                view! {
                    <p><strong>{label.clone()}</strong></p>
                    {hint.clone().map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
                    <p class="field-error" id=err_id.clone() hidden={let m = messages.clone(); move || m().is_empty()}>{messages.clone()}</p>
                    {body}
                }.into_any()
            } else {
                view! {
                    <label for=id.clone()>{label.clone()}</label>
                    {hint.clone().map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
                    <p class="field-error" id=err_id.clone() hidden={let m = messages.clone(); move || m().is_empty()}>{messages.clone()}</p>
                    {body}
                }.into_any()
            }}
        </div>
    }
}
