//! The Land's identity provider (OpenID Connect): authorization-code flow with
//! PKCE, `state` and `nonce`; the ID token's issuer, audience, signature (the provider's JWKS)
//! and expiry are checked by the `openidconnect` crate; `iat`, `nbf` (not in the future beyond a
//! small clock skew) and `azp` (the portal's client id where present) here. The flow under way
//! lives in the database (any instance can finish it) and is bound to the browser by a random
//! value in a cookie that the callback URL never contains (RFC 9700 §4.5); a `state` works once.
//! Which portal account a provider identity signs in to is decided in `accounts::service::oidc`.

use crate::core::audit;
use crate::core::audit::Entry;
use crate::core::config::OidcConfig;
use crate::core::entities::oidc_flow;
use crate::core::session::hash_token;
use crate::error::AppError;
use base64::Engine;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, LogoutRequest, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, Scope, TokenResponse,
};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

/// How long a flow at the provider may take.
pub const FLOW_MINUTES: i64 = 10;
/// The provider's metadata and keys are read again after this long (key rotation).
const REFRESH: Duration = Duration::from_secs(10 * 60);
/// The cookie that binds a flow to the browser that started it (`__Host-` where cookies are
/// secure: bound to this host, never set by a sibling domain).
pub fn flow_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-ozg_oidc" } else { "ozg_oidc" }
}
/// Clock skew allowed for `iat` and `nbf`.
const SKEW_SECS: i64 = 60;
/// Where the provider sends the browser back.
pub const CALLBACK_PATH: &str = "/anmelden/landeskonto/rueckruf";

/// The configured provider with its metadata as last read.
pub struct Provider {
    pub config: OidcConfig,
    redirect: String,
    http: reqwest::Client,
    metadata: RwLock<Option<(Instant, ProviderMetadataWithLogout)>>,
}

/// This portal's client at the provider, from the provider's metadata.
macro_rules! client {
    ($self:expr, $metadata:expr) => {
        CoreClient::from_provider_metadata(
            $metadata,
            ClientId::new($self.config.client_id.clone()),
            Some(ClientSecret::new($self.config.client_secret.clone())),
        )
        .set_redirect_uri(RedirectUrl::new($self.redirect.clone()).map_err(|_| AppError::Internal)?)
    };
}

fn refused(reason: &str) -> AppError {
    tracing::warn!(reason, "Anmeldung über den Identitätsanbieter abgelehnt");
    AppError::Conflict("Die Anmeldung über das Landeskonto konnte nicht bestätigt werden. Bitte versuchen Sie es erneut.".into())
}

impl Provider {
    pub fn new(config: OidcConfig, base_url: &str) -> Result<Arc<Provider>, String> {
        let http = reqwest::Client::builder()
            // The provider's answers are never followed elsewhere (no redirects, no SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Arc::new(Provider { redirect: format!("{}{CALLBACK_PATH}", base_url.trim_end_matches('/')), config, http, metadata: RwLock::new(None) }))
    }

    async fn metadata(&self, fresh: bool) -> Result<ProviderMetadataWithLogout, AppError> {
        if !fresh && let Some((at, m)) = self.metadata.read().await.as_ref()
            && at.elapsed() < REFRESH
        {
            return Ok(m.clone());
        }
        let issuer = IssuerUrl::new(self.config.issuer.clone()).map_err(|_| AppError::Internal)?;
        let m = ProviderMetadataWithLogout::discover_async(issuer, &self.http).await.map_err(|e| {
            tracing::error!(error = %e, "Identitätsanbieter nicht erreichbar oder seine Konfiguration unlesbar");
            AppError::Conflict("Das Landeskonto ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut oder melden Sie sich mit Passwort an.".into())
        })?;
        *self.metadata.write().await = Some((Instant::now(), m.clone()));
        Ok(m)
    }

    /// Starts a sign-in: stores the flow and returns the provider's authorization URL and the
    /// value of the cookie that binds the flow to this browser. `link_to`: the account the
    /// identity is to be bound to (proven by the caller: a session or an invitation).
    #[tracing::instrument(skip_all)]
    pub async fn start(&self, db: &sea_orm::DatabaseConnection, link_to: Option<String>) -> Result<(String, String), AppError> {
        let client = client!(self, self.metadata(false).await?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        let now = crate::core::time::now();
        let binding = crate::core::session::new_token();
        oidc_flow::ActiveModel {
            state_hash: Set(hash_token(state.secret())),
            nonce: Set(nonce.secret().clone()),
            pkce_verifier: Set(verifier.secret().clone()),
            created_at: Set(now),
            expires_at: Set(now + chrono::Duration::minutes(FLOW_MINUTES)),
            browser_hash: Set(hash_token(&binding)),
            link_user_id: Set(link_to),
        }
        .insert(db)
        .await?;
        Ok((url.to_string(), binding))
    }

    /// Finishes a sign-in at the provider: takes the flow (once), exchanges the code and checks
    /// the ID token. `cookie`: the flow cookie the browser sent.
    #[tracing::instrument(skip_all)]
    pub async fn verify(&self, db: &sea_orm::DatabaseConnection, code: &str, returned_state: &str, cookie: Option<&str>, ip: &str) -> Result<Identity, AppError> {
        // Taking the flow deletes it: a replayed `state` finds nothing.
        let hash = hash_token(returned_state);
        let Some(flow) = oidc_flow::Entity::find_by_id(hash.clone()).one(db).await? else {
            audit::record_best_effort(db, Entry { action: crate::vocabulary::audit::AuditAction::OidcRefused, ip: Some(ip), detail: Some("unbekannter oder schon benutzter state".into()), ..Default::default() }).await;
            return Err(refused("unbekannter state"));
        };
        // The browser that finishes must hold the binding the flow was started with.
        if flow.browser_hash.is_empty() || cookie.map(hash_token).as_deref() != Some(flow.browser_hash.as_str()) {
            audit::record_best_effort(db, Entry { action: crate::vocabulary::audit::AuditAction::OidcRefused, ip: Some(ip), detail: Some("Rückruf ohne passendes Cookie dieses Browsers".into()), ..Default::default() }).await;
            return Err(refused("Flow gehört nicht zu diesem Browser"));
        }
        if oidc_flow::Entity::delete_by_id(hash).exec(db).await?.rows_affected != 1 || flow.expires_at <= crate::core::time::now() {
            return Err(refused("state abgelaufen oder schon benutzt"));
        }
        let client = client!(self, self.metadata(false).await?);
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|_| refused("kein Token-Endpunkt"))?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "Code-Tausch beim Identitätsanbieter fehlgeschlagen");
                refused("Code-Tausch fehlgeschlagen")
            })?;
        let id_token = response.id_token().ok_or_else(|| refused("kein ID-Token"))?;
        let nonce = Nonce::new(flow.nonce);
        let claims = match id_token.claims(&client.id_token_verifier(), &nonce) {
            Ok(c) => c.clone(),
            Err(e) => {
                // A new signing key of the provider: read its keys again once.
                let client2 = client!(self, self.metadata(true).await?);
                match id_token.claims(&client2.id_token_verifier(), &nonce) {
                    Ok(c) => c.clone(),
                    Err(_) => {
                        audit::record_best_effort(db, Entry { action: crate::vocabulary::audit::AuditAction::OidcRefused, ip: Some(ip), detail: Some(format!("ID-Token ungültig: {e}")), ..Default::default() }).await;
                        return Err(refused("ID-Token ungültig"));
                    }
                }
            }
        };
        // The token is verified; claims named by the settings are read from its payload.
        let raw = id_token.to_string();
        let payload: serde_json::Value = raw
            .split('.')
            .nth(1)
            .and_then(|p| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(p.trim_end_matches('=')).ok())
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let now = crate::core::time::now().timestamp();
        let in_future = |claim: &str| payload.get(claim).and_then(|v| v.as_i64()).is_some_and(|t| t > now + SKEW_SECS);
        let foreign_party = payload.get("azp").is_some_and(|a| a.as_str() != Some(self.config.client_id.as_str()));
        if in_future("iat") || in_future("nbf") || foreign_party {
            let reason = if foreign_party { "azp ist nicht dieses Portal" } else { "iat oder nbf in der Zukunft" };
            audit::record_best_effort(db, Entry { action: crate::vocabulary::audit::AuditAction::OidcRefused, ip: Some(ip), detail: Some(format!("ID-Token ungültig: {reason}")), ..Default::default() }).await;
            return Err(refused(reason));
        }
        let email = payload.get(&self.config.email_claim).and_then(|v| v.as_str()).map(crate::core::address::normalise_email);
        // Verified only where the provider says so, whichever claim carries the address.
        let email_verified = claims.email_verified() == Some(true);
        let groups: Vec<String> = self
            .config
            .groups_claim
            .as_ref()
            .and_then(|g| payload.get(g))
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        let amr: Vec<String> = claims.auth_method_refs().map(|v| v.iter().map(|a| a.to_string()).collect()).unwrap_or_default();
        let acr = claims.auth_context_ref().map(|a| a.to_string());
        let mfa = self.config.mfa_values.iter().any(|m| amr.contains(m) || acr.as_deref() == Some(m.as_str()));
        Ok(Identity { subject: claims.subject().to_string(), email, email_verified, groups, mfa, link_to: flow.link_user_id })
    }

    /// The provider's logout URL (RP-initiated logout), where it has one.
    pub async fn logout_url(&self, base_url: &str) -> Option<String> {
        let m = self.metadata(false).await.ok()?;
        let end = m.additional_metadata().end_session_endpoint.clone()?;
        let back = PostLogoutRedirectUrl::new(format!("{}/anmelden?abgemeldet=1", base_url.trim_end_matches('/'))).ok()?;
        Some(LogoutRequest::from(end).set_client_id(ClientId::new(self.config.client_id.clone())).set_post_logout_redirect_uri(back).http_get_url().to_string())
    }
}

/// A sign-in the provider vouched for.
#[derive(Debug, Clone)]
pub struct Identity {
    pub subject: String,
    /// The address from the configured claim, in lower case.
    pub email: Option<String>,
    pub email_verified: bool,
    pub groups: Vec<String>,
    /// The provider asserted more than one factor (`amr`/`acr` in the configured values).
    pub mfa: bool,
    /// The account the flow was started to bind (with proof), if any.
    pub link_to: Option<String>,
}

pub fn flow_cookie(secure: bool, value: &str) -> String {
    format!("{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}", flow_cookie_name(secure), FLOW_MINUTES * 60, if secure { "; Secure" } else { "" })
}

pub fn clear_flow_cookie(secure: bool) -> String {
    format!("{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", flow_cookie_name(secure), if secure { "; Secure" } else { "" })
}
