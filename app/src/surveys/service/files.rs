//! Answers of the kind Datei: one file per Kommune's answer and question, checked like the
//! attachments of cases (a name, not empty, within the size limit, a type recognised by its
//! content), counted against the answer's and the uploader's quota, kept in the database (every
//! instance sees it), and read back only by the Kommune's people and the Land's advisors.

use super::response::{context, next_version, require_open, response_of};
use crate::access::scope::Scope;
use crate::core::config::Config;
use crate::core::entities::{attachment, organisation, survey_file, survey_response};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::surveys::model::{QuestionKind, ResponseState};
use crate::ui::format::human_size;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QuerySelect, Set};
use sha2::{Digest, Sha256};

/// A stored file without its bytes.
#[derive(Debug, Clone, FromQueryResult)]
pub struct FileInfo {
    pub id: String,
    pub response_id: i64,
    pub question_id: i64,
    pub filename: String,
    pub size: i64,
}

/// The files of some answers (metadata only).
pub async fn of_responses(db: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<FileInfo>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(survey_file::Entity::find()
        .select_only()
        .columns([survey_file::Column::Id, survey_file::Column::ResponseId, survey_file::Column::QuestionId, survey_file::Column::Filename, survey_file::Column::Size])
        .filter(survey_file::Column::ResponseId.is_in(ids.to_vec()))
        .into_model::<FileInfo>()
        .all(db)
        .await?)
}

async fn bytes_where(db: &impl ConnectionTrait, on_answers: Option<i64>, by: Option<&str>) -> Result<i64, AppError> {
    let mut q = survey_file::Entity::find().select_only().column_as(Expr::cust("CAST(COALESCE(SUM(size), 0) AS BIGINT)"), "n");
    if let Some(r) = on_answers {
        q = q.filter(survey_file::Column::ResponseId.eq(r));
    }
    if let Some(u) = by {
        q = q.filter(survey_file::Column::UploadedBy.eq(u));
    }
    Ok(q.into_tuple::<Option<i64>>().one(db).await?.flatten().unwrap_or(0))
}

/// Whether the caller may give a file answering `question_id` for the Kommune `key` now: the
/// survey asks one of the caller's Kommunen, is open, and the question asks for a file. The
/// upload route asks before it reads the body, so no one else sends a file in vain.
pub async fn may_upload(db: &impl ConnectionTrait, scope: &Scope, survey_id: i64, key: &str, question_id: i64, now: DateTime<Utc>) -> Result<organisation::Model, AppError> {
    let (s, org, _) = context(db, scope, survey_id, Some(key)).await?;
    crate::access::policy::kommune_write(scope, &org.id)?;
    require_open(&s, now)?;
    let sections = super::sections_of(db, &s).await?;
    super::questions(&sections).into_iter().find(|q| q.id == question_id && q.kind == QuestionKind::File).ok_or(AppError::NotFound)?;
    Ok(org)
}

/// Stores (or replaces) the file answering `question_id` for the Kommune `key`.
#[tracing::instrument(skip_all)]
pub async fn store(db: &DatabaseConnection, config: &Config, user: &CurrentUser, scope: &Scope, survey_id: i64, key: &str, question_id: i64, name: &str, data: Vec<u8>, now: DateTime<Utc>) -> Result<(), AppError> {
    let org = may_upload(db, scope, survey_id, key, question_id, now).await?;
    let (name, kind) = crate::core::files::checked(name, &data, config.attachment_max_bytes)?;
    let size = data.len() as i64;
    let txn = crate::core::db::begin_write(db).await?;
    let response = match response_of(&txn, survey_id, &org.id).await? {
        Some(r) if r.state == ResponseState::Submitted => return Err(AppError::Conflict("Die Antwort ist eingereicht. Um sie zu ändern, öffnen Sie sie bitte zuerst wieder.".into())),
        Some(r) => r,
        None => next_version(&txn, survey_id, &org.id, 0, user, now).await?,
    };
    let replaced = survey_file::Entity::find().filter(survey_file::Column::ResponseId.eq(response.id)).filter(survey_file::Column::QuestionId.eq(question_id)).one(&txn).await?.map(|f| f.size).unwrap_or(0);
    // The quotas of the cases' attachments: per answer as per case, per person over both.
    let on_answer = bytes_where(&txn, Some(response.id), None).await? - replaced;
    if on_answer + size > config.attachment_case_quota_bytes {
        return Err(AppError::field("datei", format!("»{name}« passt nicht mehr zu dieser Antwort: alle Dateien einer Antwort zusammen dürfen höchstens {} groß sein (belegt: {}).", human_size(config.attachment_case_quota_bytes), human_size(on_answer))));
    }
    let on_cases: Option<i64> = attachment::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(COALESCE(SUM(size), 0) AS BIGINT)"), "n")
        .filter(attachment::Column::UploadedBy.eq(user.id.clone()))
        .into_tuple::<Option<i64>>()
        .one(&txn)
        .await?
        .flatten();
    let by_user = bytes_where(&txn, None, Some(&user.id)).await? + on_cases.unwrap_or(0);
    if by_user + size > config.attachment_user_quota_bytes {
        return Err(AppError::field("datei", format!("»{name}« überschreitet Ihr Kontingent: Ihre Dateien dürfen zusammen höchstens {} groß sein (belegt: {}).", human_size(config.attachment_user_quota_bytes), human_size(by_user))));
    }
    survey_file::Entity::delete_many().filter(survey_file::Column::ResponseId.eq(response.id)).filter(survey_file::Column::QuestionId.eq(question_id)).exec(&txn).await?;
    let row = survey_file::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        response_id: Set(response.id),
        question_id: Set(question_id),
        filename: Set(name),
        content_type: Set(kind.to_string()),
        size: Set(size),
        sha256: Set(hex::encode(Sha256::digest(&data))),
        data: Set(data),
        uploaded_by: Set(Some(user.id.clone())),
        uploaded_at: Set(now),
    };
    survey_file::Entity::insert(row).exec_without_returning(&txn).await?;
    touch(&txn, response.id, user, now).await?;
    txn.commit().await?;
    Ok(())
}

/// The answer was changed now by `user` (a file does not move its version: sections typed
/// meanwhile stay valid).
async fn touch(txn: &impl ConnectionTrait, response_id: i64, user: &CurrentUser, now: DateTime<Utc>) -> Result<(), AppError> {
    survey_response::Entity::update_many()
        .col_expr(survey_response::Column::UpdatedAt, now.into())
        .col_expr(survey_response::Column::UpdatedBy, Some(user.id.clone()).into())
        .filter(survey_response::Column::Id.eq(response_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Removes the file answering `question_id`.
#[tracing::instrument(skip_all)]
pub async fn remove(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, survey_id: i64, key: &str, question_id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    let (s, org, _) = context(db, scope, survey_id, Some(key)).await?;
    crate::access::policy::kommune_write(scope, &org.id)?;
    require_open(&s, now)?;
    let txn = crate::core::db::begin_write(db).await?;
    let response = response_of(&txn, survey_id, &org.id).await?.ok_or(AppError::NotFound)?;
    if response.state == ResponseState::Submitted {
        return Err(AppError::Conflict("Die Antwort ist eingereicht. Um sie zu ändern, öffnen Sie sie bitte zuerst wieder.".into()));
    }
    let gone = survey_file::Entity::delete_many().filter(survey_file::Column::ResponseId.eq(response.id)).filter(survey_file::Column::QuestionId.eq(question_id)).exec(&txn).await?;
    if gone.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    touch(&txn, response.id, user, now).await?;
    txn.commit().await?;
    Ok(())
}

/// A file to send: (name, content type, bytes), for the Kommune's people and the Land's advisors.
#[tracing::instrument(skip_all)]
pub async fn fetch(db: &DatabaseConnection, scope: &Scope, survey_id: i64, file_id: &str) -> Result<(String, String, Vec<u8>), AppError> {
    let f = survey_file::Entity::find_by_id(file_id.to_string()).one(db).await?.ok_or(AppError::NotFound)?;
    let r = survey_response::Entity::find_by_id(f.response_id).one(db).await?.filter(|r| r.survey_id == survey_id).ok_or(AppError::NotFound)?;
    let may = match scope {
        Scope::Land => true,
        Scope::Municipal { org_ids } => org_ids.contains(&r.organisation_id),
        _ => false,
    };
    // Whether a file exists is told to no one who may not read it.
    if !may {
        return Err(if matches!(scope, Scope::Public) { AppError::Unauthorized } else { AppError::NotFound });
    }
    Ok((f.filename, f.content_type, f.data))
}

/// The files a person uploaded (for the Auskunft): (survey, file name, size, when).
pub async fn of_person(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<(i64, String, i64, DateTime<Utc>)>, AppError> {
    let rows = survey_file::Entity::find()
        .select_only()
        .columns([survey_file::Column::ResponseId, survey_file::Column::Filename, survey_file::Column::Size, survey_file::Column::UploadedAt])
        .filter(survey_file::Column::UploadedBy.eq(user_id))
        .into_tuple::<(i64, String, i64, DateTime<Utc>)>()
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (response, name, size, at) in rows {
        let survey = survey_response::Entity::find_by_id(response).one(db).await?.map(|r| r.survey_id).unwrap_or_default();
        out.push((survey, name, size, at));
    }
    Ok(out)
}
