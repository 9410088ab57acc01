//! The operator's legal texts: Markdown edited by administrators, every version kept, the newest
//! shown (until then the template). The Markdown becomes a formatted text (`core::markdown`):
//! raw HTML in it is shown as text and links other than http(s), mailto, tel and the portal's own
//! paths lose their target, so no script can reach the pages through a text.

use crate::core::audit::{self, Entry};
use crate::core::entities::{app_user, legal_text};
use crate::error::AppError;
use crate::legal::model::{LegalEditor, LegalKind, LegalPage, LegalVersion};
use crate::core::markdown;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};

/// The longest text accepted.
pub const MAX_TEXT: usize = 100_000;

/// The template of a page.
pub fn template(page: &str) -> &'static str {
    match LegalKind::from_code(page) {
        Some(LegalKind::Impressum) => crate::legal::templates::IMPRESSUM,
        Some(LegalKind::Privacy) => crate::legal::templates::DATENSCHUTZ,
        _ => crate::legal::templates::BARRIEREFREIHEIT,
    }
}

fn known(page: &str) -> Result<&'static str, AppError> {
    LegalKind::from_code(page).map(LegalKind::label).ok_or(AppError::NotFound)
}

async fn newest(db: &DatabaseConnection, page: &str) -> Result<Option<legal_text::Model>, AppError> {
    Ok(legal_text::Entity::find().filter(legal_text::Column::Page.eq(page)).order_by_desc(legal_text::Column::Version).one(db).await?)
}

/// The page as the public sees it.
pub async fn page(db: &DatabaseConnection, page: &str) -> Result<LegalPage, AppError> {
    known(page)?;
    Ok(match newest(db, page).await? {
        Some(t) => LegalPage { text: markdown::parse(&t.body), changed: Some(crate::core::time::format_berlin(t.changed_at)) },
        None => LegalPage { text: markdown::parse(template(page)), changed: None },
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
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::LegalTextSaved, object: Some(page), detail: Some(format!("Version {version}")), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(version)
}
