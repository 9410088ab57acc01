//! Server functions of the events: adapters that authorise and call the services.

use crate::error::AppError;
use crate::events::model::{EventDraft, EventList, EventView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// Upcoming and past events the caller may see.
#[server(endpoint = "list_events")]
pub async fn list_events() -> Result<EventList, AppError> {
    ctx::finish(async { crate::events::service::query::list(&ctx::state()?.db, ctx::current_user().as_ref(), crate::core::time::now()).await }.await).await
}

/// One event.
#[server(endpoint = "load_event")]
pub async fn load_event(id: String) -> Result<EventView, AppError> {
    ctx::finish(async { crate::events::service::query::view(&ctx::state()?.db, ctx::current_user().as_ref(), ctx::numeric_id(&id)?, crate::core::time::now()).await }.await)
        .await
}

/// The editor's content (advisors); without `id` a new event.
#[server(endpoint = "event_editor")]
pub async fn event_editor(#[server(default)] id: Option<String>) -> Result<EventDraft, AppError> {
    ctx::finish(async {
        crate::access::require_advisor()?;
        let id = match id.filter(|i| !i.trim().is_empty()) {
            Some(i) => Some(ctx::numeric_id(&i)?),
            None => None,
        };
        crate::events::service::query::editor(&ctx::state()?.db, id).await
    }
    .await)
    .await
}

/// Saves an event (advisors); Themenfelder as one checkbox each (`tf[0]`, …).
#[server(endpoint = "save_event")]
pub async fn save_event(#[server(default)] id: String, #[server(flatten)] form: crate::events::model::EventForm) -> Result<(), AppError> {
    use crate::events::service::store;
    ctx::finish(async {
        let st = ctx::state()?;
        let user = crate::access::require_advisor()?;
        let input = crate::events::model::EventInput::try_from(form)?;
        let now = crate::core::time::now();
        let id = if id.trim().is_empty() {
            store::create(&st.db, &user.id, input, now).await?
        } else {
            let id = ctx::numeric_id(&id)?;
            store::update(&st.db, &st.config, &user.id, id, input, now).await?;
            crate::core::outbox::wake();
            id
        };
        leptos_axum::redirect(&format!("/termine/{id}?gespeichert=1"));
        Ok(())
    }
    .await)
    .await
}

/// Registers the caller (clerks and associations): a place, or the waiting list.
#[server(endpoint = "register_event")]
pub async fn register_event(id: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let id = ctx::numeric_id(&id)?;
        // Only an event the caller may see.
        crate::events::service::query::view(&st.db, Some(&user), id, crate::core::time::now()).await?;
        let state = crate::events::service::attend::register(&st.db, &st.config, &user, id, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/termine/{id}?{}=1", state.code()));
        Ok(())
    }
    .await)
    .await
}

/// Cancels the caller's registration.
#[server(endpoint = "unregister_event")]
pub async fn unregister_event(id: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let id = ctx::numeric_id(&id)?;
        crate::events::service::attend::unregister(&st.db, &st.config, &user, id, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/termine/{id}?abgemeldet=1"));
        Ok(())
    }
    .await)
    .await
}

/// Cancels an event (advisors); everyone registered is told.
#[server(endpoint = "cancel_event")]
pub async fn cancel_event(id: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = crate::access::require_advisor()?;
        let id = ctx::numeric_id(&id)?;
        crate::events::service::store::cancel(&st.db, &st.config, &user.id, id, crate::core::time::now()).await?;
        crate::core::outbox::wake();
        leptos_axum::redirect(&format!("/termine/{id}?abgesagt=1"));
        Ok(())
    }
    .await)
    .await
}

/// Saves the materials of an event (advisors); `artikel = ja` also makes them an article draft.
#[server(endpoint = "save_event_materials")]
pub async fn save_event_materials(id: String, #[server(default)] materials: String, #[server(default)] artikel: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = crate::access::require_advisor()?;
        let id = ctx::numeric_id(&id)?;
        let now = crate::core::time::now();
        crate::events::service::store::materials(&st.db, &user.id, id, &materials, now).await?;
        if artikel == "ja" {
            let article = crate::events::service::store::materials_to_article(&st.db, &user.id, id, now).await?;
            leptos_axum::redirect(&format!("/wissen/{article}/bearbeiten"));
        } else {
            leptos_axum::redirect(&format!("/termine/{id}?unterlagen=1"));
        }
        Ok(())
    }
    .await)
    .await
}
