//! The administrators' areas: one "Verwaltung" entry in the header, its index page and the
//! sub-navigation shown on every page of the administration.

use crate::identity::Role;
use crate::ui::auth::RequireRole;
use leptos::prelude::*;
use leptos_meta::Title;

/// One area of the administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminArea {
    Users,
    Partners,
    Catalogue,
    Criteria,
    Advice,
    Audit,
    DeadLetters,
    Webhooks,
    Barriers,
    LegalTexts,
}

impl AdminArea {
    pub const ALL: [AdminArea; 10] = [
        AdminArea::Users,
        AdminArea::Partners,
        AdminArea::Catalogue,
        AdminArea::Criteria,
        AdminArea::Advice,
        AdminArea::Audit,
        AdminArea::DeadLetters,
        AdminArea::Webhooks,
        AdminArea::Barriers,
        AdminArea::LegalTexts,
    ];

    pub fn href(self) -> &'static str {
        match self {
            AdminArea::Users => "/verwaltung/benutzer",
            AdminArea::Partners => "/verwaltung/partner",
            AdminArea::Catalogue => "/verwaltung/katalog",
            AdminArea::Criteria => "/verwaltung/reifegradkriterien",
            AdminArea::Advice => "/verwaltung/beratung",
            AdminArea::Audit => "/verwaltung/protokoll",
            AdminArea::DeadLetters => "/verwaltung/postausgang",
            AdminArea::Webhooks => "/verwaltung/webhooks",
            AdminArea::Barriers => "/verwaltung/barrieren",
            AdminArea::LegalTexts => "/verwaltung/rechtstexte",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AdminArea::Users => "Benutzerverwaltung",
            AdminArea::Partners => "Partnerorganisationen",
            AdminArea::Catalogue => "OZG-Katalog",
            AdminArea::Criteria => "Reifegradkriterien",
            AdminArea::Advice => "Beratung einrichten",
            AdminArea::Audit => "Protokoll",
            AdminArea::DeadLetters => "Unzustellbare E-Mails",
            AdminArea::Webhooks => "Webhooks",
            AdminArea::Barriers => "Gemeldete Barrieren",
            AdminArea::LegalTexts => "Rechtstexte",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            AdminArea::Users => "Konten einladen, Rollen und Organisationen ändern, Konten deaktivieren, Konten aus CSV einlesen.",
            AdminArea::Partners => "IT-Dienstleister, Landesbehörden und andere Partner der Zusammenarbeit, deren Personen sich im Portal anmelden.",
            AdminArea::Catalogue => "Fokusleistungen kennzeichnen und die EfA-Dienste festlegen, deren Zahlen veröffentlicht werden.",
            AdminArea::Criteria => "Die Kriterien der Reifegradmodelle 1.1 und 2.0.",
            AdminArea::Advice => "Servicezeiten, Kategorien und Teams der Beratung.",
            AdminArea::Audit => "Wer wann was getan hat: Anmeldungen, Änderungen, Ablehnungen.",
            AdminArea::DeadLetters => "E-Mails, die nicht zugestellt werden konnten, erneut senden oder verwerfen.",
            AdminArea::Webhooks => "Empfänger der Ereignisse für Systeme der Partner und des Landes, mit ihren letzten Antworten.",
            AdminArea::Barriers => "Gemeldete Barrieren bearbeiten und beantworten.",
            AdminArea::LegalTexts => "Impressum, Datenschutzerklärung und Erklärung zur Barrierefreiheit.",
        }
    }

    /// The area a path belongs to.
    pub fn of_path(path: &str) -> Option<AdminArea> {
        AdminArea::ALL.into_iter().find(|a| path == a.href() || path.starts_with(&format!("{}/", a.href())))
    }
}

/// The sub-navigation of the administration (administrators, on `/verwaltung…`).
#[component]
pub fn AdminSubNav(path: String) -> impl IntoView {
    let current = AdminArea::of_path(&path);
    view! {
        <nav class="sub-nav" aria-label="Bereiche der Verwaltung">
            <ul>
                {AdminArea::ALL.into_iter().map(|a| view! {
                    <li><a href=a.href() aria-current=(current == Some(a)).then_some("page")>{a.label()}</a></li>
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// `/verwaltung`: the areas of the administration, each with what it is for.
#[component]
pub fn AdminIndexPage() -> impl IntoView {
    view! {
        <Title text="Bereiche der Verwaltung"/>
        <RequireRole roles=vec![Role::Admin]>
            <h1>"Bereiche der Verwaltung"</h1>
            <ul class="area-list">
                {AdminArea::ALL.into_iter().map(|a| view! {
                    <li>
                        <a href=a.href()>{a.label()}</a>
                        <p class="hint">{a.description()}</p>
                    </li>
                }).collect_view()}
            </ul>
        </RequireRole>
    }
}
