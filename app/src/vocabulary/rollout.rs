//! The codes of the roll-out: a connection's steps, a checklist item's state, the kinds and
//! bearers of costs, and the Land's implementation models and phases, with the rules of the
//! lifecycle written once.

crate::vocabulary::code_enum! {
    /// The steps of a connection in their order, then the pause.
    pub enum ConnectionState {
        Interest = ("interesse", "Interesse bekundet"),
        Agreement = ("vereinbarung", "Nutzungsvereinbarung unterzeichnet"),
        Preparation = ("vorbereitung", "Anbindung in Vorbereitung"),
        Test = ("test", "Test"),
        Live = ("live", "Live"),
        Paused = ("zurueckgestellt", "Zurückgestellt"),
    }
}

impl ConnectionState {
    /// The steps in their order, without the pause.
    pub const ORDER: [ConnectionState; 5] = [ConnectionState::Interest, ConnectionState::Agreement, ConnectionState::Preparation, ConnectionState::Test, ConnectionState::Live];

    /// The place of a step in the order (`None` for the pause).
    pub fn rank(self) -> Option<usize> {
        ConnectionState::ORDER.iter().position(|s| *s == self)
    }

    /// The steps a caller may take from here (`paused_from`: where a paused connection stood):
    /// a paused connection goes back to where it stood; clerks take the next step, except
    /// confirming "Live" where the Land does (`live_by_land`); advisors any later one; anyone
    /// may pause.
    pub fn allowed(self, paused_from: Option<ConnectionState>, advisor: bool, live_by_land: bool) -> Vec<ConnectionState> {
        if self == ConnectionState::Paused {
            return vec![paused_from.filter(|p| p.rank().is_some()).unwrap_or(ConnectionState::Interest)];
        }
        let Some(r) = self.rank() else { return Vec::new() };
        let mut out: Vec<ConnectionState> = if advisor {
            ConnectionState::ORDER[r + 1..].to_vec()
        } else {
            ConnectionState::ORDER.get(r + 1).filter(|s| !(**s == ConnectionState::Live && live_by_land)).into_iter().copied().collect()
        };
        out.push(ConnectionState::Paused);
        out
    }

    /// The steps the service's operator may take: from the preparation to the test, and from the
    /// test to "Live" only where the Land does not confirm it. An operator never pauses a
    /// Kommune's connection.
    pub fn allowed_for_operator(self, live_by_land: bool) -> Vec<ConnectionState> {
        match self {
            ConnectionState::Preparation => vec![ConnectionState::Test],
            ConnectionState::Test if !live_by_land => vec![ConnectionState::Live],
            _ => Vec::new(),
        }
    }
}

crate::vocabulary::code_enum! {
    /// The state of a checklist item.
    pub enum ItemState {
        Open = ("offen", "offen"),
        Done = ("erledigt", "erledigt"),
        NotNeeded = ("entfaellt", "nicht nötig"),
        Blocked = ("blockiert", "blockiert"),
    }
}

crate::vocabulary::code_enum! {
    /// Who bears a cost.
    pub enum Bearer {
        Land = ("land", "Land"),
        Kommune = ("kommune", "Kommune"),
        Other = ("andere", "andere"),
    }
}

crate::vocabulary::code_enum! {
    /// The kind of a cost.
    pub enum CostKind {
        Once = ("einmalig", "einmalig"),
        Yearly = ("jaehrlich", "jährlich"),
    }
}

crate::vocabulary::code_enum! {
    /// How the Land implements an OZG-Leistung.
    pub enum Model {
        Efa = ("efa", "EfA-Nachnutzung"),
        BaseService = ("landesbasisdienst", "Landesbasisdienst"),
        Own = ("eigen", "Eigenentwicklung der Kommunen"),
        Open = ("offen", "noch nicht entschieden"),
    }
}

crate::vocabulary::code_enum! {
    /// The phase of an OZG-Leistung in the Land.
    pub enum Phase {
        Planning = ("planung", "Planung"),
        Implementation = ("umsetzung", "Umsetzung"),
        Rollout = ("rollout", "Roll-out"),
        Operation = ("betrieb", "Betrieb"),
    }
}

#[cfg(test)]
mod tests {
    use super::ConnectionState::{self, *};

    #[test]
    fn clerks_take_the_next_step_and_advisors_any_later_one() {
        assert_eq!(Interest.allowed(None, false, true), vec![Agreement, Paused]);
        assert_eq!(Test.allowed(None, false, true), vec![Paused]);
        assert_eq!(Test.allowed(None, false, false), vec![Live, Paused]);
        assert_eq!(Agreement.allowed(None, true, true), vec![Preparation, Test, Live, Paused]);
        assert_eq!(Paused.allowed(Some(Test), false, true), vec![Test]);
        assert_eq!(Paused.allowed(None, false, true), vec![Interest]);
        assert_eq!(Live.allowed(None, true, true), vec![Paused]);
        assert_eq!(ConnectionState::ORDER.len() + 1, ConnectionState::ALL.len());
        assert_eq!(Preparation.allowed_for_operator(true), vec![Test]);
        assert!(Test.allowed_for_operator(true).is_empty());
        assert_eq!(Test.allowed_for_operator(false), vec![Live]);
        assert!(Agreement.allowed_for_operator(false).is_empty());
    }
}

/// Where a register record's Leistung is re-used: the EfA service the Land implements it with,
/// and this Kommune's connection to it (its id and step) if there is one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReuseLink {
    pub service_id: String,
    pub service_name: String,
    pub connection: Option<(i64, ConnectionState)>,
}

/// How a checklist line marks an item the service's operator does (in the overview's editor and
/// its CSV): `Betreiber: Mandant eingerichtet`.
pub const OPERATOR_PREFIX: &str = "Betreiber:";

/// A checklist line as (label, whether the operator does it).
pub fn checklist_item(line: &str) -> (String, bool) {
    let line = line.trim();
    match line.get(..OPERATOR_PREFIX.len()) {
        Some(head) if head.eq_ignore_ascii_case(OPERATOR_PREFIX) => {
            (line[OPERATOR_PREFIX.len()..].trim().to_string(), true)
        }
        _ => (line.to_string(), false),
    }
}

/// The line of an item, as [`checklist_item`] reads it back.
pub fn checklist_line(label: &str, operator: bool) -> String {
    if operator {
        format!("{OPERATOR_PREFIX} {label}")
    } else {
        label.to_string()
    }
}
