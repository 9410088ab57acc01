//! Runtime settings the application code needs (the binary reads them from the environment).

use std::time::Duration;

/// Settings that shape sessions, cookies and headers.
#[derive(Debug, Clone)]
pub struct Config {
    /// Send the session cookie with `Secure` (and the `__Host-` prefix). Off only for local http.
    pub cookie_secure: bool,
    /// Session ends after this much inactivity.
    pub session_idle: Duration,
    /// Session ends this long after login, whatever the activity.
    pub session_absolute: Duration,
    /// Send `Strict-Transport-Security` (when the portal is served over TLS).
    pub hsts: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_proxy_headers: bool,
    /// The reverse proxies whose `X-Forwarded-For` entries are believed: the client is the
    /// right-most address not in this list. Empty: only the direct peer is such a proxy.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// E-mail notifications are queued (an SMTP server is configured); otherwise in-app only.
    pub mail_enabled: bool,
    /// The portal's public address, for links in e-mails (e.g. `https://ozg.sachsen-anhalt.de`).
    pub base_url: String,
    /// Largest accepted attachment, in bytes.
    pub attachment_max_bytes: usize,
    /// All attachments of one case together, in bytes.
    pub attachment_case_quota_bytes: i64,
    /// All attachments one person uploaded, in bytes.
    pub attachment_user_quota_bytes: i64,
    /// Lagebild cells built from fewer Kommunen than this are shown as "< n" to everyone but the
    /// Land's advisors and administrators.
    pub suppression_threshold: i64,
    /// Requests per second and client address on the open-data API (bursts of ten times as
    /// many); 0 switches the limit off (measurements only).
    pub open_data_rate: u32,
    /// Show the public the case statistics per Kreis (by default only for the Land).
    pub public_case_stats_by_kreis: bool,
    /// How long an invitation link is valid.
    pub invitation_valid: Duration,
    /// How long a password-reset link is valid.
    pub reset_valid: Duration,
    /// Roles that must sign in with a second factor (demo accounts excepted).
    pub mfa_required_roles: Vec<crate::identity::Role>,
    /// A Kommune's Ansprechperson (who administers its clerks' accounts) needs the second factor
    /// too (`ansprechperson` in `PORTAL_MFA_REQUIRED_ROLES`).
    pub mfa_contact_persons: bool,
    /// Roles that may not sign in with a password (only through the identity provider).
    pub password_login_disabled_roles: Vec<crate::identity::Role>,
    /// Audit entries older than this many days are deleted by a job.
    pub audit_retention_days: i64,
    /// Attachments of cases closed longer than this many days are deleted by a job.
    pub attachment_retention_days: i64,
    /// In-app notifications older than this many days are deleted by a job.
    pub notification_retention_days: i64,
    /// Sent mails (and discarded ones) leave the outbox after this many days.
    pub mail_retention_days: i64,
    /// Sign-in through the Land's identity provider, when configured.
    pub oidc: Option<OidcConfig>,
    /// `/metrics` on the portal's address answers requests bearing this token; `None`: no
    /// metrics there (they may still be served on a separate address).
    pub metrics_token: Option<String>,
    /// Where reports of barriers (`/barriere-melden`) are forwarded by mail; `None`: they are
    /// only listed for the administrators.
    pub barrier_mail: Option<String>,
    /// Wissensportal: an article is published only after a second advisor reviewed it.
    pub knowledge_second_review: bool,
    /// Wissensportal: the author is reminded when an article was last checked this many days ago.
    pub knowledge_review_days: i64,
    /// Nachnutzung: only the Land's advisors confirm that a Kommune's connection is live.
    pub rollout_live_by_land: bool,
}

/// The Land's OpenID Connect provider and this portal's client there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcConfig {
    /// The issuer URL; its `/.well-known/openid-configuration` is read when first needed.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// The claim carrying the e-mail address (default `email`).
    pub email_claim: String,
    /// The claim carrying the person's groups, for the group mapping.
    pub groups_claim: Option<String>,
    /// Group → role and organisations, for people the provider knows and no administrator invited.
    pub group_roles: Vec<GroupRole>,
    /// `amr` or `acr` values the provider sends for a sign-in with more than one factor; such a
    /// sign-in counts as the portal's second factor. Empty: it never does.
    pub mfa_values: Vec<String>,
    /// The button's text on the login page.
    pub label: String,
}

/// A provider group that grants a role in organisations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRole {
    pub group: String,
    pub role: crate::identity::Role,
    pub org_keys: Vec<String>,
}

impl Config {
    /// Whether this role must use a second factor (demo accounts are exempt: they exist for
    /// presentations and are not for real work).
    /// Whether this person must sign in with a second factor: by role, or as an Ansprechperson.
    pub fn mfa_required(&self, role: crate::identity::Role, is_demo: bool, manages_clerks: bool) -> bool {
        !is_demo && (self.mfa_required_roles.contains(&role) || (manages_clerks && self.mfa_contact_persons))
    }

    pub fn password_login_allowed(&self, role: crate::identity::Role) -> bool {
        !self.password_login_disabled_roles.contains(&role)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            cookie_secure: true,
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(8 * 60 * 60),
            hsts: false,
            trust_proxy_headers: false,
            trusted_proxies: Vec::new(),
            mail_enabled: false,
            base_url: "http://127.0.0.1:3000".into(),
            attachment_max_bytes: 20 * 1024 * 1024,
            attachment_case_quota_bytes: 200 * 1024 * 1024,
            attachment_user_quota_bytes: 1024 * 1024 * 1024,
            suppression_threshold: 3,
            open_data_rate: 20,
            public_case_stats_by_kreis: false,
            invitation_valid: Duration::from_secs(7 * 24 * 60 * 60),
            reset_valid: Duration::from_secs(60 * 60),
            mfa_required_roles: vec![crate::identity::Role::Admin, crate::identity::Role::Advisor],
            mfa_contact_persons: true,
            password_login_disabled_roles: Vec::new(),
            audit_retention_days: 365,
            attachment_retention_days: 730,
            notification_retention_days: 180,
            mail_retention_days: 30,
            oidc: None,
            metrics_token: None,
            barrier_mail: None,
            knowledge_second_review: true,
            knowledge_review_days: 365,
            rollout_live_by_land: true,
        }
    }
}
