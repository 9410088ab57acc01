//! German error pages: 401 (login needed), 403, 404 and 500. They set the HTTP status during
//! server rendering.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = http::StatusCode::from_u16(code)
    {
        res.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Seite nicht gefunden"/>
        <h1>"Seite nicht gefunden"</h1>
        <p>"Die aufgerufene Adresse gibt es in diesem Portal nicht. Vielleicht hat sich der Link geändert."</p>
        <p><a href="/">"Zur Startseite"</a></p>
    }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    set_status(403);
    view! {
        <Title text="Kein Zugriff"/>
        <h1>"Kein Zugriff"</h1>
        <p>"Ihre Rolle berechtigt nicht zum Aufruf dieser Seite. Wenn Sie den Zugriff benötigen, wenden Sie sich an die Administration."</p>
        <p><a href="/">"Zur Startseite"</a></p>
    }
}

#[component]
pub fn LoginRequired() -> impl IntoView {
    set_status(401);
    view! {
        <Title text="Anmeldung erforderlich"/>
        <h1>"Anmeldung erforderlich"</h1>
        <p>"Diese Seite steht nur angemeldeten Personen zur Verfügung."</p>
        <p><a href="/anmelden">"Zur Anmeldung"</a></p>
    }
}

#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    set_status(error.status_code());
    view! {
        <Title text="Fehler"/>
        <h1>"Es ist ein Fehler aufgetreten"</h1>
        <p>{error.to_string()}</p>
        {match &error {
            // A page refused for what its address asked: each reason in words.
            AppError::Validation(fields) => Some(view! { <ul>{fields.values().flatten().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}</ul> }),
            _ => None,
        }}
        <p><a href="/">"Zur Startseite"</a></p>
    }
}
