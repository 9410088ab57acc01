//! The codes of funding: an application's status and the steps of its workflow, with the
//! rules of the workflow written once.

crate::vocabulary::code_enum! {
    /// The statuses of an application, in the order of the workflow.
    pub enum Status {
        Received = ("eingegangen", "eingegangen"),
        Review = ("pruefung", "in Prüfung"),
        Granted = ("bewilligt", "bewilligt"),
        Rejected = ("abgelehnt", "abgelehnt"),
        Called = ("abruf", "Mittel abgerufen"),
        Reported = ("nachweis", "Verwendungsnachweis eingereicht"),
        Closed = ("abgeschlossen", "abgeschlossen"),
    }
}

impl Status {
    /// Whether an application in this status counts as granted (from the approval on).
    pub const fn counts_as_granted(self) -> bool {
        matches!(self, Status::Granted | Status::Called | Status::Reported | Status::Closed)
    }

    /// The statuses that count as granted.
    pub fn granted() -> impl Iterator<Item = Status> {
        Status::ALL.iter().copied().filter(|s| s.counts_as_granted())
    }
}

crate::vocabulary::code_enum! {
    /// The steps of an application's workflow, labelled as their buttons.
    pub enum Action {
        /// Filing (the first step, taken by the form, never offered as a button).
        File = ("stellen", "Antrag stellen"),
        Review = ("pruefen", "Prüfung beginnen"),
        Grant = ("bewilligen", "Bewilligen"),
        Reject = ("ablehnen", "Ablehnen"),
        Call = ("abrufen", "Mittel abrufen"),
        Report = ("nachweisen", "Verwendungsnachweis einreichen"),
        Close = ("abschliessen", "Abschließen"),
    }
}

impl Action {
    /// The statuses this step may be taken from.
    pub const fn from(self) -> &'static [Status] {
        match self {
            Action::File => &[],
            Action::Review => &[Status::Received],
            Action::Grant => &[Status::Review],
            Action::Reject => &[Status::Received, Status::Review],
            Action::Call => &[Status::Granted, Status::Called],
            Action::Report => &[Status::Called],
            Action::Close => &[Status::Reported],
        }
    }

    /// The status this step leads to.
    pub const fn to(self) -> Status {
        match self {
            Action::File => Status::Received,
            Action::Review => Status::Review,
            Action::Grant => Status::Granted,
            Action::Reject => Status::Rejected,
            Action::Call => Status::Called,
            Action::Report => Status::Reported,
            Action::Close => Status::Closed,
        }
    }

    /// Whether only the Land's advisors take this step (the Kommune calls funds and reports).
    pub const fn advisors_only(self) -> bool {
        !matches!(self, Action::Call | Action::Report)
    }

    /// Whether the step names an amount (the sum granted, the funds called).
    pub const fn needs_amount(self) -> bool {
        matches!(self, Action::Grant | Action::Call)
    }

    /// The text the step needs, as (least characters, German request): the reason of a
    /// rejection, the report of the use of funds.
    pub const fn needs_note(self) -> Option<(usize, &'static str)> {
        match self {
            Action::Reject => Some((3, "Bitte begründen Sie die Ablehnung.")),
            Action::Report => Some((10, "Bitte beschreiben Sie im Verwendungsnachweis, wofür die Mittel verwendet wurden.")),
            _ => None,
        }
    }

    /// Whether the step moves money, so that the public sums may be released.
    pub const fn moves_money(self) -> bool {
        matches!(self, Action::Grant | Action::Call | Action::Close)
    }

    /// The steps possible from `status` for an advisor, or for a clerk of the Kommune (`own`).
    pub fn allowed(status: Status, advisor: bool, own: bool) -> Vec<Action> {
        Action::ALL.iter().copied().filter(|a| a.from().contains(&status) && (advisor || (own && !a.advisors_only()))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clerks_call_funds_and_report_and_the_land_decides() {
        assert_eq!(Action::allowed(Status::Received, true, false), vec![Action::Review, Action::Reject]);
        assert!(Action::allowed(Status::Received, false, true).is_empty());
        assert_eq!(Action::allowed(Status::Granted, false, true), vec![Action::Call]);
        assert_eq!(Action::allowed(Status::Called, false, true), vec![Action::Call, Action::Report]);
        assert!(Action::allowed(Status::Called, false, false).is_empty());
        assert_eq!(Action::allowed(Status::Reported, true, false), vec![Action::Close]);
        assert!(Action::allowed(Status::Closed, true, true).is_empty());
        assert!(Action::ALL.iter().all(|a| *a == Action::File || !a.from().is_empty()), "filing is the only step without a status before it");
    }

    #[test]
    fn granted_counts_from_the_approval_on() {
        assert_eq!(Status::granted().collect::<Vec<_>>(), vec![Status::Granted, Status::Called, Status::Reported, Status::Closed]);
    }
}
