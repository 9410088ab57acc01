//! Figures for the role's start page.

use crate::error::AppError;
use leptos::prelude::*;
pub use crate::start::model::*;

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// Start-page figures for the signed-in user (`None` for visitors who are not signed in).
#[server(endpoint = "overview")]
pub async fn get_overview() -> Result<Option<Overview>, AppError> {
    use crate::identity::{OrgKind, Role};
    ctx::finish(async {
        let st = ctx::state()?;
        let Some(user) = ctx::current_user() else { return Ok(None) };
        let versions = user.data_versions(&st.db).await?;
        let figures = crate::start::service::figures(&st.db, &versions).await?;
        let kinds: Vec<OrgKind> = match user.role {
            Role::Association if user.organisations.iter().any(|o| o.key == crate::catalogue::service::orgs::LKT) => vec![OrgKind::Landkreis],
            Role::Association => vec![OrgKind::KreisfreieStadt, OrgKind::Einheitsgemeinde, OrgKind::Verbandsgemeinde, OrgKind::Mitgliedsgemeinde],
            Role::Clerk | Role::Partner => Vec::new(),
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
        let mut kommunen = Vec::new();
        if user.role == Role::Clerk {
            for o in &user.organisations {
                if let Some(org) = crate::catalogue::service::orgs::by_key(&st.db, &o.key).await? {
                    kommunen.push(crate::start::clerk::kommune(&st, &versions, &user, &org).await?);
                }
            }
        }
        let needs = match user.role {
            Role::Advisor => crate::start::advisor::needs(&st, &user).await?,
            Role::Admin => crate::start::admin::needs(&st).await?,
            _ => Vec::new(),
        };
        let jobs = if user.role == Role::Admin { crate::start::admin::jobs(&st).await? } else { Vec::new() };
        let area = match user.role {
            Role::Clerk => None,
            _ => Some(crate::start::land::figures(&st, &versions, &user).await?.as_ref().clone()),
        };
        // The Land's announcements to the clerk's Kommunen, until read or expired.
        let announcements = if user.role == Role::Clerk {
            crate::announcements::service::for_reader(&st.db, &user, crate::core::time::now()).await?
        } else {
            Vec::new()
        };
        let surveys = if user.role == Role::Clerk {
            crate::surveys::service::answers::open_for(&st.db, &crate::access::scope(), crate::core::time::now()).await?
        } else {
            Vec::new()
        };
        let tasks = crate::gremien::service::tasks::open_for(&st.db, &user, crate::core::time::now(), Some(crate::gremien::work::START_PAGE_TASKS)).await?;
        let bodies = crate::gremien::service::bodies::of_member(&st.db, &user.id).await?;
        let scope = crate::access::scope();
        let (service_states, open_faults) = if user.role == Role::Clerk {
            (crate::rollout::service::operating::notable_for(&st.db, &scope).await?, crate::faults::service::reports::open_faults_for(&st.db, &scope).await?)
        } else {
            (Vec::new(), Vec::new())
        };
        let operated = crate::rollout::service::operators::dashboard(&st.db, &scope).await?;
        Ok(Some(Overview {
            service_states,
            open_faults,
            operated,
            bodies,
            tasks,
            surveys,
            announcements,
            jobs,
            needs,
            area,
            organisations,
            population,
            ozg_services: figures.ozg_services,
            leika_services: figures.leika_services,
            focus_services: figures.focus_services,
            active_users,
            kommunen,
        }))
    }
    .await)
    .await
}

/// Marks an announcement read (a clerk of a Kommune it was addressed to); back to the start page.
#[server(endpoint = "read_announcement")]
pub async fn read_announcement(id: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let id = ctx::numeric_id(&id)?;
        crate::announcements::service::mark_read(&st.db, &user, id, crate::core::time::now()).await?;
        leptos_axum::redirect("/?gelesen=1");
        Ok(())
    }
    .await)
    .await
}
