//! Server functions of the faults room: adapters that read the form once, authorise in the
//! service and redirect.

use crate::error::AppError;
use crate::faults::model::{AnswerForm, ReportForm, ReportView, ReportsOfService};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// A service's operating state and reports.
#[server(endpoint = "service_reports")]
pub async fn service_reports(dienst: String) -> Result<ReportsOfService, AppError> {
    ctx::finish(async { crate::faults::service::page(&ctx::state()?.db, &crate::access::scope(), dienst.trim()).await }.await).await
}

/// One report.
#[server(endpoint = "service_report")]
pub async fn service_report(id: String) -> Result<ReportView, AppError> {
    ctx::finish(async { crate::faults::service::reports::view(&ctx::state()?.db, &crate::access::scope(), ctx::numeric_id(&id)?).await }.await).await
}

/// A connected Kommune reports a fault or a requirement.
#[server(endpoint = "file_service_report")]
pub async fn file_service_report(#[server(flatten)] form: ReportForm) -> Result<(), AppError> {
    ctx::finish(
        async {
            let st = ctx::state()?;
            let user = ctx::require_user()?;
            let input = crate::faults::model::NewReport::try_from(form)?;
            let id = crate::faults::service::reports::file(&st.db, &st.config, &crate::access::scope(), &user, &input).await?;
            leptos_axum::redirect(&format!("/nachnutzung/meldung/{id}?gemeldet=1"));
            Ok(())
        }
        .await,
    )
    .await
}

/// A further connected Kommune joins a report ("betrifft uns auch").
#[server(endpoint = "join_service_report")]
pub async fn join_service_report(id: String, #[server(default)] kommune: String) -> Result<(), AppError> {
    ctx::finish(
        async {
            let st = ctx::state()?;
            let user = ctx::require_user()?;
            let id = ctx::numeric_id(&id)?;
            crate::faults::service::reports::join(&st.db, &crate::access::scope(), &user, id, kommune.trim()).await?;
            leptos_axum::redirect(&format!("/nachnutzung/meldung/{id}?mitgezeichnet=1"));
            Ok(())
        }
        .await,
    )
    .await
}

/// The Land or the operator answers a report and/or sets its status.
#[server(endpoint = "answer_service_report")]
pub async fn answer_service_report(#[server(flatten)] form: AnswerForm) -> Result<(), AppError> {
    ctx::finish(
        async {
            let st = ctx::state()?;
            let user = ctx::require_user()?;
            let input = crate::faults::model::NewAnswer::try_from(form)?;
            crate::faults::service::reports::answer(&st.db, &st.config, &crate::access::scope(), &user, &input).await?;
            leptos_axum::redirect(&format!("/nachnutzung/meldung/{}?beantwortet=1", input.report_id));
            Ok(())
        }
        .await,
    )
    .await
}
