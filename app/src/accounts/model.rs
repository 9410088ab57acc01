//! The accounts as the administrators' pages see them.

use crate::identity::Role;
use serde::{Deserialize, Serialize};

/// A row of the administrators' user list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserListItem {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub organisations: Vec<String>,
    /// The organisations' keys (AGS, Verbandsschlüssel, LAND, SGSA, LKT).
    pub org_keys: Vec<String>,
    pub active: bool,
    pub is_demo: bool,
    /// Last login, formatted `TT.MM.JJJJ HH:MM` in Europe/Berlin.
    pub last_login: Option<String>,
    /// The Kommune's Ansprechperson: manages its clerks' accounts.
    #[serde(default)]
    pub manages_clerks: bool,
    /// The second factor is set up.
    #[serde(default)]
    pub mfa: bool,
    /// How the person signs in: `password`, `oidc` (bound to the identity provider) or
    /// `invited` (no password yet).
    #[serde(default)]
    pub sign_in: String,
    /// The newest invitation's state in German (`offen bis …`, `abgelaufen`, …), if any.
    #[serde(default)]
    pub invitation: Option<String>,
    /// The invitation can be resent or withdrawn (the person has not accepted one yet).
    #[serde(default)]
    pub invitation_open: bool,
}

/// The filter of the account list (query parameters of `/verwaltung/benutzer`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserFilter {
    /// Part of the name or e-mail address.
    #[serde(default)]
    pub q: String,
    /// A role code, or empty.
    #[serde(default)]
    pub role: String,
    /// An organisation's key, or empty.
    #[serde(default)]
    pub org: String,
    /// `aktiv`, `deaktiviert`, `eingeladen`, or empty.
    #[serde(default)]
    pub state: String,
    /// `an`, `aus`, or empty.
    #[serde(default)]
    pub mfa: String,
    /// `passwort`, `landeskonto`, or empty.
    #[serde(default)]
    pub method: String,
}

/// What the account page shows of the caller's manager rights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserAdmin {
    pub users: Vec<UserListItem>,
    /// All accounts (administrator) or only the clerks of the own Kommunen (Ansprechperson).
    pub all: bool,
    /// Roles the caller may give.
    pub roles: Vec<Role>,
    /// Mail is configured: invitations go by e-mail (otherwise the link is shown once).
    pub mail: bool,
    /// Total before the filter.
    pub total: usize,
}

/// A second factor being set up, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentView {
    pub secret: String,
    /// The QR code as an SVG `data:` URI (drawn on the server, no script).
    pub qr_image: String,
    pub recovery_codes: Vec<String>,
}

/// The page of the sign-in's second step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorView {
    pub name: String,
    /// The second factor must first be set up (it is required for the role).
    pub enrol: Option<EnrolmentView>,
}

/// The second factor as the account page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaStatus {
    pub enabled: bool,
    pub required: bool,
    pub recovery_codes_left: u64,
}

/// One audit entry as administrators read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// `TT.MM.JJJJ HH:MM:SS` in Europe/Berlin.
    pub at: String,
    pub actor: Option<String>,
    pub action: String,
    pub object: Option<String>,
    pub ip: Option<String>,
    pub detail: Option<String>,
}

/// The audit log filter (query parameters of `/verwaltung/protokoll`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// E-mail address or part of the name of the person who acted or was acted upon.
    #[serde(default)]
    pub person: String,
    /// An organisation's key: entries by or about its people.
    #[serde(default)]
    pub org: String,
    /// An action (exact), or empty.
    #[serde(default)]
    pub action: String,
    /// From this day (`JJJJ-MM-TT`), inclusive.
    #[serde(default)]
    pub from: String,
    /// To this day (`JJJJ-MM-TT`), inclusive.
    #[serde(default)]
    pub to: String,
    /// Page, from 1.
    #[serde(default)]
    pub page: u32,
}

/// A page of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub page: u32,
    pub pages: u32,
    pub total: u64,
}
