//! Server functions of the administrators' page for the case module.

use crate::error::AppError;
use crate::cases::model::{Category, SlaTarget, Team};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSettingsView {
    pub categories: Vec<Category>,
    pub teams: Vec<Team>,
    pub advisors: Vec<(String, String)>,
    pub targets: Vec<SlaTarget>,
    pub work_start: String,
    pub work_end: String,
    /// Monday first.
    pub work_days: [bool; 7],
    /// Whether an advisor who answers an unassigned case takes it.
    pub assign_on_reply: bool,
}

#[server(endpoint = "admin_case_settings")]
pub async fn admin_case_settings() -> Result<CaseSettingsView, AppError> {
    use crate::cases::service as cases;
    use crate::cases::service::sla;
    ctx::finish(async {
        let st = ctx::state()?;
        ctx::require_user()?;
        if !crate::access::scope().is_admin() {
            return Err(AppError::Forbidden);
        }
        let s = sla::settings(&st.db).await?;
        let hhmm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
        Ok(CaseSettingsView {
            categories: cases::category_list(&st.db).await?,
            teams: cases::team_list(&st.db).await?,
            advisors: cases::advisors(&st.db).await?,
            targets: s.target_list(),
            work_start: hhmm(s.calendar.start_minute),
            work_end: hhmm(s.calendar.end_minute),
            work_days: s.calendar.weekdays,
            assign_on_reply: s.assign_on_reply,
        })
    }
    .await)
    .await
}

#[server(endpoint = "admin_save_category")]
pub async fn admin_save_category(code: String, label: String, position: String, #[server(default)] active: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        crate::cases::service::admin::save_category(&st.db, &user, &crate::access::scope(), &code, &label, &position, active == "ja").await?;
        leptos_axum::redirect("/verwaltung/beratung?gespeichert=1");
        Ok(())
    }
    .await)
    .await
}

#[server(endpoint = "admin_save_team")]
pub async fn admin_save_team(#[server(default)] id: String, name: String, #[server(default)] lead: String, #[server(default)] active: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        crate::cases::service::admin::save_team(&st.db, &user, &crate::access::scope(), &id, &name, &lead, active == "ja").await?;
        leptos_axum::redirect("/verwaltung/beratung?gespeichert=1");
        Ok(())
    }
    .await)
    .await
}

#[server(endpoint = "admin_save_sla")]
pub async fn admin_save_sla(priority: String, first_hours: String, followup_hours: String, resolution_hours: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        crate::cases::service::admin::save_sla(&st.db, &user, &crate::access::scope(), &priority, &first_hours, &followup_hours, &resolution_hours).await?;
        leptos_axum::redirect("/verwaltung/beratung?gespeichert=1");
        Ok(())
    }
    .await)
    .await
}

/// Working hours; each day a checkbox `d1` (Monday) … `d7` (Sunday), `ja` when ticked.
#[server(endpoint = "admin_save_hours")]
pub async fn admin_save_hours(
    start: String,
    end: String,
    #[server(default)] d1: String,
    #[server(default)] d2: String,
    #[server(default)] d3: String,
    #[server(default)] d4: String,
    #[server(default)] d5: String,
    #[server(default)] d6: String,
    #[server(default)] d7: String,
) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let days: Vec<u8> = [d1, d2, d3, d4, d5, d6, d7].iter().enumerate().filter(|(_, v)| v.as_str() == "ja").map(|(i, _)| i as u8 + 1).collect();
        crate::cases::service::admin::save_hours(&st.db, &user, &crate::access::scope(), &start, &end, &days).await?;
        leptos_axum::redirect("/verwaltung/beratung?gespeichert=1");
        Ok(())
    }
    .await)
    .await
}

/// Whether whoever answers an unassigned case takes it (`uebernehmen` = `ja` when ticked).
#[server(endpoint = "admin_save_assignment")]
pub async fn admin_save_assignment(#[server(default)] uebernehmen: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        crate::cases::service::admin::save_assign_on_reply(&st.db, &user, &crate::access::scope(), uebernehmen == "ja").await?;
        leptos_axum::redirect("/verwaltung/beratung?gespeichert=1");
        Ok(())
    }
    .await)
    .await
}
