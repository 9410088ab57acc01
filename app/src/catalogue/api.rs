//! Administration of the reference data: the OZG catalogue's Fokusleistung flag, the maturity
//! criteria and the curated list of EfA services.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::ctx;

#[cfg(feature = "ssr")]
fn require_admin() -> Result<crate::core::session::CurrentUser, AppError> {
    let user = ctx::require_user()?;
    crate::access::policy::require_admin(&ctx::scope())?;
    Ok(user)
}

/// An OZG-Leistung in the administrators' catalogue list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CatalogueItem {
    pub ozg_id: String,
    pub name: String,
    pub themenfeld: String,
    pub focus: bool,
    pub in_catalogue: bool,
}

/// The OZG catalogue with the Fokusleistung flag (administrators only), optionally filtered by
/// name or OZG-ID.
#[server(endpoint = "admin_catalogue")]
pub async fn list_catalogue(suche: Option<String>) -> Result<Vec<CatalogueItem>, AppError> {
    use crate::core::entities::ozg_service;
    use sea_orm::{EntityTrait, QueryOrder};
    ctx::finish(async {
        require_admin()?;
        let st = ctx::state()?;
        let q = suche.map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
        Ok(ozg_service::Entity::find()
            .order_by_asc(ozg_service::Column::OzgId)
            .all(&st.db)
            .await?
            .into_iter()
            .filter(|s| q.as_ref().is_none_or(|q| s.name.to_lowercase().contains(q.as_str()) || s.ozg_id.starts_with(q.as_str())))
            .map(|s| CatalogueItem { ozg_id: s.ozg_id, name: s.name, themenfeld: s.themenfeld, focus: s.focus, in_catalogue: s.in_catalogue })
            .collect())
    }
    .await)
    .await
}

/// Marks or unmarks an OZG-Leistung as Fokusleistung (administrators only; audited).
#[server(endpoint = "admin_set_focus")]
pub async fn set_focus(ozg_id: String, focus: String) -> Result<(), AppError> {
    use crate::core::entities::ozg_service;
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    ctx::finish(async {
        let admin = require_admin()?;
        let st = ctx::state()?;
        let focus = match focus.as_str() {
            "ja" => true,
            "nein" => false,
            _ => return Err(AppError::field("focus", "Ungültiger Wert.")),
        };
        let txn = crate::core::db::begin_write(&st.db).await?;
        let service = ozg_service::Entity::find_by_id(ozg_id.clone()).one(&txn).await?.ok_or(AppError::NotFound)?;
        if service.focus != focus {
            let mut a: ozg_service::ActiveModel = service.into();
            a.focus = Set(focus);
            a.updated_at = Set(crate::core::time::now());
            a.update(&txn).await?;
            crate::core::audit::record(
                &txn,
                crate::core::audit::Entry {
                    actor: Some(&admin.id),
                    action: if focus { "focus_set" } else { "focus_removed" },
                    object: Some(&ozg_id),
                    ip: Some(&ctx::client_ip()),
                    detail: None,
                },
            )
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }
    .await)
    .await
}

/// Every maturity criterion of both models (administrators only).
#[server(endpoint = "admin_criteria")]
pub async fn list_criteria() -> Result<Vec<crate::register::model::MaturityCriterion>, AppError> {
    ctx::finish(async {
        require_admin()?;
        crate::catalogue::service::criteria::list(&ctx::state()?.db).await
    }
    .await)
    .await
}

/// Adds (`id` empty) or changes a maturity criterion (administrators only; audited).
#[server(endpoint = "admin_save_criterion")]
pub async fn save_criterion(
    id: Option<String>,
    model: String,
    code: Option<String>,
    label: String,
    description: Option<String>,
    position: String,
    active: Option<String>,
) -> Result<(), AppError> {
    ctx::finish(async {
        let admin = require_admin()?;
        let st = ctx::state()?;
        let input = crate::catalogue::service::criteria::CriterionInput {
            id: id.filter(|i| !i.is_empty()),
            model,
            code: code.unwrap_or_default(),
            label,
            description,
            position,
            active: active.is_some(),
        };
        crate::catalogue::service::criteria::save(&st.db, &admin.id, &ctx::client_ip(), input).await?;
        Ok(())
    }
    .await)
    .await
}

/// An EfA service of the Land's curated list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EfaListItem {
    pub id: String,
    pub name: String,
    pub provider: Option<String>,
    pub active: bool,
}

/// The curated list of EfA services whose names public figures may show (administrators only).
#[server(endpoint = "admin_efa_services")]
pub async fn list_efa_services() -> Result<Vec<EfaListItem>, AppError> {
    ctx::finish(async {
        require_admin()?;
        Ok(crate::catalogue::service::efa::list(&ctx::state()?.db)
            .await?
            .into_iter()
            .map(|e| EfaListItem { id: e.id, name: e.name, provider: e.provider, active: e.active })
            .collect())
    }
    .await)
    .await
}

/// Adds (`id` empty) or changes an EfA service of the curated list (administrators only; audited).
#[server(endpoint = "admin_save_efa_service")]
pub async fn save_efa_service(#[server(default)] id: String, name: String, #[server(default)] provider: String, #[server(default)] active: String) -> Result<(), AppError> {
    ctx::finish(async {
        let admin = require_admin()?;
        let st = ctx::state()?;
        crate::catalogue::service::efa::save(&st.db, &admin.id, Some(id.as_str()), &name, &provider, active != "nein").await.map(|_| ())
    }
    .await)
    .await
}
