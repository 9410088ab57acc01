//! The codes of the Gremien: the kind of a body, a member's role in it, and who may read a body
//! and each of its decisions.

crate::vocabulary::code_enum! {
    /// What kind of body it is.
    pub enum GremiumKind {
        Lenkungskreis = ("lenkungskreis", "Lenkungskreis"),
        Arbeitsgruppe = ("arbeitsgruppe", "Arbeitsgruppe"),
        Board = ("board", "Board"),
        Netzwerk = ("netzwerk", "Netzwerk"),
    }
}

crate::vocabulary::code_enum! {
    /// A member's role in a body.
    pub enum MemberRole {
        Chair = ("vorsitz", "Vorsitz"),
        Member = ("mitglied", "Mitglied"),
        Guest = ("gast", "Gast"),
        Office = ("geschaeftsstelle", "Geschäftsstelle"),
    }
}

impl MemberRole {
    /// The roles that run the body: its members, meetings and decisions.
    pub const fn runs_the_body(self) -> bool {
        matches!(self, MemberRole::Chair | MemberRole::Office)
    }
}

crate::vocabulary::code_enum! {
    /// Who reads a body: its name, purpose, members and what it decided for them.
    pub enum BodyVisibility {
        Members = ("mitglieder", "nur Mitglieder"),
        SignedIn = ("angemeldet", "alle Angemeldeten aus Land, Kommunen und Verbänden"),
        Public = ("oeffentlich", "öffentlich"),
    }
}

crate::vocabulary::code_enum! {
    /// Who reads a decision (within those who read its body).
    pub enum DecisionVisibility {
        Members = ("mitglieder", "Mitglieder des Gremiums"),
        Kommunen = ("kommunen", "Land, Kommunen und Verbände"),
        Public = ("oeffentlich", "öffentlich"),
    }
}

impl DecisionVisibility {
    /// Whether a body of this visibility may publish a decision this far: a decision reaches no
    /// one who may not read its body.
    pub const fn fits(self, body: BodyVisibility) -> bool {
        match self {
            DecisionVisibility::Members => true,
            DecisionVisibility::Kommunen => !matches!(body, BodyVisibility::Members),
            DecisionVisibility::Public => matches!(body, BodyVisibility::Public),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_reaches_no_one_who_may_not_read_its_body() {
        assert!(DecisionVisibility::Members.fits(BodyVisibility::Members));
        assert!(!DecisionVisibility::Kommunen.fits(BodyVisibility::Members));
        assert!(DecisionVisibility::Kommunen.fits(BodyVisibility::SignedIn));
        assert!(!DecisionVisibility::Public.fits(BodyVisibility::SignedIn));
        assert!(DecisionVisibility::Public.fits(BodyVisibility::Public));
    }
}

crate::vocabulary::code_enum! {
    /// A member's answer to the invitation to a meeting.
    pub enum MeetingAnswer {
        Accepted = ("zusage", "Zusage"),
        Declined = ("absage", "Absage"),
    }
}

crate::vocabulary::code_enum! {
    /// Where the minutes of a meeting stand.
    pub enum MinutesState {
        Draft = ("entwurf", "Entwurf"),
        Circulated = ("umlauf", "im Umlauf zur Kommentierung"),
        Approved = ("genehmigt", "genehmigt"),
    }
}

impl MinutesState {
    /// Whether the Geschäftsstelle may still change the text (approved minutes never change).
    pub const fn editable(self) -> bool {
        !matches!(self, MinutesState::Approved)
    }

    /// Whether the members read the text (a draft stays with those who run the body).
    pub const fn shown_to_members(self) -> bool {
        !matches!(self, MinutesState::Draft)
    }
}

crate::vocabulary::code_enum! {
    /// Where a task (Maßnahme) stands.
    pub enum TaskStatus {
        Open = ("offen", "offen"),
        InProgress = ("in_arbeit", "in Arbeit"),
        Done = ("erledigt", "erledigt"),
        Dropped = ("verworfen", "verworfen"),
    }
}

impl TaskStatus {
    /// Whether the task still waits for work (and can become overdue).
    pub const fn is_open(self) -> bool {
        matches!(self, TaskStatus::Open | TaskStatus::InProgress)
    }
}

crate::vocabulary::code_enum! {
    /// What a task may point to.
    pub enum TaskLink {
        Case = ("fall", "Beratungsfall"),
        Service = ("leistung", "OZG-Leistung"),
        Efa = ("efa", "EfA-Dienst"),
        Programme = ("programm", "Förderprogramm"),
    }
}

impl TaskLink {
    /// The portal's page of the linked thing, where it has one of its own.
    pub fn href(self, value: &str) -> Option<String> {
        match self {
            TaskLink::Case => Some(format!("/faelle/{value}")),
            TaskLink::Efa => Some(format!("/nachnutzung/dienst/{value}")),
            TaskLink::Service | TaskLink::Programme => None,
        }
    }
}
