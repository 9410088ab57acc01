//! The codes of the Wissensportal and the events: an article's state, who may read an
//! article or see an event, an event's state and a registration's.

crate::vocabulary::code_enum! {
    /// Where an article stands.
    pub enum ArticleStatus {
        Draft = ("entwurf", "Entwurf"),
        Review = ("pruefung", "in Prüfung"),
        Published = ("veroeffentlicht", "veröffentlicht"),
    }
}

impl Default for ArticleStatus {
    fn default() -> Self {
        ArticleStatus::Draft
    }
}

crate::vocabulary::code_enum! {
    /// Who may read an article or see an event.
    pub enum Audience {
        Public = ("oeffentlich", "öffentlich"),
        Kommunen = ("kommunen", "nur angemeldete Kommunen und Land"),
    }
}

impl Default for Audience {
    /// What the Land writes for the Kommunen unless it chooses otherwise.
    fn default() -> Self {
        Audience::Kommunen
    }
}

crate::vocabulary::code_enum! {
    /// Where an event stands.
    pub enum EventStatus {
        Planned = ("geplant", "geplant"),
        Cancelled = ("abgesagt", "abgesagt"),
    }
}

crate::vocabulary::code_enum! {
    /// Where a person's registration for an event stands.
    pub enum Registration {
        Registered = ("angemeldet", "angemeldet"),
        Waiting = ("warteliste", "auf der Warteliste"),
        Cancelled = ("abgemeldet", "abgemeldet"),
    }
}

impl Registration {
    /// Whether the person still takes part (with a place or on the waiting list).
    pub const fn is_active(self) -> bool {
        !matches!(self, Registration::Cancelled)
    }
}
