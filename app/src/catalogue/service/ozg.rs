//! The OZG catalogue as the administrators maintain it (the Fokusleistung flag) and the
//! lookups other features need (the OZG-Leistung of a LeiKa key).

use crate::catalogue::model::CatalogueItem;
use crate::core::entities::{leika_service, ozg_service};
use crate::error::AppError;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};

/// The catalogue, optionally filtered by a part of the name or the start of the OZG-ID.
#[tracing::instrument(skip_all)]
pub async fn list(db: &impl ConnectionTrait, search: Option<&str>) -> Result<Vec<CatalogueItem>, AppError> {
    let q = search.map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
    Ok(ozg_service::Entity::find()
        .order_by_asc(ozg_service::Column::OzgId)
        .all(db)
        .await?
        .into_iter()
        .filter(|s| q.as_ref().is_none_or(|q| s.name.to_lowercase().contains(q.as_str()) || s.ozg_id.starts_with(q.as_str())))
        .map(|s| CatalogueItem { ozg_id: s.ozg_id, name: s.name, themenfeld: s.themenfeld, focus: s.focus, in_catalogue: s.in_catalogue })
        .collect())
}

/// The Leistungen of the catalogue as (OZG-ID, name), for lists of choices and for reading what
/// someone typed (see `catalogue::model::resolve_services`).
#[tracing::instrument(skip_all)]
pub async fn names(db: &impl ConnectionTrait) -> Result<Vec<(String, String)>, AppError> {
    use sea_orm::QuerySelect;
    Ok(ozg_service::Entity::find()
        .filter(ozg_service::Column::InCatalogue.eq(true))
        .select_only()
        .column(ozg_service::Column::OzgId)
        .column(ozg_service::Column::Name)
        .order_by_asc(ozg_service::Column::Name)
        .into_tuple()
        .all(db)
        .await?)
}

/// Marks or unmarks an OZG-Leistung as Fokusleistung, audited in the same transaction.
#[tracing::instrument(skip_all)]
pub async fn set_focus(db: &DatabaseConnection, admin_id: &str, ip: &str, ozg_id: &str, focus: bool) -> Result<(), AppError> {
    let txn = crate::core::db::begin_write(db).await?;
    let service = ozg_service::Entity::find_by_id(ozg_id.to_string()).one(&txn).await?.ok_or(AppError::NotFound)?;
    if service.focus != focus {
        let mut a: ozg_service::ActiveModel = service.into();
        a.focus = Set(focus);
        a.updated_at = Set(crate::core::time::now());
        a.update(&txn).await?;
        crate::core::audit::record(
            &txn,
            crate::core::audit::Entry { actor: Some(admin_id), action: if focus { crate::vocabulary::audit::AuditAction::FocusSet } else { crate::vocabulary::audit::AuditAction::FocusRemoved }, object: Some(ozg_id), ip: Some(ip), detail: None },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The OZG-ID a LeiKa key belongs to, if the key is known.
#[tracing::instrument(skip_all)]
pub async fn ozg_of_leika(db: &impl ConnectionTrait, leika_key: &str) -> Result<Option<String>, AppError> {
    Ok(leika_service::Entity::find().filter(leika_service::Column::LeikaKey.eq(leika_key)).one(db).await?.map(|s| s.ozg_id))
}
