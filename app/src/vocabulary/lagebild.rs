//! The terms of the Lagebild's figures, each with the definition printed beside every figure,
//! on the public page and into every export.

crate::vocabulary::code_enum! {
    /// A term of the figures, in the order the definitions are listed.
    pub enum Term {
        Responsible = ("zustaendig", "Zuständige Kommunen"),
        Online = ("online", "Online"),
        OnlineShare = ("online_quote", "Online-Quote"),
        Everywhere = ("flaechendeckend", "Flächendeckend"),
        AtLeastOne = ("mindestens_eine", "In mindestens einer Kommune"),
        Population = ("bevoelkerung", "Bevölkerungsabdeckung"),
        Maturity = ("reifegrad", "Reifegrad ≥ 2 / ≥ 3"),
        ReportingGaps = ("meldeluecken", "Meldelücken"),
        Suppression = ("unterdrueckung", "Unterdrückung"),
    }
}

impl Term {
    /// What the term means in the figures.
    pub const fn definition(self) -> &'static str {
        match self {
            Term::Responsible => "Kommunen des Gebiets, die die Leistung selbst erbringen: alle außer denen, die im Register »nicht zuständig« angegeben haben. Kommunen ohne Registereintrag zählen als zuständig und »nicht begonnen«.",
            Term::Online => "Umsetzungsstand »online« im Register der zuständigen Kommune.",
            Term::OnlineShare => "Online angebotene Leistungen je zuständige Kommune, summiert über die Leistungen der Auswahl, geteilt durch die Zahl der zuständigen Kommune-Leistung-Paare.",
            Term::Everywhere => "Leistungen, die jede zuständige Kommune des Gebiets online anbietet.",
            Term::AtLeastOne => "Leistungen, die wenigstens eine Kommune des Gebiets online anbietet (Zählweise des Bundes-Dashboards).",
            Term::Population => "Einwohner der zuständigen Kommunen, die die Leistung online anbieten, geteilt durch die Einwohner aller zuständigen Kommunen (Landkreise und Verbandsgemeinden mit ihren Einwohnern).",
            Term::Maturity => "Bewertungen nach Reifegradmodell 1.1 mit Stufe 2 (Formular-Assistent) oder höher bzw. 3 (Online-Leistung, OZG-konform) oder höher. Bewertungen nach Modell 2.0 werden getrennt ausgewiesen, nie umgerechnet.",
            Term::ReportingGaps => "Kommunen des Gebiets, deren Leistungsregister seit mindestens 90 Tagen nicht geändert wurde, einschließlich der Kommunen ohne jeden Eintrag.",
            Term::Suppression => "Werte, hinter denen weniger als 3 Kommunen stehen, werden nicht ausgewiesen und als »•« angezeigt, damit keine einzelne Kommune erkennbar ist; im ganzen Portal steht »•« für einen so zurückgehaltenen Wert.",
        }
    }
}
