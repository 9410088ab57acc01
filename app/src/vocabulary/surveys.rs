//! The codes of the Abfragen: the kinds of a question, a survey's state and phase, who answers
//! for a Verbandsgemeinde, and what of the register a question may be bound to.

crate::vocabulary::code_enum! {
    /// What a question asks for.
    pub enum QuestionKind {
        YesNo = ("ja_nein", "Ja/Nein"),
        Single = ("einfach", "Einfachauswahl"),
        Multiple = ("mehrfach", "Mehrfachauswahl"),
        Number = ("zahl", "Zahl"),
        Date = ("datum", "Datum"),
        ShortText = ("kurztext", "Kurzer Text"),
        LongText = ("langtext", "Langer Text"),
        File = ("datei", "Datei"),
        Matrix = ("matrix", "Matrix je OZG-Leistung"),
    }
}

impl QuestionKind {
    /// The kinds a person chooses among options for.
    pub const fn has_options(self) -> bool {
        matches!(self, QuestionKind::Single | QuestionKind::Multiple)
    }

    /// The kinds a cell of a matrix may have: one value per OZG-Leistung (no file, no matrix).
    pub const fn fits_a_cell(self) -> bool {
        !matches!(self, QuestionKind::File | QuestionKind::Matrix)
    }

    /// The kinds whose answer a later question may be shown after: a given yes or no, or a
    /// given option.
    pub const fn can_condition(self) -> bool {
        matches!(self, QuestionKind::YesNo | QuestionKind::Single | QuestionKind::Multiple)
    }
}

crate::vocabulary::code_enum! {
    /// Where a survey stands in its making.
    pub enum SurveyState {
        Draft = ("entwurf", "Entwurf"),
        Released = ("freigegeben", "freigegeben"),
    }
}

crate::vocabulary::code_enum! {
    /// Where a survey stands for the Kommunen, by its state and the clock.
    pub enum SurveyPhase {
        Draft = ("entwurf", "Entwurf"),
        Scheduled = ("geplant", "geplant"),
        Open = ("offen", "offen"),
        Closed = ("geschlossen", "geschlossen"),
    }
}

crate::vocabulary::code_enum! {
    /// Who answers where a Verbandsgemeinde and its member Gemeinden are both asked.
    pub enum Answering {
        Verband = ("verbandsgemeinde", "die Verbandsgemeinde für ihre Mitgliedsgemeinden"),
        Members = ("mitglieder", "jede Mitgliedsgemeinde selbst"),
    }
}

crate::vocabulary::code_enum! {
    /// Where a Kommune's answer stands.
    pub enum ResponseState {
        Draft = ("entwurf", "in Arbeit"),
        Submitted = ("eingereicht", "eingereicht"),
    }
}

crate::vocabulary::code_enum! {
    /// What of the register a question shows and offers to take over.
    pub enum Binding {
        Stage = ("stand", "Stand der Leistung im Register"),
    }
}

crate::vocabulary::code_enum! {
    /// What a survey is for: the Land asks the Kommunen it selects, or a Kommune assesses
    /// itself against weighted sections whenever it likes.
    pub enum SurveyPurpose {
        Survey = ("abfrage", "Abfrage"),
        SelfCheck = ("selbstcheck", "Selbstcheck"),
    }
}

crate::vocabulary::code_enum! {
    /// The size of a Kommune by its inhabitants, for comparing a Selbstcheck with Kommunen of
    /// its kind and size.
    pub enum SizeClass {
        Small = ("bis5000", "bis 5.000 Einwohner"),
        Medium = ("bis20000", "5.000 bis 20.000 Einwohner"),
        Large = ("bis100000", "20.000 bis 100.000 Einwohner"),
        City = ("ueber100000", "über 100.000 Einwohner"),
    }
}

impl SizeClass {
    /// The class of a Kommune with `population` inhabitants (unknown: the smallest).
    pub const fn of(population: i64) -> Self {
        match population {
            ..5_000 => SizeClass::Small,
            5_000..20_000 => SizeClass::Medium,
            20_000..100_000 => SizeClass::Large,
            _ => SizeClass::City,
        }
    }
}

crate::vocabulary::code_enum! {
    /// What a Selbstcheck's section recommends where a Kommune scores low.
    pub enum LinkKind {
        Article = ("artikel", "Wissensartikel"),
        Programme = ("programm", "Förderprogramm"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_choices_have_options_and_only_single_values_fit_a_cell() {
        let with_options: Vec<_> = QuestionKind::ALL.iter().copied().filter(|k| k.has_options()).collect();
        assert_eq!(with_options, [QuestionKind::Single, QuestionKind::Multiple]);
        assert!(!QuestionKind::Matrix.fits_a_cell());
        assert!(!QuestionKind::File.fits_a_cell());
        assert!(QuestionKind::Number.fits_a_cell());
        assert!(QuestionKind::YesNo.can_condition());
        assert!(!QuestionKind::LongText.can_condition());
    }

    #[test]
    fn size_classes_part_at_five_twenty_and_a_hundred_thousand() {
        let at = [(0, SizeClass::Small), (4_999, SizeClass::Small), (5_000, SizeClass::Medium), (19_999, SizeClass::Medium), (20_000, SizeClass::Large), (99_999, SizeClass::Large), (100_000, SizeClass::City), (240_000, SizeClass::City)];
        for (population, class) in at {
            assert_eq!(SizeClass::of(population), class, "{population}");
        }
    }
}
