//! Creating a personal API token from the account page. A plain form post answers with a page
//! that shows the secret exactly once (it is stored only as a hash), with or without JavaScript.

use crate::http::caller::Caller;
use app::error::AppError;
use app::core::ctx::ClientIp;
use app::core::state::AppState;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::http::html::escape;

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    crate::http::html::page(status, title, body, "/konto", "Zurück zu »Mein Konto«")
}

/// `POST /konto/api-schluessel` with `name` and `days`.
pub async fn create(State(state): State<AppState>, Extension(ip): Extension<ClientIp>, caller: Caller, headers: axum::http::HeaderMap, body: Bytes) -> Response {
    let Some(user) = caller.user else {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, "/anmelden?weiter=%2Fkonto")]).into_response();
    };
    if user.via_token {
        return page(StatusCode::FORBIDDEN, "Nicht erlaubt", "<p>Ein API-Schlüssel kann keine weiteren Schlüssel anlegen.</p>");
    }
    let (mut name, mut days, mut scope, mut reauth) = (String::new(), String::new(), String::new(), String::new());
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "name" => name = v.into_owned(),
            "days" => days = v.into_owned(),
            "scope" => scope = v.into_owned(),
            "reauth" => reauth = v.into_owned(),
            _ => {}
        }
    }
    // A key that may write acts in the person's name: a sensitive change, confirmed again.
    let confirmed = if scope.trim() == "write" { app::accounts::service::reauth::confirm(&state, &user, &reauth, &ip.0).await } else { Ok(()) };
    let back = |e: AppError| super::back_to_form(&headers, "/konto#neuer-schluessel", app::accounts::pages::account::TOKEN_FORM, e, refused_page);
    if let Err(e) = confirmed {
        return back(e);
    }
    match app::core::tokens::create(&state.db, &user, &name, &days, &scope, &ip.0).await {
        Ok((secret, info)) => page(
            StatusCode::OK,
            "Neuer API-Schlüssel",
            &format!(
                "<p role=\"status\">Der Schlüssel »{name}« ({scope}) wurde angelegt und gilt bis {until}. Kopieren Sie ihn jetzt: \
                 er wird nur dieses eine Mal angezeigt.</p>\
                 <p><label for=\"schluessel\">API-Schlüssel</label><br><input id=\"schluessel\" class=\"mono\" readonly size=\"60\" value=\"{secret}\"></p>\
                 <p>Verwendung: <code>Authorization: Bearer {secret}</code> bei Anfragen an <code>/api/v1/…</code>. \
                 Die Beschreibung der Schnittstelle steht unter <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p>",
                name = escape(&info.name),
                scope = info.scope_label(),
                until = app::core::time::format_berlin(
                    chrono::DateTime::parse_from_rfc3339(&info.expires_at).map(|d| d.with_timezone(&chrono::Utc)).unwrap_or_default()
                ),
                secret = escape(&secret),
            ),
        ),
        Err(e) => back(e),
    }
}

/// The page of a key not created, with the reasons.
fn refused_page(e: AppError) -> Response {
    match e {
        AppError::Validation(map) => {
            let items: String = map.values().flatten().map(|m| format!("<li>{}</li>", escape(m))).collect();
            page(StatusCode::UNPROCESSABLE_ENTITY, "Schlüssel nicht angelegt", &format!("<div class=\"error-summary\" role=\"alert\"><ul>{items}</ul></div>"))
        }
        e => page(
            StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "Schlüssel nicht angelegt",
            &format!("<p role=\"alert\">{}</p>", escape(&e.to_string())),
        ),
    }
}
