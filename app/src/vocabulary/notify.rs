//! The kinds of notification: what happened, who it concerns and whether it goes by e-mail
//! unless the recipient chose otherwise. The codes are stored with each notification and each
//! e-mail choice, so they stay as they were written first.

crate::vocabulary::code_enum! {
    /// What a notification tells, in the order the account page lists the e-mail choices.
    pub enum NotificationKind {
        Reply = ("reply", "Antwort der Landesberatung auf einen Fall Ihrer Kommune"),
        Status = ("status", "Statusänderung eines Falls Ihrer Kommune"),
        KommuneReply = ("kommune_reply", "Antwort einer Kommune auf einen Ihrer Fälle"),
        Assigned = ("assigned", "Ein Fall wurde Ihnen oder Ihrem Team zugewiesen"),
        Escalation = ("escalation", "Servicezeit eines Falls überschritten"),
        ArticleReview = ("article_review", "Ein Wissensartikel wartet auf Ihre Prüfung"),
        ArticleDue = ("article_due", "Einer Ihrer Wissensartikel ist zur Überprüfung fällig"),
        ArticleFeedback = ("article_feedback", "Rückmeldung zu einem Ihrer Wissensartikel"),
        Announcement = ("announcement", "Mitteilung der Landesberatung an Ihre Kommune"),
        Survey = ("survey", "Abfrage des Landes an Ihre Kommune (neu geöffnet, Erinnerung vor der Frist)"),
        Gremium = ("gremium", "Aus Ihren Gremien: Protokolle zur Kommentierung, Maßnahmen und ihre Fristen"),
        ServiceReport = ("service_report", "Störungen und Anforderungen Ihrer EfA-Dienste: neue Meldungen, Antworten, Status und Betriebszustand"),
        Connection = ("connection", "Anbindungen an EfA-Dienste: Schritte und Termine, die andere setzen"),
        Funding = ("funding", "Förderanträge Ihrer Kommune: Entscheidung, Auszahlungen und die Frist des Verwendungsnachweises"),
    }
}

impl NotificationKind {
    /// Whether an e-mail goes out for this kind when the recipient has not chosen.
    pub const fn mails_by_default(self) -> bool {
        !matches!(self, NotificationKind::Status)
    }

    /// Whether a person may switch the kind off altogether: status-only changes (an answer, an
    /// assignment or an escalation always reaches them).
    pub const fn may_be_muted(self) -> bool {
        matches!(self, NotificationKind::Status)
    }

    /// Whether the kind concerns the Land's advisors (the Wissensportal's authors) or the
    /// Kommunen (announcements): each sees only the e-mail choices that can reach them.
    pub const fn concerns(self, advisor: bool) -> bool {
        match self {
            NotificationKind::ArticleReview | NotificationKind::ArticleDue | NotificationKind::ArticleFeedback => advisor,
            NotificationKind::Announcement | NotificationKind::Survey | NotificationKind::Funding => !advisor,
            _ => true,
        }
    }
}
