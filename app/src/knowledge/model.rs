//! The Wissensportal as pages and the API show it: articles, their versions, search results,
//! the editor and the Land's figures.

use crate::ui::rich::RichText;
use serde::{Deserialize, Serialize};

pub use crate::vocabulary::knowledge::{ArticleStatus, Audience};

/// The kinds of file an article takes: those of the case attachments.
pub use crate::vocabulary::files::ACCEPTED as ACCEPTED_FILES;

/// Articles per page of results.
pub const PAGE_SIZE: u64 = 20;

/// A search of the Wissensportal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ArticleQuery {
    /// Words of the title, summary, tags or text (every word must occur; word beginnings match).
    #[serde(default)]
    pub q: String,
    /// Only articles of this Themenfeld.
    #[serde(default)]
    pub themenfeld: String,
    /// Only articles about this OZG-Leistung (OZG-ID).
    #[serde(default)]
    pub leistung: String,
    /// Advisors only: `entwurf`, `pruefung` or `veroeffentlicht` (default, and for any other
    /// value: published).
    #[serde(default, deserialize_with = "any_status")]
    pub status: Option<ArticleStatus>,
    /// Page, from 1.
    #[serde(default)]
    pub seite: u64,
}

/// A status asked for in a query: a code this version does not know asks for nothing special.
fn any_status<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<ArticleStatus>, D::Error> {
    let text = Option::<String>::deserialize(d)?;
    Ok(text.as_deref().and_then(|t| ArticleStatus::from_code(t.trim())))
}

/// An article in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ArticleSummary {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub themenfelder: Vec<String>,
    pub audience: Audience,
    pub status: ArticleStatus,
    /// "Geprüft am", `TT.MM.JJJJ`.
    pub reviewed: Option<String>,
}

/// A page of search results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ArticleResults {
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub articles: Vec<ArticleSummary>,
}

/// An OZG-Leistung named by an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ArticleService {
    pub ozg_id: String,
    pub name: String,
}

/// An article for the REST API: its text as Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ArticleDocument {
    pub id: i64,
    pub title: String,
    pub summary: String,
    /// The text in Markdown (CommonMark with tables); HTML in it is meant as text.
    pub markdown: String,
    pub category: String,
    pub tags: Vec<String>,
    pub themenfelder: Vec<String>,
    pub services: Vec<ArticleService>,
    pub audience: Audience,
    /// Only advisors see drafts and articles in review.
    pub status: ArticleStatus,
    /// "Geprüft am", `TT.MM.JJJJ`.
    pub reviewed: Option<String>,
    /// First published, `TT.MM.JJJJ`.
    pub published: Option<String>,
}

/// An article as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleView {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub text: RichText,
    pub category: String,
    pub tags: Vec<String>,
    pub themenfelder: Vec<String>,
    pub services: Vec<ArticleService>,
    pub audience: Audience,
    pub status: ArticleStatus,
    pub reviewed: Option<String>,
    pub published: Option<String>,
    pub version: i32,
    /// The caller's own answer to "hilfreich?", if any.
    pub my_vote: Option<bool>,
    /// Whether the caller may answer "hilfreich?" (signed in).
    pub may_vote: bool,
    /// Advisors only: the workings (versions, feedback, review).
    pub desk: Option<ArticleDesk>,
    /// The article's files, for download.
    pub files: Vec<ArticleFileItem>,
}

/// A file of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleFileItem {
    pub id: String,
    pub name: String,
    /// In words ("1,5 MB").
    pub size: String,
    pub href: String,
}

/// What advisors see of an article besides its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDesk {
    pub author: String,
    pub versions: Vec<ArticleVersionItem>,
    pub feedback: Vec<ArticleFeedback>,
    pub helpful_yes: i64,
    pub helpful_no: i64,
    pub views: i64,
    /// A change waiting for review (its version number).
    pub pending_version: Option<i32>,
    /// Whether a second advisor must approve.
    pub second_review: bool,
    /// Whether the caller may approve now (not the one who made the change under review).
    pub may_approve: bool,
    /// The version a publication would approve (the page sends it back).
    pub review_version: Option<i32>,
    /// Due for review ("geprüft am" older than the review period).
    pub review_due: bool,
    pub source_case: Option<i64>,
}

/// One saved version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleVersionItem {
    pub version: i32,
    pub change: String,
    pub changed: String,
    pub by: String,
}

/// A reader's comment with their answer (for the advisors, never public).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleFeedback {
    pub helpful: bool,
    pub comment: String,
    pub from: String,
    pub at: String,
}

/// The editor's content (new article: empty; or a version of an existing one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDraft {
    pub id: Option<i64>,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub category: String,
    pub tags: String,
    pub audience: Audience,
    /// OZG-IDs, comma-separated.
    pub ozg_ids: String,
    pub themenfelder: Vec<String>,
    /// The version the editor started from (a save of an older one is refused as stale).
    pub version: i32,
    pub status: ArticleStatus,
    /// The solved case the text was taken from.
    pub source_case: Option<i64>,
    /// Every Themenfeld of the catalogue, for the choice.
    pub all_themenfelder: Vec<String>,
}

/// Counts for the Land.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnowledgeFigures {
    /// OZG-Leistungen with the most cases and no published article: (OZG-ID, name, cases).
    pub uncovered: Vec<(String, String, u64)>,
    /// Published articles due for review: (id, title, geprüft am).
    pub due: Vec<(i64, String, String)>,
    /// The most read: (id, title, views).
    pub most_read: Vec<(i64, String, i64)>,
    /// The most helpful: (id, title, ja, nein).
    pub most_helpful: Vec<(i64, String, i64, i64)>,
    /// Shown while filing a case, and cases then not filed.
    pub shown_on_filing: u64,
    pub avoided: u64,
    pub published: u64,
    pub drafts: u64,
}

/// Articles suggested while a case is filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub id: i64,
    pub title: String,
    pub summary: String,
}
