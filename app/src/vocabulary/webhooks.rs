//! The events a webhook receiver may subscribe to.

crate::vocabulary::code_enum! {
    /// What happened, as the `event` of a delivery and the header `X-OZG-Event`.
    pub enum WebhookEvent {
        ConnectionStep = ("connection.step", "Schritt einer Anbindung an einen EfA-Dienst"),
        ReportStatus = ("report.status", "Status einer Störung oder Anforderung"),
        CaseStatus = ("case.status", "Status eines Beratungsfalls"),
        FundingDecision = ("funding.decision", "Entscheidung über einen Förderantrag"),
    }
}
