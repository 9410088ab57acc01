//! Pages as valid HTML: what only the browser code would read is removed from pages without
//! islands, and preload links get a valid `crossorigin`.

use axum::body::Body;
use axum::extract::Request;
use super::plain;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// Largest page that is tidied; larger ones go out as rendered.
const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// A page without islands (every page for visitors without a session) loses what only the
/// browser code would read: the framework's empty `<!>` markers (a parse error in HTML5) and the
/// resource scripts it appends after `</html>`. A page that loads the islands keeps them (the
/// islands' hydration reads both), but its preload links get a valid `crossorigin` value: the
/// framework writes the CSP nonce there, where HTML allows only `anonymous` or
/// `use-credentials` (the module and the `fetch` of the WebAssembly are same-origin CORS
/// requests, which `anonymous` matches). Text from users never contains a literal `<` (it is
/// escaped), and the head holds no user text, so no content is hit.
pub fn tidy_html(page: &str) -> Option<String> {
    if page.contains("hydrateIslands") {
        // Only the head is looked at: no second pass over the body, no copy when nothing changes.
        let head = &page[..page.find("</head>").unwrap_or(0)];
        return head.contains("crossorigin=\"").then(|| anonymous_crossorigin(page));
    }
    let end = page.find("</html>").map(|i| i + "</html>".len()).unwrap_or(page.len());
    Some(page[..end].replace("<!>", ""))
}

/// Every `crossorigin="…"` in the head becomes `crossorigin="anonymous"`; the body is copied as
/// it is, without being searched.
fn anonymous_crossorigin(page: &str) -> String {
    const ATTR: &str = "crossorigin=\"";
    let head_end = page.find("</head>").unwrap_or(0);
    let mut out = String::with_capacity(page.len());
    let mut rest = &page[..head_end];
    while let Some(i) = rest.find(ATTR) {
        let value_start = i + ATTR.len();
        let Some(len) = rest[value_start..].find('"') else { break };
        out.push_str(&rest[..value_start]);
        out.push_str("anonymous");
        rest = &rest[value_start + len..];
    }
    out.push_str(rest);
    out.push_str(&page[head_end..]);
    out
}

/// Applies [`tidy_html`] to every HTML page.
pub async fn tidy_pages(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let is_html = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return plain(StatusCode::INTERNAL_SERVER_ERROR, "Die Seite konnte nicht erstellt werden.");
    };
    let body = match std::str::from_utf8(&bytes).ok().and_then(tidy_html) {
        Some(text) => Body::from(text),
        None => Body::from(bytes),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_lose_empty_markers_and_what_follows_the_document() {
        let page = "<!DOCTYPE html><html><head><!><!><!--HEAD--></head><body><p>&lt;!&gt;</p></body></html><script>__RESOLVED_RESOURCES=[];</script>";
        assert_eq!(tidy_html(page).as_deref(), Some("<!DOCTYPE html><html><head><!--HEAD--></head><body><p>&lt;!&gt;</p></body></html>"));
        assert_eq!(tidy_html("<html><head><script>hydrateIslands(x)</script></head><!></html><script></script>"), None);
    }

    #[test]
    fn preload_links_of_island_pages_carry_a_valid_crossorigin_instead_of_the_nonce() {
        let page = r#"<html><head><link rel="modulepreload" href="/pkg/a.js" crossorigin="n0nce"><link rel="preload" href="/pkg/a.wasm" as="fetch" crossorigin="n0nce"><script nonce="n0nce">hydrateIslands(x)</script></head><body><p>crossorigin="x"</p><!></body></html><script></script>"#;
        let tidy = tidy_html(page).expect("changed");
        assert_eq!(tidy.matches(r#"crossorigin="anonymous""#).count(), 2);
        assert!(!tidy.contains(r#"crossorigin="n0nce""#));
        assert!(tidy.contains(r#"<script nonce="n0nce">"#), "the script keeps its nonce");
        assert!(tidy.contains(r#"<p>crossorigin="x"</p><!>"#), "the body and the markers stay as they are");
    }
}
