//! The Lagebild as the browser and the open-data API see it: figures per area and catalogue
//! slice, with suppression of cells built from fewer Kommunen than the threshold.

use serde::{Deserialize, Serialize};

/// A slice of the catalogue: all, one Themenfeld, one Lebens-/Unternehmenslage, the
/// Fokusleistungen, or one OZG-Leistung.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Slice {
    pub themenfeld: Option<String>,
    pub lage: Option<String>,
    #[serde(default)]
    pub focus: bool,
    pub ozg_id: Option<String>,
}

impl Slice {
    /// German description of the slice, for headings and exported files.
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        if let Some(t) = &self.themenfeld {
            parts.push(format!("Themenfeld »{t}«"));
        }
        if let Some(l) = &self.lage {
            parts.push(format!("Lage »{l}«"));
        }
        if self.focus {
            parts.push("Fokusleistungen".to_string());
        }
        if let Some(o) = &self.ozg_id {
            parts.push(format!("OZG-Leistung {o}"));
        }
        if parts.is_empty() { "alle OZG-Leistungen".to_string() } else { parts.join(", ") }
    }
}

/// Figures of one area for one slice. Counts of Kommunen refer to Kommune × OZG-Leistung
/// pairs summed over the slice's services (see [`Term`]). `None` = suppressed ("< 3").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AreaFigures {
    /// ARS of the area: Land (2 digits), Kreis (5), Verbandsgemeinde (9).
    pub area: String,
    pub name: String,
    pub level: String,
    pub kommunen: i64,
    pub population: i64,
    /// Whether the figures are withheld because too few Kommunen stand behind them.
    pub suppressed: bool,
    pub services: i64,
    /// Services of the slice left out of every figure of the area (too few Kommunen behind them,
    /// here or in an area it lies in); the figures count the other `services - withheld`.
    #[serde(default)]
    pub withheld: i64,
    /// Services offered online by every responsible Kommune of the area.
    pub flaechendeckend: Option<i64>,
    /// Services offered online by at least one Kommune of the area.
    pub mindestens_eine: Option<i64>,
    /// Kommune × Leistung pairs where the Kommune is responsible.
    pub responsible: Option<i64>,
    pub online: Option<i64>,
    pub reifegrad_2: Option<i64>,
    pub reifegrad_3: Option<i64>,
    /// Pairs rated in model 1.1, by level 0–4.
    pub model_11: Option<Vec<i64>>,
    /// Pairs rated in model 2.0, by level 0–7 (shown separately, never mixed with 1.1).
    pub model_20: Option<Vec<i64>>,
    /// Pairs by stage: nicht begonnen, geplant, in Umsetzung, Pilotbetrieb, online, eingestellt.
    pub stages: Option<Vec<i64>>,
    pub efa: Option<i64>,
    pub population_responsible: Option<i64>,
    pub population_online: Option<i64>,
    /// Kommunen whose register has not changed for [`GAP_DAYS`] days (or never).
    pub stale_kommunen: Option<i64>,
    /// ISO timestamp of the last register change in the area.
    pub data_date: String,
}

/// EfA reuses the page lists for the whole catalogue (all of them in the download).
pub const EFA_ON_PAGE: usize = 20;

/// Days without a register change after which a Kommune counts as a reporting gap.
pub const GAP_DAYS: i64 = 90;

impl AreaFigures {
    /// Share in per cent with one decimal, or `None` when suppressed or without a denominator.
    pub fn share(part: Option<i64>, whole: Option<i64>) -> Option<f64> {
        match (part, whole) {
            (Some(p), Some(w)) if w > 0 => Some((p as f64 * 1000.0 / w as f64).round() / 10.0),
            _ => None,
        }
    }

    pub fn online_share(&self) -> Option<f64> {
        Self::share(self.online, self.responsible)
    }

    pub fn population_share(&self) -> Option<f64> {
        Self::share(self.population_online, self.population_responsible)
    }
}

/// The stage labels in the order of [`AreaFigures::stages`]: the register's stages.
pub fn stage_labels() -> impl Iterator<Item = &'static str> {
    crate::register::model::Stage::ALL.into_iter().map(crate::register::model::Stage::label)
}

/// A Lagebild page: the area's own figures, its parts (Kreise of the Land, Verbandsgemeinden of
/// a Kreis) and the Themenfelder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Lagebild {
    pub area: AreaFigures,
    pub parent: Option<(String, String)>,
    pub parts: Vec<AreaFigures>,
    pub themenfelder: Vec<(String, AreaFigures)>,
    pub slice: Slice,
    pub themenfeld_options: Vec<String>,
    pub lage_options: Vec<String>,
    pub threshold: i64,
}

pub use crate::vocabulary::lagebild::Term;

/// One region of the map: its key, name, SVG path and a point for its label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MapShape {
    pub area: String,
    pub name: String,
    pub path: String,
    pub label_x: f64,
    pub label_y: f64,
}

/// Everything the Lagebild page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LagebildView {
    pub lagebild: Lagebild,
    /// The Kreise as map regions (on the Land's page).
    pub map: Vec<MapShape>,
    pub map_height: f64,
    /// Whose Kommunen the figures count: all, or one Spitzenverband's members.
    pub scope_label: String,
    /// No suppression: the Land's advisors and administrators.
    pub full: bool,
    /// Counted for the public (no association's members, no Land view): downloads come from the
    /// open-data API; everyone else downloads their own view.
    pub public: bool,
    /// Drill-down from a Kreis to its Kommunen' registers (Land only).
    pub kommunen: Vec<(String, String)>,
    /// Statistics of the Beratungsfälle, where the viewer may see them.
    pub cases: Option<CaseStatsView>,
    /// The figures at the end of each of the last months, with the time they were computed.
    pub trend: Option<(String, Vec<TrendPoint>)>,
    /// Each OZG-Leistung of a narrower slice (a Themenfeld, a Lage, the Fokusleistungen, one
    /// Leistung); empty for the whole catalogue (see the download instead).
    pub services: Vec<ServiceFigures>,
    /// EfA services reused in the area (for the selection; for the whole catalogue the most
    /// reused ones, see `efa_total`).
    pub efa: Vec<EfaRow>,
    pub efa_total: usize,
}

/// Width of the map's coordinate system; the height follows from the Land's shape.
pub const MAP_WIDTH: f64 = 600.0;

/// An area key without the suffix of a member group (`15083:gem` → `15083`).
pub fn base_key(area: &str) -> &str {
    area.split(':').next().unwrap_or(area)
}

/// The figures of one OZG-Leistung in one area (a row of the open-data API). `None` = suppressed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceFigures {
    pub ozg_id: String,
    pub name: String,
    pub themenfeld: String,
    pub suppressed: bool,
    pub responsible: Option<i64>,
    pub online: Option<i64>,
    /// Offered online by every responsible Kommune of the area.
    pub flaechendeckend: Option<bool>,
    pub reifegrad_2: Option<i64>,
    pub reifegrad_3: Option<i64>,
    pub efa: Option<i64>,
    pub population_responsible: Option<i64>,
    pub population_online: Option<i64>,
}

/// Figures of the Beratungsfälle for one row (a month, a category, a Kreis, or all). `None` =
/// withheld (fewer Kommunen behind it than the threshold).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseRow {
    pub label: String,
    pub hidden: bool,
    pub cases: Option<i64>,
    pub responded: Option<i64>,
    pub responded_in_time: Option<i64>,
    pub solved: Option<i64>,
    pub solved_in_time: Option<i64>,
    /// Median working hours from filing to the first response.
    pub median_response_hours: Option<f64>,
    /// Median working hours from filing to the solution (time waiting for the Kommune excluded).
    pub median_solution_hours: Option<f64>,
}

/// Case statistics of an area over the last twelve months.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseStatsView {
    /// When the job computed them (ISO timestamp).
    pub stand: String,
    pub total: CaseRow,
    pub months: Vec<CaseRow>,
    pub categories: Vec<CaseRow>,
    /// The Kreise (on a Land's page, where shown).
    pub parts: Vec<CaseRow>,
    /// OZG-Leistungen most asked about: (OZG-ID, name, cases).
    pub top_ozg: Vec<(String, String, i64)>,
    /// The Kommunen's ratings of the help on solved cases (the Land's page only).
    #[serde(default)]
    pub rating: Option<RatingAverage>,
}

/// How the Kommunen rated the help of the Land's advisors (1–5) over the last twelve months.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RatingAverage {
    pub ratings: i64,
    pub average: f64,
}

/// The figures of an area and slice at the end of one month (the same as today's, see
/// [`AreaFigures`]). `None` = withheld: every OZG-Leistung of the selection was left out in that
/// month (fewer responsible Kommunen than the threshold).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrendPoint {
    /// `JJJJ-MM`.
    pub month: String,
    pub suppressed: bool,
    pub responsible: Option<i64>,
    pub online: Option<i64>,
    pub flaechendeckend: Option<i64>,
    pub mindestens_eine: Option<i64>,
    pub reifegrad_2: Option<i64>,
    pub reifegrad_3: Option<i64>,
    pub efa: Option<i64>,
    pub population_responsible: Option<i64>,
    pub population_online: Option<i64>,
    /// Kommune-Leistung pairs per stage, in the order of [`stage_labels`].
    pub stages: Option<Vec<i64>>,
    /// Pairs per Reifegrad of model 1.1 (0–4) and of model 2.0 (0–7), kept apart.
    pub model_11: Option<Vec<i64>>,
    pub model_20: Option<Vec<i64>>,
}

impl TrendPoint {
    /// A month's point from the figures computed for it.
    pub fn new(month: String, f: AreaFigures, suppressed: bool) -> TrendPoint {
        let keep = |v: Option<i64>| if suppressed { None } else { v };
        TrendPoint {
            month,
            suppressed,
            responsible: keep(f.responsible),
            online: keep(f.online),
            flaechendeckend: keep(f.flaechendeckend),
            mindestens_eine: keep(f.mindestens_eine),
            reifegrad_2: keep(f.reifegrad_2),
            reifegrad_3: keep(f.reifegrad_3),
            efa: keep(f.efa),
            population_responsible: keep(f.population_responsible),
            population_online: keep(f.population_online),
            stages: if suppressed { None } else { f.stages },
            model_11: if suppressed { None } else { f.model_11 },
            model_20: if suppressed { None } else { f.model_20 },
        }
    }
}

/// An EfA service reused for an OZG-Leistung in an area, and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EfaRow {
    pub ozg_id: String,
    pub name: String,
    /// The EfA service (as the Kommunen name it).
    pub service: String,
    /// Kommunen reusing it; `None` = fewer than the threshold.
    pub kommunen: Option<i64>,
    /// The Kreise where it is reused (by at least as many Kommunen as the threshold, for
    /// everyone but the Land).
    pub kreise: Vec<String>,
}

/// Members in a group of at least this many times the threshold get quartiles; fewer show none
/// (with three members the median would be one of them).
pub const QUARTILE_FACTOR: i64 = 2;

/// The first quartile, the median and the third quartile of some values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Quartiles {
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
}

impl Quartiles {
    /// Quartiles with linear interpolation between the ordered values; none without values.
    pub fn of(values: &[f64]) -> Option<Quartiles> {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(|a, b| a.total_cmp(b));
        let at = |p: f64| {
            let pos = p * (v.len() - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
        };
        Some(Quartiles { q1: at(0.25), median: at(0.5), q3: at(0.75) })
    }
}

/// One group of members compared: the members in one Kreis, or all of them in the Land.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MemberGroup {
    /// Kreis key, or the Land's.
    pub area: String,
    pub name: String,
    pub members: i64,
    /// Online-Quote of the members (per cent); none where too few members stand behind it.
    pub share: Option<Quartiles>,
    /// OZG-Leistungen online per member.
    pub online: Option<Quartiles>,
}

/// One member by name (the Land's view only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MemberRow {
    pub key: String,
    pub name: String,
    pub kreis: String,
    pub responsible: i64,
    pub online: i64,
    pub reifegrad_3: i64,
}

impl MemberRow {
    /// Online-Quote in per cent; none without a responsible service.
    pub fn share(&self) -> Option<f64> {
        (self.responsible > 0).then(|| self.online as f64 * 100.0 / self.responsible as f64)
    }
}

/// The members of a Spitzenverband side by side: per Kreis and for the Land as quartiles, by
/// Online-Quote in bands, and by name for the Land.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MemberComparison {
    /// `sgsa` or `lkt`.
    pub verband: String,
    /// Whose members: "Städte, Gemeinden und Verbandsgemeinden (…)".
    pub label: String,
    /// OZG-Leistungen of the catalogue.
    pub services: i64,
    /// The Land first, then each Kreis with members.
    pub groups: Vec<MemberGroup>,
    /// Members per band of Online-Quote: label and count.
    pub bands: Vec<(String, i64)>,
    /// Every member by name: empty unless the viewer is the Land.
    pub named: Vec<MemberRow>,
    pub threshold: i64,
    /// The Land may choose the association.
    pub full: bool,
    /// ISO timestamp of the last register change counted.
    pub data_date: String,
}
