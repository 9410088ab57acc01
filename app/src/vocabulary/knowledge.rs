//! The codes of the Wissensportal and the events: an article's state and who may read an
//! article or see an event.

crate::code_enum! {
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

crate::code_enum! {
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
