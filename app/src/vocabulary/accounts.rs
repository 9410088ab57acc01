//! The codes of the accounts: what a mailed link is for.

crate::vocabulary::code_enum! {
    /// What a single-use link in a mail is for.
    pub enum LinkPurpose {
        Invite = ("invite", "Einladung"),
        Reset = ("reset", "Passwort zurücksetzen"),
    }
}

impl LinkPurpose {
    /// The word the link's form sends (`kind` of the recovery server functions).
    pub const fn form_word(self) -> &'static str {
        match self {
            LinkPurpose::Invite => "einladung",
            LinkPurpose::Reset => "zuruecksetzen",
        }
    }

    /// The purpose a form names.
    pub fn from_form_word(word: &str) -> Option<LinkPurpose> {
        LinkPurpose::ALL.iter().copied().find(|p| p.form_word() == word)
    }
}
