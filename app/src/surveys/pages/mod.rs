//! `/abfragen`: the advisors' surveys (list and a new draft); `/abfragen/:id`: the builder.

pub mod answer;
pub mod builder;
pub mod results;
pub mod selfcheck;

use crate::identity::Role;
use crate::surveys::api::{CreateSurvey, load_surveys};
use crate::surveys::model::{Answering, SurveyDesk, SurveyPurpose};
use crate::ui::auth::RequireRole;
use crate::ui::errors::ErrorPage;
use crate::ui::forms::{ErrorSummary, Field, FieldBox, FieldSet, kept, kept_checked, submission_error};
use crate::ui::list::{DataTable, cols};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SurveysPage() -> impl IntoView {
    let desk = Resource::new(|| (), |_| load_surveys());
    view! {
        <Title text="Abfragen an die Kommunen"/>
        <RequireRole roles=vec![Role::Advisor]>
            <h1>"Abfragen an die Kommunen"</h1>
            <Suspense fallback=crate::ui::list::Loading>
                {move || Suspend::new(async move {
                    match desk.await {
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                        Ok(d) => view! { <Desk d/> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

#[component]
fn Desk(d: SurveyDesk) -> impl IntoView {
    let create = ServerAction::<CreateSurvey>::new();
    let error = submission_error(create);
    view! {
        <p>"Eine Abfrage fragt eine Auswahl von Kommunen in Abschnitten und Fragen; jede Kommune antwortet einmal. Nach der Freigabe stehen ihre Fragen fest: hinzukommen können nur freiwillige."</p>
        <p>"Ein Selbstcheck steht jeder Kommune offen: sie schätzt sich selbst ein, so oft sie will, und sieht ihr Profil je Abschnitt neben dem Durchschnitt von Kommunen ihrer Art und Größe, mit Hinweisen auf Wissensartikel und Förderprogramme, wo sie am schwächsten ist."</p>
        <h2>"Abfragen"</h2>
        {if d.lines.is_empty() {
            view! { <p>"Noch keine."</p> }.into_any()
        } else {
            view! {
                <DataTable id="abfragen-caption" caption="Abfragen, neueste zuerst" columns=cols(["Titel", "Art", "Stand", "Zeitraum", "Gefragt", "Kommunen"]) class="stacked">
                    {d.lines.into_iter().map(|l| view! {
                        <tr>
                            <th scope="row" data-label="Titel"><a href=format!("/abfragen/{}", l.id)>{l.title}</a></th>
                            <td data-label="Art">{l.purpose.label()}</td>
                            <td data-label="Stand">{l.phase.label()}</td>
                            <td data-label="Zeitraum">{format!("{} bis {}", l.opens, l.closes)}</td>
                            <td data-label="Gefragt">{l.target_label}</td>
                            <td data-label="Kommunen">{if l.kommunen == 0 { "–".to_string() } else { l.kommunen.to_string() }}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
            }.into_any()
        }}
        <h2 id="neu">"Neue Abfrage"</h2>
        <ErrorSummary error/>
        <ActionForm action=create attr:class="form" attr:novalidate="" attr:aria-labelledby="neu">
            <FieldSet legend="Art" names=&["purpose"] error>
                {SurveyPurpose::ALL.iter().map(|p| {
                    let id = format!("art-{}", p.code());
                    let hint = match p {
                        SurveyPurpose::Survey => "fragt die gewählten Kommunen bis zur Frist",
                        SurveyPurpose::SelfCheck => "alle Kommunen, jederzeit, ohne Erinnerung; Abschnitte gewichtet",
                    };
                    view! {
                        <div class="checkbox-field">
                            <input type="radio" id=id.clone() name="purpose" value=p.code() checked=kept_checked(error, "purpose", p.code(), *p == SurveyPurpose::Survey)/>
                            <label for=id>{format!("{} ({hint})", p.label())}</label>
                        </div>
                    }
                }).collect_view()}
            </FieldSet>
            <Field name="title" label="Titel" maxlength=200 required=true error/>
            <FieldBox name="description" label="Einleitung (Markdown)" hint="Was gefragt wird und wozu; die Kommunen lesen sie über der ersten Frage." error><textarea id="feld-description" name="description" rows="4" class="wide" aria-describedby="feld-description-hinweis">{kept(error, "description", "")}</textarea></FieldBox>
            <Field name="opens" label="Beginn" kind="date" value=d.today.clone() required=true error/>
            <Field name="closes" label="Frist (bis einschließlich)" kind="date" required=true error/>
            <Field name="reminder_days" label="Erinnerung an Kommunen ohne Antwort, Tage vor der Frist" hint="0: keine Erinnerung" inputmode="numeric" size=4 value="7" error/>
            <crate::ui::selection::TargetChoice legend="Wen fragt die Abfrage?" kreise=d.kreise error/>
            <FieldSet legend="Wer antwortet für eine Verbandsgemeinde?" names=&["answering"] error>
                {Answering::ALL.iter().map(|a| {
                    let id = format!("antwortet-{}", a.code());
                    view! {
                        <div class="checkbox-field">
                            <input type="radio" id=id.clone() name="answering" value=a.code() checked=kept_checked(error, "answering", a.code(), *a == Answering::Verband)/>
                            <label for=id>{a.label()}</label>
                        </div>
                    }
                }).collect_view()}
            </FieldSet>
            <div class="actions"><button type="submit" class="button">"Als Entwurf anlegen"</button></div>
        </ActionForm>
    }
}
