//! Impressum, Datenschutzerklärung and Erklärung zur Barrierefreiheit: the operator's texts (see
//! `texts`), and below the Impressum the attribution of the data the portal uses.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Impressum() -> impl IntoView {
    view! {
        <Title text="Impressum"/>
        <h1>"Impressum"</h1>
        <crate::legal::texts_pages::LegalText page="impressum"/>
        <h2>"Datenquellen"</h2>
        <ul>
            <li>"Gemeindeverzeichnis: © Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, Gebietsstand 30.11.2025. Vervielfältigung und Verbreitung mit Quellenangabe gestattet."</li>
            <li>"OZG-Leistungskatalog: OZG-Umsetzungskatalog des Bundesministeriums des Innern, übernommen aus der »OZG-Datenbank NRW« des KDN (MIT-Lizenz)."</li>
            <li>"Kartengrundlage: © GeoBasis-DE / BKG 2021 (Daten verändert), dl-de/by-2-0."</li>
        </ul>
    }
}

#[component]
pub fn Datenschutz() -> impl IntoView {
    view! {
        <Title text="Datenschutz"/>
        <h1>"Datenschutzerklärung"</h1>
        <crate::legal::texts_pages::LegalText page="datenschutz"/>
    }
}

#[component]
pub fn Barrierefreiheit() -> impl IntoView {
    view! {
        <Title text="Barrierefreiheit"/>
        <h1>"Erklärung zur Barrierefreiheit"</h1>
        <crate::legal::texts_pages::LegalText page="barrierefreiheit"/>
    }
}
