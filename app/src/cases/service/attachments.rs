//! Attachments of cases: size limit, an allow-list of types recognised by content (not by the
//! name or the browser's claim), storage in the database (so every instance sharing it sees the
//! same files), and reading back only for those who may see the case.

use crate::core::db::begin_write;
use crate::core::entities::{attachment, attachment_blob};
use crate::cases::service::workflow::{Actor, event};
use crate::cases::service::load_for;
use crate::error::AppError;
use crate::cases::model::CaseStatus;
pub use crate::core::files::{ACCEPTED, clean_name, detect};
pub use crate::ui::format::human_size;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

/// Limits on what is stored: per file, per case and per uploader.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub file_bytes: usize,
    pub case_bytes: i64,
    pub user_bytes: i64,
}

impl Limits {
    pub fn of(config: &crate::core::config::Config) -> Limits {
        Limits { file_bytes: config.attachment_max_bytes, case_bytes: config.attachment_case_quota_bytes, user_bytes: config.attachment_user_quota_bytes }
    }
}

async fn stored_bytes(tx: &impl sea_orm::ConnectionTrait, column: attachment::Column, value: sea_orm::Value) -> Result<i64, AppError> {
    use sea_orm::QuerySelect;
    let sum: Option<Option<i64>> = attachment::Entity::find()
        .select_only()
        .column_as(sea_orm::sea_query::Expr::cust("CAST(COALESCE(SUM(size), 0) AS BIGINT)"), "n")
        .filter(sea_orm::sea_query::ExprTrait::eq(sea_orm::sea_query::Expr::col(column), value))
        .into_tuple()
        .one(tx)
        .await?;
    Ok(sum.flatten().unwrap_or(0))
}

/// Refuses `size` more bytes (of a file `name`) on a case or for an uploader over their quota.
#[tracing::instrument(skip_all)]
pub async fn check_quota(tx: &impl sea_orm::ConnectionTrait, user_id: &str, case_id: i64, name: &str, size: i64, limits: Limits) -> Result<(), AppError> {
    let on_case = stored_bytes(tx, attachment::Column::CaseId, case_id.into()).await?;
    if on_case + size > limits.case_bytes {
        return Err(AppError::field(
            "datei",
            format!("»{name}« passt nicht mehr zu Fall {case_id}: alle Anhänge eines Falls zusammen dürfen höchstens {} groß sein (belegt: {}).", human_size(limits.case_bytes), human_size(on_case)),
        ));
    }
    let by_user = stored_bytes(tx, attachment::Column::UploadedBy, user_id.to_string().into()).await?;
    if by_user + size > limits.user_bytes {
        return Err(AppError::field(
            "datei",
            format!("»{name}« überschreitet Ihr Kontingent: Ihre Anhänge dürfen zusammen höchstens {} groß sein (belegt: {}).", human_size(limits.user_bytes), human_size(by_user)),
        ));
    }
    Ok(())
}

/// Stores a file on a case (advisors may mark it internal). Returns its id. The bytes are
/// moved into the database row, not copied.
#[tracing::instrument(skip_all)]
pub async fn store(db: &DatabaseConnection, a: &Actor<'_>, case_id: i64, name: &str, data: Vec<u8>, internal: bool, limits: Limits) -> Result<String, AppError> {
    let max_bytes = limits.file_bytes;
    let c = load_for(db, a.scope, case_id).await?;
    let land_side = crate::cases::service::answers_as_land(a.scope, &c);
    if !(crate::access::policy::takes_part_in_cases(a.scope) || land_side) {
        return Err(AppError::Forbidden);
    }
    if internal && !land_side {
        return Err(AppError::Forbidden);
    }
    if crate::cases::service::status_of(&c) == CaseStatus::Closed {
        return Err(AppError::Conflict(format!("Fall {case_id} ist geschlossen; Anhänge können nicht mehr hinzugefügt werden.")));
    }
    let (name, kind) = crate::core::files::checked(name, &data, max_bytes)?;
    let id = uuid::Uuid::now_v7().to_string();
    let size = data.len() as i64;
    let sha = hex::encode(Sha256::digest(&data));
    let tx = begin_write(db).await?;
    // Quotas are checked inside the write transaction, so parallel uploads cannot both slip under them.
    check_quota(&tx, &a.user.id, case_id, &name, size, limits).await?;
    attachment::ActiveModel {
        id: Set(id.clone()),
        case_id: Set(case_id),
        internal: Set(internal),
        filename: Set(name.clone()),
        content_type: Set(kind.to_string()),
        size: Set(size),
        sha256: Set(sha),
        uploaded_by: Set(a.user.id.clone()),
        created_at: Set(a.now),
    }
    .insert(&tx)
    .await?;
    attachment_blob::ActiveModel { attachment_id: Set(id.clone()), data: Set(data) }.insert(&tx).await?;
    event(&tx, case_id, a.now, Some(&a.user.id), "attachment", !internal, format!("Anhang »{name}« ({}) hinzugefügt{}.", human_size(size), if internal { " (intern)" } else { "" })).await?;
    let mut touch = crate::core::entities::support_case::Entity::update_many()
        .col_expr(crate::core::entities::support_case::Column::LastActivityAt, sea_orm::sea_query::Expr::value(a.now))
        .col_expr(crate::core::entities::support_case::Column::UpdatedAt, sea_orm::sea_query::Expr::value(a.now));
    if !internal {
        touch = touch
            .col_expr(crate::core::entities::support_case::Column::LastPublicActivityAt, sea_orm::sea_query::Expr::value(a.now))
            .col_expr(
                crate::core::entities::support_case::Column::PublicVersion,
                sea_orm::sea_query::ExprTrait::add(sea_orm::sea_query::Expr::col(crate::core::entities::support_case::Column::PublicVersion), 1),
            );
    }
    touch.filter(crate::core::entities::support_case::Column::Id.eq(case_id)).exec(&tx).await?;
    tx.commit().await?;
    Ok(id)
}

/// A file to send: (name, content type, bytes), if the caller may see it.
#[tracing::instrument(skip_all)]
pub async fn fetch(db: &DatabaseConnection, scope: &crate::access::scope::Scope, case_id: i64, id: &str) -> Result<(String, String, Vec<u8>), AppError> {
    let c = load_for(db, scope, case_id).await?;
    let Some(meta) = attachment::Entity::find_by_id(id.to_string()).filter(attachment::Column::CaseId.eq(case_id)).one(db).await? else {
        return Err(AppError::NotFound);
    };
    if meta.internal && !crate::cases::service::reads_internal(scope, &c) {
        return Err(AppError::NotFound);
    }
    let blob = attachment_blob::Entity::find_by_id(id.to_string()).one(db).await?.ok_or(AppError::NotFound)?;
    Ok((meta.filename, meta.content_type, blob.data))
}
