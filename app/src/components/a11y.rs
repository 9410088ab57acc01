//! Accessibility helpers the router does not provide: after a client-side navigation, focus
//! moves to the page's `<h1>` and its title is announced in a live region.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The live region and the effect that fills it after each navigation.
#[component]
pub fn RouteAnnouncer() -> impl IntoView {
    let location = use_location();
    let message = RwSignal::new(String::new());
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.as_ref().is_some_and(|p| p != &path) {
            // Let the new page render before moving focus.
            set_timeout(move || message.set(focus_heading()), std::time::Duration::from_millis(50));
        }
        path
    });
    view! {
        <div id="seitenansage" class="visually-hidden" aria-live="polite" aria-atomic="true">
            {move || message.get()}
        </div>
    }
}

/// Focuses the first `<h1>` and returns the document title to announce.
#[cfg(feature = "hydrate")]
fn focus_heading() -> String {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return String::new() };
    if let Some(h1) = doc.query_selector("main h1").ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = h1.set_attribute("tabindex", "-1");
        let _ = h1.focus();
    }
    doc.title()
}

#[cfg(not(feature = "hydrate"))]
fn focus_heading() -> String {
    String::new()
}
