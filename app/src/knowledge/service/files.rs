//! Files of an article, under the rules of the case attachments: recognised by their content
//! (the same kinds), names cleaned, the same size limit per file, at most 50 MB per article.
//! Readers of the article may download them; advisors add and remove them.

use crate::access::scope::Scope;
use crate::ui::format::human_size;
use crate::core::audit::{self, Entry};
use crate::core::entities::{article, article_file};
use crate::error::AppError;
use crate::knowledge::model::ArticleFileItem;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use sha2::{Digest, Sha256};

/// All files of one article together.
pub const ARTICLE_BYTES: i64 = 50 * 1024 * 1024;

/// Adds a file (advisors); returns its id.
#[tracing::instrument(skip_all)]
pub async fn store(db: &DatabaseConnection, scope: &Scope, actor: &str, article_id: i64, name: &str, data: Vec<u8>, max_bytes: usize, now: DateTime<Utc>) -> Result<String, AppError> {
    crate::access::policy::require_advisor(scope)?;
    article::Entity::find_by_id(article_id).one(db).await?.ok_or(AppError::NotFound)?;
    let (name, kind) = crate::core::files::checked(name, &data, max_bytes)?;
    let txn = crate::core::db::begin_write(db).await?;
    let sizes: Vec<i64> = article_file::Entity::find().select_only().column(article_file::Column::Size).filter(article_file::Column::ArticleId.eq(article_id)).into_tuple().all(&txn).await?;
    let used: i64 = sizes.iter().sum();
    if used + data.len() as i64 > ARTICLE_BYTES {
        return Err(AppError::field("datei", format!("»{name}« passt nicht mehr: die Dateien eines Artikels dürfen zusammen höchstens {} groß sein (belegt: {}).", human_size(ARTICLE_BYTES), human_size(used))));
    }
    let id = uuid::Uuid::now_v7().to_string();
    article_file::ActiveModel {
        id: Set(id.clone()),
        article_id: Set(article_id),
        filename: Set(name.clone()),
        content_type: Set(kind.to_string()),
        size: Set(data.len() as i64),
        sha256: Set(hex::encode(Sha256::digest(&data))),
        uploaded_by: Set(actor.to_string()),
        created_at: Set(now),
        data: Set(data),
    }
    .insert(&txn)
    .await?;
    let object = article_id.to_string();
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::ArticleFileAdded, object: Some(&object), detail: Some(name), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(id)
}

/// The files of an article (without their bytes).
pub async fn list(db: &impl sea_orm::ConnectionTrait, article_id: i64) -> Result<Vec<ArticleFileItem>, AppError> {
    let rows: Vec<(String, String, i64)> = article_file::Entity::find()
        .select_only()
        .column(article_file::Column::Id)
        .column(article_file::Column::Filename)
        .column(article_file::Column::Size)
        .filter(article_file::Column::ArticleId.eq(article_id))
        .order_by_asc(article_file::Column::CreatedAt)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, name, size)| ArticleFileItem { href: format!("/wissen/{article_id}/dateien/{id}"), id, name, size: human_size(size) }).collect())
}

/// A file to send, if the caller may read the article: (name, content type, bytes).
pub async fn fetch(db: &DatabaseConnection, scope: &Scope, article_id: i64, id: &str) -> Result<(String, String, Vec<u8>), AppError> {
    let a = article::Entity::find_by_id(article_id).one(db).await?.ok_or(AppError::NotFound)?;
    crate::access::policy::article_read(scope, a.status, a.audience)?;
    let f = article_file::Entity::find_by_id(id.to_string()).filter(article_file::Column::ArticleId.eq(article_id)).one(db).await?.ok_or(AppError::NotFound)?;
    Ok((f.filename, f.content_type, f.data))
}

/// Removes a file (advisors).
pub async fn remove(db: &DatabaseConnection, actor: &str, article_id: i64, id: &str) -> Result<(), AppError> {
    let txn = crate::core::db::begin_write(db).await?;
    let f = article_file::Entity::find_by_id(id.to_string()).filter(article_file::Column::ArticleId.eq(article_id)).one(&txn).await?.ok_or(AppError::NotFound)?;
    article_file::Entity::delete_by_id(f.id).exec(&txn).await?;
    let object = article_id.to_string();
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::ArticleFileRemoved, object: Some(&object), detail: Some(f.filename), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}
