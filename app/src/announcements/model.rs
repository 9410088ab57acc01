//! Announcements as the start page and the advisors' page show them.

use crate::ui::rich::RichText;
use serde::{Deserialize, Serialize};

pub use crate::vocabulary::announcements::Target;

/// An announcement for its reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementItem {
    pub id: i64,
    pub title: String,
    pub body: RichText,
    /// `TT.MM.JJJJ`.
    pub published: String,
    pub expires: String,
}

/// An announcement on the advisors' page, with its reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementLine {
    pub id: i64,
    pub title: String,
    pub target: String,
    pub published: String,
    pub expires: String,
    pub kommunen: u64,
    pub read_by: u64,
    pub expired: bool,
}

/// The advisors' page: what was published, and the choices of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementDesk {
    pub lines: Vec<AnnouncementLine>,
    /// (key, name) of the Landkreise.
    pub kreise: Vec<(String, String)>,
    /// The date a new announcement expires by default (`JJJJ-MM-TT`, in four weeks).
    pub default_expiry: String,
    /// The text asked to be previewed, as the start page will show it.
    #[serde(default)]
    pub preview: Option<RichText>,
}
