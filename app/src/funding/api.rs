//! Server functions of funding: adapters that authorise and call the services.

use crate::error::AppError;
use crate::funding::model::{ApplicationForm, ApplicationView, FundingFigures, FundingPage, Programme};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// The programmes and the applications the caller may see (`stand`: a status filter).
#[server(endpoint = "funding_page")]
pub async fn load_funding_page(#[server(default)] stand: String) -> Result<FundingPage, AppError> {
    ctx::finish(async { crate::funding::service::applications::page(&ctx::state()?.db, &crate::access::scope(), crate::funding::model::Status::from_code(stand.trim())).await }.await).await
}

/// One programme to edit (administrators); without `id` a new one.
#[server(endpoint = "funding_programme")]
pub async fn funding_programme(#[server(default)] id: Option<String>) -> Result<Option<Programme>, AppError> {
    ctx::finish(async {
        crate::access::require_admin()?;
        match id.filter(|i| !i.trim().is_empty()) {
            Some(i) => Ok(Some(crate::funding::service::programmes::get(&ctx::state()?.db, ctx::numeric_id(&i)?).await?)),
            None => Ok(None),
        }
    }
    .await)
    .await
}

/// Saves a programme (administrators).
#[server(endpoint = "save_funding_programme")]
pub async fn save_funding_programme(#[server(default)] id: String, #[server(flatten)] form: crate::funding::model::ProgrammeForm) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = crate::access::require_admin()?;
        let id = if id.trim().is_empty() { None } else { Some(ctx::numeric_id(&id)?) };
        let input = crate::funding::model::ProgrammeInput::try_from(form)?;
        crate::funding::service::programmes::save(&st.db, &crate::access::scope(), &user.id, id, &input).await?;
        leptos_axum::redirect("/foerderung?gespeichert=1");
        Ok(())
    }
    .await)
    .await
}

/// The application form for a programme (clerks).
#[server(endpoint = "funding_form")]
pub async fn funding_form(programm: String) -> Result<ApplicationForm, AppError> {
    ctx::finish(async { crate::funding::service::applications::form(&ctx::state()?.db, &crate::access::scope(), ctx::numeric_id(&programm)?).await }.await).await
}

/// Files an application (clerks).
#[server(endpoint = "apply_funding")]
pub async fn apply_funding(
    programm: String,
    #[server(default)] kommune: String,
    #[server(default)] title: String,
    #[server(default)] description: String,
    #[server(default)] cost_plan: String,
    #[server(default)] posten: std::collections::BTreeMap<String, String>,
    #[server(default)] requested: String,
    #[server(default)] ozg_ids: String,
    #[server(default)] idempotency_key: String,
) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        // The form's rows: `posten[w0]` the Bezeichnung and `posten[b0]` the Betrag of the first.
        let cost_rows = (0..crate::funding::model::COST_ROWS).map(|i| (posten.get(&format!("w{i}")).cloned().unwrap_or_default(), posten.get(&format!("b{i}")).cloned().unwrap_or_default())).collect();
        let ozg_ids = crate::catalogue::model::resolve_services(&ozg_ids, &crate::catalogue::service::ozg::names(&st.db).await?);
        let input = crate::funding::service::applications::ApplicationInput { kommune, title, description, cost_plan, cost_rows, requested, ozg_ids, idempotency_key };
        let id = crate::funding::service::applications::create(&st.db, &crate::access::scope(), &user, ctx::numeric_id(&programm)?, &input).await?;
        leptos_axum::redirect(&format!("/foerderung/antrag/{id}?gestellt=1"));
        Ok(())
    }
    .await)
    .await
}

/// One application.
#[server(endpoint = "funding_application")]
pub async fn funding_application(id: String) -> Result<ApplicationView, AppError> {
    ctx::finish(async { crate::funding::service::applications::view(&ctx::state()?.db, &crate::access::scope(), ctx::numeric_id(&id)?).await }.await).await
}

/// A step of an application's workflow (`aktion`), with an amount or a text where it needs one.
#[server(endpoint = "funding_step")]
pub async fn funding_step(
    id: String,
    aktion: String,
    #[server(default)] amount: String,
    #[server(default)] note: String,
    #[server(default)] nachweis_bis: String,
    #[server(default)] version: String,
) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let id = ctx::numeric_id(&id)?;
        let action = crate::funding::model::Action::from_code(aktion.trim());
        let status = crate::funding::service::workflow::act(&st.db, &crate::access::scope(), &user, id, action, &amount, &note, &nachweis_bis, version.trim().parse().ok(), &st.config).await?;
        leptos_axum::redirect(&format!("/foerderung/antrag/{id}?stand={}", status.code()));
        Ok(())
    }
    .await)
    .await
}

/// Funding in the Lagebild (suppressed for associations and the public).
#[server(endpoint = "funding_figures")]
pub async fn load_funding_figures() -> Result<FundingFigures, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let scope = crate::access::scope();
        let full = matches!(scope, crate::access::scope::Scope::Land | crate::access::scope::Scope::Admin);
        let months = crate::rollout::service::rollup::recent_months();
        crate::funding::service::figures::figures(&st.db, full, st.config.suppression_threshold, scope.membership(), &months).await
    }
    .await)
    .await
}
