//! The form that sets a service's operating state, read once (the state as pages show it is the
//! vocabulary's `ServiceStatus`).

use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::error::AppError;
#[cfg(feature = "ssr")]
use std::collections::BTreeMap;

pub use crate::vocabulary::services::{OperatingState, ServiceStatus};

#[cfg(feature = "ssr")]
fn add(e: &mut BTreeMap<String, Vec<String>>, field: &str, message: &str) {
    e.entry(field.to_string()).or_default().push(message.to_string());
}

/// An operating state as the Land's or the operator's form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateForm {
    #[serde(default)]
    pub dienst: String,
    #[serde(default)]
    pub zustand: String,
    #[serde(default)]
    pub hinweis: String,
    /// The maintenance window, `datetime-local` (`JJJJ-MM-TTTHH:MM`, Berlin time).
    #[serde(default)]
    pub von: String,
    #[serde(default)]
    pub bis: String,
}

#[cfg(feature = "ssr")]
/// A checked operating state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewState {
    pub service_id: String,
    pub state: OperatingState,
    pub note: Option<String>,
    pub window: Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)>,
}

#[cfg(feature = "ssr")]
impl TryFrom<StateForm> for NewState {
    type Error = AppError;

    fn try_from(f: StateForm) -> Result<Self, AppError> {
        let mut e = BTreeMap::new();
        let state = OperatingState::from_code(f.zustand.trim());
        if state.is_none() {
            add(&mut e, "zustand", "Bitte wählen Sie einen Betriebszustand.");
        }
        let note = Some(f.hinweis.trim().to_string()).filter(|n| !n.is_empty());
        if note.as_ref().is_some_and(|n| n.chars().count() > 1000) {
            add(&mut e, "hinweis", "Der Hinweis hat höchstens 1000 Zeichen.");
        }
        let mut window = None;
        if state.is_some_and(OperatingState::needs_window) {
            match (crate::core::time::berlin_to_utc(&f.von), crate::core::time::berlin_to_utc(&f.bis)) {
                (None, _) => add(&mut e, "von", "Bitte geben Sie den Beginn der Wartung an (Datum und Uhrzeit)."),
                (_, None) => add(&mut e, "bis", "Bitte geben Sie das Ende der Wartung an (Datum und Uhrzeit)."),
                (Some(a), Some(b)) if b <= a => add(&mut e, "bis", "Das Ende der Wartung liegt nach ihrem Beginn."),
                (Some(a), Some(b)) => window = Some((a, b)),
            }
        }
        match state {
            Some(state) if e.is_empty() => Ok(NewState { service_id: f.dienst.trim().to_string(), state, note, window }),
            _ => Err(AppError::Validation(e)),
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
// Test code only: a failing `expect` is the test failing, with its message.
mod tests {
    use super::*;

    #[test]
    fn a_maintenance_needs_its_window() {
        let s = StateForm { dienst: "s".into(), zustand: "wartung".into(), von: "2026-12-10T18:00".into(), bis: "2026-12-10T17:00".into(), ..Default::default() };
        assert!(NewState::try_from(s).is_err());
        let s = StateForm { dienst: "s".into(), zustand: "wartung".into(), von: "2026-12-10T18:00".into(), bis: "2026-12-10T22:00".into(), ..Default::default() };
        assert!(NewState::try_from(s).is_ok_and(|n| n.window.is_some()));
        assert!(NewState::try_from(StateForm { dienst: "s".into(), zustand: "gestoert".into(), ..Default::default() }).is_ok_and(|n| n.window.is_none()));
    }
}
