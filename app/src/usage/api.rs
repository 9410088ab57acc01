//! Server functions of the usage figures: adapters that read the request once, authorise in the
//! service and redirect.

use crate::error::AppError;
use crate::usage::model::{OwnEntryForm, OwnUsage, UsageFigures};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// The usage figures of the Lagebild (withheld cells for associations, partners and the public).
#[server(endpoint = "usage_figures")]
pub async fn load_usage(#[server(default)] leistung: String, #[server(default)] kreis: String) -> Result<UsageFigures, AppError> {
    ctx::finish(
        async {
            let st = ctx::state()?;
            crate::usage::service::query::figures(&st.db, &crate::access::scope(), &leistung, &kreis, st.config.suppression_threshold).await
        }
        .await,
    )
    .await
}

/// A Kommune's own figures, for its clerks and the Land.
#[server(endpoint = "own_usage")]
pub async fn load_own_usage(key: String) -> Result<OwnUsage, AppError> {
    ctx::finish(
        async {
            ctx::require_user()?;
            crate::usage::service::own::page(&ctx::state()?.db, &crate::access::scope(), key.trim(), crate::core::time::now()).await
        }
        .await,
    )
    .await
}

/// A clerk enters the Kommune's own figure of a month for a Leistung the ZSK does not count.
#[server(endpoint = "enter_usage")]
pub async fn enter_usage(#[server(flatten)] form: OwnEntryForm) -> Result<(), AppError> {
    ctx::finish(
        async {
            let st = ctx::state()?;
            let user = ctx::require_user()?;
            let key = form.kommune.trim().to_string();
            let scope = crate::access::scope();
            // The right to act first: a stranger learns nothing from a refused form.
            crate::usage::service::own::may_enter(&st.db, &scope, &key).await?;
            let entry = form.try_into()?;
            crate::usage::service::own::enter(&st.db, &scope, &user, entry, crate::core::time::now()).await?;
            leptos_axum::redirect(&format!("/kommunen/{key}/nutzung?gespeichert=1"));
            Ok(())
        }
        .await,
    )
    .await
}
