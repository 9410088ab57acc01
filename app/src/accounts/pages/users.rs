//! Account administration: administrators manage every account, a Kommune's Ansprechperson the
//! clerks of its own Kommune(s). List with search and filters; invitations and the CSV import
//! are plain form posts (a link may have to be shown once); row actions in `user_row.rs`.

use crate::ui::list::{DataTable, FilterChoice, FilterForm, FilterText, cols, options};
use crate::accounts::api::admin::{
    ChangeUserAccess, DeactivateUser, EraseUser, ReactivateUser, ResetUserMfa, SetManager, WithdrawInvitation, list_users,
};
use crate::accounts::model::{UserAdmin, UserFilter};
use crate::accounts::pages::user_row::{Actions, UserRow};
use crate::identity::Role;
use crate::ui::auth::use_auth;
use crate::ui::forms::{ErrorSummary, FieldBox, kept};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let actions = Actions {
        deactivate: ServerAction::<DeactivateUser>::new(),
        reactivate: ServerAction::<ReactivateUser>::new(),
        change: ServerAction::<ChangeUserAccess>::new(),
        withdraw: ServerAction::<WithdrawInvitation>::new(),
        manager: ServerAction::<SetManager>::new(),
        reset_mfa: ServerAction::<ResetUserMfa>::new(),
        erase: ServerAction::<EraseUser>::new(),
    };
    let filter = move || {
        query.with(|q| UserFilter {
            q: q.get("suche").unwrap_or_default(),
            role: q.get("rolle").unwrap_or_default(),
            org: q.get("organisation").unwrap_or_default(),
            state: q.get("status").unwrap_or_default(),
            mfa: q.get("zweiter_faktor").unwrap_or_default(),
            method: q.get("anmeldung").unwrap_or_default(),
        })
    };
    let users = Resource::new(move || (filter(), actions.version()), |(f, _)| list_users(f));
    view! {
        <Title text="Benutzerverwaltung"/>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match auth.me.await {
                    Ok(Some(me)) if me.role == Role::Admin || me.manages_clerks => view! { <AdminUsers actions users filter=Signal::derive(filter)/> }.into_any(),
                    Ok(Some(_)) => view! { <crate::ui::errors::Forbidden/> }.into_any(),
                    Ok(None) => view! { <crate::ui::errors::LoginRequired/> }.into_any(),
                    Err(e) => view! { <crate::ui::errors::ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdminUsers(actions: Actions, users: Resource<Result<UserAdmin, crate::error::AppError>>, filter: Signal<UserFilter>) -> impl IntoView {
    let error = actions.error();
    let query = use_query_map();
    let notice = move || {
        query.with(|q| {
            q.get("importiert").map(|n| format!("{n} Konten importiert; die Einladungen sind verschickt."))
        })
    };
    view! {
        <h1>"Benutzerverwaltung"</h1>
        {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <ErrorSummary error/>
        <Suspense fallback=crate::ui::list::Loading>
            {move || Suspend::new(async move {
                match users.await {
                    Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    Ok(admin) => {
                        let f = filter.get_untracked();
                        view! {
                            <p>{if admin.all {
                                "Sie verwalten alle Konten. Neue Personen erhalten eine Einladung per E-Mail und legen ihr Passwort selbst fest. Ändern sich Rolle oder Organisationen, enden alle Sitzungen und API-Schlüssel der Person."
                            } else {
                                "Als Ansprechperson Ihrer Kommune verwalten Sie die Konten der Sachbearbeitung Ihrer Kommune(n). Neue Personen erhalten eine Einladung per E-Mail."
                            }}</p>
                            <Creation admin=admin.clone()/>
                            <AccountFilter f roles=admin.roles.clone()/>
                            <UserTable admin actions/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Where the invitation form posts (a route of the server).
pub const INVITE: &str = "/verwaltung/benutzer/einladen";

#[component]
fn Creation(admin: UserAdmin) -> impl IntoView {
    let roles = admin.roles.clone();
    // A refused invitation comes back here with its messages and what was typed.
    let error = crate::ui::forms::route_error(INVITE);
    let refused = error.with_untracked(Option::is_some);
    view! {
        <details class="panel" open=refused>
            <summary>"Person einladen"</summary>
            <crate::ui::forms::ErrorSummary error/>
            <form method="post" action=INVITE class="form">
                <FieldBox name="name" id="einladen-name" label="Name (Pflichtfeld)" error><input id="einladen-name" name="name" required autocomplete="off" value=kept(error, "name", "")/></FieldBox>
                <FieldBox name="email" id="einladen-email" label="E-Mail-Adresse (Pflichtfeld)" error><input id="einladen-email" name="email" type="email" required autocomplete="off" value=kept(error, "email", "")/></FieldBox>
                <FieldBox name="role" id="einladen-rolle" label="Rolle" error>
                    <select id="einladen-rolle" name="role">
                        {let chosen = kept(error, "role", ""); roles.iter().map(|r| view! { <option value=r.code() selected=r.code() == chosen>{r.label()}</option> }).collect_view()}
                    </select>
                </FieldBox>
                <FieldBox name="orgs" id="einladen-orgs" label="Organisationen (Schlüssel, durch Komma getrennt)" hint="AGS oder Verbandsschlüssel einer Kommune, LAND für die Beratung, SGSA oder LKT für die Verbände, der Schlüssel einer Partnerorganisation." error><input id="einladen-orgs" name="orgs" aria-describedby="einladen-orgs-hinweis" value=kept(error, "orgs", "")/></FieldBox>
                {admin.all.then(|| view! {
                    <div class="field field-check">
                        <input id="einladen-ansprechperson" name="manages_clerks" type="checkbox" value="ja" checked=crate::ui::forms::kept_checked(error, "manages_clerks", "ja", false)/>
                        <label for="einladen-ansprechperson">"Ansprechperson der Kommune (verwaltet deren Sachbearbeitung)"</label>
                    </div>
                })}
                <button type="submit" class="button">{if admin.mail { "Einladung senden" } else { "Konto anlegen und Einladungslink zeigen" }}</button>
            </form>
        </details>
        <details class="panel">
            <summary>"Konten aus CSV importieren"</summary>
            <p>"Spalten: " <code>"E-Mail;Name;Rolle;Organisationen;Ansprechperson"</code> " mit Kopfzeile. Alle Zeilen werden zuerst geprüft; bei einem Fehler wird nichts angelegt. Danach erhält jede Person ihre Einladung."</p>
            <form method="post" action="/verwaltung/benutzer/import" enctype="multipart/form-data" class="form">
                <FieldBox name="datei" id="import-datei" label="CSV-Datei"><input id="import-datei" name="datei" type="file" accept=".csv,text/csv" required/></FieldBox>
                <button type="submit" class="button">"Importieren"</button>
            </form>
        </details>
    }
}

#[component]
fn AccountFilter(f: UserFilter, roles: Vec<Role>) -> impl IntoView {
    let opt = |value: &'static str, label: &'static str, current: &str| view! { <option value=value selected=current == value>{label}</option> };
    view! {
        <FilterForm action="/verwaltung/benutzer" label="Konten filtern">
            <FilterText name="suche" label="Name oder E-Mail-Adresse" value=f.q.clone() kind="search"/>
            <FilterChoice name="rolle" label="Rolle" options=options(&roles, Role::code, Role::label) current=f.role.clone()/>
            <FilterText name="organisation" label="Organisation (Schlüssel)" value=f.org.clone()/>
            <FieldBox name="status" id="filter-status" label="Status">
                <select id="filter-status" name="status">
                    {opt("", "alle", &f.state)}
                    {opt("aktiv", "aktiv", &f.state)}
                    {opt("eingeladen", "eingeladen", &f.state)}
                    {opt("deaktiviert", "deaktiviert", &f.state)}
                </select>
            </FieldBox>
            <FieldBox name="zweiter_faktor" id="filter-mfa" label="Zweiter Faktor">
                <select id="filter-mfa" name="zweiter_faktor">
                    {opt("", "alle", &f.mfa)}
                    {opt("an", "eingerichtet", &f.mfa)}
                    {opt("aus", "nicht eingerichtet", &f.mfa)}
                </select>
            </FieldBox>
            <FieldBox name="anmeldung" id="filter-anmeldung" label="Anmeldung">
                <select id="filter-anmeldung" name="anmeldung">
                    {opt("", "alle", &f.method)}
                    {opt("passwort", "mit Passwort", &f.method)}
                    {opt("landeskonto", "über das Landeskonto", &f.method)}
                </select>
            </FieldBox>
            <button type="submit" class="button button-secondary">"Filtern"</button>
        </FilterForm>
    }
}

#[component]
fn UserTable(admin: UserAdmin, actions: Actions) -> impl IntoView {
    let caption = if admin.users.len() == admin.total { crate::ui::format::count_of(admin.total, "Konto", "Konten") } else { format!("{} von {} Konten", admin.users.len(), admin.total) };
    let all = admin.all;
    let roles = admin.roles.clone();
    view! {
        <DataTable id="users-caption" caption=caption columns=cols(["Name", "E-Mail-Adresse", "Rolle", "Organisationen", "Anmeldung", "Zweiter Faktor", "Letzte Anmeldung", "Status", "Aktionen"]) class="stacked">
                    {admin.users.into_iter().map(|u| view! { <UserRow u actions all roles=roles.clone()/> }).collect_view()}
                </DataTable>
    }
}
