//! Reports of barriers as the administrators' page shows them.

use serde::{Deserialize, Serialize};

pub use crate::vocabulary::legal::ReportStatus;

/// Whether a text has the form of an e-mail address (one `@`, a dot in the domain, no spaces).
pub fn looks_like_email(s: &str) -> bool {
    let s = s.trim();
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>') && !domain.contains('@')
        }
        None => false,
    }
}

pub use crate::vocabulary::legal::LegalKind;

/// A legal text as its page shows it: the Markdown as a formatted text (raw HTML shown as text,
/// unsafe links neutralised) and the date of the last change (`None`: the template, not yet adapted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalPage {
    pub text: crate::ui::rich::RichText,
    pub changed: Option<String>,
}

/// One saved version of a legal text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalVersion {
    pub version: i32,
    pub changed: String,
    pub by: String,
}

/// A legal text in the administrators' editor, with its versions (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalEditor {
    pub page: String,
    pub title: String,
    pub markdown: String,
    /// The version whose text is shown (`None`: the template).
    pub shown: Option<i32>,
    pub versions: Vec<LegalVersion>,
}

/// A report of a barrier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BarrierReport {
    pub id: String,
    pub page: String,
    pub description: String,
    pub contact: Option<String>,
    pub status: ReportStatus,
    /// Received, `TT.MM.JJJJ HH:MM`.
    pub received: String,
    /// Last changed, `TT.MM.JJJJ HH:MM`.
    pub changed: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mail_addresses_are_told_apart_from_other_text() {
        for ok in ["a@b.de", "vorname.nachname@sachsen-anhalt.example"] {
            assert!(looks_like_email(ok), "{ok}");
        }
        for bad in ["", "a@b", "@b.de", "a b@c.de", "a@b.de.", "a@@b.de", "<a@b.de>", "kein Kontakt"] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}
