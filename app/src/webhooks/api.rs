//! Server functions of the webhooks (administrators only).

use crate::error::AppError;
use crate::webhooks::model::WebhooksPage;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use crate::core::ctx;

#[server(endpoint = "admin_webhooks")]
pub async fn load_webhooks() -> Result<WebhooksPage, AppError> {
    ctx::finish(async { crate::webhooks::service::page(&ctx::state()?.db, &crate::access::scope()).await }.await).await
}

/// Registers a receiver; `ereignis[code]` for each event wanted.
#[server(endpoint = "admin_add_webhook")]
pub async fn add_webhook(#[server(default)] organisation: String, #[server(default)] url: String, #[server(default)] ereignis: BTreeMap<String, String>) -> Result<(), AppError> {
    ctx::finish(async {
        let admin = crate::access::require_admin()?;
        let events: Vec<String> = ereignis.into_keys().collect();
        crate::webhooks::service::add(&ctx::state()?.db, &crate::access::scope(), &admin.id, &organisation, &url, &events).await?;
        leptos_axum::redirect("/verwaltung/webhooks?eingetragen=1");
        Ok(())
    }
    .await)
    .await
}

#[server(endpoint = "admin_remove_webhook")]
pub async fn remove_webhook(id: String) -> Result<(), AppError> {
    ctx::finish(async {
        let admin = crate::access::require_admin()?;
        crate::webhooks::service::remove(&ctx::state()?.db, &crate::access::scope(), &admin.id, id.trim()).await?;
        leptos_axum::redirect("/verwaltung/webhooks?entfernt=1");
        Ok(())
    }
    .await)
    .await
}

#[server(endpoint = "admin_allow_webhook_host")]
pub async fn allow_webhook_host(#[server(default)] host: String) -> Result<(), AppError> {
    ctx::finish(async {
        let admin = crate::access::require_admin()?;
        crate::webhooks::service::allow_host(&ctx::state()?.db, &crate::access::scope(), &admin.id, &host).await?;
        leptos_axum::redirect("/verwaltung/webhooks?host=1");
        Ok(())
    }
    .await)
    .await
}

#[server(endpoint = "admin_remove_webhook_host")]
pub async fn remove_webhook_host(host: String) -> Result<(), AppError> {
    ctx::finish(async {
        let admin = crate::access::require_admin()?;
        crate::webhooks::service::remove_host(&ctx::state()?.db, &crate::access::scope(), &admin.id, &host).await?;
        leptos_axum::redirect("/verwaltung/webhooks?host=0");
        Ok(())
    }
    .await)
    .await
}
