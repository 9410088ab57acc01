//! Advisors' annotations on a record and the record's history.

use crate::core::entities::service_record_history;
use crate::access::scope::Scope;
use crate::core::session::CurrentUser;
use crate::register::model::HistoryEntry;
use crate::error::AppError;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use super::*;

/// Maximum length of an advisor's note.
pub const MAX_ANNOTATION: usize = 4000;

/// An advisor annotates a Kommune's entry (visible to the Kommune). Only the Land's advisors.
#[tracing::instrument(skip_all)]
pub async fn annotate(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, key: &str, ozg_id: &str, body: &str) -> Result<(), AppError> {
    use crate::core::entities::service_annotation;
    let org = kommune(db, key).await?;
    crate::access::policy::require_advisor(scope)?;
    service(db, ozg_id).await?.ok_or(AppError::NotFound)?;
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::field("body", "Bitte schreiben Sie eine Anmerkung."));
    }
    if body.chars().count() > MAX_ANNOTATION {
        return Err(AppError::field("body", format!("Höchstens {MAX_ANNOTATION} Zeichen sind möglich.")));
    }
    service_annotation::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organisation_id: Set(org.id.clone()),
        ozg_id: Set(ozg_id.to_string()),
        author_id: Set(user.id.clone()),
        body: Set(body.to_string()),
        created_at: Set(crate::core::time::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The advisors' notes on one entry, newest first (for everyone who may read the register).
#[tracing::instrument(skip_all)]
pub async fn annotations(db: &DatabaseConnection, scope: &Scope, key: &str, ozg_id: &str) -> Result<Vec<crate::register::model::Annotation>, AppError> {
    use crate::core::entities::service_annotation;
    let org = kommune(db, key).await?;
    crate::access::policy::kommune_read(scope, &org.id)?;
    let rows = service_annotation::Entity::find()
        .filter(service_annotation::Column::OrganisationId.eq(org.id.clone()))
        .filter(service_annotation::Column::OzgId.eq(ozg_id))
        .order_by_desc(service_annotation::Column::CreatedAt)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(crate::register::model::Annotation {
            author: user_name(db, Some(&r.author_id)).await?.unwrap_or_else(|| "unbekannt".into()),
            created_at: r.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            body: r.body,
        });
    }
    Ok(out)
}

/// Every change of one record, newest first.
#[tracing::instrument(skip_all)]
pub async fn history(db: &DatabaseConnection, scope: &Scope, key: &str, ozg_id: &str) -> Result<Vec<HistoryEntry>, AppError> {
    let org = kommune(db, key).await?;
    crate::access::policy::kommune_read(scope, &org.id)?;
    service(db, ozg_id).await?.ok_or(AppError::NotFound)?;
    let rows = service_record_history::Entity::find()
        .filter(service_record_history::Column::OrganisationId.eq(org.id.clone()))
        .filter(service_record_history::Column::OzgId.eq(ozg_id))
        .order_by_desc(service_record_history::Column::Version)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(HistoryEntry {
            version: r.version,
            changed_at: r.changed_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            user: user_name(db, r.user_id.as_deref()).await?,
            acting_organisation: org_name(db, r.acting_org_id.as_deref()).await?,
            changes: serde_json::from_str(&r.changes).unwrap_or_default(),
            source: r.source,
        });
    }
    Ok(out)
}
