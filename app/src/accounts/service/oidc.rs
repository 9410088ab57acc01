//! Sign-in through the Land's identity provider (OpenID Connect): authorization-code flow with
//! PKCE, `state` and `nonce`; the ID token's issuer, audience, signature (the provider's JWKS)
//! and expiry are checked by the `openidconnect` crate. The flow under way lives in the database
//! (any instance can finish it) and is bound to the browser by a cookie; a `state` works once.
//!
//! A provider account signs in to the portal account an administrator created or invited —
//! matched by the verified e-mail address on first use, by the provider's subject afterwards.
//! Nobody gets an account because the provider knows them, unless a group → role mapping is
//! configured.

use crate::core::audit;
use crate::core::audit::Entry;
use crate::core::config::OidcConfig;
use crate::core::entities::{app_user, oidc_flow};
use crate::core::session::hash_token;
use crate::core::state::AppState;
use crate::error::AppError;
use crate::identity::Role;
use base64::Engine;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, LogoutRequest, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, Scope, TokenResponse,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

/// How long a flow at the provider may take.
pub const FLOW_MINUTES: i64 = 10;
/// The provider's metadata and keys are read again after this long (key rotation).
const REFRESH: Duration = Duration::from_secs(10 * 60);
/// The cookie that binds a flow to the browser that started it.
pub const FLOW_COOKIE: &str = "ozg_oidc";
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
    /// value of the cookie that binds the flow to this browser.
    #[tracing::instrument(skip_all)]
    pub async fn start(&self, db: &sea_orm::DatabaseConnection) -> Result<(String, String), AppError> {
        let client = client!(self, self.metadata(false).await?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        let now = crate::core::time::now();
        oidc_flow::ActiveModel {
            state_hash: Set(hash_token(state.secret())),
            nonce: Set(nonce.secret().clone()),
            pkce_verifier: Set(verifier.secret().clone()),
            created_at: Set(now),
            expires_at: Set(now + chrono::Duration::minutes(FLOW_MINUTES)),
        }
        .insert(db)
        .await?;
        Ok((url.to_string(), state.secret().clone()))
    }

    /// Finishes a sign-in: takes the flow (once), exchanges the code, checks the ID token and
    /// finds the portal account. `cookie`: the flow cookie the browser sent.
    #[tracing::instrument(skip_all)]
    pub async fn finish(&self, state: &AppState, code: &str, returned_state: &str, cookie: Option<&str>, ip: &str) -> Result<Verified, AppError> {
        let db = &state.db;
        if cookie != Some(returned_state) {
            audit::record_best_effort(db, Entry { action: "oidc_refused", ip: Some(ip), detail: Some("Rückruf ohne passendes Cookie dieses Browsers".into()), ..Default::default() }).await;
            return Err(refused("state passt nicht zum Browser"));
        }
        // Taking the flow deletes it: a replayed `state` finds nothing.
        let hash = hash_token(returned_state);
        let Some(flow) = oidc_flow::Entity::find_by_id(hash.clone()).one(db).await? else {
            audit::record_best_effort(db, Entry { action: "oidc_refused", ip: Some(ip), detail: Some("unbekannter oder schon benutzter state".into()), ..Default::default() }).await;
            return Err(refused("unbekannter state"));
        };
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
                        audit::record_best_effort(db, Entry { action: "oidc_refused", ip: Some(ip), detail: Some(format!("ID-Token ungültig: {e}")), ..Default::default() }).await;
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
        let email = payload.get(&self.config.email_claim).and_then(|v| v.as_str()).map(crate::accounts::service::auth::normalise_email);
        let email_verified = claims.email_verified().unwrap_or(false) || (self.config.email_claim != "email" && email.is_some());
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
        let subject = claims.subject().to_string();
        let user = self.account(state, &subject, email.as_deref(), email_verified, &groups, ip).await?;
        Ok(Verified { user, mfa })
    }

    /// The portal account of a verified provider identity.
    async fn account(&self, state: &AppState, subject: &str, email: Option<&str>, verified: bool, groups: &[String], ip: &str) -> Result<app_user::Model, AppError> {
        let db = &state.db;
        let no_account = || {
            AppError::Conflict(
                "Für Ihr Landeskonto besteht kein Konto im OZG-Portal. Bitte wenden Sie sich an die Administration oder die Ansprechperson Ihrer Kommune.".into(),
            )
        };
        if let Some(u) = app_user::Entity::find().filter(app_user::Column::OidcSubject.eq(subject)).one(db).await? {
            return if u.active { Ok(u) } else { Err(no_account()) };
        }
        let Some(email) = email.filter(|_| verified) else {
            audit::record_best_effort(db, Entry { action: "oidc_refused", ip: Some(ip), detail: Some("keine bestätigte E-Mail-Adresse im ID-Token".into()), ..Default::default() }).await;
            return Err(no_account());
        };
        if let Some(u) = super::users::find_by_email(db, email).await? {
            if !u.active || u.oidc_subject.is_some() {
                audit::record_best_effort(db, Entry { action: "oidc_refused", object: Some(&u.id), ip: Some(ip), detail: Some("Konto deaktiviert oder schon an ein anderes Landeskonto gebunden".into()), ..Default::default() }).await;
                return Err(no_account());
            }
            let txn = crate::core::db::begin_write(db).await?;
            let (id, version) = (u.id.clone(), u.version);
            let mut active: app_user::ActiveModel = u.into();
            active.oidc_subject = Set(Some(subject.to_string()));
            active.updated_at = Set(crate::core::time::now());
            active.version = Set(version + 1);
            let u = active.update(&txn).await?;
            // An invitation still open is used up: the person signs in through the provider.
            super::links::withdraw_open(&txn, &id, super::links::INVITE, crate::core::time::now()).await?;
            audit::record(&txn, Entry { actor: Some(&id), action: "oidc_linked", object: Some(&id), ip: Some(ip), ..Default::default() }).await?;
            txn.commit().await?;
            return Ok(u);
        }
        // Nobody invited this person: only a configured group grants an account.
        let Some(mapping) = self.config.group_roles.iter().find(|m| groups.contains(&m.group)) else {
            audit::record_best_effort(db, Entry { action: "oidc_refused", object: Some(email), ip: Some(ip), detail: Some("kein Konto und keine passende Gruppe".into()), ..Default::default() }).await;
            return Err(no_account());
        };
        let name = email.split('@').next().unwrap_or(email).to_string();
        let new = super::users::NewUser { email: email.to_string(), name, role: mapping.role, org_keys: mapping.org_keys.clone(), password: String::new(), is_demo: false };
        let mut errors = std::collections::BTreeMap::new();
        let orgs = super::users::validate(db, &new, &mut errors).await?;
        if !errors.is_empty() {
            tracing::error!(group = %mapping.group, "Gruppenzuordnung nennt unbekannte oder unpassende Organisationen");
            return Err(no_account());
        }
        let txn = crate::core::db::begin_write(db).await?;
        let id = super::users::insert(&txn, None, &new, &orgs, String::new(), false).await?;
        app_user::Entity::update_many()
            .col_expr(app_user::Column::OidcSubject, sea_orm::sea_query::Expr::value(subject.to_string()))
            .filter(app_user::Column::Id.eq(&id))
            .exec(&txn)
            .await?;
        audit::record(&txn, Entry { actor: Some(&id), action: "oidc_account_created", object: Some(&id), ip: Some(ip), detail: Some(format!("Gruppe {} → Rolle {}", mapping.group, mapping.role.code())) }).await?;
        txn.commit().await?;
        app_user::Entity::find_by_id(id).one(db).await?.ok_or(AppError::Internal)
    }

    /// The provider's logout URL (RP-initiated logout), where it has one.
    pub async fn logout_url(&self, base_url: &str) -> Option<String> {
        let m = self.metadata(false).await.ok()?;
        let end = m.additional_metadata().end_session_endpoint.clone()?;
        let back = PostLogoutRedirectUrl::new(format!("{}/anmelden?abgemeldet=1", base_url.trim_end_matches('/'))).ok()?;
        Some(LogoutRequest::from(end).set_client_id(ClientId::new(self.config.client_id.clone())).set_post_logout_redirect_uri(back).http_get_url().to_string())
    }
}

/// A verified provider sign-in: the portal account, and whether the provider asserted more than
/// one factor.
pub struct Verified {
    pub user: app_user::Model,
    pub mfa: bool,
}

/// The session (or the waiting second factor) for a verified provider sign-in.
#[tracing::instrument(skip_all)]
pub async fn sign_in(state: &AppState, v: Verified, ip: &str, previous: Option<&str>) -> Result<super::auth::Step, AppError> {
    let role = Role::from_code(&v.user.role).unwrap_or(Role::Clerk);
    let second = !v.mfa && (v.user.totp_secret.is_some() || state.config.mfa_required(role, v.user.is_demo));
    let txn = crate::core::db::begin_write(&state.db).await?;
    if let Some(prev) = previous {
        crate::core::session::destroy(&txn, prev).await?;
    }
    let step = if second {
        super::auth::Step::SecondFactor(super::mfa::start_challenge(&txn, &v.user.id, "oidc").await?)
    } else {
        app_user::Entity::update_many()
            .col_expr(app_user::Column::LastLoginAt, sea_orm::sea_query::Expr::value(crate::core::time::now()))
            .filter(app_user::Column::Id.eq(&v.user.id))
            .exec(&txn)
            .await?;
        super::auth::Step::Session(crate::core::session::create(&txn, &v.user.id).await?)
    };
    audit::record(
        &txn,
        Entry {
            actor: Some(&v.user.id),
            action: if second { "login_oidc_ok" } else { "login_success" },
            ip: Some(ip),
            detail: Some(if second { "Landeskonto, zweiter Faktor ausstehend".into() } else if v.mfa { "Landeskonto mit mehreren Faktoren".into() } else { "Landeskonto".into() }),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(step)
}

pub fn flow_cookie(secure: bool, value: &str) -> String {
    format!("{FLOW_COOKIE}={value}; Path=/anmelden/landeskonto; HttpOnly; SameSite=Lax; Max-Age={}{}", FLOW_MINUTES * 60, if secure { "; Secure" } else { "" })
}

pub fn clear_flow_cookie(secure: bool) -> String {
    format!("{FLOW_COOKIE}=; Path=/anmelden/landeskonto; HttpOnly; SameSite=Lax; Max-Age=0{}", if secure { "; Secure" } else { "" })
}
