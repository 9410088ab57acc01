//! Creating accounts from the administration page: an invitation, a new invitation, the CSV
//! import. Plain form posts answered with a page, because without a mail server the invitation
//! link has to be shown to the administrator exactly once (only its hash is stored).

use crate::http::caller::Caller;
use crate::http::html::escape;
use app::accounts::service::{import, manage};
use app::core::state::AppState;
use app::error::AppError;
use app::identity::Role;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    crate::http::html::page(status, title, body, "/verwaltung/benutzer", "Zurück zur Benutzerverwaltung")
}

fn refused(title: &str, e: AppError) -> Response {
    refused_with(title, "Es wurde nichts angelegt.", e)
}

/// A refusal page: `what` says what did not happen, then every message of the error.
fn refused_with(title: &str, what: &str, e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let items: Vec<String> = match e {
        AppError::Validation(map) => map.into_values().flatten().collect(),
        other => vec![other.to_string()],
    };
    let list: String = items.iter().map(|m| format!("<li>{}</li>", escape(m))).collect();
    page(status, title, &format!("<div class=\"error-summary\" role=\"alert\"><p>{}</p><ul>{list}</ul></div>", escape(what)))
}

fn login() -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, "/anmelden?weiter=%2Fverwaltung%2Fbenutzer")]).into_response()
}

fn link_block(email: &str, link: &str) -> String {
    format!(
        "<p><label for=\"link-{id}\">Einladungslink für {e}</label><br><input id=\"link-{id}\" class=\"mono\" readonly size=\"80\" value=\"{l}\"></p>",
        id = escape(&email.replace(['@', '.'], "-")),
        e = escape(email),
        l = escape(link),
    )
}

/// `POST /verwaltung/benutzer/einladen` with `name`, `email`, `role`, `orgs`, `manages_clerks`.
pub async fn invite(State(state): State<AppState>, caller: Caller, headers: axum::http::HeaderMap, body: Bytes) -> Response {
    let Some(actor) = caller.user else { return login() };
    let (mut name, mut email, mut role, mut orgs, mut manages) = (String::new(), String::new(), String::new(), String::new(), false);
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "name" => name = v.into_owned(),
            "email" => email = v.into_owned(),
            "role" => role = v.into_owned(),
            "orgs" => orgs = v.into_owned(),
            "manages_clerks" => manages = v == "ja",
            _ => {}
        }
    }
    let back = |e: AppError| super::back_to_form(&headers, "/verwaltung/benutzer", app::accounts::pages::users::INVITE, e, |e| refused("Einladung nicht verschickt", e));
    let Some(role) = Role::from_code(role.trim()) else { return back(AppError::field("role", "Bitte wählen Sie eine Rolle.")) };
    let org_keys: Vec<String> = orgs.split([',', ' ', ';']).map(str::trim).filter(|k| !k.is_empty()).map(str::to_string).collect();
    let inv = manage::Invitation { email: email.clone(), name, role, org_keys, manages_clerks: manages };
    match manage::invite(&state, &actor, inv).await {
        Ok((_, None)) => page(
            StatusCode::OK,
            "Einladung verschickt",
            &format!("<p role=\"status\">Das Konto ist angelegt; {} erhält eine Einladung per E-Mail.</p>", escape(&email.trim().to_lowercase())),
        ),
        Ok((_, Some(link))) => page(
            StatusCode::OK,
            "Konto angelegt",
            &format!(
                "<p role=\"status\">Das Konto ist angelegt. Es ist kein Mailserver eingerichtet: Geben Sie der Person diesen Link auf sicherem Weg. Er wird nur jetzt angezeigt.</p>{}",
                link_block(&email.trim().to_lowercase(), &link)
            ),
        ),
        Err(e) => back(e),
    }
}

/// `POST /verwaltung/benutzer/{id}/einladung`: a new invitation (the old link ends).
pub async fn resend(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Response {
    let Some(actor) = caller.user else { return login() };
    match manage::resend_invitation(&state, &actor, &id).await {
        Ok(None) => page(StatusCode::OK, "Einladung erneut verschickt", "<p role=\"status\">Die Person erhält eine neue Einladung per E-Mail; der alte Link gilt nicht mehr.</p>"),
        Ok(Some(link)) => page(
            StatusCode::OK,
            "Neuer Einladungslink",
            &format!("<p role=\"status\">Der alte Link gilt nicht mehr. Geben Sie der Person diesen Link auf sicherem Weg; er wird nur jetzt angezeigt.</p>{}", link_block("die Person", &link)),
        ),
        Err(e) => refused("Einladung nicht verschickt", e),
    }
}

/// `POST /verwaltung/benutzer/import` with the CSV file in `datei`.
pub async fn import(State(state): State<AppState>, caller: Caller, mut form: Multipart) -> Response {
    let Some(actor) = caller.user else { return login() };
    let mut bytes = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("datei") => match field.bytes().await {
                Ok(b) => bytes = Some(b),
                Err(_) => return refused("Konten nicht importiert", AppError::field("", "Die Datei konnte nicht vollständig empfangen werden.")),
            },
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return refused("Konten nicht importiert", AppError::field("", "Das Formular konnte nicht gelesen werden.")),
        }
    }
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return refused("Konten nicht importiert", AppError::field("", "Bitte wählen Sie eine CSV-Datei aus."));
    };
    match import::import(&state, &actor, &bytes).await {
        Ok(done) if done.links.is_empty() => {
            (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/verwaltung/benutzer?importiert={}", done.created))]).into_response()
        }
        Ok(done) => page(
            StatusCode::OK,
            "Konten importiert",
            &format!(
                "<p role=\"status\">{} Konten sind angelegt. Es ist kein Mailserver eingerichtet: Geben Sie jeder Person ihren Link auf sicherem Weg. Die Links werden nur jetzt angezeigt.</p>{}",
                done.created,
                done.links.iter().map(|(e, l)| link_block(e, l)).collect::<String>()
            ),
        ),
        Err(e) => refused("Konten nicht importiert", e),
    }
}

/// `GET /verwaltung/protokoll.csv?…`: the filtered audit log as CSV (administrators).
pub async fn audit_csv(
    State(state): State<AppState>,
    caller: Caller,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    let scope = &caller.scope;
    if let Err(e) = app::access::policy::require_audit_reader(&scope) {
        return crate::http::html::page(
            StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::FORBIDDEN),
            "Kein Zugriff",
            &format!("<p role=\"alert\">{}</p>", escape(&e.to_string())),
            "/",
            "Zur Startseite",
        );
    }
    let mut f = app::accounts::model::AuditFilter::default();
    for (k, v) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match k.as_ref() {
            "person" => f.person = v.into_owned(),
            "organisation" => f.org = v.into_owned(),
            "aktion" => f.action = v.into_owned(),
            "von" => f.from = v.into_owned(),
            "bis" => f.to = v.into_owned(),
            _ => {}
        }
    }
    match app::accounts::service::audit_log::csv(&state.db, &f).await {
        Ok(bytes) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"protokoll.csv\""),
                (header::CACHE_CONTROL, "no-store"),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => refused_with("Protokoll nicht exportiert", "Es wurde nichts exportiert.", e),
    }
}

fn json_file(name: &str, bytes: Vec<u8>) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /konto/auskunft.json`: the person's own data (Art. 15 DSGVO).
pub async fn own_disclosure(State(state): State<AppState>, caller: Caller) -> Response {
    let Some(me) = caller.user else { return login() };
    match app::accounts::service::disclosure::export(&state.db, &me.id, &me.id).await.and_then(|d| app::accounts::service::disclosure::to_bytes(&d)) {
        Ok(bytes) => json_file(&app::accounts::service::disclosure::file_name(&me.id), bytes),
        Err(e) => refused("Auskunft nicht erstellt", e),
    }
}

/// `GET /verwaltung/benutzer/{id}/auskunft.json`: a person's data for an administrator.
pub async fn disclosure(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Response {
    let Some(actor) = caller.user else { return login() };
    if app::access::policy::account_manager(&actor) != Ok(app::access::policy::AccountManager::All) {
        return refused("Auskunft nicht erstellt", AppError::Forbidden);
    }
    match app::accounts::service::disclosure::export(&state.db, &actor.id, &id).await.and_then(|d| app::accounts::service::disclosure::to_bytes(&d)) {
        Ok(bytes) => json_file(&app::accounts::service::disclosure::file_name(&id), bytes),
        Err(e) => refused("Auskunft nicht erstellt", e),
    }
}
