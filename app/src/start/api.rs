//! Figures for the role's start page.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// What the start page shows besides the user's organisations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    /// (German label, count) of the organisations the role looks after.
    pub organisations: Vec<(String, u64)>,
    /// Inhabitants covered by those organisations, where meaningful.
    pub population: Option<i64>,
    pub ozg_services: u64,
    pub leika_services: u64,
    pub focus_services: u64,
    /// Active accounts (administrators only).
    pub active_users: Option<u64>,
}

/// Start-page figures for the signed-in user (`None` for visitors who are not signed in).
#[server(endpoint = "overview")]
pub async fn get_overview() -> Result<Option<Overview>, AppError> {
    use crate::identity::{OrgKind, Role};
    ctx::finish(async {
        let st = ctx::state()?;
        let Some(user) = ctx::current_user() else { return Ok(None) };
        let figures = crate::start::service::figures(&st.db, &user.data_versions(&st.db).await?).await?;
        let kinds: Vec<OrgKind> = match user.role {
            Role::Association if user.organisations.iter().any(|o| o.key == crate::catalogue::service::orgs::LKT) => vec![OrgKind::Landkreis],
            Role::Association => vec![OrgKind::KreisfreieStadt, OrgKind::Einheitsgemeinde, OrgKind::Verbandsgemeinde, OrgKind::Mitgliedsgemeinde],
            Role::Clerk => Vec::new(),
            Role::Advisor | Role::Admin => vec![
                OrgKind::Landkreis,
                OrgKind::KreisfreieStadt,
                OrgKind::Einheitsgemeinde,
                OrgKind::Verbandsgemeinde,
                OrgKind::Mitgliedsgemeinde,
            ],
        };
        let organisations = figures
            .organisations
            .iter()
            .filter(|(k, _)| kinds.contains(k))
            .map(|(k, n)| (k.label().to_string(), *n))
            .collect();
        let population = if kinds.is_empty() { None } else { Some(figures.population) };
        let active_users = if user.role == Role::Admin {
            Some(crate::accounts::service::users::active_count(&st.db).await?)
        } else {
            None
        };
        Ok(Some(Overview { organisations, population, ozg_services: figures.ozg_services, leika_services: figures.leika_services, focus_services: figures.focus_services, active_users }))
    }
    .await)
    .await
}
