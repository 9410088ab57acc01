//! Server functions of the reporting of barriers: anyone reports; administrators list and work.

use crate::error::AppError;
use crate::legal::model::{BarrierReport, LegalEditor, LegalPage};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// "Barriere melden": without an account. `website` must stay empty (people do not see it).
#[server(endpoint = "report_barrier")]
pub async fn report_barrier(
    #[server(default)] seite: String,
    #[server(default)] beschreibung: String,
    #[server(default)] kontakt: String,
    #[server(default)] website: String,
) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let report = crate::legal::service::NewReport { page: seite, description: beschreibung, contact: kontakt, website };
        crate::legal::service::submit(&st.db, &st.config, report, &ctx::client_ip(), crate::core::time::now()).await?;
        leptos_axum::redirect("/barriere-melden?gesendet=1");
        Ok(())
    }
    .await)
    .await
}

/// The reports (administrators).
#[server(endpoint = "admin_barrier_reports")]
pub async fn barrier_reports() -> Result<Vec<BarrierReport>, AppError> {
    ctx::finish(async {
        crate::access::require_admin()?;
        crate::legal::service::list(&ctx::state()?.db).await
    }
    .await)
    .await
}

/// The status a form names.
#[cfg(feature = "ssr")]
fn parse_status(code: &str) -> Result<crate::legal::model::ReportStatus, AppError> {
    crate::legal::model::ReportStatus::from_code(code.trim()).ok_or_else(|| AppError::field("status", "Diesen Status gibt es nicht."))
}

/// Moves a report to another status (administrators).
#[server(endpoint = "admin_set_barrier_status")]
pub async fn set_barrier_status(id: String, status: String) -> Result<(), AppError> {
    ctx::finish(async {
        let admin = crate::access::require_admin()?;
        crate::legal::service::set_status(&ctx::state()?.db, &admin.id, &id, parse_status(&status)?).await
    }
    .await)
    .await
}

/// A legal text as its page shows it (anyone).
#[server(endpoint = "legal_page")]
pub async fn legal_text_page(page: String) -> Result<LegalPage, AppError> {
    ctx::finish(async { crate::legal::texts::page(&ctx::state()?.db, &page).await }.await).await
}

/// A legal text in the editor with its versions (administrators).
#[server(endpoint = "admin_legal_editor")]
pub async fn legal_text_editor(page: String, #[server(default)] version: Option<i32>) -> Result<LegalEditor, AppError> {
    ctx::finish(async {
        crate::access::require_admin()?;
        crate::legal::texts::editor(&ctx::state()?.db, &page, version).await
    }
    .await)
    .await
}

/// Saves a legal text as a new version (administrators).
#[server(endpoint = "admin_save_legal_text")]
pub async fn save_legal_text(page: String, text: String) -> Result<(), AppError> {
    ctx::finish(async {
        let admin = crate::access::require_admin()?;
        crate::legal::texts::save(&ctx::state()?.db, &admin.id, &page, &text).await?;
        leptos_axum::redirect(&format!("/verwaltung/rechtstexte/{page}?gespeichert=1"));
        Ok(())
    }
    .await)
    .await
}
