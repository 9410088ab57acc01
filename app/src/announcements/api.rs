//! Server functions of the announcements.

use crate::announcements::model::AnnouncementDesk;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// The advisors' page of announcements; `vorschau`: a text to show as the start page will.
#[server(endpoint = "load_announcements")]
pub async fn load_announcements(#[server(default)] vorschau: Option<String>) -> Result<AnnouncementDesk, AppError> {
    ctx::finish(async {
        crate::access::require_advisor()?;
        let mut desk = crate::announcements::service::desk(&ctx::state()?.db, crate::core::time::now()).await?;
        desk.preview = vorschau.filter(|v| !v.trim().is_empty()).map(|v| crate::core::markdown::parse(&v));
        Ok(desk)
    }
    .await)
    .await
}

/// The field of the answer that asks for a preview instead of publishing.
pub const PREVIEW: &str = "vorschau";

/// Publishes an announcement (advisors). The selection's values come as one field per choice
/// (`wahl[0]`, …) or, for one value, as `wert`.
#[server(endpoint = "publish_announcement")]
pub async fn publish_announcement(
    #[server(default)] title: String,
    #[server(default)] body: String,
    #[server(default)] target: String,
    #[server(default)] wahl: std::collections::BTreeMap<String, String>,
    #[server(default)] wert: String,
    #[server(default)] expires: String,
    #[server(default)] vorschau: String,
) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = crate::access::require_advisor()?;
        // "Vorschau": nothing is published; the form comes back with its values and the preview.
        if vorschau == "ja" {
            return Err(AppError::field(PREVIEW, "Vorschau – die Mitteilung ist noch nicht veröffentlicht."));
        }
        let mut value: Vec<String> = wahl.into_values().filter(|v| !v.trim().is_empty()).collect();
        let single = wert.trim().to_string();
        let target = crate::announcements::model::Target::from_code(target.trim());
        // These two selections name one thing, typed into a field of its own.
        if !single.is_empty() && matches!(target, Some(crate::announcements::model::Target::ServiceNotOnline | crate::announcements::model::Target::Association)) {
            value = vec![single];
        }
        let input = crate::announcements::service::AnnouncementInput { title, body, target, value, expires };
        let (_, n) = crate::announcements::service::publish(&st.db, &st.config, &user.id, input, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/mitteilungen?veroeffentlicht={n}"));
        Ok(())
    }
    .await)
    .await
}
