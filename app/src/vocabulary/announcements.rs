//! The codes of a selection of Kommunen (who an announcement reaches; the same choice serves
//! every room that addresses Kommunen).

crate::vocabulary::code_enum! {
    /// How a selection of Kommunen is made.
    pub enum Target {
        All = ("alle", "alle Kommunen"),
        Kreise = ("kreise", "Kommunen in bestimmten Kreisen"),
        Kinds = ("arten", "bestimmte Arten von Kommunen"),
        Association = ("verband", "Mitglieder eines Spitzenverbands"),
        ServiceNotOnline = ("leistung_offen", "Kommunen, bei denen eine OZG-Leistung noch nicht online ist"),
    }
}
