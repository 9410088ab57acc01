//! The operator's legal texts: Markdown edited by administrators, every version kept, the newest
//! shown (until then the template). Markdown becomes HTML with pulldown-cmark; raw HTML in it is
//! shown as text and links other than http(s), mailto, tel and the portal's own paths lose their
//! target, so no script can reach the pages through a text.

use crate::core::audit::{self, Entry};
use crate::core::entities::{app_user, legal_text};
use crate::error::AppError;
use crate::legal::model::{legal_title, LegalEditor, LegalPage, LegalVersion};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};

/// The longest text accepted.
pub const MAX_TEXT: usize = 100_000;

/// The template of a page.
pub fn template(page: &str) -> &'static str {
    match page {
        "impressum" => crate::legal::templates::IMPRESSUM,
        "datenschutz" => crate::legal::templates::DATENSCHUTZ,
        _ => crate::legal::templates::BARRIEREFREIHEIT,
    }
}

fn safe_link(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:", "tel:"].iter().any(|p| u.starts_with(p)) || (u.starts_with('/') && !u.starts_with("//")) || u.starts_with('#')
}

/// HTML of a Markdown text; headings start at level 2 (the page has its own title).
pub fn render(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        Event::Start(Tag::Heading { level: HeadingLevel::H1, id, classes, attrs }) => Event::Start(Tag::Heading { level: HeadingLevel::H2, id, classes, attrs }),
        Event::End(TagEnd::Heading(HeadingLevel::H1)) => Event::End(TagEnd::Heading(HeadingLevel::H2)),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if !safe_link(&dest_url) => Event::Start(Tag::Link { link_type, dest_url: "#".into(), title, id }),
        Event::Start(Tag::Image { link_type, dest_url, title, id }) if !safe_link(&dest_url) => Event::Start(Tag::Image { link_type, dest_url: "#".into(), title, id }),
        e => e,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

fn known(page: &str) -> Result<&'static str, AppError> {
    legal_title(page).ok_or(AppError::NotFound)
}

async fn newest(db: &DatabaseConnection, page: &str) -> Result<Option<legal_text::Model>, AppError> {
    Ok(legal_text::Entity::find().filter(legal_text::Column::Page.eq(page)).order_by_desc(legal_text::Column::Version).one(db).await?)
}

/// The page as the public sees it.
pub async fn page(db: &DatabaseConnection, page: &str) -> Result<LegalPage, AppError> {
    known(page)?;
    Ok(match newest(db, page).await? {
        Some(t) => LegalPage { html: render(&t.body), changed: Some(crate::core::time::format_berlin(t.changed_at)) },
        None => LegalPage { html: render(template(page)), changed: None },
    })
}

/// The editor: the text of `version` (default the newest, or the template) and every version.
pub async fn editor(db: &DatabaseConnection, page: &str, version: Option<i32>) -> Result<LegalEditor, AppError> {
    let title = known(page)?;
    let rows = legal_text::Entity::find().filter(legal_text::Column::Page.eq(page)).order_by_desc(legal_text::Column::Version).all(db).await?;
    let shown = match version {
        Some(v) => Some(rows.iter().find(|r| r.version == v).ok_or(AppError::NotFound)?),
        None => rows.first(),
    };
    let mut versions = Vec::with_capacity(rows.len());
    for r in &rows {
        let by = match &r.changed_by {
            Some(id) => app_user::Entity::find_by_id(id.clone()).one(db).await?.map(|u| u.name).unwrap_or_else(|| "gelöschtes Konto".into()),
            None => "unbekannt".into(),
        };
        versions.push(LegalVersion { version: r.version, changed: crate::core::time::format_berlin(r.changed_at), by });
    }
    Ok(LegalEditor {
        page: page.to_string(),
        title: title.to_string(),
        markdown: shown.map(|r| r.body.clone()).unwrap_or_else(|| template(page).to_string()),
        shown: shown.map(|r| r.version),
        versions,
    })
}

/// Saves a new version (administrators); returns its number. An unchanged text saves nothing.
pub async fn save(db: &DatabaseConnection, actor: &str, page: &str, body: &str) -> Result<i32, AppError> {
    known(page)?;
    let body = body.replace("\r\n", "\n");
    if body.trim().is_empty() {
        return Err(AppError::field("text", "Bitte geben Sie einen Text ein; ein Rechtstext darf nicht leer sein."));
    }
    if body.chars().count() > MAX_TEXT {
        return Err(AppError::field("text", "Der Text darf höchstens 100.000 Zeichen lang sein."));
    }
    let txn = crate::core::db::begin_write(db).await?;
    let last = legal_text::Entity::find().filter(legal_text::Column::Page.eq(page)).order_by_desc(legal_text::Column::Version).one(&txn).await?;
    if last.as_ref().is_some_and(|l| l.body == body) {
        return Ok(last.map(|l| l.version).unwrap_or(0));
    }
    let version = last.map(|l| l.version).unwrap_or(0) + 1;
    legal_text::ActiveModel { page: Set(page.to_string()), version: Set(version), body: Set(body), changed_at: Set(crate::core::time::now()), changed_by: Set(Some(actor.to_string())) }
        .insert(&txn)
        .await?;
    audit::record(&txn, Entry { actor: Some(actor), action: "legal_text_saved", object: Some(page), detail: Some(format!("Version {version}")), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_and_unsafe_links_are_neutralised() {
        let html = render("# Titel\n\n<script>alert(1)</script>\n\nText <img src=x onerror=alert(2)> [a](javascript:alert(3)) [b](https://example.org) [c](/impressum) [d](//evil.example)");
        assert!(!html.contains("<script") && !html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "raw HTML shown as text: {html}");
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(html.contains("href=\"https://example.org\"") && html.contains("href=\"/impressum\""), "{html}");
        assert!(!html.contains("//evil.example\""), "{html}");
        assert!(html.contains("<h2>Titel</h2>") && !html.contains("<h1>"), "{html}");
    }
}
