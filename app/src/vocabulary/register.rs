//! The codes of the Leistungsregister: Umsetzungsstand, responsibility, the maturity models and
//! how a service is provided. They were the first codes of the portal and keep their English
//! codes (stored in every record, sent by every REST client).

use serde::{Deserialize, Serialize};

/// Umsetzungsstand of a service in a Kommune, in the order a service passes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    NotStarted,
    Planned,
    InProgress,
    Pilot,
    Online,
    Discontinued,
}

impl Stage {
    pub const ALL: [Stage; 6] = [Stage::NotStarted, Stage::Planned, Stage::InProgress, Stage::Pilot, Stage::Online, Stage::Discontinued];

    pub fn code(self) -> &'static str {
        match self {
            Stage::NotStarted => "not_started",
            Stage::Planned => "planned",
            Stage::InProgress => "in_progress",
            Stage::Pilot => "pilot",
            Stage::Online => "online",
            Stage::Discontinued => "discontinued",
        }
    }

    pub fn from_code(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::NotStarted => "nicht begonnen",
            Stage::Planned => "geplant",
            Stage::InProgress => "in Umsetzung",
            Stage::Pilot => "Pilotbetrieb",
            Stage::Online => "online",
            Stage::Discontinued => "eingestellt",
        }
    }
}

/// Who provides the service for the Kommune's inhabitants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Responsibility {
    /// The Kommune itself.
    Own,
    /// "nicht zuständig": the Landkreis, the Land or another body provides it.
    Other,
}

/// The maturity model a rating belongs to. Level numbers mean different things in each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum MaturityModel {
    #[serde(rename = "1.1")]
    V1_1,
    #[serde(rename = "2.0")]
    V2_0,
}

impl MaturityModel {
    pub fn code(self) -> &'static str {
        match self {
            MaturityModel::V1_1 => "1.1",
            MaturityModel::V2_0 => "2.0",
        }
    }

    pub fn from_code(code: &str) -> Option<MaturityModel> {
        match code {
            "1.1" => Some(MaturityModel::V1_1),
            "2.0" => Some(MaturityModel::V2_0),
            _ => None,
        }
    }

    /// Highest level of the model (1.1: 0–4; 2.0: 0–7).
    pub fn max_level(self) -> i16 {
        match self {
            MaturityModel::V1_1 => 4,
            MaturityModel::V2_0 => 7,
        }
    }

    /// German name of a level.
    pub fn level_label(self, level: i16) -> &'static str {
        match (self, level) {
            (MaturityModel::V1_1, 0) => "Offline",
            (MaturityModel::V1_1, 1) => "Information",
            (MaturityModel::V1_1, 2) => "Formular-Assistent",
            (MaturityModel::V1_1, 3) => "Online-Leistung",
            (MaturityModel::V1_1, 4) => "Online-Transaktion",
            (MaturityModel::V2_0, 0..=3) => "Online-Zugang",
            (MaturityModel::V2_0, 4..=6) => "Prozessorientierung und Datenzentrierung",
            (MaturityModel::V2_0, 7) => "Ende-zu-Ende digital",
            _ => "unbekannt",
        }
    }
}

/// How the service is provided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SolutionKind {
    /// EfA-Nachnutzung ("Einer für Alle").
    Efa,
    /// Landesbasisdienst.
    StateService,
    /// Lösung eines IT-Dienstleisters.
    Provider,
    /// Eigenentwicklung.
    Own,
}

impl SolutionKind {
    pub const ALL: [SolutionKind; 4] = [SolutionKind::Efa, SolutionKind::StateService, SolutionKind::Provider, SolutionKind::Own];

    pub fn code(self) -> &'static str {
        match self {
            SolutionKind::Efa => "efa",
            SolutionKind::StateService => "state_service",
            SolutionKind::Provider => "provider",
            SolutionKind::Own => "own",
        }
    }

    pub fn from_code(code: &str) -> Option<SolutionKind> {
        SolutionKind::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            SolutionKind::Efa => "EfA-Nachnutzung",
            SolutionKind::StateService => "Landesbasisdienst",
            SolutionKind::Provider => "Lösung eines IT-Dienstleisters",
            SolutionKind::Own => "Eigenentwicklung",
        }
    }
}

crate::vocabulary::code_enum! {
    /// What the weekly check of an online address found.
    pub enum LinkOutcome {
        Reachable = ("erreichbar", "erreichbar"),
        ErrorAnswer = ("fehlerantwort", "antwortet mit einem Fehler"),
        Unreachable = ("nicht_erreichbar", "nicht erreichbar"),
        Internal = ("intern", "zeigt auf eine interne Adresse"),
        Redirects = ("weiterleitungen", "zu viele Weiterleitungen"),
        Invalid = ("ungueltig", "keine gültige Adresse"),
    }
}

impl LinkOutcome {
    /// Whether a citizen following the address would not reach the service.
    pub const fn is_broken(self) -> bool {
        !matches!(self, LinkOutcome::Reachable)
    }
}
