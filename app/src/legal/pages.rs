//! Impressum, Datenschutzerklärung and Erklärung zur Barrierefreiheit. Their operator-specific
//! content is configured by the operator; the pages state what applies to the portal itself.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Impressum() -> impl IntoView {
    view! {
        <Title text="Impressum"/>
        <h1>"Impressum"</h1>
        <p>"Die Angaben zum Anbieter nach § 5 DDG (Name und Anschrift der betreibenden Stelle, vertretungsberechtigte Person, Kontakt) werden von der betreibenden Stelle hinterlegt."</p>
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
        <p>"Die Angaben zur verantwortlichen Stelle und zur oder zum Datenschutzbeauftragten werden von der betreibenden Stelle hinterlegt."</p>
        <h2>"Welche Daten das Portal verarbeitet"</h2>
        <ul>
            <li>"Für Konten: Name, dienstliche E-Mail-Adresse, Rolle, Organisation und ein Passwort-Hash (Argon2id); das Passwort selbst wird nie gespeichert."</li>
            <li>"Für die Anmeldung: ein technisch notwendiges Sitzungs-Cookie ohne Personenbezug im Klartext. Es endet nach 30 Minuten Inaktivität, spätestens nach 8 Stunden, und bei der Abmeldung."</li>
            <li>"Im Sicherheitsprotokoll: Zeitpunkt, Aktion und IP-Adresse von An- und Abmeldungen und von Änderungen an Konten."</li>
        </ul>
        <p>"Es werden keine Analyse- oder Werbedienste eingesetzt und keine Daten an Dritte übermittelt."</p>
    }
}

#[component]
pub fn Barrierefreiheit() -> impl IntoView {
    view! {
        <Title text="Barrierefreiheit"/>
        <h1>"Erklärung zur Barrierefreiheit"</h1>
        <p>"Das OZG-Portal Sachsen-Anhalt soll nach der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und den Web Content Accessibility Guidelines (WCAG 2.1, Stufe AA) barrierefrei nutzbar sein. Jede Seite wird vor der Veröffentlichung automatisiert mit axe geprüft; alle Funktionen sind per Tastatur und ohne JavaScript bedienbar."</p>
        <h2>"Feedback und Kontakt"</h2>
        <p>"Wenn Ihnen Barrieren auffallen, teilen Sie uns dies bitte über das Formular "<a href="/barriere-melden">"Barriere melden"</a>" mit. Es ist von jeder Seite aus über den Fußbereich erreichbar, ohne Anmeldung und ohne JavaScript. Ihre Meldung wird an die zuständige Stelle weitergeleitet; wenn Sie eine E-Mail-Adresse angeben, erhalten Sie eine Bestätigung."</p>
        <h2>"Schlichtungsverfahren"</h2>
        <p>"Bleibt eine Rückmeldung unbeantwortet, können Sie sich an die Schlichtungsstelle nach dem Behindertengleichstellungsrecht des Landes Sachsen-Anhalt wenden."</p>
    }
}
