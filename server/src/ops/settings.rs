//! Configuration from environment variables (and flags). Every setting has a safe default for
//! the embedded setup; a bad value stops start-up with a message naming the setting.

use app::core::config::Config;
use std::net::SocketAddr;
use std::time::Duration;

/// Everything `serve` needs.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub site_addr: SocketAddr,
    pub site_root: String,
    pub log_json: bool,
    pub app: Config,
    /// The SMTP relay for e-mail notifications; `None`: in-app notifications only.
    pub smtp: Option<crate::ops::mail::SmtpConfig>,
    /// A separate address serving only `/metrics` (for the monitoring network).
    pub metrics_addr: Option<SocketAddr>,
}

/// A setting with a bad value.
#[derive(Debug)]
pub struct SettingError(pub String);

impl std::fmt::Display for SettingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for SettingError {}

/// The default database: an SQLite file under `./data`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/portal.sqlite";

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn boolean(name: &str, default: bool) -> Result<bool, SettingError> {
    match var(name).as_deref().map(str::to_lowercase).as_deref() {
        None => Ok(default),
        Some("1" | "true" | "ja" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "nein" | "no" | "off") => Ok(false),
        Some(other) => Err(SettingError(format!("{name}: »{other}« ist kein Wahrheitswert (erwartet true oder false)"))),
    }
}

fn number(name: &str, default: u64, min: u64, max: u64) -> Result<u64, SettingError> {
    match var(name) {
        None => Ok(default),
        Some(v) => match v.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(SettingError(format!("{name}: »{v}« ist keine ganze Zahl von {min} bis {max}"))),
        },
    }
}

/// A comma-separated list of addresses and networks (`10.0.0.5, 10.1.0.0/16`).
fn proxies(name: &str) -> Result<Vec<ipnet::IpNet>, SettingError> {
    let Some(v) = var(name) else { return Ok(Vec::new()) };
    v.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<ipnet::IpNet>()
                .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| SettingError(format!("{name}: »{p}« ist weder eine IP-Adresse noch ein Netz wie 10.1.0.0/16")))
        })
        .collect()
}

/// A comma-separated list of role codes (`admin,advisor`); `none` for none.
fn roles(name: &str, default: &[app::identity::Role]) -> Result<Vec<app::identity::Role>, SettingError> {
    let Some(v) = var(name) else { return Ok(default.to_vec()) };
    if v.eq_ignore_ascii_case("none") || v.eq_ignore_ascii_case("keine") {
        return Ok(Vec::new());
    }
    v.split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| {
            app::identity::Role::from_code(r)
                .ok_or_else(|| SettingError(format!("{name}: »{r}« ist keine Rolle (clerk, advisor, association, admin oder none)")))
        })
        .collect()
}

/// `PORTAL_MFA_REQUIRED_ROLES`: roles, and `ansprechperson` for the Kommunen's Ansprechpersonen
/// (they administer accounts). Default: administrators, advisors and Ansprechpersonen.
fn mfa_roles() -> Result<(Vec<app::identity::Role>, bool), SettingError> {
    const NAME: &str = "PORTAL_MFA_REQUIRED_ROLES";
    let Some(v) = var(NAME) else { return Ok((vec![app::identity::Role::Admin, app::identity::Role::Advisor], true)) };
    let contact = v.split(',').any(|r| r.trim().eq_ignore_ascii_case("ansprechperson"));
    let rest: Vec<&str> = v.split(',').map(str::trim).filter(|r| !r.is_empty() && !r.eq_ignore_ascii_case("ansprechperson")).collect();
    if rest.is_empty() {
        return Ok((Vec::new(), contact));
    }
    if rest.len() == 1 && (rest[0].eq_ignore_ascii_case("none") || rest[0].eq_ignore_ascii_case("keine")) {
        return Ok((Vec::new(), false));
    }
    let roles = rest
        .iter()
        .map(|r| app::identity::Role::from_code(r).ok_or_else(|| SettingError(format!("{NAME}: »{r}« ist keine Rolle (clerk, advisor, association, admin, partner, ansprechperson oder none)"))))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((roles, contact))
}

/// `gruppe=rolle:SCHLÜSSEL SCHLÜSSEL; gruppe2=admin` → the group mapping.
pub fn parse_group_roles(v: &str) -> Result<Vec<app::core::config::GroupRole>, SettingError> {
    v.split(';')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|entry| {
            let bad = || SettingError(format!("PORTAL_OIDC_GROUP_ROLES: »{entry}« hat nicht die Form gruppe=rolle:SCHLÜSSEL SCHLÜSSEL"));
            let (group, rest) = entry.split_once('=').ok_or_else(bad)?;
            let (role, orgs) = rest.split_once(':').unwrap_or((rest, ""));
            let role = app::identity::Role::from_code(role.trim()).ok_or_else(bad)?;
            let org_keys: Vec<String> = orgs.split([' ', ',']).map(str::trim).filter(|k| !k.is_empty()).map(str::to_string).collect();
            if group.trim().is_empty() || (org_keys.is_empty() && role != app::identity::Role::Admin) {
                return Err(bad());
            }
            Ok(app::core::config::GroupRole { group: group.trim().to_string(), role, org_keys })
        })
        .collect()
}

/// The identity provider's settings (`PORTAL_OIDC_*`); without an issuer, sign-in through a
/// provider is off.
pub fn oidc_from_env() -> Result<Option<app::core::config::OidcConfig>, SettingError> {
    let Some(issuer) = var("PORTAL_OIDC_ISSUER") else { return Ok(None) };
    if !(issuer.starts_with("https://") || issuer.starts_with("http://127.0.0.1") || issuer.starts_with("http://localhost")) {
        return Err(SettingError(format!("PORTAL_OIDC_ISSUER: »{issuer}« muss mit https:// beginnen (http nur auf dieser Maschine)")));
    }
    let client_id = var("PORTAL_OIDC_CLIENT_ID").ok_or_else(|| SettingError("PORTAL_OIDC_CLIENT_ID: fehlt (nötig sobald PORTAL_OIDC_ISSUER gesetzt ist)".into()))?;
    let client_secret =
        var("PORTAL_OIDC_CLIENT_SECRET").ok_or_else(|| SettingError("PORTAL_OIDC_CLIENT_SECRET: fehlt (nötig sobald PORTAL_OIDC_ISSUER gesetzt ist)".into()))?;
    let group_roles = match var("PORTAL_OIDC_GROUP_ROLES") {
        Some(v) => parse_group_roles(&v)?,
        None => Vec::new(),
    };
    let groups_claim = var("PORTAL_OIDC_GROUPS_CLAIM");
    if !group_roles.is_empty() && groups_claim.is_none() {
        return Err(SettingError("PORTAL_OIDC_GROUPS_CLAIM: fehlt (nötig sobald PORTAL_OIDC_GROUP_ROLES gesetzt ist)".into()));
    }
    Ok(Some(app::core::config::OidcConfig {
        issuer,
        client_id,
        client_secret,
        email_claim: var("PORTAL_OIDC_EMAIL_CLAIM").unwrap_or_else(|| "email".into()),
        groups_claim,
        group_roles,
        mfa_values: var("PORTAL_OIDC_MFA_VALUES")
            .map(|v| v.split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect())
            .unwrap_or_default(),
        label: var("PORTAL_OIDC_LABEL").unwrap_or_else(|| "Mit dem Landeskonto anmelden".into()),
    }))
}

impl Settings {
    /// Reads the environment. `database_url` from a flag wins over `DATABASE_URL`.
    pub fn from_env(database_url: Option<String>) -> Result<Settings, SettingError> {
        let database_url = database_url.or_else(|| var("DATABASE_URL")).unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        let addr = var("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".to_string());
        let site_addr = addr
            .parse::<SocketAddr>()
            .map_err(|_| SettingError(format!("LEPTOS_SITE_ADDR: »{addr}« ist keine Adresse der Form 127.0.0.1:3000")))?;
        let site_root = var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_string());
        let log_json = match var("LOG_FORMAT").as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(other) => return Err(SettingError(format!("LOG_FORMAT: »{other}« ist unbekannt (erwartet text oder json)"))),
        };
        let app = Config {
            cookie_secure: boolean("PORTAL_COOKIE_SECURE", true)?,
            session_idle: Duration::from_secs(60 * number("PORTAL_SESSION_IDLE_MINUTES", 30, 1, 24 * 60)?),
            session_absolute: Duration::from_secs(3600 * number("PORTAL_SESSION_ABSOLUTE_HOURS", 8, 1, 24 * 7)?),
            hsts: boolean("PORTAL_HSTS", false)?,
            trust_proxy_headers: boolean("PORTAL_TRUST_PROXY_HEADERS", false)?,
            trusted_proxies: proxies("PORTAL_TRUSTED_PROXIES")?,
            mail_enabled: false,
            base_url: var("PORTAL_BASE_URL").unwrap_or_else(|| format!("http://{site_addr}")),
            attachment_max_bytes: 1024 * 1024 * number("PORTAL_ATTACHMENT_MAX_MB", 20, 1, 200)? as usize,
            attachment_case_quota_bytes: 1024 * 1024 * number("PORTAL_ATTACHMENT_CASE_QUOTA_MB", 200, 1, 100_000)? as i64,
            attachment_user_quota_bytes: 1024 * 1024 * number("PORTAL_ATTACHMENT_USER_QUOTA_MB", 1024, 1, 1_000_000)? as i64,
            suppression_threshold: number("PORTAL_SUPPRESSION_THRESHOLD", 3, 2, 100)? as i64,
            open_data_rate: number("PORTAL_OPEN_DATA_RATE", 20, 1, 100_000)? as u32,
            public_case_stats_by_kreis: boolean("PORTAL_PUBLIC_CASE_STATS_BY_KREIS", false)?,
            invitation_valid: Duration::from_secs(86_400 * number("PORTAL_INVITATION_DAYS", 7, 1, 90)?),
            reset_valid: Duration::from_secs(60 * number("PORTAL_PASSWORD_RESET_MINUTES", 60, 5, 24 * 60)?),
            mfa_required_roles: mfa_roles()?.0,
            mfa_contact_persons: mfa_roles()?.1,
            password_login_disabled_roles: roles("PORTAL_PASSWORD_LOGIN_DISABLED_ROLES", &[])?,
            audit_retention_days: number("PORTAL_AUDIT_RETENTION_DAYS", 365, 30, 3650)? as i64,
            attachment_retention_days: number("PORTAL_ATTACHMENT_RETENTION_DAYS", 730, 30, 3650)? as i64,
            notification_retention_days: number("PORTAL_NOTIFICATION_RETENTION_DAYS", 180, 7, 3650)? as i64,
            mail_retention_days: number("PORTAL_MAIL_RETENTION_DAYS", 30, 1, 3650)? as i64,
            oidc: oidc_from_env()?,
            metrics_token: match var("PORTAL_METRICS_TOKEN") {
                Some(t) if t.len() < 24 => return Err(SettingError("PORTAL_METRICS_TOKEN: mindestens 24 Zeichen (etwa `openssl rand -hex 24`)".into())),
                t => t,
            },
            barrier_mail: match var("PORTAL_BARRIER_MAIL") {
                Some(m) if !app::legal::model::looks_like_email(&m) => return Err(SettingError(format!("PORTAL_BARRIER_MAIL: »{m}« ist keine E-Mail-Adresse"))),
                m => m,
            },
            knowledge_second_review: boolean("PORTAL_KNOWLEDGE_SECOND_REVIEW", true)?,
            knowledge_review_days: number("PORTAL_KNOWLEDGE_REVIEW_DAYS", 365, 30, 3650)? as i64,
            rollout_live_by_land: boolean("PORTAL_ROLLOUT_LIVE_BY_LAND", true)?,
        };
        if !(app.base_url.starts_with("http://") || app.base_url.starts_with("https://")) {
            return Err(SettingError(format!("PORTAL_BASE_URL: »{}« beginnt nicht mit http:// oder https://", app.base_url)));
        }
        let smtp = smtp_from_env()?;
        let mut app = app;
        app.mail_enabled = smtp.is_some();
        if app.oidc.is_none() && !app.password_login_disabled_roles.is_empty() {
            return Err(SettingError("PORTAL_PASSWORD_LOGIN_DISABLED_ROLES: ohne Identitätsanbieter (PORTAL_OIDC_ISSUER) könnte sich diese Rolle nicht mehr anmelden".into()));
        }
        let metrics_addr = match var("PORTAL_METRICS_ADDR") {
            None => None,
            Some(v) => Some(v.parse::<SocketAddr>().map_err(|_| SettingError(format!("PORTAL_METRICS_ADDR: »{v}« ist keine Adresse mit Port (etwa 127.0.0.1:9464)")))?),
        };
        Ok(Settings { database_url, site_addr, site_root, log_json, app, smtp, metrics_addr })
    }
}

impl Settings {
    /// The database (migrated) and the application state on it.
    pub async fn open(&self) -> anyhow::Result<app::core::state::AppState> {
        use migrations::MigratorTrait;
        let db = app::core::db::connect(&self.database_url).await?;
        migrations::Migrator::up(&db, None).await.map_err(|e| anyhow::anyhow!("Migrationen fehlgeschlagen: {e}"))?;
        Ok(app::core::state::AppState::new(db, self.app.clone()))
    }
}

/// The SMTP relay from `PORTAL_SMTP_*`; `None` when no host is set.
fn smtp_from_env() -> Result<Option<crate::ops::mail::SmtpConfig>, SettingError> {
    use crate::ops::mail::{SmtpConfig, SmtpTls};
    let Some(host) = var("PORTAL_SMTP_HOST") else { return Ok(None) };
    let from = var("PORTAL_MAIL_FROM").ok_or_else(|| SettingError("PORTAL_MAIL_FROM: fehlt (Absenderadresse, nötig sobald PORTAL_SMTP_HOST gesetzt ist)".into()))?;
    if from.parse::<lettre::Address>().is_err() {
        return Err(SettingError(format!("PORTAL_MAIL_FROM: »{from}« ist keine E-Mail-Adresse")));
    }
    let tls = match var("PORTAL_SMTP_TLS") {
        None => SmtpTls::StartTls,
        Some(v) => SmtpTls::parse(&v).ok_or_else(|| SettingError(format!("PORTAL_SMTP_TLS: »{v}« ist keiner von starttls, tls, none")))?,
    };
    if tls == SmtpTls::None && !boolean("PORTAL_SMTP_ALLOW_UNENCRYPTED", false)? {
        return Err(SettingError("PORTAL_SMTP_TLS=none: unverschlüsselter Versand nur mit PORTAL_SMTP_ALLOW_UNENCRYPTED=true (etwa für einen Mailserver auf demselben Rechner)".into()));
    }
    let default_port = match tls {
        SmtpTls::Tls => 465,
        SmtpTls::StartTls => 587,
        SmtpTls::None => 25,
    };
    let ca_file = var("PORTAL_SMTP_CA_FILE").map(std::path::PathBuf::from);
    if let Some(path) = &ca_file {
        let pem = std::fs::read(path).map_err(|e| SettingError(format!("PORTAL_SMTP_CA_FILE: {} nicht lesbar: {e}", path.display())))?;
        lettre::transport::smtp::client::Certificate::from_pem(&pem).map_err(|e| SettingError(format!("PORTAL_SMTP_CA_FILE: {} enthält kein PEM-Zertifikat: {e}", path.display())))?;
    }
    let password = match (var("PORTAL_SMTP_PASSWORD"), var("PORTAL_SMTP_PASSWORD_FILE")) {
        (Some(_), Some(_)) => return Err(SettingError("PORTAL_SMTP_PASSWORD und PORTAL_SMTP_PASSWORD_FILE: nur eines von beiden setzen".into())),
        (Some(p), None) => Some(p),
        (None, Some(file)) => Some(
            std::fs::read_to_string(&file).map_err(|e| SettingError(format!("PORTAL_SMTP_PASSWORD_FILE: {file} nicht lesbar: {e}")))?.trim_end_matches(['\r', '\n']).to_string(),
        ),
        (None, None) => None,
    };
    let credentials = match (var("PORTAL_SMTP_USER"), password) {
        (Some(user), Some(password)) => Some((user, password)),
        (None, None) => None,
        (Some(_), None) => return Err(SettingError("PORTAL_SMTP_USER: ohne PORTAL_SMTP_PASSWORD oder PORTAL_SMTP_PASSWORD_FILE".into())),
        (None, Some(_)) => return Err(SettingError("PORTAL_SMTP_PASSWORD: ohne PORTAL_SMTP_USER".into())),
    };
    if credentials.is_some() && tls == SmtpTls::None {
        return Err(SettingError("PORTAL_SMTP_USER: Zugangsdaten werden nie unverschlüsselt gesendet (PORTAL_SMTP_TLS=none)".into()));
    }
    Ok(Some(SmtpConfig {
        host,
        port: number("PORTAL_SMTP_PORT", default_port, 1, 65535)? as u16,
        from,
        helo: var("PORTAL_SMTP_HELO").unwrap_or_else(|| "ozg-portal.localhost".into()),
        max_attempts: number("PORTAL_MAIL_MAX_ATTEMPTS", 10, 1, 100)? as i32,
        tls,
        ca_file,
        credentials,
        timeout: Duration::from_secs(number("PORTAL_SMTP_TIMEOUT_SECONDS", 30, 1, 600)?),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::identity::Role;

    #[test]
    fn group_roles_are_read_and_bad_ones_refused() {
        let m = parse_group_roles("ozg-beratung=advisor:LAND; ozg-admin=admin; kommune-halle=clerk:15002000 15002").expect("valid");
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].role, Role::Advisor);
        assert_eq!(m[2].org_keys, vec!["15002000".to_string(), "15002".to_string()]);
        assert!(parse_group_roles("ohne-rolle").is_err());
        assert!(parse_group_roles("g=chef:LAND").is_err());
        assert!(parse_group_roles("g=clerk").is_err(), "a clerk needs an organisation");
    }
}
