//! Documents of a meeting: uploaded by those who run the body to the agenda or one of its items,
//! checked like the cases' attachments (a name, not empty, within the size limit, a type
//! recognised by its content, the meeting's and the uploader's quota), kept in the database,
//! and read only by the body's members and administrators (a member removed reads none with the
//! next request).

use super::{Reader, readable_meeting as readable, runnable_meeting};
use crate::core::audit::{self, Entry};
use crate::core::config::Config;
use crate::core::entities::{attachment, meeting_document, meeting_item};
use crate::error::AppError;
use crate::ui::format::human_size;
use crate::vocabulary::audit::AuditAction;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use sha2::{Digest, Sha256};

/// A document without its bytes: (id, item, file name, size).
pub type DocumentLine = (String, Option<i64>, String, i64);

/// Whether the caller may upload to the meeting (asked before the body is read).
pub async fn may_upload(db: &impl ConnectionTrait, who: Reader<'_>, meeting_id: i64) -> Result<(), AppError> {
    runnable_meeting(db, who, meeting_id).await.map(|_| ())
}

async fn bytes(db: &impl ConnectionTrait, meeting: Option<i64>, by: Option<&str>) -> Result<i64, AppError> {
    let mut q = meeting_document::Entity::find().select_only().column_as(Expr::cust("CAST(COALESCE(SUM(size), 0) AS BIGINT)"), "n");
    if let Some(m) = meeting {
        q = q.filter(meeting_document::Column::MeetingId.eq(m));
    }
    if let Some(u) = by {
        q = q.filter(meeting_document::Column::UploadedBy.eq(u));
    }
    Ok(q.into_tuple::<Option<i64>>().one(db).await?.flatten().unwrap_or(0))
}

/// Stores a document of the meeting (of its item `item`, if given).
#[tracing::instrument(skip_all)]
pub async fn store(db: &DatabaseConnection, config: &Config, who: Reader<'_>, meeting_id: i64, item: Option<i64>, name: &str, data: Vec<u8>, now: DateTime<Utc>) -> Result<(), AppError> {
    runnable_meeting(db, who, meeting_id).await?;
    let user = who.user_id.ok_or(AppError::Unauthorized)?;
    if let Some(i) = item {
        meeting_item::Entity::find_by_id(i).filter(meeting_item::Column::MeetingId.eq(meeting_id)).one(db).await?.ok_or_else(|| AppError::field("datei", "Diesen Tagesordnungspunkt gibt es in dieser Sitzung nicht."))?;
    }
    let (name, kind) = crate::core::files::checked(name, &data, config.attachment_max_bytes)?;
    let size = data.len() as i64;
    let txn = crate::core::db::begin_write(db).await?;
    // The quotas of the cases' attachments: per meeting as per case, per person over both.
    let on_meeting = bytes(&txn, Some(meeting_id), None).await?;
    if on_meeting + size > config.attachment_case_quota_bytes {
        return Err(AppError::field("datei", format!("»{name}« passt nicht mehr zu dieser Sitzung: alle Unterlagen einer Sitzung zusammen dürfen höchstens {} groß sein (belegt: {}).", human_size(config.attachment_case_quota_bytes), human_size(on_meeting))));
    }
    let on_cases: Option<i64> =
        attachment::Entity::find().select_only().column_as(Expr::cust("CAST(COALESCE(SUM(size), 0) AS BIGINT)"), "n").filter(attachment::Column::UploadedBy.eq(user)).into_tuple::<Option<i64>>().one(&txn).await?.flatten();
    let by_user = bytes(&txn, None, Some(user)).await? + on_cases.unwrap_or(0);
    if by_user + size > config.attachment_user_quota_bytes {
        return Err(AppError::field("datei", format!("»{name}« überschreitet Ihr Kontingent: Ihre Dateien dürfen zusammen höchstens {} groß sein (belegt: {}).", human_size(config.attachment_user_quota_bytes), human_size(by_user))));
    }
    let row = meeting_document::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        meeting_id: Set(meeting_id),
        item_id: Set(item),
        filename: Set(name.clone()),
        content_type: Set(kind.to_string()),
        size: Set(size),
        sha256: Set(hex::encode(Sha256::digest(&data))),
        data: Set(data),
        uploaded_by: Set(Some(user.to_string())),
        uploaded_at: Set(now),
    };
    meeting_document::Entity::insert(row).exec_without_returning(&txn).await?;
    let object = format!("sitzung:{meeting_id}");
    audit::record(&txn, Entry { actor: Some(user), action: AuditAction::MeetingDocumentAdded, object: Some(&object), detail: Some(name), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// The meeting's documents (metadata), in the order uploaded.
pub async fn of_meeting(db: &impl ConnectionTrait, meeting_id: i64) -> Result<Vec<DocumentLine>, AppError> {
    Ok(meeting_document::Entity::find()
        .select_only()
        .columns([meeting_document::Column::Id, meeting_document::Column::ItemId, meeting_document::Column::Filename, meeting_document::Column::Size])
        .filter(meeting_document::Column::MeetingId.eq(meeting_id))
        .order_by_asc(meeting_document::Column::UploadedAt)
        .into_tuple::<DocumentLine>()
        .all(db)
        .await?)
}

/// A document to send: (name, content type, bytes), for the body's members and administrators.
#[tracing::instrument(skip_all)]
pub async fn fetch(db: &impl ConnectionTrait, who: Reader<'_>, meeting_id: i64, id: &str) -> Result<(String, String, Vec<u8>), AppError> {
    if who.user_id.is_none() {
        return Err(AppError::Unauthorized);
    }
    readable(db, who, meeting_id).await?;
    let d = meeting_document::Entity::find_by_id(id.to_string()).filter(meeting_document::Column::MeetingId.eq(meeting_id)).one(db).await?.ok_or(AppError::NotFound)?;
    Ok((d.filename, d.content_type, d.data))
}

/// The documents a person uploaded (Auskunft): (meeting, file name, size, when).
pub async fn of_person(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<(i64, String, i64, DateTime<Utc>)>, AppError> {
    Ok(meeting_document::Entity::find()
        .select_only()
        .columns([meeting_document::Column::MeetingId, meeting_document::Column::Filename, meeting_document::Column::Size, meeting_document::Column::UploadedAt])
        .filter(meeting_document::Column::UploadedBy.eq(user_id))
        .into_tuple::<(i64, String, i64, DateTime<Utc>)>()
        .all(db)
        .await?)
}
