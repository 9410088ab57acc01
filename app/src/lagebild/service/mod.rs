//! Lagebild figures from the rollups: per area and catalogue slice, with suppression.
//!
//! Suppression (for everyone but the Land's advisors and administrators): a cell — one area ×
//! one OZG-Leistung — for which fewer Kommunen than the threshold are responsible is left out of
//! every figure of that area, so no sum over services can be taken apart by subtracting other
//! published sums. Among the Kreise of a Land the same holds across areas: when the cells left
//! out for one service together stand for fewer Kommunen than the threshold, further cells of
//! that service are left out (smallest first), so the Land's figure minus the published Kreise
//! never isolates a Kommune. An area with fewer Kommunen than the threshold shows no figures.

pub mod case_stats;
pub mod extras;
pub mod geo;
pub mod members;
pub mod stand;
pub mod trend;
mod areas;
mod suppression;
mod figures;
mod export;
pub use areas::*;
pub use suppression::*;
pub use figures::*;
pub use export::*;

use crate::rollups::Cell;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// Whose Kommunen a viewer's figures count and whether they are suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    /// Member group of a Spitzenverband (`gem`, `lk`), or all Kommunen.
    pub group: Option<&'static str>,
    /// No suppression (the Land's advisors and administrators).
    pub full: bool,
    pub label: &'static str,
}

/// The viewer of Lagebild figures, from the session (or none: the public).
pub fn viewer(user: Option<&crate::core::session::CurrentUser>) -> Viewer {
    use crate::identity::Role;
    let public = Viewer { group: None, full: false, label: "alle Kommunen Sachsen-Anhalts" };
    let Some(u) = user else { return public };
    match u.role {
        Role::Advisor | Role::Admin => Viewer { group: None, full: true, label: "alle Kommunen Sachsen-Anhalts" },
        Role::Association if u.organisations.iter().any(|o| o.key == crate::catalogue::service::orgs::LKT) => viewer_of_group(crate::rollups::LANDKREISE),
        Role::Association => viewer_of_group(crate::rollups::GEMEINDEN),
        Role::Clerk | Role::Partner => public,
    }
}

/// The viewer counting one Spitzenverband's members (`gem` or `lk`), suppressed.
pub fn viewer_of_group(group: &'static str) -> Viewer {
    use crate::identity::Membership;
    if group == crate::rollups::LANDKREISE {
        Viewer { group: Some(crate::rollups::LANDKREISE), full: false, label: Membership::Landkreise.label() }
    } else {
        Viewer { group: Some(crate::rollups::GEMEINDEN), full: false, label: Membership::Gemeinden.label() }
    }
}

/// The area key a viewer reads for a requested area (Land or Kreis key); `None` if malformed.
pub fn area_for(viewer: &Viewer, requested: &str) -> Option<String> {
    // Verbandsgemeinden (9 digits) for the Land and the associations, not for the public: their
    // rest in the Kreis is protected among the association's figures (see `hidden_among_parts`).
    let ok = requested.bytes().all(|b| b.is_ascii_digit()) && (requested.len() == 2 || requested.len() == 5 || (requested.len() == 9 && (viewer.full || viewer.group.is_some())));
    ok.then(|| match viewer.group {
        Some(g) => format!("{requested}:{g}"),
        None => requested.to_string(),
    })
}

/// An area of the rollups.
#[derive(Debug, Clone)]
pub struct Area {
    pub key: String,
    pub level: String,
    pub name: String,
    pub parent: Option<String>,
    pub kommunen: i64,
    pub population: i64,
    pub updated_at: String,
    /// Raised with every change in the area (see [`CellCache`]).
    pub version: i64,
}

/// Counters of one area: OZG-ID → counters.
pub type AreaCells = Arc<HashMap<String, Cell>>;

/// Counters read from `agg_service_area`, kept per area while the area's version and data date
/// stand (both are read with the area on every request, so a change by any instance is seen at
/// once). Bounded: when full, it starts afresh.
#[derive(Default)]
pub struct CellCache {
    areas: Mutex<HashMap<String, (i64, String, AreaCells)>>,
    /// Month-end counters of areas per trend computation (see `trend::points`).
    pub(crate) trend: Mutex<HashMap<String, (String, Arc<TrendArea>)>>,
}

/// The counters this application state keeps for the Lagebild.
#[cfg(feature = "ssr")]
pub fn cache(state: &crate::core::state::AppState) -> Arc<CellCache> {
    state.kept::<CellCache>()
}

/// The month-end counters of one area: per OZG-ID the months where its cell changed, and per
/// month the cells left out for everyone but the Land.
#[derive(Debug, Default)]
pub struct TrendArea {
    pub(crate) months: Vec<String>,
    pub(crate) cells: HashMap<String, Vec<(usize, Cell)>>,
    pub(crate) hidden: Vec<HashSet<String>>,
}

impl TrendArea {
    /// The cell of an OZG-Leistung at the end of month `m`.
    pub(crate) fn cell(&self, ozg: &str, m: usize) -> Option<&Cell> {
        self.cells.get(ozg)?.iter().rev().find(|(i, _)| *i <= m).map(|(_, c)| c)
    }
}
