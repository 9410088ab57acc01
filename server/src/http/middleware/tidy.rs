//! Pages as valid HTML (the W3C Nu checker finds no error): what only the browser code would
//! read is removed from pages without islands; pages with islands keep it where HTML allows it,
//! and their preload links get a valid `crossorigin`.

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
/// resource scripts it appends after `</html>`. A page that loads the islands keeps both, as the
/// islands' hydration reads them, but in valid form: each marker becomes an empty comment
/// `<!---->` (the same node in the document a browser builds), and the scripts move to the end
/// of `<body>` (they only set variables, which the islands read after the document is parsed).
/// Its preload links get a valid `crossorigin` value: the framework writes the CSP nonce there,
/// where HTML allows only `anonymous` or `use-credentials` (the module and the `fetch` of the
/// WebAssembly are same-origin CORS requests, which `anonymous` matches). Text from users never
/// contains a literal `<` (it is escaped), and the head holds no user text, so no content is hit.
pub fn tidy_html(page: &str) -> String {
    let end = page.find("</html>").map(|i| i + "</html>".len()).unwrap_or(page.len());
    let (document, trailer) = page.split_at(end);
    let head_end = document.find("</head>").unwrap_or(0);
    if !document[..head_end].contains("hydrateIslands") {
        return document.replace("<!>", "");
    }
    let mut out = anonymous_crossorigin(&document[..head_end]);
    out.reserve(page.len() + 64);
    let body = document[head_end..].replace("<!>", "<!---->");
    match body.rfind("</body>") {
        Some(i) => {
            out.push_str(&body[..i]);
            out.push_str(trailer);
            out.push_str(&body[i..]);
        }
        None => {
            out.push_str(&body);
            out.push_str(trailer);
        }
    }
    out
}

/// The head with every `crossorigin="…"` as `crossorigin="anonymous"`, its markers as empty
/// comments.
fn anonymous_crossorigin(head: &str) -> String {
    const ATTR: &str = "crossorigin=\"";
    let mut out = String::with_capacity(head.len());
    let mut rest = head;
    while let Some(i) = rest.find(ATTR) {
        let value_start = i + ATTR.len();
        let Some(len) = rest[value_start..].find('"') else { break };
        out.push_str(&rest[..value_start]);
        out.push_str("anonymous");
        rest = &rest[value_start + len..];
    }
    out.push_str(rest);
    out.replace("<!>", "<!---->")
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
    let body = match std::str::from_utf8(&bytes) {
        Ok(page) => Body::from(tidy_html(page)),
        Err(_) => Body::from(bytes),
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
        assert_eq!(tidy_html(page), "<!DOCTYPE html><html><head><!--HEAD--></head><body><p>&lt;!&gt;</p></body></html>");
    }

    #[test]
    fn island_pages_keep_markers_and_resource_scripts_in_valid_places() {
        let page = r#"<html><head><script>hydrateIslands(x)</script></head><body><p>a</p><!></body></html><script nonce="n">__RESOLVED_RESOURCES=[];</script><script nonce="n">__INCOMPLETE_CHUNKS=[];</script>"#;
        assert_eq!(
            tidy_html(page),
            r#"<html><head><script>hydrateIslands(x)</script></head><body><p>a</p><!----><script nonce="n">__RESOLVED_RESOURCES=[];</script><script nonce="n">__INCOMPLETE_CHUNKS=[];</script></body></html>"#
        );
    }

    #[test]
    fn preload_links_of_island_pages_carry_a_valid_crossorigin_instead_of_the_nonce() {
        let page = r#"<html><head><link rel="modulepreload" href="/pkg/a.js" crossorigin="n0nce"><link rel="preload" href="/pkg/a.wasm" as="fetch" crossorigin="n0nce"><script nonce="n0nce">hydrateIslands(x)</script></head><body><p>crossorigin="x"</p><!></body></html><script></script>"#;
        let tidy = tidy_html(page);
        assert_eq!(tidy.matches(r#"crossorigin="anonymous""#).count(), 2);
        assert!(!tidy.contains(r#"crossorigin="n0nce""#));
        assert!(tidy.contains(r#"<script nonce="n0nce">"#), "the script keeps its nonce");
        assert!(tidy.contains(r#"<p>crossorigin="x"</p><!----><script></script></body>"#), "the body's text stays as it is");
    }
}
