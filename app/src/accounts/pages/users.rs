//! Administration: list of accounts with deactivation.

use crate::accounts::api::admin::{ChangeUserAccess, DeactivateUser, list_users};
use crate::ui::auth::RequireRole;
use crate::ui::forms::ErrorSummary;
use crate::identity::Role;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    // Page-level resources (not created inside a Suspense); the server checks the role again.
    let deactivate = ServerAction::<DeactivateUser>::new();
    let change = ServerAction::<ChangeUserAccess>::new();
    let users = Resource::new(move || (deactivate.version().get(), change.version().get()), |_| list_users());
    view! {
        <Title text="Benutzerverwaltung"/>
        <RequireRole roles=vec![Role::Admin]>
            <AdminUsers deactivate change users/>
        </RequireRole>
    }
}

#[component]
fn AdminUsers(
    deactivate: ServerAction<DeactivateUser>,
    change: ServerAction<ChangeUserAccess>,
    users: Resource<Result<Vec<crate::accounts::model::UserListItem>, crate::error::AppError>>,
) -> impl IntoView {
    let error = Signal::derive(move || deactivate.value().get().and_then(|r| r.err()).or_else(|| change.value().get().and_then(|r| r.err())));
    view! {
        <h1>"Benutzerverwaltung"</h1>
        <p>"Konten werden über die Kommandozeile angelegt (" <code>"server user create"</code> "). Deaktivierte Konten können sich nicht mehr anmelden; ihre Sitzungen und API-Schlüssel enden sofort, ebenso wenn sich Rolle oder Organisationen ändern."</p>
        <ErrorSummary error/>
        <Suspense fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-wrap" role="region" aria-labelledby="users-caption" tabindex="0">
                            <table>
                                <caption id="users-caption">{format!("{} Konten", list.len())}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Name"</th>
                                        <th scope="col">"E-Mail-Adresse"</th>
                                        <th scope="col">"Rolle"</th>
                                        <th scope="col">"Organisationen"</th>
                                        <th scope="col">"Letzte Anmeldung"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col">"Aktion"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list.into_iter().map(|u| {
                                        let id = u.id.clone();
                                        let name = u.name.clone();
                                        view! {
                                            <tr>
                                                <th scope="row">{u.name.clone()}{u.is_demo.then(|| view! { " " <span class="badge badge-demo">"Demo"</span> })}</th>
                                                <td>{u.email.clone()}</td>
                                                <td>{u.role.label()}</td>
                                                <td>{u.organisations.join(", ")}</td>
                                                <td>{u.last_login.clone().unwrap_or_else(|| "–".into())}</td>
                                                <td>{if u.active { "aktiv" } else { "deaktiviert" }}</td>
                                                <td>
                                                    {let id = id.clone(); view! { <details class="row-form">
                                                        <summary>"Rolle und Organisationen" <span class="visually-hidden">{format!(" von {name}")}</span></summary>
                                                        <ActionForm action=change attr:class="form">
                                                            <input type="hidden" name="user_id" value=id.clone()/>
                                                            <div class="field">
                                                                <label for=format!("role-{id}")>"Rolle"</label>
                                                                <select id=format!("role-{id}") name="role">
                                                                    {[Role::Clerk, Role::Advisor, Role::Association, Role::Admin].into_iter().map(|r| view! {
                                                                        <option value=r.code() selected=u.role == r>{r.label()}</option>
                                                                    }).collect_view()}
                                                                </select>
                                                            </div>
                                                            <div class="field">
                                                                <label for=format!("orgs-{id}")>"Organisationen (Schlüssel, durch Komma getrennt)"</label>
                                                                <input id=format!("orgs-{id}") name="orgs" value=u.org_keys.join(", ")/>
                                                            </div>
                                                            <button type="submit" class="button button-small">"Ändern und Sitzungen beenden"</button>
                                                        </ActionForm>
                                                    </details> }}
                                                    {u.active.then(|| view! {
                                                        <ActionForm action=deactivate>
                                                            <input type="hidden" name="user_id" value=id.clone()/>
                                                            <button type="submit" class="button button-danger button-small">
                                                                "Deaktivieren" <span class="visually-hidden">{format!(": {name}")}</span>
                                                            </button>
                                                        </ActionForm>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
