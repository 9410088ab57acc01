//! Form building blocks: error summary at the top, messages next to each field.

use crate::error::AppError;
use crate::vocabulary::knowledge::Audience;
use leptos::prelude::*;
use leptos::server::ServerActionError;
use server_fn::ServerFn;
use server_fn::error::ServerFnUrlError;

/// The error of the last submission of server function `S`: from the action when it ran in the
/// browser, or — after a form post without JavaScript — from the URL Leptos redirected back to.
/// Needed for actions created outside `<Routes>`, which do not see the URL's error themselves.
pub fn submission_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    let from_url = use_context::<ServerActionError>()
        .filter(|e| e.path() == S::PATH)
        .map(|e| ServerFnUrlError::<AppError>::decode_err(e.err()));
    Signal::derive(move || {
        action.value().with(|v| match v {
            Some(result) => result.as_ref().err().cloned(),
            None => from_url.clone(),
        })
    })
}

/// The error of a refused plain form posted to a route of the server (not a server function:
/// the invitation, the API key), from the URL its page was sent back to (see the server's
/// `forms::back_to_form`); the drafts layer keeps the values for `kept` as for server functions.
pub fn route_error(path: &'static str) -> Signal<Option<AppError>> {
    let e = use_context::<ServerActionError>().filter(|e| e.path() == path).map(|e| ServerFnUrlError::<AppError>::decode_err(e.err()));
    Signal::stored(e)
}

/// The summary of a failed submission, announced to screen readers.
#[component]
pub fn ErrorSummary(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            // In the order of the form's fields where the page shows a refused submission.
            let submitted = use_context::<Submitted>();
            let order: Vec<&str> = submitted.as_ref().map(|s| s.0.iter().map(|(k, _)| k.as_str()).collect()).unwrap_or_default();
            let items = e.summary_in_order(&order);
            view! {
                // Focused when the page loads with it (after a form post), so it is read first.
                <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
                    <h2 id="error-summary-title">"Es ist ein Problem aufgetreten"</h2>
                    <ul>{items.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                </div>
            }
        })
    }
}

/// A labelled input with its error messages and hint, wired with `aria-describedby`.
#[component]
pub fn Field(
    /// Form field name (also the server function argument).
    name: &'static str,
    #[prop(into)] label: String,
    #[prop(default = "text")] kind: &'static str,
    /// The input's id where a page has the same field more than once (one form a row);
    /// `feld-{name}` otherwise.
    #[prop(optional, into)]
    id: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
    /// What the field holds when the page is shown.
    #[prop(optional, into)]
    value: Option<String>,
    /// `numeric` for keys and ids (a phone shows digits), `decimal` for amounts.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    #[prop(optional)] size: Option<u32>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] placeholder: Option<&'static str>,
    /// The messages of a failed submission; none where the form is one of several sharing an
    /// action (each row's form), whose errors the summary above them names.
    #[prop(optional, into)]
    error: Option<Signal<Option<AppError>>>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("feld-{name}"));
    // After a refused submission of this field's form, what was submitted.
    let value = match error {
        Some(e) => Some(kept(e, name, value.unwrap_or_default())),
        None => value,
    };
    let hint_id = format!("{id}-hinweis");
    let err_id = format!("{id}-fehler");
    let messages = move || error.and_then(|e| e.get()).map(|e| e.field_messages(name)).unwrap_or_default();
    let invalid = move || !messages().is_empty();
    let has_hint = hint.is_some();
    let described = {
        let (hint_id, err_id) = (hint_id.clone(), err_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if invalid() {
                ids.push(err_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id.clone()>{label}{required.then_some(" (Pflichtfeld)")}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <p class="field-error" id=err_id.clone() hidden=move || !invalid()>
                {move || messages().join(" ")}
            </p>
            <input
                id=id.clone()
                name=name
                type=kind
                value=value
                inputmode=inputmode
                autocomplete=autocomplete
                size=size
                maxlength=maxlength
                placeholder=placeholder
                required=required
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described
            />
        </div>
    }
}

/// Checkboxes of the Themenfelder (`tf[0]`, `tf[1]`, …, each carrying its Themenfeld: a plain
/// form has no lists), with the field's error.
#[component]
pub fn ThemenfeldChoice(all: Vec<String>, chosen: Vec<String>, error: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    view! {
        <FieldSet legend="Themenfelder" names=&["themenfelder"] error>
            <div class="checkbox-columns">
                {all.into_iter().enumerate().map(|(i, t)| {
                    let id = format!("feld-tf-{i}");
                    let checked = kept_checked(error, &format!("tf[{i}]"), &t, chosen.contains(&t));
                    view! {
                        <div class="checkbox-field">
                            <input type="checkbox" id=id.clone() name=format!("tf[{i}]") value=t.clone() checked=checked/>
                            <label for=id>{t}</label>
                        </div>
                    }
                }).collect_view()}
            </div>
        </FieldSet>
    }
}

/// Radio buttons of an audience (`audience`): the signed-in Kommunen and the Land, or everyone.
#[component]
pub fn AudienceChoice(current: Audience, legend: &'static str, public_label: &'static str, error: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    view! {
        <FieldSet legend=legend names=&["audience"] error>
            {Audience::ALL.iter().map(|a| {
                let (code, label) = (a.code(), if *a == Audience::Public { public_label } else { a.label() });
                let id = format!("feld-audience-{code}");
                view! {
                    <div class="checkbox-field">
                        <input type="radio" id=id.clone() name="audience" value=code checked=kept_checked(error, "audience", code, current == *a)/>
                        <label for=id>{label}</label>
                    </div>
                }
            }).collect_view()}
        </FieldSet>
    }
}

/// A labelled field around any control (`children`, whose id must be `id`, by default
/// `feld-{name}`), with its hint and the messages of a failed submission.
#[component]
pub fn FieldBox(
    name: &'static str,
    #[prop(into)] label: String,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
    /// Shown before the label's text (a lock beside what only the Land reads).
    #[prop(optional)]
    icon: Option<AnyView>,
    #[prop(optional, into)] error: Option<Signal<Option<AppError>>>,
    children: Children,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("feld-{name}"));
    let msg = move || error.and_then(|e| e.get()).map(|e| e.field_messages(name).join(" ")).unwrap_or_default();
    view! {
        <div class="field" class:field-invalid=move || !msg().is_empty()>
            <label for=id.clone()>{icon}{label}{required.then_some(" (Pflichtfeld)")}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hinweis")>{h}</p> })}
            <p class="field-error" id=format!("{id}-fehler") hidden=move || msg().is_empty()>{msg}</p>
            {children()}
        </div>
    }
}

/// A group of controls under one legend (radio buttons, checkboxes, dates of one kind), with
/// the messages of a failed submission for any of `names`.
#[component]
pub fn FieldSet(
    #[prop(into)] legend: String,
    /// The form fields whose messages belong to the group.
    #[prop(optional)]
    names: &'static [&'static str],
    #[prop(optional, into)] error: Option<Signal<Option<AppError>>>,
    children: Children,
) -> impl IntoView {
    let msg = move || {
        error.and_then(|e| e.get()).map(|e| names.iter().flat_map(|n| e.field_messages(n)).collect::<Vec<_>>().join(" ")).unwrap_or_default()
    };
    view! {
        <fieldset class="field" class:field-invalid=move || !msg().is_empty()>
            <legend>{legend}</legend>
            <p class="field-error" hidden=move || msg().is_empty()>{msg}</p>
            {children()}
        </fieldset>
    }
}

/// What a refused form held, provided by the server to the page shown after the refusal (see
/// `core::drafts`). Secrets are never in it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Submitted(pub Vec<(String, String)>);

impl Submitted {
    /// The last value submitted under `name`.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// What a field shows: after a refused submission of its form (`error` holds that form's
/// error), the value submitted, otherwise `stored`.
pub fn kept(error: Signal<Option<AppError>>, name: &str, stored: impl Into<String>) -> String {
    let submitted = error.with_untracked(Option::is_some).then(|| use_context::<Submitted>()).flatten();
    match submitted.as_ref().and_then(|s| s.value(name)) {
        Some(v) => v.to_string(),
        None => stored.into(),
    }
}

/// Whether a checkbox or radio button is checked: after a refused submission of its form, as
/// submitted, otherwise `stored`.
pub fn kept_checked(error: Signal<Option<AppError>>, name: &str, value: &str, stored: bool) -> bool {
    match error.with_untracked(Option::is_some).then(|| use_context::<Submitted>()).flatten() {
        Some(s) => s.0.iter().any(|(k, v)| k == name && v == value),
        None => stored,
    }
}

/// The list of choices of the OZG-Leistungen fields (`list="ozg-leistungen"`), "Elterngeld
/// (10000)": works without JavaScript, and what is typed may also be an OZG-ID or a part of a
/// name (see `catalogue::model::resolve_services`).
#[component]
pub fn ServiceChoices(services: Vec<(String, String)>) -> impl IntoView {
    view! {
        <datalist id="ozg-leistungen">
            {services.into_iter().map(|(o, n)| view! { <option value=crate::ui::format::service_label(&o, &n)></option> }).collect_view()}
        </datalist>
    }
}

pub const SERVICES_HINT: &str = "Name oder OZG-ID, aus der Liste oder getippt; mehrere durch Semikolon getrennt, z. B. »Elterngeld (10000); Wohngeld (10002)«.";
