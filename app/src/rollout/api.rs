//! Server functions of the roll-out: adapters that authorise and call the services.

use crate::error::AppError;
use crate::rollout::model::{ConnectionView, CostReport, Overview, PlanEditor, RolloutFigures, ServicePage};
use leptos::prelude::*;
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// The Nachnutzungsübersicht, filtered by model (`modell`), Fokusleistungen (`fokus = ja`) and
/// text (`q`: OZG-ID, name or EfA service).
#[server(endpoint = "rollout_overview")]
pub async fn rollout_overview(#[server(default)] modell: String, #[server(default)] fokus: String, #[server(default)] q: String, #[server(default)] seite: String) -> Result<Overview, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let scope = crate::access::scope();
        let versions = match ctx::current_user() {
            Some(u) => u.data_versions(&st.db).await?,
            None => crate::core::versions::current(&st.db).await?,
        };
        let all = crate::rollout::service::plan::overview_kept(&st.db, &versions, &scope).await?;
        let total = all.len();
        let q = q.trim().to_lowercase();
        let rows: Vec<_> = all
            .iter()
            .filter(|r| modell.is_empty() || r.model.code() == modell)
            .filter(|r| fokus != "ja" || r.focus)
            .filter(|r| q.is_empty() || r.ozg_id.contains(&q) || r.name.to_lowercase().contains(&q) || r.efa.as_ref().is_some_and(|e| e.name.to_lowercase().contains(&q)))
            .collect();
        let per_page = crate::rollout::service::plan::PER_PAGE;
        let matching = rows.len();
        let paging = crate::vocabulary::paging::Paging::of(crate::vocabulary::paging::Paging::asked(Some(&seite)), per_page as u64, matching as u64);
        let (page, pages) = (paging.page as usize, paging.pages as usize);
        Ok(Overview {
            rows: rows.into_iter().skip(paging.offset() as usize).take(per_page).cloned().collect(),
            total,
            matching,
            page,
            pages,
            may_edit: crate::access::policy::is_advisor(&scope),
            mine: crate::rollout::service::query::mine(&st.db, &scope).await?,
            sees_connections: crate::access::policy::require_kommune_list(&scope).is_ok(),
        })
    }
    .await)
    .await
}

/// One row of the overview to edit (advisors).
#[server(endpoint = "rollout_plan_editor")]
pub async fn rollout_plan_editor(ozg: String) -> Result<PlanEditor, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        crate::access::require_advisor()?;
        let mut row = crate::rollout::service::plan::row(&st.db, &crate::access::scope(), ozg.trim()).await?;
        if row.version == 0 && row.checklist.is_empty() {
            row.checklist = crate::rollout::service::plan::DEFAULT_CHECKLIST.iter().map(|s| s.to_string()).collect();
        }
        Ok(PlanEditor { row, services: crate::rollout::service::plan::services(&st.db).await? })
    }
    .await)
    .await
}

/// Saves one row of the overview (advisors).
#[server(endpoint = "save_rollout_plan")]
pub async fn save_rollout_plan(
    ozg: String,
    #[server(default)] model: String,
    #[server(default)] efa_service_id: String,
    #[server(default)] priority: String,
    #[server(default)] phase: String,
    #[server(default)] land_pays: String,
    #[server(default)] checklist: String,
    #[server(default)] version: String,
) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = crate::access::require_advisor()?;
        let input = crate::rollout::service::plan::PlanInput { model, efa_service_id, priority, phase, land_pays: land_pays == "ja", checklist, version: version.trim().parse().unwrap_or(0) };
        crate::rollout::service::plan::save(&st.db, &crate::access::scope(), &user.id, ozg.trim(), &input).await?;
        leptos_axum::redirect(&format!("/nachnutzung?gespeichert={}", crate::ui::format::urlencode(ozg.trim())));
        Ok(())
    }
    .await)
    .await
}

/// An EfA service with the connections the caller may see (`kreis`, `stand`: filters).
#[server(endpoint = "rollout_service")]
pub async fn rollout_service(id: String, #[server(default)] kreis: String, #[server(default)] stand: String) -> Result<ServicePage, AppError> {
    ctx::finish(async { crate::rollout::service::query::service_page(&ctx::state()?.db, &crate::access::scope(), id.trim(), &kreis, crate::rollout::model::ConnectionState::from_code(stand.trim())).await }.await).await
}

/// A Kommune declares interest in an EfA service.
#[server(endpoint = "declare_interest")]
pub async fn declare_interest(kommune: String, dienst: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let id = crate::rollout::service::lifecycle::declare(&st.db, &crate::access::scope(), &user, kommune.trim(), dienst.trim()).await?;
        leptos_axum::redirect(&format!("/nachnutzung/anbindung/{id}?bekundet=1"));
        Ok(())
    }
    .await)
    .await
}

/// One connection.
#[server(endpoint = "rollout_connection")]
pub async fn rollout_connection(id: String) -> Result<ConnectionView, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        crate::rollout::service::query::connection(&st.db, &crate::access::scope(), st.config.rollout_live_by_land, ctx::numeric_id(&id)?).await
    }
    .await)
    .await
}

/// Takes one step of a connection (`schritt`: the state; `grund`: the reason to pause;
/// `trotz_offener` = `ja`: on although items of the checklist are open).
#[server(endpoint = "connection_step")]
pub async fn connection_step(id: String, schritt: String, #[server(default)] grund: String, #[server(default)] version: String, #[server(default)] trotz_offener: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let id = ctx::numeric_id(&id)?;
        let version = version.trim().parse().ok();
        let target = crate::rollout::model::ConnectionState::from_code(schritt.trim());
        crate::rollout::service::lifecycle::step(&st.db, &crate::access::scope(), &st.config, &user, id, target, &grund, version, trotz_offener == "ja").await?;
        leptos_axum::redirect(&format!("/nachnutzung/anbindung/{id}?schritt=1"));
        Ok(())
    }
    .await)
    .await
}

/// Moves many connections of one service to a step at once (advisors): `ids[N] = N`.
#[server(endpoint = "connection_bulk")]
pub async fn connection_bulk(dienst: String, #[server(default)] ids: BTreeMap<String, String>, schritt: String, #[server(default)] grund: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = crate::access::require_advisor()?;
        let ids: Vec<i64> = ids.values().filter_map(|v| v.trim().parse().ok()).collect();
        let target = crate::rollout::model::ConnectionState::from_code(schritt.trim());
        let n = crate::rollout::service::lifecycle::bulk(&st.db, &crate::access::scope(), &st.config, &user, dienst.trim(), &ids, target, &grund).await?;
        leptos_axum::redirect(&format!("/nachnutzung/dienst/{}?verschoben={n}", crate::ui::format::urlencode(dienst.trim())));
        Ok(())
    }
    .await)
    .await
}

/// Sets an item of the checklist.
#[server(endpoint = "connection_item")]
pub async fn connection_item(id: String, punkt: String, status: String, #[server(default)] notiz: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let id = ctx::numeric_id(&id)?;
        let position = punkt.trim().parse::<i32>().map_err(|_| AppError::NotFound)?;
        crate::rollout::service::checklist::set(&st.db, &crate::access::scope(), &st.config, &user, id, position, crate::rollout::model::ItemState::from_code(status.trim()), &notiz).await?;
        leptos_axum::redirect(&format!("/nachnutzung/anbindung/{id}?punkt={position}#punkt-{position}"));
        Ok(())
    }
    .await)
    .await
}

/// Adds a cost to a connection (advisors).
#[server(endpoint = "add_connection_cost")]
pub async fn add_connection_cost(id: String, #[server(flatten)] form: crate::rollout::model::CostForm) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = crate::access::require_advisor()?;
        let id = ctx::numeric_id(&id)?;
        let input = crate::rollout::model::CostInput::try_from(form)?;
        crate::rollout::service::costs::add(&st.db, &crate::access::scope(), &user.id, id, &input).await?;
        leptos_axum::redirect(&format!("/nachnutzung/anbindung/{id}?kosten=1#kosten"));
        Ok(())
    }
    .await)
    .await
}

/// Removes a cost (advisors).
#[server(endpoint = "remove_connection_cost")]
pub async fn remove_connection_cost(id: String, kosten: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = crate::access::require_advisor()?;
        let id = ctx::numeric_id(&id)?;
        crate::rollout::service::costs::remove(&st.db, &crate::access::scope(), &user.id, id, ctx::numeric_id(&kosten)?).await?;
        leptos_axum::redirect(&format!("/nachnutzung/anbindung/{id}?kosten=1#kosten"));
        Ok(())
    }
    .await)
    .await
}

/// Cost totals per Kommune, Kreis, service and year (advisors and administrators).
#[server(endpoint = "rollout_costs")]
pub async fn rollout_costs() -> Result<CostReport, AppError> {
    ctx::finish(async { crate::rollout::service::costs::report(&ctx::state()?.db, &crate::access::scope()).await }.await).await
}

/// The roll-out in the Lagebild (suppressed for associations and the public).
#[server(endpoint = "rollout_figures")]
pub async fn load_rollout_figures(#[server(default)] dienst: String) -> Result<RolloutFigures, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let scope = crate::access::scope();
        let full = matches!(scope, crate::access::scope::Scope::Land | crate::access::scope::Scope::Admin);
        let months = crate::rollout::service::rollup::recent_months();
        crate::rollout::service::figures::figures(&st.db, full, st.config.suppression_threshold, scope.membership(), Some(dienst.trim()).filter(|d| !d.is_empty()), &months).await
    }
    .await)
    .await
}
