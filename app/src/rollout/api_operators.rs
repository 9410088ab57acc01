//! Server functions of the services' operators: who operates a service (administrators), the
//! dates an operator proposes for a connection's test and go-live, and the service's operating
//! state.

use crate::error::AppError;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// Sets the partner organisations that operate an EfA service (administrators):
/// `betreiber[KEY] = KEY` for each one chosen.
#[server(endpoint = "set_service_operators")]
pub async fn set_service_operators(dienst: String, #[server(default)] betreiber: BTreeMap<String, String>) -> Result<(), AppError> {
    ctx::finish(
        async {
            let st = ctx::state()?;
            let admin = crate::access::require_admin()?;
            let keys: Vec<String> = betreiber.into_values().collect();
            crate::rollout::service::operators::set(&st.db, &crate::access::scope(), &admin.id, dienst.trim(), &keys).await?;
            leptos_axum::redirect(&format!("/nachnutzung/dienst/{}?betreiber=1", crate::ui::format::urlencode(dienst.trim())));
            Ok(())
        }
        .await,
    )
    .await
}

/// The operator (or the Land) proposes the dates of a connection's test and go-live.
#[server(endpoint = "propose_connection_dates")]
pub async fn propose_connection_dates(id: String, #[server(default)] test: String, #[server(default)] live: String, #[server(default)] version: String) -> Result<(), AppError> {
    ctx::finish(
        async {
            let st = ctx::state()?;
            let user = ctx::require_user()?;
            let id = ctx::numeric_id(&id)?;
            crate::rollout::service::operators::propose_dates(&st.db, &crate::access::scope(), &user.id, id, &test, &live, version.trim().parse().ok()).await?;
            leptos_axum::redirect(&format!("/nachnutzung/anbindung/{id}?termine=1#termine"));
            Ok(())
        }
        .await,
    )
    .await
}

/// The operator or the Land sets a service's operating state.
#[server(endpoint = "set_service_state")]
pub async fn set_service_state(#[server(flatten)] form: crate::rollout::model::StateForm) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let input = crate::rollout::model::NewState::try_from(form)?;
        crate::rollout::service::operating::set(&st.db, &st.config, &crate::access::scope(), &user, &input).await?;
        leptos_axum::redirect(&format!("/nachnutzung/dienst/{}?zustand=1#zustand-titel", crate::ui::format::urlencode(&input.service_id)));
        Ok(())
    }
    .await)
    .await
}
