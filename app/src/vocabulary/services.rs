//! The codes of the EfA services in operation: a service's operating state, the kinds,
//! severities and statuses of the Kommunen's reports (faults and requirements), and who answers
//! them, with the rules about them written once.

crate::vocabulary::code_enum! {
    /// How an EfA service runs, as its operator or the Land says.
    pub enum OperatingState {
        Running = ("betrieb", "in Betrieb"),
        Limited = ("eingeschraenkt", "eingeschränkt"),
        Down = ("gestoert", "gestört"),
        Maintenance = ("wartung", "Wartung angekündigt"),
    }
}

impl OperatingState {
    /// Whether the state needs a time window (an announced maintenance).
    pub const fn needs_window(self) -> bool {
        matches!(self, OperatingState::Maintenance)
    }

    /// Whether the Kommunen should be told (everything but normal operation).
    pub const fn is_notable(self) -> bool {
        !matches!(self, OperatingState::Running)
    }
}

/// How a service runs now, as the service's page and the Kommunen's start pages show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceStatus {
    pub service_id: String,
    pub service: String,
    pub state: OperatingState,
    pub note: Option<String>,
    /// The window of an announced maintenance, Berlin time `TT.MM.JJJJ HH:MM`.
    pub window: Option<(String, String)>,
    /// When it was set, Berlin time.
    pub since: Option<String>,
}

impl ServiceStatus {
    /// The state in words when it is not normal operation: "gestört", "Wartung angekündigt von
    /// 10.12.2026 18:00 bis 10.12.2026 22:00".
    pub fn describe(&self) -> Option<String> {
        self.state.is_notable().then(|| format!("{}{}", self.state.label(), self.window.as_ref().map(|(a, b)| format!(" von {a} bis {b}")).unwrap_or_default()))
    }
}

crate::vocabulary::code_enum! {
    /// What a Kommune reports about a service.
    pub enum ReportKind {
        Fault = ("stoerung", "Störung"),
        Requirement = ("anforderung", "Anforderung"),
    }
}

crate::vocabulary::code_enum! {
    /// How much a report hinders the Kommunen.
    pub enum Severity {
        Low = ("niedrig", "niedrig"),
        Medium = ("mittel", "mittel"),
        High = ("hoch", "hoch"),
        Critical = ("kritisch", "kritisch – Dienst nicht nutzbar"),
    }
}

crate::vocabulary::code_enum! {
    /// Where a report stands.
    pub enum ReportStatus {
        New = ("neu", "neu"),
        Confirmed = ("bestaetigt", "bestätigt"),
        InProgress = ("in_arbeit", "in Arbeit"),
        Fixed = ("behoben", "behoben"),
        Done = ("umgesetzt", "umgesetzt"),
        Rejected = ("abgelehnt", "abgelehnt"),
    }
}

impl ReportStatus {
    /// Whether the report is finished (no longer listed as open, no more joining).
    pub const fn is_closed(self) -> bool {
        matches!(self, ReportStatus::Fixed | ReportStatus::Done | ReportStatus::Rejected)
    }

    /// Whether the status fits the kind: a fault is fixed, a requirement implemented.
    pub const fn fits(self, kind: ReportKind) -> bool {
        match self {
            ReportStatus::Fixed => matches!(kind, ReportKind::Fault),
            ReportStatus::Done => matches!(kind, ReportKind::Requirement),
            _ => true,
        }
    }

    /// Whether setting the status needs a reason given in public (a rejection).
    pub const fn needs_reason(self) -> bool {
        matches!(self, ReportStatus::Rejected)
    }

    /// The statuses that fit a kind, in their order.
    pub fn of(kind: ReportKind) -> Vec<ReportStatus> {
        ReportStatus::ALL.iter().copied().filter(|s| s.fits(kind)).collect()
    }
}

crate::vocabulary::code_enum! {
    /// Who answers a report: the Land's advisors or the service's operator.
    pub enum Party {
        Land = ("land", "Landesberatung"),
        Operator = ("betreiber", "Betreiber"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_is_fixed_and_a_requirement_implemented() {
        assert!(ReportStatus::of(ReportKind::Fault).contains(&ReportStatus::Fixed));
        assert!(!ReportStatus::of(ReportKind::Fault).contains(&ReportStatus::Done));
        assert!(!ReportStatus::of(ReportKind::Requirement).contains(&ReportStatus::Fixed));
        assert!(ReportStatus::Rejected.is_closed() && ReportStatus::Rejected.needs_reason());
        assert!(!ReportStatus::InProgress.is_closed());
        assert!(OperatingState::Maintenance.needs_window() && !OperatingState::Down.needs_window());
    }
}
