//! Server functions of the ratings: a Kommune rates the help on its solved case; the Land reads
//! the figures.

use crate::cases::model::RatingSummary;
#[cfg(feature = "ssr")]
use crate::cases::model::RateForm;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use crate::core::ctx;

/// The Kommune's clerk rates the help on a solved case (or changes the rating until it closes).
#[server(endpoint = "rate_case")]
pub async fn rate_case(id: String, #[server(default)] sterne: String, #[server(default)] kommentar: String) -> Result<(), AppError> {
    use crate::cases::service::{ratings, workflow};
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let scope = crate::access::scope();
        let rating: crate::cases::model::NewRating = RateForm { id, sterne, kommentar }.try_into()?;
        let actor = workflow::Actor::new(&user, &scope, &st.config);
        ratings::rate(&st.db, &actor, &rating).await?;
        leptos_axum::redirect(&format!("/faelle/{}?bewertet=1", rating.case_id));
        Ok(())
    }
    .await)
    .await
}

/// The Land's figures of the ratings of the last twelve months.
#[server(endpoint = "case_ratings_page")]
pub async fn case_ratings_page() -> Result<RatingSummary, AppError> {
    use crate::cases::service::{directory, ratings};
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let scope = crate::access::scope();
        crate::access::policy::require_case_ratings_reader(&scope)?;
        let dir = directory::get(&st.db, &user.data_versions(&st.db).await?).await?;
        ratings::summary(&st.db, &dir, &scope, crate::core::time::now()).await
    }
    .await)
    .await
}
