//! Administration pages of the reference data, and the catalogue's list of choices for forms.

pub mod catalogue;
pub mod criteria;
pub mod partners;

use leptos::prelude::*;

/// The catalogue's list of choices (`list="ozg-leistungen"`) for a form's OZG-Leistungen field,
/// loaded with the page.
#[component]
pub fn ServiceChoiceList() -> impl IntoView {
    let choices = Resource::new(|| (), |_| crate::catalogue::api::service_choices());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { choices.await.ok().map(|services| view! { <crate::ui::forms::ServiceChoices services/> }) })}
        </Suspense>
    }
}
