//! The codes of the Beratungsfälle kept in the vocabulary: the inbox's predefined views.

crate::vocabulary::code_enum! {
    /// A predefined view of the inbox.
    pub enum PresetView {
        Mine = ("mine", "Meine Fälle"),
        Unassigned = ("unassigned", "Unzugewiesen"),
        Overdue = ("overdue", "Überfällig"),
        DueSoon = ("due_soon", "Bald fällig"),
        Waiting = ("waiting", "Wartet auf Kommune"),
        Open = ("open", "Alle offenen"),
        All = ("all", "Alle Fälle"),
    }
}

impl PresetView {
    /// Whether a Kommune's clerks have this view too (the others work the Land's queue).
    pub const fn for_kommunen(self) -> bool {
        matches!(self, PresetView::Mine | PresetView::Waiting | PresetView::Open | PresetView::All)
    }

    /// Whether the view's condition holds the clock (it changes when a deadline passes, without a write).
    pub const fn holds_the_clock(self) -> bool {
        matches!(self, PresetView::Overdue | PresetView::DueSoon)
    }
}
