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
}
