//! Filing a new case.

use crate::cases::api::{FileCase, filing_form};
use crate::ui::forms::{ErrorSummary, FieldBox, kept};
use crate::ui::errors::ErrorPage;
use crate::error::AppError;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use super::*;

/// The first step: subject and OZG-Leistungen, so that matching articles can be shown before
/// the case is sent (a plain GET form: no JavaScript needed). After a refused step the values
/// come back with the messages beside their fields.
#[component]
fn FirstStep(subject: String, ozg: String, #[prop(optional)] refused: Option<AppError>) -> impl IntoView {
    let error = Signal::stored(refused);
    view! {
        <p class="lead">"Schritt 1 von 2: Worum geht es?"</p>
        <p>"Beschreiben Sie kurz, worum es geht. Wir zeigen Ihnen zuerst Antworten aus dem Wissensportal, die passen könnten; danach legen Sie den Fall an."</p>
        <ErrorSummary error/>
        <form method="get" action="/faelle/neu" class="form">
            <input type="hidden" name="schritt" value="2"/>
            <FieldBox name="betreff" id="schritt-betreff" label="Betreff" required=true error><input id="schritt-betreff" name="betreff" maxlength="200" required value=subject aria-describedby="schritt-betreff-fehler"/></FieldBox>
            <FieldBox name="ozg" id="schritt-ozg" label="Betroffene OZG-Leistungen (optional)" hint=crate::ui::forms::SERVICES_HINT error><input id="schritt-ozg" name="ozg" list="ozg-leistungen" autocomplete="off" value=ozg aria-describedby="schritt-ozg-hinweis schritt-ozg-fehler"/></FieldBox>
            <crate::catalogue::pages::ServiceChoiceList/>
            <button type="submit" class="button">"Weiter zu Schritt 2"</button>
        </form>
    }
}

#[component]
pub fn NewCasePage() -> impl IntoView {
    let query = use_query_map();
    let q = move |k: &'static str| query.with(|q| q.get(k).unwrap_or_default());
    let second = move || q("schritt") == "2";
    view! {
        <Title text="Neuen Beratungsfall anlegen"/>
        <crate::ui::auth::RequireRole roles=vec![crate::identity::Role::Clerk]>
            <h1>"Neuen Beratungsfall anlegen"</h1>
            {move || if second() { view! { <FilingForm subject=q("betreff") ozg=q("ozg")/> }.into_any() } else { view! { <FirstStep subject=String::new() ozg=String::new()/> }.into_any() }}
        </crate::ui::auth::RequireRole>
    }
}

#[component]
fn FilingForm(subject: String, ozg: String) -> impl IntoView {
    let (s0, o0) = (subject.clone(), ozg.clone());
    let form = Resource::new(move || (s0.clone(), o0.clone()), |(s, o)| filing_form(s, o));
    let file = ServerAction::<FileCase>::new();
    let error = action_error(file);
    view! {
        <Suspense fallback=crate::ui::list::Loading>
            {move || {
                let (subject, ozg) = (subject.clone(), ozg.clone());
                Suspend::new(async move {
                match form.await {
                    // A refused first step comes back as the first step, with what was typed.
                    Err(e @ AppError::Validation(_)) => view! { <FirstStep subject ozg refused=e/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    Ok(f) => {
                        let back = format!("/faelle/neu?betreff={}&ozg={}", crate::ui::format::urlencode(&subject), crate::ui::format::urlencode(&ozg));
                        view! {
                            <p class="lead">"Schritt 2 von 2: Antworten prüfen und Fall anlegen"</p>
                            <p><a href=back>"Zurück zu Schritt 1"</a></p>
                            {(!f.known_faults.is_empty()).then(|| view! {
                                <section class="suggestions" aria-labelledby="bekannte-stoerungen">
                                    <h2 id="bekannte-stoerungen">"Bekannte Störung"</h2>
                                    <p>"Zu diesen Leistungen ist eine Störung des EfA-Dienstes bekannt, den Ihre Kommune nutzt. Trifft es Sie auch, vermerken Sie das dort (»Betrifft uns auch«): der Betreiber arbeitet daran, und Sie werden benachrichtigt."</p>
                                    <ul>
                                        {f.known_faults.iter().map(|r| view! {
                                            <li><a href=format!("/nachnutzung/meldung/{}", r.id)>{format!("{}: {}", r.service, r.title)}</a>{format!(" – {}, {} Kommunen betroffen", r.status.label(), r.joined)}</li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            {if f.suggestions.is_empty() {
                                view! { <p>"Im Wissensportal haben wir keinen passenden Artikel gefunden."</p> }.into_any()
                            } else {
                                view! {
                                    <section class="suggestions" aria-labelledby="vorschlaege">
                                        <h2 id="vorschlaege">"Vielleicht ist Ihre Frage schon beantwortet"</h2>
                                        <ul class="article-list">
                                            {f.suggestions.iter().map(|a| view! {
                                                <li class="article-item"><a href=format!("/wissen/{}", a.id)>{a.title.clone()}</a><p>{a.summary.clone()}</p></li>
                                            }).collect_view()}
                                        </ul>
                                        <p>"Ist Ihre Frage damit beantwortet, brauchen Sie keinen Fall anzulegen. Sonst geht es hier weiter."</p>
                                    </section>
                                }.into_any()
                            }}
                            <h2>"Ihr Anliegen"</h2>
                            <p>"Beschreiben Sie Ihr Anliegen an die Landesberatung. Anhänge (z. B. Bescheide, Screenshots) fügen Sie nach dem Anlegen auf der Seite des Falls hinzu."</p>
                            <ErrorSummary error/>
                            <ActionForm action=file attr:class="form case-form">
                                <input type="hidden" name="idempotency_key" value=f.idempotency_key.clone()/>
                                {(f.municipalities.len() > 1).then(|| view! {
                                    <FieldBox name="municipality" label="Für welche Kommune?" error>
                                        <select id="feld-municipality" name="municipality" required=f.choose>
                                            {f.choose.then(|| view! { <option value="">"– bitte wählen –"</option> })}
                                            {let chosen = kept(error, "municipality", ""); f.municipalities.iter().map(|(k, n)| view! { <option value=k.clone() selected=*k == chosen>{n.clone()}</option> }).collect_view()}
                                        </select>
                                    </FieldBox>
                                })}
                                <FieldBox name="subject" label="Betreff" required=true error>
                                    <input id="feld-subject" name="subject" maxlength="200" required value=kept(error, "subject", subject) aria-describedby="feld-subject-fehler"/>
                                </FieldBox>
                                <FieldBox name="category" label="Kategorie" required=true error>
                                    <select id="feld-category" name="category" required aria-describedby="feld-category-fehler">
                                        <option value="">"Bitte wählen"</option>
                                        {let chosen = kept(error, "category", ""); f.categories.iter().map(|c| view! { <option value=c.code.clone() selected=c.code == chosen>{c.label.clone()}</option> }).collect_view()}
                                    </select>
                                </FieldBox>
                                <FieldBox name="description" label="Beschreibung" required=true error>
                                    <textarea id="feld-description" name="description" rows="8" required aria-describedby="feld-description-fehler">{kept(error, "description", "")}</textarea>
                                </FieldBox>
                                <FieldBox name="ozg_ids" label="Betroffene OZG-Leistungen (optional)" hint=crate::ui::forms::SERVICES_HINT error>
                                    <input id="feld-ozg_ids" name="ozg_ids" list="ozg-leistungen" autocomplete="off" value=kept(error, "ozg_ids", f.chosen.clone()) aria-describedby="feld-ozg_ids-hinweis feld-ozg_ids-fehler"/>
                                </FieldBox>
                                <crate::ui::forms::ServiceChoices services=f.services.clone()/>
                                <FieldBox name="desired_date" label="Wunschtermin (optional)" error>
                                    <input id="feld-desired_date" name="desired_date" type="date" value=kept(error, "desired_date", "") aria-describedby="feld-desired_date-fehler"/>
                                </FieldBox>
                                <button type="submit" class="button">"Fall anlegen"</button>
                            </ActionForm>
                        }.into_any()
                    }
                }
            })}}
        </Suspense>
    }
}
