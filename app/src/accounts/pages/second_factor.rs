//! The second factor: the sign-in's second step (`/anmelden/zweiter-faktor`) and setting it up
//! from "Mein Konto" (`/konto/zweiter-faktor`). The QR code is an SVG drawn by the server, the
//! key stands beside it as text for apps without a camera.

use crate::accounts::api::recovery::{ConfirmMyMfa, SubmitSecondFactor, my_enrolment, second_factor_state};
use crate::accounts::model::EnrolmentView;
use crate::ui::auth::RequireRole;
use crate::ui::forms::{ErrorSummary, Field, submission_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// The key, its QR code and the recovery codes of a second factor being set up.
#[component]
fn Enrolment(e: EnrolmentView) -> impl IntoView {
    view! {
        <ol class="steps">
            <li>
                <p>"Öffnen Sie eine Authenticator-App (zum Beispiel die Ihres Diensttelefons) und scannen Sie diesen QR-Code:"</p>
                <figure class="qr">
                    <img class="qr-code" src=e.qr_image alt="QR-Code mit dem Schlüssel für Ihre Authenticator-App" width="220" height="220"/>
                    <figcaption>"Ohne Kamera geben Sie diesen Schlüssel von Hand ein: " <code class="mono" id="totp-schluessel">{e.secret}</code></figcaption>
                </figure>
            </li>
            <li>
                <p>"Bewahren Sie diese zehn Wiederherstellungscodes sicher auf (ausdrucken oder im Passwortmanager). Jeder gilt einmal, falls Sie Ihre App nicht zur Hand haben. Sie werden nur jetzt angezeigt; laden Sie die Seite neu, gelten stattdessen neue Codes:"</p>
                <ul class="recovery-codes" aria-label="Wiederherstellungscodes">
                    {e.recovery_codes.into_iter().map(|c| view! { <li><code class="mono">{c}</code></li> }).collect_view()}
                </ul>
            </li>
            <li><p>"Geben Sie zur Bestätigung den sechsstelligen Code ein, den Ihre App jetzt zeigt."</p></li>
        </ol>
    }
}

#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let state = Resource::new(|| (), |_| second_factor_state());
    let submit = ServerAction::<SubmitSecondFactor>::new();
    let error = submission_error(submit);
    view! {
        <Title text="Zweiter Faktor"/>
        <div class="narrow">
            <h1>"Zweiter Faktor"</h1>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match state.await {
                        Err(e) => view! {
                            <p class="error" role="alert">{e.to_string()}</p>
                            <p><a href="/anmelden">"Zur Anmeldung"</a></p>
                        }.into_any(),
                        Ok(s) => {
                            let enrol = s.enrol.is_some();
                            view! {
                                {if enrol {
                                    view! { <p>{format!("Guten Tag {}, für Ihr Konto ist ein zweiter Faktor vorgeschrieben. Richten Sie ihn jetzt ein.", s.name)}</p> }.into_any()
                                } else {
                                    view! { <p>{format!("Guten Tag {}, geben Sie den sechsstelligen Code aus Ihrer Authenticator-App ein – oder einen Ihrer Wiederherstellungscodes.", s.name)}</p> }.into_any()
                                }}
                                {s.enrol.map(|e| view! { <Enrolment e/> })}
                                <ErrorSummary error/>
                                <ActionForm action=submit attr:class="form" attr:novalidate="">
                                    <Field name="code" label="Code" autocomplete="one-time-code" required=true error/>
                                    <button type="submit" class="button">{if enrol { "Einrichten und anmelden" } else { "Anmelden" }}</button>
                                </ActionForm>
                                <p><a href="/anmelden">"Abbrechen und neu anmelden"</a></p>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub fn MyEnrolmentPage() -> impl IntoView {
    let enrolment = Resource::new(|| (), |_| my_enrolment());
    let confirm = ServerAction::<ConfirmMyMfa>::new();
    let error = submission_error(confirm);
    view! {
        <Title text="Zweiten Faktor einrichten"/>
        <RequireRole>
            <div class="narrow">
                <h1>"Zweiten Faktor einrichten"</h1>
                <Suspense fallback=crate::ui::list::Loading>
                    {move || Suspend::new(async move {
                        match enrolment.await {
                            Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                            Ok(None) => view! { <p>"Ihr zweiter Faktor ist bereits eingerichtet."</p> <p><a href="/konto">"Zurück zu »Mein Konto«"</a></p> }.into_any(),
                            Ok(Some(e)) => view! {
                                <Enrolment e/>
                                <ErrorSummary error/>
                                <ActionForm action=confirm attr:class="form" attr:novalidate="">
                                    <Field name="code" label="Code" autocomplete="one-time-code" required=true error/>
                                    <Field name="reauth" label="Aktuelles Passwort" kind="password" autocomplete="current-password"
                                        hint="Zur Bestätigung, dass Sie es sind: Ihr Passwort für das Portal. Wer sich nur über das Landeskonto anmeldet, lässt das Feld leer (Anmeldung höchstens fünf Minuten her)." error/>
                                    <button type="submit" class="button">"Einrichten"</button>
                                </ActionForm>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </RequireRole>
    }
}
