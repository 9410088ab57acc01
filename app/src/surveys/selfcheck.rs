//! The Selbstcheck as its pages show it: a Kommune's profile (its scores per section, the mean
//! of Kommunen of its kind and size where there are enough of them, what it could read or apply
//! for where it is weakest) and the Land's settings of a section (weight, recommendations).

use crate::vocabulary::surveys::SizeClass;
use serde::{Deserialize, Serialize};

/// A section's score in a Kommune's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionScore {
    pub id: i64,
    pub title: String,
    pub weight: i32,
    /// 0 to 100, whole numbers; none where nothing of it was answered.
    pub score: Option<i64>,
    /// The mean of the comparison group, where at least the threshold of other Kommunen scored.
    pub peers: Option<i64>,
}

/// A recommendation for a weak section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advice {
    pub section: String,
    /// (id, title) of published Wissensportal articles.
    pub articles: Vec<(i64, String)>,
    /// (id, name) of funding programmes open for applications.
    pub programmes: Vec<(i64, String)>,
}

/// A Kommune's Selbstcheck profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub survey_id: i64,
    pub title: String,
    pub kommune_key: String,
    pub kommune: String,
    /// (key, name) of the caller's Kommunen that may take it, to choose among.
    pub kommunen: Vec<(String, String)>,
    /// The comparison group in words: kind and size class.
    pub kind: String,
    pub size_class: SizeClass,
    /// How many other Kommunen of the group have taken it, and the threshold they must reach.
    pub peers: u64,
    pub threshold: i64,
    /// When the shown result was submitted (`TT.MM.JJJJ HH:MM`); none before the first time.
    pub taken: Option<String>,
    pub total: Option<i64>,
    pub peers_total: Option<i64>,
    pub sections: Vec<SectionScore>,
    pub advice: Vec<Advice>,
    /// Earlier results, newest first: (when, total).
    pub history: Vec<(String, Option<i64>)>,
    /// Whether the Selbstcheck is open (it can be taken again).
    pub open: bool,
}

/// A section's settings as the builder shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionSettings {
    pub id: i64,
    pub title: String,
    pub weight: i32,
    pub articles: Vec<i64>,
    pub programmes: Vec<i64>,
}

/// The builder's Selbstcheck settings: per section, and what may be recommended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub sections: Vec<SectionSettings>,
    /// (id, title) of published articles.
    pub articles: Vec<(i64, String)>,
    /// (id, name) of the funding programmes.
    pub programmes: Vec<(i64, String)>,
}

/// A section's settings as the form sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionSettingsForm {
    pub weight: String,
    #[serde(default)]
    pub articles: Vec<String>,
    #[serde(default)]
    pub programmes: Vec<String>,
}

/// Checked settings of a section.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionSettingsInput {
    pub weight: i32,
    pub articles: Vec<i64>,
    pub programmes: Vec<i64>,
}

#[cfg(feature = "ssr")]
impl TryFrom<SectionSettingsForm> for SectionSettingsInput {
    type Error = crate::error::AppError;

    fn try_from(f: SectionSettingsForm) -> Result<Self, Self::Error> {
        let mut e = std::collections::BTreeMap::<String, Vec<String>>::new();
        let weight = f.weight.trim().parse::<i32>().ok().filter(|w| (0..=10).contains(w));
        if weight.is_none() {
            e.entry("weight".into()).or_default().push("Das Gewicht ist eine ganze Zahl von 0 bis 10 (0: zählt nicht zur Gesamtwertung).".into());
        }
        let ids = |list: &[String], field: &str, e: &mut std::collections::BTreeMap<String, Vec<String>>| -> Vec<i64> {
            let mut out: Vec<i64> = Vec::new();
            for v in list.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
                match v.parse::<i64>() {
                    Ok(id) if !out.contains(&id) => out.push(id),
                    Ok(_) => {}
                    Err(_) => e.entry(field.into()).or_default().push("Bitte wählen Sie aus der Liste.".into()),
                }
            }
            if out.len() > 10 {
                e.entry(field.into()).or_default().push("Ein Abschnitt empfiehlt höchstens 10 Einträge je Liste.".into());
            }
            out
        };
        let articles = ids(&f.articles, "articles", &mut e);
        let programmes = ids(&f.programmes, "programmes", &mut e);
        if !e.is_empty() {
            return Err(crate::error::AppError::Validation(e));
        }
        Ok(SectionSettingsInput { weight: weight.unwrap_or(1), articles, programmes })
    }
}
