//! Which portal account a provider identity signs in to, and the session for it. A provider
//! identity is bound to an existing portal account only with proof, in the browser that
//! finishes the sign-in: the account was signed in there and asked for it (»Mein Konto«), or the
//! account's invitation was opened there. Never by an address alone, however verified: an
//! address that has an account is refused with the way to bind it. Afterwards the provider's
//! subject counts. Nobody gets an account because the provider knows them, unless a group →
//! role mapping is configured.

use crate::core::audit;
use crate::core::audit::Entry;
use crate::core::entities::app_user;
use crate::core::oidc::{Identity, Provider};
use crate::core::state::AppState;
use crate::error::AppError;
use crate::identity::Role;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

/// Finishes a sign-in at the provider and finds the portal account.
#[tracing::instrument(skip_all)]
pub async fn finish(state: &AppState, provider: &Provider, code: &str, returned_state: &str, cookie: Option<&str>, ip: &str) -> Result<Verified, AppError> {
    let id = provider.verify(&state.db, code, returned_state, cookie, ip).await?;
    let user = account(state, provider, &id, ip).await?;
    Ok(Verified { user, mfa: id.mfa })
}

/// The portal account of a verified provider identity.
async fn account(state: &AppState, provider: &Provider, identity: &Identity, ip: &str) -> Result<app_user::Model, AppError> {
    let (subject, email, verified, groups) = (identity.subject.as_str(), identity.email.as_deref(), identity.email_verified, &identity.groups);
    let db = &state.db;
    let no_account = || {
        AppError::Conflict(
            "Für Ihr Landeskonto besteht kein Konto im OZG-Portal. Bitte wenden Sie sich an die Administration oder die Ansprechperson Ihrer Kommune.".into(),
        )
    };
    if let Some(u) = app_user::Entity::find().filter(app_user::Column::OidcSubject.eq(subject)).one(db).await? {
        return if u.active { Ok(u) } else { Err(no_account()) };
    }
    if let Some(target) = &identity.link_to {
        return link(db, target, subject, ip).await;
    }
    let Some(email) = email.filter(|_| verified) else {
        audit::record_best_effort(db, Entry { action: crate::vocabulary::audit::AuditAction::OidcRefused, ip: Some(ip), detail: Some("keine bestätigte E-Mail-Adresse im ID-Token".into()), ..Default::default() }).await;
        return Err(no_account());
    };
    if let Some(u) = super::users::find_by_email(db, email).await? {
        audit::record_best_effort(db, Entry { action: crate::vocabulary::audit::AuditAction::OidcRefused, object: Some(&u.id), ip: Some(ip), detail: Some("Konto besteht; Verbindung nur mit Nachweis".into()), ..Default::default() }).await;
        return Err(AppError::Conflict(
            "Für Ihre Adresse besteht schon ein Konto im OZG-Portal. Melden Sie sich einmal mit Ihrem Passwort an und verbinden Sie Ihr Landeskonto unter »Mein Konto«, oder öffnen Sie den Link Ihrer Einladung und wählen Sie dort das Landeskonto.".into(),
        ));
    }
    // Nobody invited this person: only a configured group grants an account.
    let Some(mapping) = provider.config.group_roles.iter().find(|m| groups.contains(&m.group)) else {
        audit::record_best_effort(db, Entry { action: crate::vocabulary::audit::AuditAction::OidcRefused, object: Some(email), ip: Some(ip), detail: Some("kein Konto und keine passende Gruppe".into()), ..Default::default() }).await;
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
        .col_expr(app_user::Column::OidcProven, sea_orm::sea_query::Expr::value(true))
        .filter(app_user::Column::Id.eq(&id))
        .exec(&txn)
        .await?;
    audit::record(&txn, Entry { actor: Some(&id), action: crate::vocabulary::audit::AuditAction::OidcAccountCreated, object: Some(&id), ip: Some(ip), detail: Some(format!("Gruppe {} → Rolle {}", mapping.group, mapping.role.code())) }).await?;
    txn.commit().await?;
    app_user::Entity::find_by_id(id).one(db).await?.ok_or(AppError::Internal)
}

/// Binds the provider identity to the account the flow was started for (the proof was taken
/// when it started: its session, or its open invitation, in this browser).
async fn link(db: &sea_orm::DatabaseConnection, target: &str, subject: &str, ip: &str) -> Result<app_user::Model, AppError> {
    let Some(u) = app_user::Entity::find_by_id(target.to_string()).one(db).await?.filter(|u| u.active) else {
        return Err(AppError::Conflict("Das Konto, mit dem Sie Ihr Landeskonto verbinden wollten, ist nicht mehr aktiv.".into()));
    };
    if u.oidc_subject.is_some() {
        audit::record_best_effort(db, Entry { action: crate::vocabulary::audit::AuditAction::OidcRefused, object: Some(&u.id), ip: Some(ip), detail: Some("schon an ein anderes Landeskonto gebunden".into()), ..Default::default() }).await;
        return Err(AppError::Conflict("Ihr Konto ist schon mit einem anderen Landeskonto verbunden.".into()));
    }
    let txn = crate::core::db::begin_write(db).await?;
    let (id, version) = (u.id.clone(), u.version);
    let mut active: app_user::ActiveModel = u.into();
    active.oidc_subject = Set(Some(subject.to_string()));
    active.oidc_proven = Set(true);
    active.updated_at = Set(crate::core::time::now());
    active.version = Set(version + 1);
    let u = active.update(&txn).await?;
    // An invitation still open is used up: the person signs in through the provider.
    super::open_links::withdraw_open(&txn, &id, crate::vocabulary::accounts::LinkPurpose::Invite, crate::core::time::now()).await?;
    audit::record(&txn, Entry { actor: Some(&id), action: crate::vocabulary::audit::AuditAction::OidcLinked, object: Some(&id), ip: Some(ip), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(u)
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
    // The provider's multi-factor claim counts only for identities bound with proof.
    let provider_mfa = v.mfa && v.user.oidc_proven;
    let second = !provider_mfa && (v.user.totp_secret.is_some() || state.config.mfa_required(role, v.user.is_demo, v.user.manages_clerks));
    let txn = crate::core::db::begin_write(&state.db).await?;
    if let Some(prev) = previous {
        crate::core::session::destroy(&txn, prev).await?;
    }
    let step = if second {
        super::auth::Step::SecondFactor(super::mfa::start_challenge(&txn, &v.user.id, "oidc").await?)
    } else {
        app_user::Entity::update_many()
            .col_expr(app_user::Column::PreviousLoginAt, sea_orm::sea_query::Expr::col(app_user::Column::LastLoginAt))
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
            action: if second { crate::vocabulary::audit::AuditAction::LoginOidcOk } else { crate::vocabulary::audit::AuditAction::LoginSuccess },
            ip: Some(ip),
            detail: Some(if second { "Landeskonto, zweiter Faktor ausstehend".into() } else if provider_mfa { "Landeskonto mit mehreren Faktoren".into() } else { "Landeskonto".into() }),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(step)
}
