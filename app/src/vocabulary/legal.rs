//! The codes of the barrier reports (BITV 2.0 § 7).

crate::code_enum! {
    /// Where a report of a barrier stands.
    pub enum ReportStatus {
        Open = ("offen", "offen"),
        InProgress = ("in_bearbeitung", "in Bearbeitung"),
        Done = ("erledigt", "erledigt"),
    }
}
