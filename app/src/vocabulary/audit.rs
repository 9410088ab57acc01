//! The actions of the audit log: what is stored, and what an administrator reads.

crate::vocabulary::code_enum! {
    /// An action recorded in the audit log.
    pub enum AuditAction {
        AccessDenied = ("access_denied", "Zugriff verweigert"),
        AnnouncementPublished = ("announcement_published", "Mitteilung veröffentlicht"),
        ApiTokenCreated = ("api_token_created", "API-Schlüssel angelegt"),
        ApiTokenRevoked = ("api_token_revoked", "API-Schlüssel widerrufen"),
        ArticleCreated = ("article_created", "Wissensartikel angelegt"),
        ArticleSaved = ("article_saved", "Wissensartikel gespeichert"),
        ArticleSubmitted = ("article_submitted", "Wissensartikel zur Prüfung gegeben"),
        ArticlePublished = ("article_published", "Wissensartikel veröffentlicht"),
        ArticleConfirmed = ("article_confirmed", "Wissensartikel als aktuell bestätigt"),
        ArticleWithdrawn = ("article_withdrawn", "Wissensartikel zurückgezogen"),
        ArticleFileAdded = ("article_file_added", "Datei zu einem Wissensartikel hinzugefügt"),
        ArticleFileRemoved = ("article_file_removed", "Datei eines Wissensartikels entfernt"),
        BarrierReportStatus = ("barrier_report_status", "Status einer gemeldeten Barriere geändert"),
        CaseCategoryCreated = ("case_category_created", "Kategorie der Beratung angelegt"),
        CaseCategoryChanged = ("case_category_changed", "Kategorie der Beratung geändert"),
        CaseTeamCreated = ("case_team_created", "Team der Beratung angelegt"),
        CaseTeamChanged = ("case_team_changed", "Team der Beratung geändert"),
        SlaTargetChanged = ("sla_target_changed", "Servicezeiten geändert"),
        WorkHoursChanged = ("work_hours_changed", "Arbeitszeiten der Beratung geändert"),
        AssignOnReplyChanged = ("assign_on_reply_changed", "Übernahme von Fällen beim Antworten geändert"),
        ConnectionDeclared = ("connection_declared", "Interesse an einem EfA-Dienst bekundet"),
        ConnectionStep = ("connection_step", "Schritt einer Anbindung gesetzt"),
        ConnectionItem = ("connection_item", "Checklistenpunkt einer Anbindung geändert"),
        ConnectionBulk = ("connection_bulk", "Anbindungen gesammelt geändert"),
        ConnectionCostAdded = ("connection_cost_added", "Kosten einer Anbindung erfasst"),
        ConnectionCostRemoved = ("connection_cost_removed", "Kosten einer Anbindung entfernt"),
        RolloutPlanSaved = ("rollout_plan_saved", "Zeile der Nachnutzungsübersicht gespeichert"),
        RolloutPlanImported = ("rollout_plan_imported", "Nachnutzungsübersicht eingelesen"),
        CriterionCreated = ("criterion_created", "Reifegradkriterium angelegt"),
        CriterionUpdated = ("criterion_updated", "Reifegradkriterium geändert"),
        FocusSet = ("focus_set", "als Fokusleistung markiert"),
        FocusRemoved = ("focus_removed", "Markierung als Fokusleistung entfernt"),
        EfaServiceSaved = ("efa_service_saved", "EfA-Dienst gespeichert"),
        DataDisclosed = ("data_disclosed", "Auskunft über gespeicherte Daten erteilt"),
        DemoFilled = ("demo_filled", "Demodaten angelegt"),
        DemoRemoved = ("demo_removed", "Demodaten entfernt"),
        EventCreated = ("event_created", "Termin angelegt"),
        EventSaved = ("event_saved", "Termin gespeichert"),
        EventCancelled = ("event_cancelled", "Termin abgesagt"),
        EventMaterials = ("event_materials", "Unterlagen eines Termins geändert"),
        EventRegistered = ("event_registered", "zu einem Termin angemeldet"),
        EventUnregistered = ("event_unregistered", "von einem Termin abgemeldet"),
        FundingProgrammeSaved = ("funding_programme_saved", "Förderprogramm gespeichert"),
        FundingApplied = ("funding_applied", "Förderantrag gestellt"),
        FundingStep = ("funding_step", "Schritt eines Förderantrags gesetzt"),
        InvitationSent = ("invitation_sent", "Einladung verschickt"),
        InvitationExistingAccount = ("invitation_existing_account", "Einladung an ein bestehendes Konto"),
        InvitationWithdrawn = ("invitation_withdrawn", "Einladung zurückgezogen"),
        InvitationAccepted = ("invitation_accepted", "Einladung angenommen"),
        LegalTextSaved = ("legal_text_saved", "Rechtstext gespeichert"),
        LoginSuccess = ("login_success", "Anmeldung erfolgreich"),
        LoginPasswordOk = ("login_password_ok", "Passwort richtig, zweiter Faktor ausstehend"),
        LoginOidcOk = ("login_oidc_ok", "Anmeldung über das Landeskonto, zweiter Faktor ausstehend"),
        LoginFailure = ("login_failure", "Anmeldung fehlgeschlagen"),
        LoginRefused = ("login_refused", "Anmeldung abgelehnt"),
        LoginThrottled = ("login_throttled", "Anmeldung gedrosselt"),
        Logout = ("logout", "Abmeldung"),
        MfaEnrolled = ("mfa_enrolled", "zweiter Faktor eingerichtet"),
        MfaDisabled = ("mfa_disabled", "zweiter Faktor abgeschaltet"),
        MfaReset = ("mfa_reset", "zweiter Faktor zurückgesetzt"),
        MfaFailure = ("mfa_failure", "falscher Code des zweiten Faktors"),
        MfaThrottled = ("mfa_throttled", "zweiter Faktor gedrosselt"),
        MfaRecoveryCodeUsed = ("mfa_recovery_code_used", "Wiederherstellungscode verwendet"),
        MfaChallengeEnded = ("mfa_challenge_ended", "Anmeldung nach falschen Codes beendet"),
        MailDeadLetter = ("mail_dead_letter", "E-Mail unzustellbar"),
        MailRetried = ("mail_retried", "E-Mail erneut gesendet"),
        MailDiscarded = ("mail_discarded", "unzustellbare E-Mail verworfen"),
        ManagerGranted = ("manager_granted", "als Ansprechperson der Kommune eingesetzt"),
        ManagerRevoked = ("manager_revoked", "als Ansprechperson der Kommune abberufen"),
        OidcAccountCreated = ("oidc_account_created", "Konto über das Landeskonto angelegt"),
        OidcLinked = ("oidc_linked", "Konto mit dem Landeskonto verbunden"),
        OidcRefused = ("oidc_refused", "Anmeldung über das Landeskonto abgelehnt"),
        PasswordSet = ("password_set", "Passwort gesetzt"),
        PasswordChanged = ("password_changed", "Passwort geändert"),
        PasswordCheckFailure = ("password_check_failure", "aktuelles Passwort falsch eingegeben"),
        PasswordCheckThrottled = ("password_check_throttled", "Passwortprüfung gedrosselt"),
        PasswordReset = ("password_reset", "Passwort über einen Link zurückgesetzt"),
        PasswordResetRequested = ("password_reset_requested", "Zurücksetzen des Passworts angefordert"),
        PasswordResetRefused = ("password_reset_refused", "Zurücksetzen des Passworts abgelehnt"),
        PasswordResetUnknown = ("password_reset_unknown", "Zurücksetzen für unbekannte Adresse angefordert"),
        PasswordResetThrottled = ("password_reset_throttled", "Zurücksetzen des Passworts gedrosselt"),
        UserCreated = ("user_created", "Konto angelegt"),
        UserAccessChanged = ("user_access_changed", "Rolle oder Organisationen geändert"),
        UserDeactivated = ("user_deactivated", "Konto deaktiviert"),
        UserReactivated = ("user_reactivated", "Konto reaktiviert"),
        UserErased = ("user_erased", "Konto gelöscht"),
        UsersImported = ("users_imported", "Konten eingelesen"),
    }
}

impl Default for AuditAction {
    /// Only completes `Entry { action, ..Default::default() }`; every entry names its action.
    fn default() -> Self {
        AuditAction::AccessDenied
    }
}

impl AuditAction {
    /// The German name of a stored code; a code this version does not know is shown as it is.
    pub fn label_or_code(code: &str) -> std::borrow::Cow<'static, str> {
        match AuditAction::from_code(code) {
            Some(a) => a.label().into(),
            None => code.to_string().into(),
        }
    }
}
