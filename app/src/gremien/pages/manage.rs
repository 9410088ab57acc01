//! The part of a body's page for those who run it: its own fields, taking in members, changing
//! their roles or ending their membership, and recording decisions. Plain forms: each works
//! without JavaScript and keeps what was typed when it is refused.

use crate::gremien::api::{AddGremiumMember, ChangeGremiumMember, EndGremiumMember, RecordDecision, UpdateGremium};
use crate::gremien::api_work::{CreateTask, PlanMeeting};
use crate::gremien::work::TaskLink;
use crate::gremien::model::{DecisionVisibility, GremiumView, MemberRole};
use crate::ui::forms::{ErrorSummary, Field, FieldBox, kept, submission_error};
use crate::ui::list::{DataTable, cols};
use leptos::form::ActionForm;
use leptos::prelude::*;

fn role_options(chosen: String) -> impl IntoView {
    MemberRole::ALL.iter().map(move |r| view! { <option value=r.code() selected=r.code() == chosen>{r.label()}</option> }).collect_view()
}

#[component]
pub fn Manage(g: GremiumView) -> impl IntoView {
    let update = ServerAction::<UpdateGremium>::new();
    let add = ServerAction::<AddGremiumMember>::new();
    let change = ServerAction::<ChangeGremiumMember>::new();
    let end = ServerAction::<EndGremiumMember>::new();
    let decide = ServerAction::<RecordDecision>::new();
    let plan = ServerAction::<PlanMeeting>::new();
    let task = ServerAction::<CreateTask>::new();
    let (plan_error, task_error) = (submission_error(plan), submission_error(task));
    let meetings = g.meetings.clone();
    let decisions = g.decisions.clone();
    let (update_error, add_error, decide_error) = (submission_error(update), submission_error(add), submission_error(decide));
    let (change_error, end_error) = (submission_error(change), submission_error(end));
    let id = g.id;
    let visibility = g.visibility;
    view! {
        <section aria-labelledby="verwalten">
            <h2 id="verwalten">"Gremium verwalten"</h2>
            <h3 id="mitglied-aufnehmen">"Mitglied aufnehmen"</h3>
            <p>"Aufgenommen werden Personen mit einem Konto im Portal: aus dem Land, den Kommunen, den Spitzenverbänden und den Partnerorganisationen."</p>
            <ErrorSummary error=add_error/>
            <ActionForm action=add attr:class="form narrow">
                <input type="hidden" name="gremium" value=id/>
                <Field name="email" id="mitglied-email" label="E-Mail-Adresse des Kontos" kind="email" autocomplete="off" required=true error=add_error/>
                <FieldBox name="role" id="mitglied-rolle" label="Rolle im Gremium" error=add_error>
                    <select id="mitglied-rolle" name="role">{role_options(kept(add_error, "role", MemberRole::Member.code()))}</select>
                </FieldBox>
                <button type="submit" class="button">"Aufnehmen"</button>
            </ActionForm>
            {(!g.members.is_empty()).then(|| view! {
                <h3>"Rollen und Mitgliedschaften"</h3>
                <ErrorSummary error=change_error/>
                <ErrorSummary error=end_error/>
                <DataTable id="mitglieder-verwalten" caption="Rolle ändern oder Mitgliedschaft beenden" columns=cols(["Name", "Rolle", "Mitgliedschaft"])>
                    {g.members.iter().cloned().map(|m| {
                        let field = format!("rolle-{}", m.id);
                        let (role_of, change_of, end_of) = (format!("Rolle von {}", m.name), format!(": Rolle von {}", m.name), format!(": Mitgliedschaft von {}", m.name));
                        view! {
                            <tr>
                                <td>{m.name}</td>
                                <td>
                                    <ActionForm action=change attr:class="inline-form">
                                        <input type="hidden" name="gremium" value=id/>
                                        <input type="hidden" name="member" value=m.id/>
                                        <label for=field.clone() class="visually-hidden">{role_of}</label>
                                        <select id=field name="role">{role_options(m.role.code().to_string())}</select>
                                        " "
                                        <button type="submit" class="button button-small">"Ändern"<span class="visually-hidden">{change_of}</span></button>
                                    </ActionForm>
                                </td>
                                <td>
                                    <ActionForm action=end attr:class="inline-form">
                                        <input type="hidden" name="gremium" value=id/>
                                        <input type="hidden" name="member" value=m.id/>
                                        <button type="submit" class="button button-small button-secondary">"Beenden"<span class="visually-hidden">{end_of}</span></button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
            })}
            {(!g.former.is_empty()).then(|| view! {
                <DataTable id="ehemalige" caption="Beendete Mitgliedschaften" columns=cols(["Name", "Organisation", "Rolle", "seit", "bis"])>
                    {g.former.iter().cloned().map(|m| view! {
                        <tr><td>{m.name}</td><td>{m.organisation}</td><td>{m.role.label()}</td><td>{m.since}</td><td>{m.until.unwrap_or_default()}</td></tr>
                    }).collect_view()}
                </DataTable>
            })}
            <h3 id="sitzung-planen">"Sitzung planen"</h3>
            <ErrorSummary error=plan_error/>
            <ActionForm action=plan attr:class="form narrow">
                <input type="hidden" name="gremium" value=id/>
                <Field name="title" id="sitzung-titel" label="Titel" required=true maxlength=200 error=plan_error/>
                <Field name="starts" id="sitzung-beginn" label="Beginn" kind="datetime-local" required=true error=plan_error/>
                <Field name="ends" id="sitzung-ende" label="Ende" kind="datetime-local" required=true error=plan_error/>
                <Field name="place" id="sitzung-ort" label="Ort" maxlength=300 error=plan_error/>
                <Field name="link" id="sitzung-link" label="Link zur Videokonferenz (https://…)" kind="url" maxlength=500 error=plan_error/>
                <button type="submit" class="button">"Sitzung planen"</button>
            </ActionForm>
            <h3 id="massnahme-anlegen">"Maßnahme anlegen"</h3>
            <ErrorSummary error=task_error/>
            <ActionForm action=task attr:class="form narrow">
                <input type="hidden" name="gremium" value=id/>
                <Field name="title" id="massnahme-titel" label="Maßnahme" required=true maxlength=200 error=task_error/>
                <Field name="owner" id="massnahme-verantwortlich" label="Verantwortlich" hint="E-Mail-Adresse einer Person oder Schlüssel einer Organisation (AGS, LAND, SGSA …)." required=true error=task_error/>
                <Field name="due" id="massnahme-faellig" label="Fällig am (TT.MM.JJJJ)" required=true error=task_error/>
                <FieldBox name="meeting" id="massnahme-sitzung" label="Aus der Sitzung (optional)" error=task_error>
                    <select id="massnahme-sitzung" name="meeting">
                        <option value="">"–"</option>
                        {meetings.into_iter().map(|m| view! { <option value=m.id>{m.title}</option> }).collect_view()}
                    </select>
                </FieldBox>
                <FieldBox name="decision" id="massnahme-beschluss" label="Aus dem Beschluss (optional)" error=task_error>
                    <select id="massnahme-beschluss" name="decision">
                        <option value="">"–"</option>
                        {decisions.into_iter().map(|d| view! { <option value=d.id>{format!("{}: {}", d.reference, d.title)}</option> }).collect_view()}
                    </select>
                </FieldBox>
                <FieldBox name="link_kind" id="massnahme-verweis" label="Verweist auf (optional)" error=task_error>
                    <select id="massnahme-verweis" name="link_kind">
                        <option value="">"–"</option>
                        {TaskLink::ALL.iter().map(|k| view! { <option value=k.code()>{k.label()}</option> }).collect_view()}
                    </select>
                </FieldBox>
                <Field name="link_value" id="massnahme-verweis-wert" label="Nummer, OZG-ID oder Kennung des Verweises" maxlength=40 error=task_error/>
                <button type="submit" class="button">"Maßnahme anlegen"</button>
            </ActionForm>
            <h3 id="beschluss-eintragen">"Beschluss eintragen"</h3>
            <p>"Der Beschluss erhält die nächste Nummer des Gremiums im Jahr seines Datums; Nummern werden nicht ausgelassen und nicht doppelt vergeben."</p>
            <ErrorSummary error=decide_error/>
            <ActionForm action=decide attr:class="form narrow">
                <input type="hidden" name="gremium" value=id/>
                <Field name="title" id="beschluss-titel" label="Titel" required=true maxlength=200 error=decide_error/>
                <FieldBox name="text" id="beschluss-text" label="Wortlaut" hint="Absätze, Listen und Links wie im Wissensportal (Markdown)." required=true error=decide_error>
                    <textarea id="beschluss-text" name="text" rows="6" required aria-describedby="beschluss-text-hinweis">{kept(decide_error, "text", "")}</textarea>
                </FieldBox>
                <Field name="decided_on" id="beschluss-datum" label="Beschlossen am (TT.MM.JJJJ)" required=true error=decide_error/>
                <FieldBox name="meeting" id="beschluss-sitzung" label="In der Sitzung (optional)" error=decide_error>
                    <select id="beschluss-sitzung" name="meeting">
                        <option value="">"–"</option>
                        {g.meetings.iter().map(|m| view! { <option value=m.id>{format!("{} ({})", m.title, m.when)}</option> }).collect_view()}
                    </select>
                </FieldBox>
                <fieldset class="field">
                    <legend>"Abstimmung"</legend>
                    <Field name="yes" id="beschluss-ja" label="Zustimmungen" inputmode="numeric" size=4 error=decide_error/>
                    <Field name="no" id="beschluss-nein" label="Ablehnungen" inputmode="numeric" size=4 error=decide_error/>
                    <Field name="abstain" id="beschluss-enthaltung" label="Enthaltungen" inputmode="numeric" size=4 error=decide_error/>
                </fieldset>
                <FieldBox name="visibility" id="beschluss-sichtbar" label="Wer liest den Beschluss?" hint=format!("Das Gremium ist »{}« sichtbar; weiter reicht kein Beschluss.", visibility.label()) error=decide_error>
                    <select id="beschluss-sichtbar" name="visibility" aria-describedby="beschluss-sichtbar-hinweis">
                        {let chosen = kept(decide_error, "visibility", DecisionVisibility::Members.code()); DecisionVisibility::ALL.iter().filter(|v| v.fits(visibility)).map(|v| view! { <option value=v.code() selected=v.code() == chosen>{v.label()}</option> }).collect_view()}
                    </select>
                </FieldBox>
                <button type="submit" class="button">"Beschluss eintragen"</button>
            </ActionForm>
            <h3 id="gremium-aendern">"Angaben des Gremiums"</h3>
            <ErrorSummary error=update_error/>
            <ActionForm action=update attr:class="form narrow">
                <input type="hidden" name="gremium" value=id/>
                <input type="hidden" name="version" value=g.version/>
                <crate::gremien::pages::parts::BodyFields error=update_error name=kept(update_error, "name", g.name.clone()) purpose=kept(update_error, "purpose", g.purpose.clone()) kind=kept(update_error, "kind", g.kind.code()) visibility=kept(update_error, "visibility", g.visibility.code())/>
                <button type="submit" class="button">"Speichern"</button>
            </ActionForm>
        </section>
    }
}
