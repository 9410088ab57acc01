//! REST API of the Beratungsfälle under `/api/v1/cases` and the caller's notifications.

use crate::http::caller::Caller;
use crate::rest::error::ApiError;
use app::error::AppError;
use app::cases::model::{CaseFilter, CasePatch, NewCase};
use app::cases::service as cases;
use app::cases::service::{attachments, inbox, workflow};
use app::core::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRef, Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub fn routes<S>() -> Router<S>
where
    AppState: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/cases", get(list).post(create))
        .route("/cases/bulk", post(bulk))
        .route("/cases/{id}", get(read).patch(patch))
        .route("/cases/{id}/messages", get(messages).post(add_message))
        .route("/cases/{id}/attachments/{aid}", get(download))
        .route("/cases/{id}/links", post(link))
        .route("/cases/{id}/duplicate", post(duplicate))
        .route("/cases/{id}/confirm", post(confirm))
        .route("/case-categories", get(categories))
        .route("/case-teams", get(teams))
        .route("/notifications", get(notifications))
        .route("/notifications/read", post(notifications_read))
}

/// The route that takes files (the caller adds the upload limit and the refusal of anonymous
/// callers).
pub fn files<S>() -> Router<S>
where
    AppState: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/cases/{id}/attachments", get(list_attachments).post(upload).layer(DefaultBodyLimit::disable()))
}


/// Files per upload request (each up to the configured size).
pub const MAX_FILES: usize = 5;

pub(crate) fn json<T: serde::de::DeserializeOwned>(body: &[u8], fields: &str) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        AppError::field(
            "",
            format!("Die Daten konnten nicht gelesen werden (Zeile {}, Spalte {}). Erwartet wird JSON mit {fields}.", e.line(), e.column()),
        )
        .into()
    })
}

fn case_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound.into())
}

/// `GET /cases`: one page of the caller's inbox.
#[utoipa::path(get, path = "/cases", tag = "Beratungsfälle", summary = "Beratungsfälle im eigenen Bereich (Posteingang)",
    params(CaseFilter),
    responses(
        (status = 200, description = "Eine Seite (50 Fälle)", body = app::cases::model::CasePage),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = crate::rest::ErrorBody),
        (status = 422, description = "Ungültige Eingabe; Meldungen je Feld", body = crate::rest::ErrorBody),
    ))]
pub async fn list(State(state): State<AppState>, caller: Caller, filter: Result<Query<CaseFilter>, axum::extract::rejection::QueryRejection>) -> Result<Response, ApiError> {
    let (u, scope) = caller.signed_in()?;
    let Ok(Query(filter)) = filter else {
        return Err(AppError::field("", "Ein Filter hat einen ungültigen Wert.").into());
    };
    Ok(Json(inbox::list(&state.db, &scope, u, &filter, app::core::time::now()).await?).into_response())
}

/// `POST /cases`: a Kommune's clerk files a case.
#[utoipa::path(post, path = "/cases", tag = "Beratungsfälle", summary = "Fall anlegen (Sachbearbeitung einer Kommune)", request_body = app::cases::model::NewCase,
    responses(
        (status = 201, description = "Der neue Fall; Location nennt seine Adresse", body = app::cases::model::Case),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = crate::rest::ErrorBody),
        (status = 422, description = "Ungültige Eingabe; Meldungen je Feld", body = crate::rest::ErrorBody),
    ))]
pub async fn create(State(state): State<AppState>, caller: Caller, body: Bytes) -> Result<Response, ApiError> {
    let (u, scope) = caller.signed_in()?;
    app::access::policy::require_filer(&scope)?;
    let input: NewCase = json(&body, "»subject«, »category«, »description« und optional »ozg_ids«, »municipality«, »desired_date«")?;
    let now = app::core::time::now();
    let actor = workflow::Actor::at(u, &scope, &state.config, now);
    let id = workflow::create(&state.db, &actor, &input).await?;
    let detail = cases::detail(&state.db, &scope, u, id, now).await?;
    let mut res = (StatusCode::CREATED, Json(detail.case)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/cases/{id}")) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// `GET /cases/{id}`: the case as the caller may see it; marks it read.
#[utoipa::path(get, path = "/cases/{id}", tag = "Beratungsfälle", summary = "Ein Fall mit Unterhaltung, Verlauf und Verknüpfungen",
    params(("id" = String, Path, description = "Fallnummer")),
    responses(
        (status = 200, description = "Der Fall", body = app::cases::model::CaseDetail),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = crate::rest::ErrorBody),
        (status = 404, description = "Fall nicht gefunden", body = crate::rest::ErrorBody),
    ))]
pub async fn read(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (u, scope) = caller.signed_in()?;
    let id = case_id(&id)?;
    let now = app::core::time::now();
    let detail = cases::detail(&state.db, &scope, u, id, now).await?;
    cases::mark_seen(&state.db, &u.id, &detail.case, now).await.map_err(AppError::from)?;
    Ok(Json(detail).into_response())
}

/// `PATCH /cases/{id}`: the advisors' fields and the status, based on `version`.
#[utoipa::path(patch, path = "/cases/{id}", tag = "Beratungsfälle", summary = "Status, Zuständigkeit, Team, Priorität, Schlagwörter ändern (Landesberatung)", request_body = app::cases::model::CasePatch,
    params(("id" = String, Path, description = "Fallnummer")),
    responses(
        (status = 200, description = "Der geänderte Fall", body = app::cases::model::Case),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = crate::rest::ErrorBody),
        (status = 404, description = "Fall nicht gefunden", body = crate::rest::ErrorBody),
        (status = 409, description = "Veraltete Version", body = crate::rest::ErrorBody),
        (status = 422, description = "Unzulässiger Statuswechsel oder ungültige Angabe", body = crate::rest::ErrorBody),
    ))]
pub async fn patch(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, body: Bytes) -> Result<Response, ApiError> {
    let (u, scope) = caller.signed_in()?;
    let id = case_id(&id)?;
    let p: CasePatch = json(&body, "»version« und den zu ändernden Feldern (»status«, »owner_id«, »priority«, »team«, »tags«)")?;
    let now = app::core::time::now();
    let actor = workflow::Actor::at(u, &scope, &state.config, now);
    workflow::patch(&state.db, &actor, id, &p).await?;
    Ok(Json(cases::detail(&state.db, &scope, u, id, now).await?.case).into_response())
}

/// `GET /cases/{id}/messages`.
#[utoipa::path(get, path = "/cases/{id}/messages", tag = "Beratungsfälle", summary = "Nachrichten (für Kommunen ohne interne Notizen)",
    params(("id" = String, Path, description = "Fallnummer")),
    responses(
        (status = 200, description = "Nachrichten", body = Vec<app::cases::model::Message>),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = crate::rest::ErrorBody),
        (status = 404, description = "Fall nicht gefunden", body = crate::rest::ErrorBody),
    ))]
pub async fn messages(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (_, scope) = caller.signed_in()?;
    let id = case_id(&id)?;
    cases::load_for(&state.db, &scope, id).await?;
    Ok(Json(cases::messages(&state.db, &scope, id).await?).into_response())
}

/// A reply or (advisors only) an internal note.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewMessage {
    body: String,
    #[serde(default)]
    internal: bool,
    /// An advisor's reply that asks the Kommune for something: the case waits for the Kommune
    /// (its service times pause).
    #[serde(default)]
    wait: bool,
}

/// `POST /cases/{id}/messages`.
#[utoipa::path(post, path = "/cases/{id}/messages", tag = "Beratungsfälle", summary = "Antwort schreiben; internal: true (interne Notiz) und wait: true (auf die Kommune warten) nur für die Landesberatung", request_body = NewMessage,
    params(("id" = String, Path, description = "Fallnummer")),
    responses(
        (status = 201, description = "Die Nachricht", body = app::cases::model::Message),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = crate::rest::ErrorBody),
        (status = 404, description = "Fall nicht gefunden", body = crate::rest::ErrorBody),
        (status = 409, description = "Fall geschlossen bzw. Frist zur Wiedereröffnung abgelaufen", body = crate::rest::ErrorBody),
        (status = 422, description = "Ungültige Eingabe; Meldungen je Feld", body = crate::rest::ErrorBody),
    ))]
pub async fn add_message(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, body: Bytes) -> Result<Response, ApiError> {
    let (u, scope) = caller.signed_in()?;
    let id = case_id(&id)?;
    let m: NewMessage = json(&body, "»body« und optional »internal« und »wait«")?;
    let now = app::core::time::now();
    let actor = workflow::Actor::at(u, &scope, &state.config, now);
    let mid = workflow::add_message(&state.db, &actor, id, &m.body, m.internal, m.wait).await?;
    let all = cases::messages(&state.db, &scope, id).await?;
    let created = all.into_iter().find(|x| x.id == mid).ok_or(AppError::Internal)?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// `GET /cases/{id}/attachments`.
#[utoipa::path(get, path = "/cases/{id}/attachments", tag = "Beratungsfälle", summary = "Anhänge",
    params(("id" = String, Path, description = "Fallnummer")),
    responses(
        (status = 200, description = "Anhänge", body = Vec<app::cases::model::AttachmentInfo>),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = crate::rest::ErrorBody),
        (status = 404, description = "Fall nicht gefunden", body = crate::rest::ErrorBody),
    ))]
pub async fn list_attachments(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (_, scope) = caller.signed_in()?;
    let id = case_id(&id)?;
    cases::load_for(&state.db, &scope, id).await?;
    Ok(Json(cases::attachment_list(&state.db, &scope, id).await?).into_response())
}

/// Reads the uploaded files of a multipart body: (`datei` parts, `internal` flag). A part over
/// the limit is reported as too large without reading it all.
pub async fn read_upload(multipart: Multipart, max: usize) -> Result<(Vec<(String, Vec<u8>)>, bool), AppError> {
    let mut internal = false;
    let files = read_upload_into(multipart, max, &mut internal).await?;
    Ok((files, internal))
}

/// [`read_upload`] keeping the `internal` flag read so far even when it refuses the upload.
pub async fn read_upload_into(mut multipart: Multipart, max: usize, internal: &mut bool) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let mut files = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return Err(AppError::field("datei", "Die Datei konnte nicht gelesen werden.")),
        };
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "datei" | "file" => {
                if files.len() >= MAX_FILES {
                    return Err(AppError::field("datei", format!("Höchstens {MAX_FILES} Dateien auf einmal.")));
                }
                let filename = field.file_name().unwrap_or_default().to_string();
                let mut data = Vec::new();
                let mut field = field;
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if data.len() + chunk.len() > max {
                                return Err(AppError::field(
                                    "datei",
                                    format!(
                                        "»{}« ist zu groß; erlaubt sind höchstens {}.",
                                        attachments::clean_name(&filename),
                                        attachments::human_size(max as i64)
                                    ),
                                ));
                            }
                            data.extend_from_slice(&chunk);
                        }
                        Ok(None) => break,
                        Err(_) => return Err(AppError::field("datei", "Die Datei konnte nicht vollständig gelesen werden.")),
                    }
                }
                if !(filename.is_empty() && data.is_empty()) {
                    files.push((filename, data));
                }
            }
            // A flag: only its first bytes are read, however long the field is.
            "internal" | "intern" => {
                let mut field = field;
                let first = field.chunk().await.ok().flatten().unwrap_or_default();
                *internal = matches!(first.as_ref(), b"true" | b"ja");
            }
            _ => {}
        }
    }
    if files.is_empty() {
        return Err(AppError::field("datei", "Bitte wählen Sie eine Datei."));
    }
    Ok(files)
}

/// Stores every file of an upload, or none: each is checked before the first is stored.
pub async fn store_all(state: &AppState, actor: &workflow::Actor<'_>, id: i64, files: Vec<(String, Vec<u8>)>, internal: bool) -> Result<Vec<String>, AppError> {
    let max = state.config.attachment_max_bytes;
    let mut problems = Vec::new();
    for (name, data) in &files {
        if data.len() > max {
            problems.push(format!("»{}« ist zu groß; erlaubt sind höchstens {}.", attachments::clean_name(name), attachments::human_size(max as i64)));
        } else if let Err(m) = attachments::detect(&attachments::clean_name(name), data) {
            problems.push(m);
        }
    }
    if !problems.is_empty() {
        let mut map = std::collections::BTreeMap::new();
        map.insert("datei".to_string(), problems);
        return Err(AppError::Validation(map));
    }
    let limits = attachments::Limits::of(&state.config);
    // The upload as a whole must fit the quotas, so that none of its files is stored otherwise.
    let total: i64 = files.iter().map(|(_, d)| d.len() as i64).sum();
    let label = if files.len() == 1 { attachments::clean_name(&files[0].0) } else { format!("Die {} Dateien", files.len()) };
    attachments::check_quota(&state.db, &actor.user.id, id, &label, total, limits).await?;
    let mut ids = Vec::new();
    for (name, data) in files {
        ids.push(attachments::store(&state.db, actor, id, &name, data, internal, limits).await?);
    }
    Ok(ids)
}

/// The form of an upload (multipart/form-data).
#[derive(utoipa::ToSchema)]
#[allow(dead_code, reason = "describes the multipart form for the OpenAPI document only")]
pub struct UploadForm {
    /// One to five files (repeat the field).
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    datei: Vec<u8>,
    /// `true`: internal (advisors only).
    internal: Option<bool>,
}

/// `POST /cases/{id}/attachments` (multipart/form-data).
#[utoipa::path(post, path = "/cases/{id}/attachments", tag = "Beratungsfälle", summary = "Dateien hochladen (Feld »datei«, bis 5 Dateien; »internal=true« nur Landesberatung). Geprüft werden Größe und Inhalt (PDF, Bilder, Office, Text, CSV).", request_body(content = UploadForm, content_type = "multipart/form-data"),
    params(("id" = String, Path, description = "Fallnummer")),
    responses(
        (status = 201, description = "Die gespeicherten Anhänge", body = Vec<app::cases::model::AttachmentInfo>),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = crate::rest::ErrorBody),
        (status = 404, description = "Fall nicht gefunden", body = crate::rest::ErrorBody),
        (status = 409, description = "Fall geschlossen", body = crate::rest::ErrorBody),
        (status = 422, description = "Zu groß oder nicht erlaubte Art; nichts gespeichert", body = crate::rest::ErrorBody),
    ))]
pub async fn upload(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>) -> Result<Response, ApiError> {
    let (u, scope) = caller.signed_in()?;
    let id = case_id(&id)?;
    cases::load_for(&state.db, &scope, id).await?;
    let Ok(multipart) = multipart else {
        return Err(AppError::field("datei", "Erwartet wird multipart/form-data mit dem Feld »datei«.").into());
    };
    let (files, internal) = read_upload(multipart, state.config.attachment_max_bytes).await?;
    let now = app::core::time::now();
    let actor = workflow::Actor::at(u, &scope, &state.config, now);
    let ids = store_all(&state, &actor, id, files, internal).await?;
    let all = cases::attachment_list(&state.db, &scope, id).await?;
    let created: Vec<_> = all.into_iter().filter(|a| ids.contains(&a.id)).collect();
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// Sends a stored file as a download: never rendered inline, never sniffed.
pub fn file_response(name: &str, content_type: &str, data: Vec<u8>) -> Response {
    let ascii: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect();
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>().replace('+', "%20");
    let mut res = (StatusCode::OK, data).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    res
}

/// `GET /cases/{id}/attachments/{aid}`: always as a download.
#[utoipa::path(get, path = "/cases/{id}/attachments/{aid}", tag = "Beratungsfälle", summary = "Anhang herunterladen (immer als Download)",
    params(("id" = String, Path, description = "Fallnummer"), ("aid" = String, Path, description = "Kennung des Anhangs")),
    responses(
        (status = 200, description = "Die Datei mit Content-Disposition: attachment", body = Vec<u8>, content_type = "application/octet-stream"),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = crate::rest::ErrorBody),
        (status = 404, description = "Fall nicht gefunden", body = crate::rest::ErrorBody),
    ))]
pub async fn download(State(state): State<AppState>, caller: Caller, Path((id, aid)): Path<(String, String)>) -> Result<Response, ApiError> {
    let (_, scope) = caller.signed_in()?;
    let (name, kind, data) = attachments::fetch(&state.db, &scope, case_id(&id)?, &aid).await?;
    Ok(file_response(&name, &kind, data))
}

/// The other case of a link.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct LinkBody {
    other: i64,
}

#[utoipa::path(post, path = "/cases/{id}/links", tag = "Beratungsfälle", summary = "Mit einem anderen Fall verknüpfen (Landesberatung)", request_body = LinkBody,
    params(("id" = String, Path, description = "Fallnummer")),
    responses(
        (status = 204, description = "Verknüpft"),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = crate::rest::ErrorBody),
        (status = 404, description = "Fall nicht gefunden", body = crate::rest::ErrorBody),
        (status = 422, description = "Ungültige Eingabe; Meldungen je Feld", body = crate::rest::ErrorBody),
    ))]
pub async fn link(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, body: Bytes) -> Result<Response, ApiError> {
    let (u, scope) = caller.signed_in()?;
    let id = case_id(&id)?;
    cases::load_for(&state.db, &scope, id).await?;
    let b: LinkBody = json(&body, "»other« (Nummer des anderen Falls)")?;
    let actor = workflow::Actor::new(u, &scope, &state.config);
    workflow::link(&state.db, &actor, id, b.other).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The case a duplicate is closed in favour of, and the duplicate's version.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct DuplicateBody {
    of: i64,
    version: i32,
}

#[utoipa::path(post, path = "/cases/{id}/duplicate", tag = "Beratungsfälle", summary = "Als Duplikat eines Falls derselben Kommune schließen (Landesberatung)", request_body = DuplicateBody,
    params(("id" = String, Path, description = "Fallnummer")),
    responses(
        (status = 204, description = "Geschlossen"),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = crate::rest::ErrorBody),
        (status = 404, description = "Fall nicht gefunden", body = crate::rest::ErrorBody),
        (status = 409, description = "Veraltete Version", body = crate::rest::ErrorBody),
        (status = 422, description = "Ungültige Eingabe; Meldungen je Feld", body = crate::rest::ErrorBody),
    ))]
pub async fn duplicate(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, body: Bytes) -> Result<Response, ApiError> {
    let (u, scope) = caller.signed_in()?;
    let id = case_id(&id)?;
    cases::load_for(&state.db, &scope, id).await?;
    let b: DuplicateBody = json(&body, "»of« (Nummer des weitergeführten Falls) und »version«")?;
    let actor = workflow::Actor::new(u, &scope, &state.config);
    workflow::mark_duplicate(&state.db, &actor, id, b.of, b.version).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(post, path = "/cases/{id}/confirm", tag = "Beratungsfälle", summary = "Lösung bestätigen (Kommune): der Fall wird geschlossen",
    params(("id" = String, Path, description = "Fallnummer")),
    responses(
        (status = 204, description = "Geschlossen"),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = crate::rest::ErrorBody),
        (status = 404, description = "Fall nicht gefunden", body = crate::rest::ErrorBody),
        (status = 409, description = "Fall ist nicht gelöst", body = crate::rest::ErrorBody),
    ))]
pub async fn confirm(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (u, scope) = caller.signed_in()?;
    let id = case_id(&id)?;
    let actor = workflow::Actor::new(u, &scope, &state.config);
    workflow::confirm(&state.db, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(post, path = "/cases/bulk", tag = "Beratungsfälle", summary = "Sammelaktion (Landesberatung)", request_body = workflow::BulkAction,
    responses(
        (status = 200, description = "Anzahl geänderter Fälle", body = crate::rest::register::Changed),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = crate::rest::ErrorBody),
        (status = 422, description = "Mindestens ein Fall kann nicht geändert werden; keiner wurde geändert", body = crate::rest::ErrorBody),
    ))]
pub async fn bulk(State(state): State<AppState>, caller: Caller, body: Bytes) -> Result<Response, ApiError> {
    let (u, scope) = caller.signed_in()?;
    app::access::policy::require_advisor(&scope)?;
    let action: workflow::BulkAction = json(&body, "»ids« oder »filter« und den Änderungen (»status«, »owner_id«, »priority«, »team«, »add_tag«, »reply«)")?;
    let actor = workflow::Actor::new(u, &scope, &state.config);
    let n = workflow::bulk(&state.db, &actor, &action).await?;
    Ok(Json(crate::rest::register::Changed { changed: n }).into_response())
}

#[utoipa::path(get, path = "/case-categories", tag = "Beratungsfälle", summary = "Kategorien der Beratungsfälle",
    responses(
        (status = 200, description = "Kategorien", body = Vec<app::cases::model::Category>),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
    ))]
pub async fn categories(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    caller.signed_in()?;
    Ok(Json(cases::category_list(&state.db).await?).into_response())
}

#[utoipa::path(get, path = "/case-teams", tag = "Beratungsfälle", summary = "Teams der Landesberatung",
    responses(
        (status = 200, description = "Teams", body = Vec<app::cases::model::Team>),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
        (status = 403, description = "Keine Berechtigung", body = crate::rest::ErrorBody),
    ))]
pub async fn teams(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let (_, scope) = caller.signed_in()?;
    if !app::access::policy::sees_internal(&scope) {
        return Err(AppError::Forbidden.into());
    }
    Ok(Json(cases::team_list(&state.db).await?).into_response())
}

#[utoipa::path(get, path = "/notifications", tag = "Beratungsfälle", summary = "Eigene Benachrichtigungen (neueste 100)",
    responses(
        (status = 200, description = "Benachrichtigungen", body = Vec<app::core::notify::NotificationItem>),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
    ))]
pub async fn notifications(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let (u, _) = caller.signed_in()?;
    Ok(Json(app::core::notify::list(&state.db, &u.id).await?).into_response())
}

#[utoipa::path(post, path = "/notifications/read", tag = "Beratungsfälle", summary = "Alle eigenen Benachrichtigungen als gelesen markieren",
    responses(
        (status = 204, description = "Erledigt"),
        (status = 401, description = "Nicht angemeldet oder API-Schlüssel ungültig", body = crate::rest::ErrorBody),
    ))]
pub async fn notifications_read(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let (u, _) = caller.signed_in()?;
    app::core::notify::mark_all_read(&state.db, &u.id, app::core::time::now()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
