//! Plain HTML form posts of the case pages that server functions cannot take: the inbox's bulk
//! action (checkbox lists arrive as repeated keys) and file uploads (multipart); plus the
//! attachment download for signed-in browsers.

use crate::http::caller::Caller;
use crate::rest::cases::{file_response, store_all};
use crate::http::html::escape;
use app::error::AppError;
use app::cases::model::{CaseFilter, CaseStatus, Priority};
use app::cases::service::workflow;
use app::cases::service::workflow::BulkAction;
use app::core::state::AppState;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

fn encode(v: &str) -> String {
    form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

fn to_login(back: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/anmelden?weiter={}", encode(back)))]).into_response()
}

fn problem_page(status: StatusCode, title: &str, messages: &[String], back: &str, back_label: &str) -> Response {
    let items: String = messages.iter().map(|m| format!("<li>{}</li>", escape(m))).collect();
    crate::http::html::page(status, title, &format!("<div class=\"error-summary\" role=\"alert\"><ul>{items}</ul></div>"), back, back_label)
}

/// Reads the inbox filter back from its query string (as the page put it into the form).
fn filter_of(q: &str) -> CaseFilter {
    let mut f = CaseFilter::default();
    for (k, v) in form_urlencoded::parse(q.as_bytes()) {
        let v = Some(v.into_owned()).filter(|v| !v.is_empty());
        match k.as_ref() {
            "ansicht" => f.view = v,
            "status" => f.status = v,
            "prioritaet" => f.priority = v,
            "kategorie" => f.category = v,
            "team" => f.team = v,
            "zustaendig" => f.owner = v,
            "kreis" => f.kreis = v,
            "kommune" => f.municipality = v,
            "ozg" => f.ozg_id = v,
            "schlagwort" => f.tag = v,
            "von" => f.from = v,
            "bis" => f.to = v,
            "seit" => f.since = v,
            "suche" => f.q = v,
            _ => {}
        }
    }
    f
}

/// `POST /faelle/sammelaktion`: `fall` (repeated) or `alle=ja` with `filter`, and the changes.
pub async fn bulk(State(state): State<AppState>, caller: Caller, body: Bytes) -> Response {
    let Some(current) = &caller.user else { return to_login("/faelle") };
    let scope = &caller.scope;
    let mut action = BulkAction::default();
    let (mut all, mut filter) = (false, String::new());
    let mut problems = Vec::new();
    for (k, v) in form_urlencoded::parse(&body) {
        let v = v.trim().to_string();
        match k.as_ref() {
            "fall" => match v.parse::<i64>() {
                Ok(n) => action.ids.push(n),
                Err(_) => problems.push(format!("»{v}« ist keine Fallnummer.")),
            },
            "alle" => all = v == "ja",
            "filter" => filter = v,
            "status" if !v.is_empty() => match CaseStatus::from_code(&v) {
                Some(s) => action.status = Some(s),
                None => problems.push("Diesen Status gibt es nicht.".into()),
            },
            "priority" if !v.is_empty() => match Priority::from_code(&v) {
                Some(p) => action.priority = Some(p),
                None => problems.push("Diese Priorität gibt es nicht.".into()),
            },
            // "-" keeps the value; "" removes it.
            "owner_id" if v != "-" => action.owner_id = Some(v),
            "team" if v != "-" => action.team = Some(v),
            "add_tag" if !v.is_empty() => action.add_tag = Some(v),
            "reply" if !v.is_empty() => action.reply = Some(v),
            _ => {}
        }
    }
    let back = if filter.is_empty() { "/faelle".to_string() } else { format!("/faelle?{filter}") };
    if !problems.is_empty() {
        return problem_page(StatusCode::UNPROCESSABLE_ENTITY, "Sammelaktion nicht ausgeführt", &problems, &back, "Zurück zur Fallübersicht");
    }
    if all {
        action.ids.clear();
        action.filter = Some(filter_of(&filter));
    }
    let actor = workflow::Actor::new(current, &scope, &state.config);
    match workflow::bulk(&state.db, &actor, &action).await {
        Ok(n) => {
            let sep = if back.contains('?') { '&' } else { '?' };
            (StatusCode::SEE_OTHER, [(header::LOCATION, format!("{back}{sep}sammel={n}"))]).into_response()
        }
        Err(e @ (AppError::Forbidden | AppError::Unauthorized)) => problem_page(
            StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::FORBIDDEN),
            "Nicht erlaubt",
            &["Sammelaktionen sind der Landesberatung vorbehalten.".to_string()],
            "/",
            "Zur Startseite",
        ),
        Err(e) => problem_page(
            StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY),
            "Sammelaktion nicht ausgeführt",
            &e.summary(),
            &back,
            "Zurück zur Fallübersicht",
        ),
    }
}

/// `POST /faelle/{id}/anhaenge` (multipart `datei`, optional `intern=ja` for advisors).
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Ok(n) = id.parse::<i64>() else { return problem_page(StatusCode::NOT_FOUND, "Nicht gefunden", &[AppError::NotFound.to_string()], "/faelle", "Zur Fallübersicht") };
    let back = format!("/faelle/{n}");
    let Some(current) = &caller.user else { return to_login(&back) };
    let scope = &caller.scope;
    if let Err(e) = app::cases::service::load_for(&state.db, &scope, n).await {
        let status = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::FORBIDDEN);
        return problem_page(status, "Nicht erlaubt", &[e.to_string()], "/faelle", "Zur Fallübersicht");
    }
    let mut internal = false;
    let result = async {
        let Ok(multipart) = multipart else {
            return Err(AppError::field("datei", "Bitte wählen Sie eine Datei."));
        };
        let files = crate::rest::cases::read_upload_into(multipart, state.config.attachment_max_bytes, &mut internal).await?;
        let actor = workflow::Actor::new(current, &scope, &state.config);
        store_all(&state, &actor, n, files, internal).await
    }
    .await;
    // A browser goes back to the case: the messages above, "nur intern" still ticked as it was
    // (a file meant for the Land alone must not go out to the Kommune on the second try).
    let browser = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    if browser && let Err(AppError::Validation(_)) = &result {
        let message = result.as_ref().err().map(|e| e.summary().join(" ")).unwrap_or_default();
        let pairs = if internal { vec![("intern".to_string(), "ja".to_string())] } else { Vec::new() };
        let token = match app::core::drafts::keep(&state.db, Some(&current.id), pairs).await {
            Ok(t) => format!("&{}={t}", app::core::drafts::PARAM),
            Err(e) => {
                tracing::warn!(error = %e, "Entwurf eines abgelehnten Uploads nicht gespeichert");
                String::new()
            }
        };
        let location = format!("{back}?anhangfehler={}{token}#anhaenge", app::ui::format::urlencode(&message));
        return (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    }
    match result {
        Ok(ids) => (StatusCode::SEE_OTHER, [(header::LOCATION, format!("{back}?anhang={}#anhaenge", ids.len()))]).into_response(),
        Err(e @ (AppError::Forbidden | AppError::Unauthorized)) => {
            problem_page(StatusCode::FORBIDDEN, "Nicht erlaubt", &[e.to_string()], &back, "Zurück zum Fall")
        }
        Err(e) => problem_page(
            StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY),
            "Anhang nicht gespeichert",
            &e.summary(),
            &back,
            "Zurück zum Fall",
        ),
    }
}

/// `GET /faelle/{id}/anhaenge/{aid}`: the file as a download.
pub async fn download(State(state): State<AppState>, caller: Caller, Path((id, aid)): Path<(String, String)>) -> Response {
    let Some(_current) = &caller.user else { return to_login(&format!("/faelle/{id}")) };
    let scope = &caller.scope;
    let Ok(n) = id.parse::<i64>() else { return problem_page(StatusCode::NOT_FOUND, "Nicht gefunden", &[AppError::NotFound.to_string()], "/faelle", "Zur Fallübersicht") };
    match app::cases::service::attachments::fetch(&state.db, &scope, n, &aid).await {
        Ok((name, kind, data)) => file_response(&name, &kind, data),
        Err(e) => problem_page(
            StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::NOT_FOUND),
            "Anhang nicht verfügbar",
            &[e.to_string()],
            "/faelle",
            "Zur Fallübersicht",
        ),
    }
}
