//! Lagebild rollups: the counters every aggregate figure is computed from, per area (Land,
//! Kreis, Verbandsgemeinde) and OZG-Leistung. A register change adjusts them in its own
//! transaction (`apply_change`); `rebuild` computes them afresh from the register with the same
//! rules as `live`, which is the GROUP BY the rollups replace (used by tests and benchmarks only).

mod maintain;
mod read;
mod rebuild;
pub use maintain::*;
pub use read::*;
pub use rebuild::*;

use crate::vocabulary::register::Stage;

/// The counters of one area × OZG-Leistung, in the column order of `agg_service_area`.
pub const COUNTERS: [&str; 22] = [
    "other_n", "other_pop", "planned", "in_progress", "pilot", "online", "discontinued", "online_pop", "m11_0", "m11_1", "m11_2", "m11_3",
    "m11_4", "m20_0", "m20_1", "m20_2", "m20_3", "m20_4", "m20_5", "m20_6", "m20_7", "efa",
];

/// Index of each counter in a [`Cell`].
pub mod ix {
    pub const OTHER_N: usize = 0;
    pub const OTHER_POP: usize = 1;
    /// planned, in_progress, pilot, online, discontinued follow in this order.
    pub const STAGES: usize = 2;
    pub const ONLINE: usize = 5;
    pub const ONLINE_POP: usize = 7;
    pub const M11: usize = 8;
    pub const M20: usize = 13;
    pub const EFA: usize = 21;
}

/// Stages with a counter of their own; "nicht begonnen" is what remains of the responsible Kommunen.
pub const COUNTED_STAGES: [Stage; 5] = [Stage::Planned, Stage::InProgress, Stage::Pilot, Stage::Online, Stage::Discontinued];

/// Counters of one area × OZG-Leistung.
pub type Cell = [i64; 22];

/// Suffix of the areas that count only Landkreise (the members of the Landkreistag).
pub const LANDKREISE: &str = "lk";
/// Suffix of the areas that count only Städte, Gemeinden and Verbandsgemeinden (the members of
/// the Städte- und Gemeindebund).
pub const GEMEINDEN: &str = "gem";
const GROUP_EXPR: &str = "(CASE WHEN o.kind = 'landkreis' THEN 'lk' ELSE 'gem' END)";

/// Kinds of organisation that count as Kommunen in the figures.
pub(crate) const KOMMUNE_KINDS: &str = "('landkreis','kreisfreie_stadt','einheitsgemeinde','verbandsgemeinde','mitgliedsgemeinde')";

/// The part of the register record that the figures use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub other: bool,
    pub stage: String,
    pub model: Option<String>,
    pub level: Option<i16>,
    pub efa: bool,
    /// The EfA service reused (its name), when the solution is an EfA-Nachnutzung.
    pub efa_service: Option<String>,
}

/// The EfA service name of a record, trimmed; none unless the solution is EfA.
pub fn efa_service(efa: bool, name: Option<&str>) -> Option<String> {
    name.map(str::trim).filter(|n| efa && !n.is_empty()).map(|n| n.chars().take(200).collect())
}

impl Facts {
    pub fn of(m: &crate::core::entities::service_record::Model) -> Facts {
        Facts {
            other: m.responsibility == "other",
            stage: m.stage.clone(),
            model: m.maturity_model.clone(),
            level: m.maturity_level,
            efa: m.solution_kind.as_deref() == Some("efa"),
            efa_service: efa_service(m.solution_kind.as_deref() == Some("efa"), m.solution_name.as_deref()),
        }
    }

    /// The EfA service this record counts for in its areas (responsible Kommunen only).
    pub fn counted_efa(&self) -> Option<&str> {
        if self.other { None } else { self.efa_service.as_deref() }
    }

    /// What one record adds to its areas' counters; a Kommune without a record adds nothing
    /// (responsible, "nicht begonnen"). Must agree with `select_sql`.
    pub fn contribution(&self, population: i64) -> Cell {
        self.counted().contribution(population)
    }

    /// The part of the facts the counters depend on.
    pub fn counted(&self) -> Counted {
        Counted {
            other: self.other,
            stage: Counted::stage_of(&self.stage),
            model: Counted::model_of(self.model.as_deref()),
            level: self.level,
            efa: self.efa,
        }
    }
}

/// What a record's counters depend on, in a few bytes (the trend replays every record of a Land).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counted {
    pub other: bool,
    /// Index in [`COUNTED_STAGES`]; none for "nicht begonnen".
    pub stage: Option<u8>,
    /// 11 for model 1.1, 20 for model 2.0.
    pub model: Option<u8>,
    pub level: Option<i16>,
    pub efa: bool,
}

impl Counted {
    pub fn stage_of(code: &str) -> Option<u8> {
        COUNTED_STAGES.iter().position(|s| s.code() == code).map(|i| i as u8)
    }

    pub fn model_of(code: Option<&str>) -> Option<u8> {
        match code {
            Some("1.1") => Some(11),
            Some("2.0") => Some(20),
            _ => None,
        }
    }

    /// See [`Facts::contribution`].
    pub fn contribution(&self, population: i64) -> Cell {
        let mut c = [0; 22];
        if self.other {
            c[ix::OTHER_N] = 1;
            c[ix::OTHER_POP] = population;
            return c;
        }
        if let Some(i) = self.stage {
            c[ix::STAGES + i as usize] = 1;
            if ix::STAGES + i as usize == ix::ONLINE {
                c[ix::ONLINE_POP] = population;
            }
        }
        match (self.model, self.level) {
            (Some(11), Some(l @ 0..=4)) => c[ix::M11 + l as usize] = 1,
            (Some(20), Some(l @ 0..=7)) => c[ix::M20 + l as usize] = 1,
            _ => {}
        }
        if self.efa {
            c[ix::EFA] = 1;
        }
        c
    }
}

pub(crate) use crate::core::db::stmt;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_counts_once_in_its_stage_level_and_solution() {
        let f = Facts { other: false, stage: "online".into(), model: Some("1.1".into()), level: Some(3), efa: true, efa_service: None };
        let c = f.contribution(1200);
        assert_eq!(c[ix::ONLINE], 1);
        assert_eq!(c[ix::ONLINE_POP], 1200);
        assert_eq!(c[ix::M11 + 3], 1);
        assert_eq!(c[ix::EFA], 1);
        assert_eq!(c.iter().filter(|v| **v == 1).count(), 3);
    }

    #[test]
    fn a_kommune_not_responsible_counts_only_as_such() {
        let f = Facts { other: true, stage: "online".into(), model: Some("2.0".into()), level: Some(5), efa: true, efa_service: Some("X".into()) };
        assert_eq!(f.counted_efa(), None, "a Kommune not responsible reuses nothing");
        let c = f.contribution(500);
        assert_eq!((c[ix::OTHER_N], c[ix::OTHER_POP]), (1, 500));
        assert_eq!(c.iter().sum::<i64>(), 501);
    }

    #[test]
    fn a_record_not_started_adds_nothing() {
        assert_eq!(Facts { stage: "not_started".into(), ..Default::default() }.contribution(10), [0; 22]);
    }

    #[test]
    fn area_keys_name_their_level() {
        assert_eq!(level_of("15"), Some("land"));
        assert_eq!(level_of("15083"), Some("kreis"));
        assert_eq!(level_of("150835402"), Some("vg"));
        assert_eq!(level_of("15x"), None);
        assert_eq!(level_of("15003000"), None);
        assert_eq!(level_of("15083:lk"), Some("kreis"));
        assert_eq!(level_of("15:gem"), Some("land"));
        assert_eq!(level_of("15:x"), None);
    }
}
