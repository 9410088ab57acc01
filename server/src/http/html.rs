//! Small complete HTML answers for plain form posts handled outside Leptos (a one-time secret,
//! an import report): German, with the portal's stylesheet, a main landmark and a way back.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// A page with `title` as heading, `body` (already escaped HTML) and a link back.
pub fn page(status: StatusCode, title: &str, body: &str, back_href: &str, back_label: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t} – OZG-Portal Sachsen-Anhalt</title><link rel=\"stylesheet\" href=\"{css}\"></head>\
         <body><header class=\"site-header\"><div class=\"container\"><p class=\"brand\"><a href=\"/\">OZG-Portal Sachsen-Anhalt</a></p></div></header>\
         <main id=\"inhalt\" class=\"container\"><h1>{t}</h1>{body}<p><a href=\"{href}\">{label}</a></p></main></body></html>",
        t = escape(title),
        css = app::core::assets::css_href(),
        href = escape(back_href),
        label = escape(back_label),
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], html).into_response()
}
