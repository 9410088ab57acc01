//! Administration of the reference data: the OZG catalogue's Fokusleistung flag, the maturity
//! criteria and the curated list of EfA services.

use crate::catalogue::model::{CataloguePage, EfaListItem};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::ctx;


/// One page of the OZG catalogue with the Fokusleistung flag (administrators only), optionally
/// filtered by name or OZG-ID.
#[server(endpoint = "admin_catalogue")]
pub async fn list_catalogue(suche: Option<String>, seite: Option<String>) -> Result<CataloguePage, AppError> {
    ctx::finish(async {
        crate::access::require_admin()?;
        let all = crate::catalogue::service::ozg::list(&ctx::state()?.db, suche.as_deref()).await?;
        let paging = crate::vocabulary::paging::Paging::of(crate::vocabulary::paging::Paging::asked(seite.as_deref()), crate::catalogue::model::CATALOGUE_PAGE_SIZE, all.len() as u64);
        Ok(CataloguePage {
            matching: all.len() as u64,
            focus: all.iter().filter(|i| i.focus).count() as u64,
            page: paging.page,
            pages: paging.pages,
            items: all.into_iter().skip(paging.offset() as usize).take(crate::catalogue::model::CATALOGUE_PAGE_SIZE as usize).collect(),
        })
    }
    .await)
    .await
}

/// Marks or unmarks an OZG-Leistung as Fokusleistung (administrators only; audited).
#[server(endpoint = "admin_set_focus")]
pub async fn set_focus(ozg_id: String, focus: String) -> Result<(), AppError> {
    ctx::finish(async {
        let admin = crate::access::require_admin()?;
        let focus = match focus.as_str() {
            "ja" => true,
            "nein" => false,
            _ => return Err(AppError::field("focus", "Ungültiger Wert.")),
        };
        crate::catalogue::service::ozg::set_focus(&ctx::state()?.db, &admin.id, &ctx::client_ip(), &ozg_id, focus).await
    }
    .await)
    .await
}

/// Every maturity criterion of both models (administrators only).
#[server(endpoint = "admin_criteria")]
pub async fn list_criteria() -> Result<Vec<crate::catalogue::model::MaturityCriterion>, AppError> {
    ctx::finish(async {
        crate::access::require_admin()?;
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
        let admin = crate::access::require_admin()?;
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


/// The curated list of EfA services whose names public figures may show (administrators only).
#[server(endpoint = "admin_efa_services")]
pub async fn list_efa_services() -> Result<Vec<EfaListItem>, AppError> {
    ctx::finish(async {
        crate::access::require_admin()?;
        Ok(crate::catalogue::service::efa::list(&ctx::state()?.db)
            .await?
            .into_iter()
            .map(|e| EfaListItem { id: e.id, name: e.name, provider: e.provider, operator: e.operator, marketplace_url: e.marketplace_url, active: e.active })
            .collect())
    }
    .await)
    .await
}

/// Adds (`id` empty) or changes an EfA service of the curated list (administrators only; audited).
#[server(endpoint = "admin_save_efa_service")]
pub async fn save_efa_service(
    #[server(default)] id: String,
    name: String,
    #[server(default)] provider: String,
    #[server(default)] operator: String,
    #[server(default)] marketplace_url: String,
    #[server(default)] active: String,
) -> Result<(), AppError> {
    ctx::finish(async {
        let admin = crate::access::require_admin()?;
        let st = ctx::state()?;
        let details = crate::catalogue::service::efa::EfaDetails { operator, marketplace_url };
        crate::catalogue::service::efa::save_full(&st.db, &admin.id, Some(id.as_str()), &name, &provider, Some(&details), active != "nein").await.map(|_| ())
    }
    .await)
    .await
}

/// The Leistungen of the catalogue as (OZG-ID, name), for the lists of choices of forms (anyone
/// signed in).
#[server(endpoint = "service_choices")]
pub async fn service_choices() -> Result<Vec<(String, String)>, AppError> {
    ctx::finish(async {
        ctx::require_user()?;
        crate::catalogue::service::ozg::names(&ctx::state()?.db).await
    }
    .await)
    .await
}

/// The partner organisations with the number of their people (administrators only).
#[server(endpoint = "admin_partners")]
pub async fn list_partners() -> Result<Vec<crate::catalogue::model::PartnerLine>, AppError> {
    ctx::finish(async {
        crate::access::require_admin()?;
        Ok(crate::catalogue::service::partners::list(&ctx::state()?.db)
            .await?
            .into_iter()
            .map(|p| crate::catalogue::model::PartnerLine { key: p.key, name: p.name, people: p.people })
            .collect())
    }
    .await)
    .await
}

/// Sets up a partner organisation or renames one (administrators only; audited).
#[server(endpoint = "admin_save_partner")]
pub async fn save_partner(#[server(default)] key: String, #[server(default)] name: String) -> Result<(), AppError> {
    ctx::finish(async {
        let admin = crate::access::require_admin()?;
        crate::catalogue::service::partners::save(&ctx::state()?.db, Some(&admin.id), &key, &name).await?;
        leptos_axum::redirect("/verwaltung/partner?gespeichert=1");
        Ok(())
    }
    .await)
    .await
}
