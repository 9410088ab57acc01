//! The identity provider's settings from the environment (`PORTAL_OIDC_*`). Without an issuer,
//! sign-in through the provider is off.

use crate::ops::settings::SettingError;
use app::core::config::{GroupRole, OidcConfig};
use app::identity::Role;

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// `gruppe=rolle:SCHLÜSSEL SCHLÜSSEL; gruppe2=admin` → the group mapping.
pub fn parse_group_roles(v: &str) -> Result<Vec<GroupRole>, SettingError> {
    v.split(';')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|entry| {
            let bad = || SettingError(format!("PORTAL_OIDC_GROUP_ROLES: »{entry}« hat nicht die Form gruppe=rolle:SCHLÜSSEL SCHLÜSSEL"));
            let (group, rest) = entry.split_once('=').ok_or_else(bad)?;
            let (role, orgs) = rest.split_once(':').unwrap_or((rest, ""));
            let role = Role::from_code(role.trim()).ok_or_else(bad)?;
            let org_keys: Vec<String> = orgs.split([' ', ',']).map(str::trim).filter(|k| !k.is_empty()).map(str::to_string).collect();
            if group.trim().is_empty() || (org_keys.is_empty() && role != Role::Admin) {
                return Err(bad());
            }
            Ok(GroupRole { group: group.trim().to_string(), role, org_keys })
        })
        .collect()
}

pub fn from_env() -> Result<Option<OidcConfig>, SettingError> {
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
    Ok(Some(OidcConfig {
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

#[cfg(test)]
mod tests {
    use super::*;

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
