//! The browser's way through the Land's identity provider: start (redirect there), the callback
//! (back here with code and state), and the provider's logout after the portal's.

use crate::http::caller::Caller;
use crate::http::html::{escape, page};
use app::accounts::service::auth::Step;
use app::accounts::service::mfa;
use app::core::oidc;
use app::core::ctx::ClientIp;
use app::core::state::AppState;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

fn redirect(to: &str, cookies: &[String]) -> Response {
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response();
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn problem(status: StatusCode, message: &str) -> Response {
    page(status, "Anmeldung über das Landeskonto", &format!("<p role=\"alert\">{}</p>", escape(message)), "/anmelden", "Zur Anmeldung")
}

fn provider(state: &AppState) -> Result<&std::sync::Arc<oidc::Provider>, Response> {
    state.oidc.as_ref().ok_or_else(|| problem(StatusCode::NOT_FOUND, "Die Anmeldung über das Landeskonto ist nicht eingerichtet."))
}

#[derive(serde::Deserialize)]
pub struct Start {
    /// `?verbinden=1`: bind the provider identity to the account signed in here.
    verbinden: Option<String>,
    /// `?einladung=<key>`: bind it to the account of this open invitation.
    einladung: Option<String>,
}

/// `GET /anmelden/landeskonto`: to the provider. With `verbinden` (signed in) or `einladung` (an
/// open invitation's key) the identity is to be bound to that account: the proof is taken here,
/// in the browser that will finish the sign-in.
pub async fn start(State(state): State<AppState>, caller: Caller, Query(q): Query<Start>) -> Response {
    let p = match provider(&state) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let link_to = if q.verbinden.is_some() {
        match &caller.user {
            Some(u) => Some(u.id.clone()),
            None => return redirect("/anmelden", &[]),
        }
    } else if let Some(key) = q.einladung.filter(|k| !k.is_empty()) {
        match app::accounts::service::links::person_of(&state.db, app::accounts::service::links::LinkPurpose::Invite, &key).await {
            Ok(u) => Some(u.id),
            Err(_) => return problem(StatusCode::NOT_FOUND, "Diese Einladung ist nicht mehr gültig. Bitte bitten Sie um eine neue."),
        }
    } else {
        None
    };
    match p.start(&state.db, link_to).await {
        Ok((url, flow)) => redirect(&url, &[oidc::flow_cookie(state.config.cookie_secure, &flow)]),
        Err(e) => problem(StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::BAD_GATEWAY), &e.to_string()),
    }
}

#[derive(serde::Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

fn flow_cookie(headers: &HeaderMap, secure: bool) -> Option<String> {
    let name = oidc::flow_cookie_name(secure);
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|h| h.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name && !v.is_empty()).then(|| v.to_string())
    })
}

/// `GET /anmelden/landeskonto/rueckruf?code=…&state=…`: back from the provider.
pub async fn callback(
    State(state): State<AppState>,
    Extension(ip): Extension<ClientIp>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<Callback>,
) -> Response {
    let p = match provider(&state) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let secure = state.config.cookie_secure;
    if let Some(err) = q.error {
        tracing::info!(error = %err, "Identitätsanbieter meldet einen Abbruch");
        return problem(StatusCode::UNAUTHORIZED, "Die Anmeldung beim Landeskonto wurde abgebrochen.");
    }
    let (Some(code), Some(returned)) = (q.code, q.state) else {
        return problem(StatusCode::BAD_REQUEST, "Dem Rückruf des Landeskontos fehlen Code oder state.");
    };
    let cookie = flow_cookie(&headers, secure);
    let verified = match app::accounts::service::oidc::finish(&state, p, &code, &returned, cookie.as_deref(), &ip.0).await {
        Ok(v) => v,
        Err(e) => return problem(StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::CONFLICT), &e.to_string()),
    };
    let previous = caller.user.map(|u| u.session_hash);
    match app::accounts::service::oidc::sign_in(&state, verified, &ip.0, previous.as_deref()).await {
        Ok(Step::Session(token)) => redirect("/", &[app::core::session::set_cookie(&state.config, &token), oidc::clear_flow_cookie(secure)]),
        Ok(Step::SecondFactor(challenge)) => {
            redirect("/anmelden/zweiter-faktor", &[mfa::challenge_cookie(secure, &challenge), oidc::clear_flow_cookie(secure)])
        }
        Err(e) => problem(StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), &e.to_string()),
    }
}

/// `GET /anmelden/landeskonto/abmelden`: also sign out at the provider, where it offers that.
pub async fn logout(State(state): State<AppState>) -> Response {
    let p = match provider(&state) {
        Ok(p) => p,
        Err(r) => return r,
    };
    match p.logout_url(&state.config.base_url).await {
        Some(url) => redirect(&url, &[]),
        None => redirect("/anmelden?abgemeldet=1", &[]),
    }
}
