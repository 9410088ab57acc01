//! The Kommune's rating of the help on a solved case, and the Land's figures of them.

use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// The rating of one case as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Rating {
    /// 1 (nicht hilfreich) to 5 (sehr hilfreich).
    pub stars: u8,
    pub comment: String,
    /// Last rated or changed, Berlin time `TT.MM.JJJJ HH:MM`.
    pub rated_at: String,
    /// Who rated: for the Land's eyes only (`None` for the Kommune).
    pub rated_by: Option<String>,
}

/// The words of each number of stars.
pub const STAR_WORDS: [&str; 5] = ["nicht hilfreich", "wenig hilfreich", "teilweise hilfreich", "hilfreich", "sehr hilfreich"];

impl Rating {
    /// "4 von 5 (hilfreich)".
    pub fn stars_text(stars: u8) -> String {
        let word = STAR_WORDS.get(usize::from(stars.clamp(1, 5)) - 1).copied().unwrap_or_default();
        format!("{stars} von 5 ({word})")
    }
}

/// A rating as the case page's form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateForm {
    pub id: String,
    #[serde(default)]
    pub sterne: String,
    #[serde(default)]
    pub kommentar: String,
}

/// The most characters of a rating's comment.
pub const MAX_RATING_COMMENT: usize = 2_000;

/// A checked rating: the case, 1–5 stars and a comment (may be empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRating {
    pub case_id: i64,
    pub stars: u8,
    pub comment: String,
}

impl TryFrom<RateForm> for NewRating {
    type Error = AppError;

    fn try_from(f: RateForm) -> Result<Self, AppError> {
        let case_id = f.id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
        let stars = match f.sterne.trim().parse::<u8>() {
            Ok(n @ 1..=5) => n,
            _ => return Err(AppError::field("sterne", "Bitte wählen Sie eine Bewertung von 1 (nicht hilfreich) bis 5 (sehr hilfreich).")),
        };
        let comment = f.kommentar.trim().to_string();
        if comment.chars().count() > MAX_RATING_COMMENT {
            return Err(AppError::field("kommentar", format!("Der Kommentar darf höchstens {MAX_RATING_COMMENT} Zeichen lang sein.")));
        }
        Ok(NewRating { case_id, stars, comment })
    }
}

/// Ratings of one group (a team, a category, a month, or all).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingGroup {
    pub label: String,
    pub count: i64,
    /// The average number of stars.
    pub average: f64,
}

/// One rated case in the Land's list of the newest ratings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatedCase {
    pub case_id: i64,
    pub subject: String,
    pub kommune: String,
    pub stars: u8,
    pub comment: String,
    pub rated_at: String,
}

/// The Land's figures of the ratings: overall, per team, per category and per month (last 12
/// months), and the newest ratings with their comments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingSummary {
    pub total: RatingGroup,
    pub teams: Vec<RatingGroup>,
    pub categories: Vec<RatingGroup>,
    pub months: Vec<RatingGroup>,
    pub newest: Vec<RatedCase>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(sterne: &str, kommentar: &str) -> RateForm {
        RateForm { id: "7".into(), sterne: sterne.into(), kommentar: kommentar.into() }
    }

    #[test]
    fn a_rating_is_one_to_five_stars_with_a_short_comment() {
        assert_eq!(NewRating::try_from(form("4", "  gut  ")), Ok(NewRating { case_id: 7, stars: 4, comment: "gut".into() }));
        for bad in ["0", "6", "", "vier"] {
            assert_eq!(NewRating::try_from(form(bad, "")).unwrap_err().field_messages("sterne").len(), 1, "{bad}");
        }
        assert_eq!(NewRating::try_from(form("3", &"x".repeat(MAX_RATING_COMMENT + 1))).unwrap_err().field_messages("kommentar").len(), 1);
        assert_eq!(Rating::stars_text(5), "5 von 5 (sehr hilfreich)");
    }
}
