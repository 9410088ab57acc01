//! The codes of the legal room: the barrier reports' status (BITV 2.0 § 7) and the legal texts.

crate::vocabulary::code_enum! {
    /// Where a report of a barrier stands.
    pub enum ReportStatus {
        Open = ("offen", "offen"),
        InProgress = ("in_bearbeitung", "in Bearbeitung"),
        Done = ("erledigt", "erledigt"),
    }
}

crate::vocabulary::code_enum! {
    /// The operator's legal texts (the code is the page's address).
    pub enum LegalKind {
        Impressum = ("impressum", "Impressum"),
        Privacy = ("datenschutz", "Datenschutzerklärung"),
        Accessibility = ("barrierefreiheit", "Erklärung zur Barrierefreiheit"),
    }
}
