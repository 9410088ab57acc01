//! Account management: create, set password, deactivate, list; and a user changing their own
//! password. Every change writes an audit entry in the same transaction.

use crate::vocabulary::accounts::LinkPurpose;
use crate::core::audit;
use crate::core::audit::Entry;
use crate::core::entities::{app_user, organisation, user_organisation};
use crate::core::password;
use crate::core::password::{HashError, PasswordHasherPool};
use crate::core::throttle;
use crate::core::throttle::Key;
use crate::error::AppError;
use crate::identity::{OrgKind, Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    SqlErr,
};
use std::collections::BTreeMap;

/// What is needed to create an account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Organisation keys: AGS or Verbandsschlüssel of a Kommune, `LAND`, `SGSA`, `LKT`.
    pub org_keys: Vec<String>,
    pub password: String,
    pub is_demo: bool,
}

pub(crate) fn hash_error(e: HashError) -> AppError {
    match e {
        HashError::Busy => AppError::RateLimited("Der Server ist ausgelastet. Bitte versuchen Sie es gleich erneut.".into()),
        HashError::Failed => {
            tracing::error!("Passwort-Hashing fehlgeschlagen");
            AppError::Internal
        }
    }
}

/// Whether a user of `role` may belong to an organisation of `kind`.
fn role_fits(role: Role, kind: OrgKind) -> bool {
    match role {
        Role::Clerk => kind.is_kommune(),
        // An advisor may also belong to a working group's partner organisation (beside the Land).
        Role::Advisor => matches!(kind, OrgKind::LandUnit | OrgKind::Partner),
        Role::Association => kind == OrgKind::Association,
        Role::Admin => kind == OrgKind::LandUnit,
        Role::Partner => kind == OrgKind::Partner,
    }
}

/// The organisations named by `keys`, each checked against the role; problems go to `errors`.
async fn resolve_orgs(
    db: &impl ConnectionTrait,
    role: Role,
    keys: &[String],
    errors: &mut BTreeMap<String, Vec<String>>,
) -> Result<Vec<organisation::Model>, AppError> {
    let mut orgs = Vec::new();
    for key in keys {
        match crate::catalogue::service::orgs::by_key(db, key).await? {
            None => errors.entry("org".into()).or_default().push(format!("Die Organisation »{key}« ist unbekannt.")),
            Some(o) => {
                let kind = OrgKind::from_code(&o.kind).unwrap_or(OrgKind::Einheitsgemeinde);
                if role_fits(role, kind) {
                    if !orgs.iter().any(|x: &organisation::Model| x.id == o.id) {
                        orgs.push(o);
                    }
                } else {
                    errors.entry("org".into()).or_default().push(format!(
                        "Die Rolle »{}« passt nicht zur Organisation »{}« ({}).",
                        role.label(),
                        o.name,
                        kind.label()
                    ));
                }
            }
        }
    }
    if role == Role::Advisor && !orgs.is_empty() && !orgs.iter().any(|o| o.kind == OrgKind::LandUnit.code()) {
        errors.entry("org".into()).or_default().push("Ein Konto der Landesberatung gehört zu einer Organisation des Landes (z. B. LAND); eine Partnerorganisation kommt nur hinzu.".into());
    }
    Ok(orgs)
}

/// Changes an account's role and organisations (administrators, CLI). Every session and API
/// token of the person ends, since they were granted under the old rights. Administrators
/// cannot change their own role.
#[tracing::instrument(skip_all)]
pub async fn change_access(db: &DatabaseConnection, actor: Option<&str>, user_id: &str, role: Role, org_keys: &[String]) -> Result<(), AppError> {
    if actor == Some(user_id) {
        return Err(AppError::Conflict("Sie können Ihre eigene Rolle und Organisationen nicht ändern.".into()));
    }
    let user = app_user::Entity::find_by_id(user_id.to_string()).one(db).await?.ok_or(AppError::NotFound)?;
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if org_keys.is_empty() && role != Role::Admin {
        errors.entry("org".into()).or_default().push("Bitte geben Sie mindestens eine Organisation an.".into());
    }
    let orgs = resolve_orgs(db, role, org_keys, &mut errors).await?;
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let before: std::collections::BTreeSet<String> = user_organisation::Entity::find()
        .filter(user_organisation::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.organisation_id)
        .collect();
    let after: std::collections::BTreeSet<String> = orgs.iter().map(|o| o.id.clone()).collect();
    let txn = crate::core::db::begin_write(db).await?;
    let (old_role, version) = (user.role.clone(), user.version);
    // The Ansprechperson's right belongs to a clerk of given Kommunen: another role or other
    // Kommunen end it (the administration grants it again where it should stay).
    let keeps_right = old_role == role.code() && before == after;
    let mut active: app_user::ActiveModel = user.into();
    if !keeps_right {
        active.manages_clerks = Set(false);
    }
    active.role = Set(role.code().to_string());
    active.updated_at = Set(crate::core::time::now());
    active.version = Set(version + 1);
    active.update(&txn).await?;
    user_organisation::Entity::delete_many().filter(user_organisation::Column::UserId.eq(user_id)).exec(&txn).await?;
    for o in &orgs {
        user_organisation::ActiveModel { user_id: Set(user_id.to_string()), organisation_id: Set(o.id.clone()) }.insert(&txn).await?;
    }
    end_credentials(&txn, user_id).await?;
    audit::record(
        &txn,
        Entry {
            actor,
            action: crate::vocabulary::audit::AuditAction::UserAccessChanged,
            object: Some(user_id),
            detail: Some(format!("Rolle {old_role} → {}, Organisationen {}", role.code(), org_keys.join(","))),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Creates an account. Returns its id.
#[tracing::instrument(skip_all)]
pub async fn create(db: &DatabaseConnection, hasher: &PasswordHasherPool, actor: Option<&str>, new: NewUser) -> Result<String, AppError> {
    let email = super::address::normalise_email(&new.email);
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Err(m) = password::check_policy(&new.password, &email) {
        errors.entry("password".into()).or_default().push(m);
    }
    let orgs = validate(db, &new, &mut errors).await?;
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let hash = hasher.hash(new.password.clone()).await.map_err(hash_error)?;
    let txn = crate::core::db::begin_write(db).await?;
    let id = insert(&txn, actor, &new, &orgs, hash, false).await?;
    txn.commit().await?;
    Ok(id)
}

/// Checks name, address, role and organisations of a new account; returns the organisations.
pub(crate) async fn validate(db: &impl ConnectionTrait, new: &NewUser, errors: &mut BTreeMap<String, Vec<String>>) -> Result<Vec<organisation::Model>, AppError> {
    let email = super::address::normalise_email(&new.email);
    let name = new.name.trim();
    if !super::address::valid_email(&email) {
        errors.entry("email".into()).or_default().push("Bitte geben Sie eine gültige E-Mail-Adresse an.".into());
    }
    if name.is_empty() || name.chars().count() > 200 {
        errors.entry("name".into()).or_default().push("Bitte geben Sie einen Namen mit höchstens 200 Zeichen an.".into());
    }
    if new.org_keys.is_empty() && new.role != Role::Admin {
        errors.entry("org".into()).or_default().push("Bitte geben Sie mindestens eine Organisation an.".into());
    }
    resolve_orgs(db, new.role, &new.org_keys, errors).await
}

/// Inserts a checked account with its organisations and audit entry inside the caller's
/// transaction (which also holds what belongs to the same change, e.g. an invitation).
/// An empty `hash`: the person has no password yet (invited).
pub(crate) async fn insert(
    txn: &impl ConnectionTrait,
    actor: Option<&str>,
    new: &NewUser,
    orgs: &[organisation::Model],
    hash: String,
    manages_clerks: bool,
) -> Result<String, AppError> {
    let email = super::address::normalise_email(&new.email);
    let id = uuid::Uuid::now_v7().to_string();
    let now = crate::core::time::now();
    let inserted = app_user::ActiveModel {
        id: Set(id.clone()),
        email: Set(email.clone()),
        name: Set(new.name.trim().to_string()),
        role: Set(new.role.code().to_string()),
        password_hash: Set(hash),
        active: Set(true),
        is_demo: Set(new.is_demo),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        password_changed_at: Set(now),
        last_login_at: Set(None),
        previous_login_at: Set(None),
        manages_clerks: Set(manages_clerks && new.role == Role::Clerk),
        oidc_subject: Set(None),
        oidc_proven: Set(false),
        totp_secret: Set(None),
        totp_last_step: Set(None),
        totp_pending_secret: Set(None),
        totp_pending_codes: Set(None),
        mfa_enabled_at: Set(None),
    }
    .insert(txn)
    .await;
    if let Err(e) = inserted {
        if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
            return Err(AppError::field("email", "Für diese E-Mail-Adresse besteht bereits ein Konto."));
        }
        return Err(e.into());
    }
    for o in orgs {
        user_organisation::ActiveModel { user_id: Set(id.clone()), organisation_id: Set(o.id.clone()) }.insert(txn).await?;
    }
    audit::record(
        txn,
        Entry {
            actor,
            action: crate::vocabulary::audit::AuditAction::UserCreated,
            object: Some(&id),
            detail: Some(format!(
                "Rolle {}, Organisationen {}{}",
                new.role.code(),
                new.org_keys.join(","),
                if manages_clerks && new.role == Role::Clerk { ", Ansprechperson" } else { "" }
            )),
            ..Default::default()
        },
    )
    .await?;
    Ok(id)
}

#[tracing::instrument(skip_all)]
pub async fn find_by_email(db: &impl ConnectionTrait, email: &str) -> Result<Option<app_user::Model>, AppError> {
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Email.eq(super::address::normalise_email(email)))
        .one(db)
        .await?)
}

/// Stores a new password hash and ends every session of the user (inside the caller's transaction).
pub(crate) async fn store_password(txn: &impl ConnectionTrait, user: app_user::Model, hash: String) -> Result<(), AppError> {
    let now = crate::core::time::now();
    let (id, version) = (user.id.clone(), user.version);
    let mut active: app_user::ActiveModel = user.into();
    active.password_hash = Set(hash);
    active.password_changed_at = Set(now);
    active.updated_at = Set(now);
    active.version = Set(version + 1);
    active.update(txn).await?;
    // A password set in any way ends every open invitation and reset link: none of them may
    // later replace it.
    for purpose in LinkPurpose::ALL {
        super::open_links::withdraw_open(txn, &id, *purpose, now).await?;
    }
    end_credentials(txn, &id).await
}

/// Ends every session and API token of a user (password, role or organisations changed,
/// account deactivated).
#[tracing::instrument(skip_all)]
pub async fn end_credentials(txn: &impl ConnectionTrait, user_id: &str) -> Result<(), AppError> {
    crate::core::session::destroy_all_for_user(txn, user_id).await?;
    crate::core::tokens::revoke_all_for_user(txn, user_id).await?;
    // A sign-in waiting for its second factor was started with the old password or access.
    crate::core::entities::login_challenge::Entity::delete_many()
        .filter(crate::core::entities::login_challenge::Column::UserId.eq(user_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Sets a new password (administrators, CLI) and ends all of the user's sessions.
#[tracing::instrument(skip_all)]
pub async fn set_password(db: &DatabaseConnection, hasher: &PasswordHasherPool, actor: Option<&str>, user_id: &str, new_password: &str) -> Result<(), AppError> {
    let user = app_user::Entity::find_by_id(user_id.to_string()).one(db).await?.ok_or(AppError::NotFound)?;
    password::check_policy(new_password, &user.email).map_err(|m| AppError::field("password", m))?;
    let hash = hasher.hash(new_password.to_string()).await.map_err(hash_error)?;
    let txn = crate::core::db::begin_write(db).await?;
    store_password(&txn, user, hash).await?;
    audit::record(&txn, Entry { actor, action: crate::vocabulary::audit::AuditAction::PasswordSet, object: Some(user_id), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// Checks a person's current password as the login does: guessed no faster than there, and
/// checked at most once at a time per account, so a stolen session can neither guess it quickly
/// nor fill the hashing pool. Failures are audited; a refusal is 429.
pub(crate) async fn current_password_matches(db: &DatabaseConnection, hasher: &PasswordHasherPool, user: &app_user::Model, current: &str, ip: &str) -> Result<bool, AppError> {
    let user_id = user.id.as_str();
    let key = Key::password_check(user_id);
    if let Some(refused) = throttle::check(db, std::slice::from_ref(&key), crate::core::time::now()).await? {
        if refused.audit {
            audit::record_best_effort(
                db,
                Entry { actor: Some(user_id), action: crate::vocabulary::audit::AuditAction::PasswordCheckThrottled, object: Some(user_id), ip: Some(ip), detail: Some("weitere Versuche im Zeitfenster nicht einzeln protokolliert".into()) },
            )
            .await;
        }
        return Err(AppError::RateLimited(refused.message()));
    }
    if !throttle::claim(db, &key, crate::core::time::now(), 30).await? {
        return Err(AppError::RateLimited("Ihr Passwort wird gerade geprüft. Bitte versuchen Sie es in einigen Sekunden erneut.".into()));
    }
    let verified = hasher.verify(current.to_string(), Some(user.password_hash.clone())).await;
    throttle::release(db, &key).await?;
    let verified = verified.map_err(hash_error)?;
    if !verified.ok {
        throttle::record_failure(db, std::slice::from_ref(&key), crate::core::time::now()).await?;
        audit::record_best_effort(db, Entry { actor: Some(user_id), action: crate::vocabulary::audit::AuditAction::PasswordCheckFailure, object: Some(user_id), ip: Some(ip), ..Default::default() }).await;
        return Ok(false);
    }
    throttle::clear(db, std::slice::from_ref(&key)).await?;
    Ok(true)
}

/// A user changes their own password: the current one is required; every session ends,
/// and a fresh one is returned for the user's own browser.
#[tracing::instrument(skip_all)]
pub async fn change_own_password(
    db: &DatabaseConnection,
    hasher: &PasswordHasherPool,
    user_id: &str,
    current: &str,
    new_password: &str,
    confirm: &str,
    ip: &str,
) -> Result<String, AppError> {
    let user = app_user::Entity::find_by_id(user_id.to_string()).one(db).await?.ok_or(AppError::Unauthorized)?;
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if !current_password_matches(db, hasher, &user, current, ip).await? {
        errors.entry("current".into()).or_default().push("Das aktuelle Passwort ist nicht korrekt.".into());
    }
    if let Err(m) = password::check_policy(new_password, &user.email) {
        errors.entry("new_password".into()).or_default().push(m);
    } else if new_password == current {
        errors.entry("new_password".into()).or_default().push("Das neue Passwort muss sich vom aktuellen unterscheiden.".into());
    }
    if new_password != confirm {
        errors.entry("confirm".into()).or_default().push("Die Wiederholung stimmt nicht mit dem neuen Passwort überein.".into());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let hash = hasher.hash(new_password.to_string()).await.map_err(hash_error)?;
    let txn = crate::core::db::begin_write(db).await?;
    store_password(&txn, user, hash).await?;
    let token = crate::core::session::create(&txn, user_id).await?;
    audit::record(&txn, Entry { actor: Some(user_id), action: crate::vocabulary::audit::AuditAction::PasswordChanged, object: Some(user_id), ip: Some(ip), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(token)
}

/// Deactivates an account and ends all its sessions. Administrators cannot deactivate themselves.
#[tracing::instrument(skip_all)]
pub async fn deactivate(db: &DatabaseConnection, actor: Option<&str>, user_id: &str) -> Result<(), AppError> {
    if actor == Some(user_id) {
        return Err(AppError::Conflict("Sie können Ihr eigenes Konto nicht deaktivieren.".into()));
    }
    let user = app_user::Entity::find_by_id(user_id.to_string()).one(db).await?.ok_or(AppError::NotFound)?;
    let txn = crate::core::db::begin_write(db).await?;
    let version = user.version;
    let mut active: app_user::ActiveModel = user.into();
    active.active = Set(false);
    active.updated_at = Set(crate::core::time::now());
    active.version = Set(version + 1);
    active.update(&txn).await?;
    end_credentials(&txn, user_id).await?;
    audit::record(&txn, Entry { actor, action: crate::vocabulary::audit::AuditAction::UserDeactivated, object: Some(user_id), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// Reactivates an account (administrators, CLI).
#[tracing::instrument(skip_all)]
pub async fn reactivate(db: &DatabaseConnection, actor: Option<&str>, user_id: &str) -> Result<(), AppError> {
    let user = app_user::Entity::find_by_id(user_id.to_string()).one(db).await?.ok_or(AppError::NotFound)?;
    if user.active {
        return Err(AppError::Conflict("Das Konto ist bereits aktiv.".into()));
    }
    let txn = crate::core::db::begin_write(db).await?;
    let version = user.version;
    let mut active: app_user::ActiveModel = user.into();
    active.active = Set(true);
    active.updated_at = Set(crate::core::time::now());
    active.version = Set(version + 1);
    active.update(&txn).await?;
    audit::record(&txn, Entry { actor, action: crate::vocabulary::audit::AuditAction::UserReactivated, object: Some(user_id), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_fit_only_their_kind_of_organisation() {
        assert!(role_fits(Role::Clerk, OrgKind::Mitgliedsgemeinde));
        assert!(!role_fits(Role::Clerk, OrgKind::LandUnit));
        assert!(role_fits(Role::Association, OrgKind::Association));
        assert!(!role_fits(Role::Advisor, OrgKind::Landkreis));
    }
}

/// How many accounts are active.
#[tracing::instrument(skip_all)]
pub async fn active_count(db: &impl sea_orm::ConnectionTrait) -> Result<u64, sea_orm::DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    crate::core::entities::app_user::Entity::find().filter(crate::core::entities::app_user::Column::Active.eq(true)).count(db).await
}
