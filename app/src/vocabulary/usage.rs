//! The codes of the usage figures (Nutzungszahlen): where a figure comes from and which kind of
//! area its Regionalschlüssel names.

crate::vocabulary::code_enum! {
    /// Where a monthly figure comes from.
    pub enum UsageSource {
        Zsk = ("zsk", "Zentrale Statistik-Komponente"),
        Kommune = ("kommune", "eigene Angabe der Kommune"),
    }
}

crate::vocabulary::code_enum! {
    /// The area a figure counts for, by the length of its Amtlicher Regionalschlüssel.
    pub enum UsageArea {
        Gemeinde = ("gemeinde", "Gemeinde (12-stelliger ARS)"),
        Verband = ("verband", "Verbandsgemeinde (9-stelliger ARS)"),
        Kreis = ("kreis", "Kreis (5-stelliger ARS)"),
    }
}

impl UsageArea {
    /// The kind of area a Regionalschlüssel of this length names.
    pub fn of_ars(ars: &str) -> Option<UsageArea> {
        if !ars.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match ars.len() {
            12 => Some(UsageArea::Gemeinde),
            9 => Some(UsageArea::Verband),
            5 => Some(UsageArea::Kreis),
            _ => None,
        }
    }
}
