//! One row of the account list with its actions (each a form that works without JavaScript).

use crate::ui::forms::{FieldBox, Field};
use crate::accounts::api::admin::{ChangeUserAccess, DeactivateUser, EraseUser, ReactivateUser, ResetUserMfa, SetManager, WithdrawInvitation};
use crate::accounts::model::UserListItem;
use crate::error::AppError;
use crate::identity::Role;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The row actions of the page.
#[derive(Clone, Copy)]
pub struct Actions {
    pub deactivate: ServerAction<DeactivateUser>,
    pub reactivate: ServerAction<ReactivateUser>,
    pub change: ServerAction<ChangeUserAccess>,
    pub withdraw: ServerAction<WithdrawInvitation>,
    pub manager: ServerAction<SetManager>,
    pub reset_mfa: ServerAction<ResetUserMfa>,
    pub erase: ServerAction<EraseUser>,
}

impl Actions {
    /// Changes whenever any action completed (the list reloads).
    pub fn version(&self) -> usize {
        self.deactivate.version().get()
            + self.reactivate.version().get()
            + self.change.version().get()
            + self.withdraw.version().get()
            + self.manager.version().get()
            + self.reset_mfa.version().get()
            + self.erase.version().get()
    }

    /// The error of the last failed action (in the browser, or after a form post without script).
    pub fn error(&self) -> Signal<Option<AppError>> {
        let errs = [
            crate::ui::forms::submission_error(self.deactivate),
            crate::ui::forms::submission_error(self.reactivate),
            crate::ui::forms::submission_error(self.change),
            crate::ui::forms::submission_error(self.withdraw),
            crate::ui::forms::submission_error(self.manager),
            crate::ui::forms::submission_error(self.reset_mfa),
            crate::ui::forms::submission_error(self.erase),
        ];
        Signal::derive(move || errs.iter().find_map(|e| e.get()))
    }
}

fn sign_in_label(u: &UserListItem) -> String {
    match u.sign_in.as_str() {
        "oidc" => "Landeskonto".into(),
        "invited" => format!("Einladung {}", u.invitation.clone().unwrap_or_else(|| "ausstehend".into())),
        _ => "Passwort".into(),
    }
}

#[component]
pub fn UserRow(u: UserListItem, actions: Actions, all: bool, roles: Vec<Role>) -> impl IntoView {
    let id = u.id.clone();
    let sr = format!(" – {}", u.name);
    view! {
        <tr>
            <th scope="row">
                {u.name.clone()}
                {u.is_demo.then_some(view! { " " <span class="badge badge-demo">"Demo"</span> })}
                {u.manages_clerks.then_some(view! { " " <span class="badge">"Ansprechperson"</span> })}
            </th>
            <td data-label="E-Mail-Adresse">{u.email.clone()}</td>
            <td data-label="Rolle">{u.role.label()}</td>
            <td data-label="Organisationen">{u.organisations.join(", ")}</td>
            <td data-label="Anmeldung">{sign_in_label(&u)}</td>
            <td data-label="Zweiter Faktor">{if u.mfa { "eingerichtet" } else { "–" }}</td>
            <td data-label="Letzte Anmeldung">{u.last_login.clone().unwrap_or_else(|| "–".into())}</td>
            <td data-label="Status">{if u.active { "aktiv" } else { "deaktiviert" }}</td>
            <td class="actions" data-label="Aktionen">
                {let (id, sr) = (id.clone(), sr.clone()); let role_id = format!("role-{id}"); view! { <details class="row-form">
                    <summary>"Rolle und Organisationen" <span class="visually-hidden">{sr.clone()}</span></summary>
                    <ActionForm action=actions.change attr:class="form">
                        <input type="hidden" name="user_id" value=id.clone()/>
                        <FieldBox name="role" id=format!("role-{id}") label="Rolle">
                            <select id=role_id name="role">
                                {roles.iter().map(|r| view! { <option value=r.code() selected=u.role == *r>{r.label()}</option> }).collect_view()}
                            </select>
                        </FieldBox>
                        <Field name="orgs" id=format!("orgs-{id}") label="Organisationen (Schlüssel, durch Komma getrennt)" value=u.org_keys.join(", ")/>
                        <button type="submit" class="button button-small">"Ändern und Sitzungen beenden"</button>
                    </ActionForm>
                </details> }}
                {let (id, sr) = (id.clone(), sr.clone()); u.invitation_open.then_some(view! {
                    <form method="post" action=format!("/verwaltung/benutzer/{id}/einladung")>
                        <button type="submit" class="button button-small">"Einladung erneut senden" <span class="visually-hidden">{sr.clone()}</span></button>
                    </form>
                })}
                {let (id, sr) = (id.clone(), sr.clone()); (u.invitation_open && u.invitation.as_deref().is_some_and(|i| i.starts_with("offen"))).then_some(view! {
                    <ActionForm action=actions.withdraw>
                        <input type="hidden" name="user_id" value=id.clone()/>
                        <button type="submit" class="button button-small">"Einladung zurückziehen" <span class="visually-hidden">{sr.clone()}</span></button>
                    </ActionForm>
                })}
                {let (id, sr) = (id.clone(), sr.clone()); u.mfa.then_some(view! {
                    <ActionForm action=actions.reset_mfa>
                        <input type="hidden" name="user_id" value=id.clone()/>
                        <button type="submit" class="button button-small">"Zweiten Faktor zurücksetzen" <span class="visually-hidden">{sr.clone()}</span></button>
                    </ActionForm>
                })}
                {let (id, sr) = (id.clone(), sr.clone()); (all && u.role == Role::Clerk).then_some(view! {
                    <ActionForm action=actions.manager>
                        <input type="hidden" name="user_id" value=id.clone()/>
                        <input type="hidden" name="on" value=if u.manages_clerks { "nein" } else { "ja" }/>
                        <button type="submit" class="button button-small">
                            {if u.manages_clerks { "Als Ansprechperson abberufen" } else { "Zur Ansprechperson machen" }}
                            <span class="visually-hidden">{sr.clone()}</span>
                        </button>
                    </ActionForm>
                })}
                {let (id, sr) = (id.clone(), sr.clone()); all.then_some(view! {
                    <a class="button button-small button-secondary" href=format!("/verwaltung/benutzer/{id}/auskunft.json")>"Auskunft (JSON)" <span class="visually-hidden">{sr}</span></a>
                })}
                {let (id, sr) = (id.clone(), sr.clone()); (all && u.name != "Ehemalige Person").then_some(view! {
                    <details class="row-form">
                        <summary>"Person löschen" <span class="visually-hidden">{sr.clone()}</span></summary>
                        <p>"Name und E-Mail-Adresse werden entfernt, ebenso Sitzungen, API-Schlüssel, Benachrichtigungen und Einstellungen. Fälle und Nachrichten bleiben als »Ehemalige Person« erhalten. Das lässt sich nicht rückgängig machen."</p>
                        <ActionForm action=actions.erase>
                            <input type="hidden" name="user_id" value=id.clone()/>
                            <button type="submit" class="button button-danger button-small">"Endgültig löschen" <span class="visually-hidden">{sr}</span></button>
                        </ActionForm>
                    </details>
                })}
                {let (id, sr) = (id.clone(), sr.clone()); if u.active {
                    view! {
                        <ActionForm action=actions.deactivate>
                            <input type="hidden" name="user_id" value=id.clone()/>
                            <button type="submit" class="button button-danger button-small">"Deaktivieren" <span class="visually-hidden">{sr.clone()}</span></button>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! {
                        <ActionForm action=actions.reactivate>
                            <input type="hidden" name="user_id" value=id.clone()/>
                            <button type="submit" class="button button-small">"Reaktivieren" <span class="visually-hidden">{sr.clone()}</span></button>
                        </ActionForm>
                    }.into_any()
                }}
            </td>
        </tr>
    }
}
