//! What a refused plain form held: kept when its server function refuses it (the framework then
//! redirects back to the form's page with the error), given to that page when it is shown, so
//! every field shows what was submitted (`app::core::drafts`, `app::ui::forms::kept`).

use app::core::drafts;
use app::core::session::CurrentUser;
use app::core::state::AppState;
use app::ui::forms::Submitted;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;

/// The URL without a previous draft's token.
fn without_token(location: &str) -> String {
    let Some((path, query)) = location.split_once('?') else { return location.to_string() };
    let kept: Vec<&str> = query.split('&').filter(|p| !p.starts_with(drafts::PARAM)).collect();
    if kept.is_empty() { path.to_string() } else { format!("{path}?{}", kept.join("&")) }
}

/// On the page groups: a page view with a draft's token gets the draft (once, and only the
/// person who submitted it); a refused plain-form post to a server function keeps its pairs
/// and the redirect back carries the token.
pub async fn keep_refused_forms(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let user = req.extensions().get::<CurrentUser>().map(|u| u.id.clone());
    if req.method() == Method::GET {
        let token = req.uri().query().and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == drafts::PARAM).map(|(_, v)| v.into_owned()));
        if let Some(token) = token {
            match drafts::take(&state.db, user.as_deref(), &token).await {
                Ok(Some(pairs)) => {
                    req.extensions_mut().insert(Submitted(pairs));
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "Entwurf eines abgelehnten Formulars nicht lesbar"),
            }
        }
        return next.run(req).await;
    }
    let is_form = req.method() == Method::POST
        && req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return next.run(req).await;
    }
    // The body was read within its limit by `limit_bodies`, which stands outside this layer.
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, super::MAX_BODY_BYTES).await.unwrap_or_default();
    let mut res = next.run(Request::from_parts(parts, Body::from(bytes.clone()))).await;
    let Some(location) = res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(without_token) else { return res };
    let location = if res.status().is_redirection() && location.contains("__err=") {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
        match drafts::keep(&state.db, user.as_deref(), pairs).await {
            Ok(token) => format!("{location}{}{}={token}", if location.contains('?') { '&' } else { '?' }, drafts::PARAM),
            Err(e) => {
                tracing::warn!(error = %e, "Entwurf eines abgelehnten Formulars nicht gespeichert");
                location
            }
        }
    } else {
        location
    };
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_previous_token_leaves_the_url() {
        assert_eq!(without_token("http://h/a?x=1&__formular=abc&y=2"), "http://h/a?x=1&y=2");
        assert_eq!(without_token("http://h/a?__formular=abc"), "http://h/a");
        assert_eq!(without_token("/a"), "/a");
    }
}
