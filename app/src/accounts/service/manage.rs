//! Account administration in the browser, within the caller's reach: administrators manage
//! every account; a Kommune's Ansprechperson the clerks of its own Kommunen. Every change is
//! audited with who made it; a change of rights ends the person's sessions and tokens.

use crate::access::policy::{AccountManager, account_manager, may_manage_account};
use crate::accounts::model::{UserAdmin, UserFilter, UserListItem};
use crate::core::audit;
use crate::core::audit::Entry;
use crate::core::entities::{app_user, user_organisation};
use crate::core::session::CurrentUser;
use crate::core::state::AppState;
use crate::error::AppError;
use crate::identity::Role;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use std::collections::BTreeMap;

use super::links;
use super::users::{self, NewUser};

/// The roles a manager may give.
pub fn grantable(m: &AccountManager) -> Vec<Role> {
    match m {
        AccountManager::All => vec![Role::Clerk, Role::Advisor, Role::Association, Role::Admin],
        AccountManager::ClerksOf(_) => vec![Role::Clerk],
    }
}

/// The ids of these organisation keys (unknown keys are left out; validation names them).
async fn org_ids_of(db: &impl ConnectionTrait, keys: &[String]) -> Result<Vec<String>, AppError> {
    let mut ids = Vec::new();
    for k in keys {
        if let Some(o) = crate::catalogue::service::orgs::by_key(db, k).await? {
            ids.push(o.id);
        }
    }
    Ok(ids)
}

/// The account, when the manager may manage it; otherwise `Forbidden` (or `NotFound`).
async fn target(db: &impl ConnectionTrait, m: &AccountManager, user_id: &str) -> Result<app_user::Model, AppError> {
    let u = app_user::Entity::find_by_id(user_id.to_string()).one(db).await?.ok_or(AppError::NotFound)?;
    let org_ids: Vec<String> =
        user_organisation::Entity::find().filter(user_organisation::Column::UserId.eq(user_id)).all(db).await?.into_iter().map(|l| l.organisation_id).collect();
    let role = Role::from_code(&u.role).unwrap_or(Role::Admin);
    if !may_manage_account(m, role, &org_ids, u.manages_clerks) {
        return Err(if matches!(m, AccountManager::All) { AppError::NotFound } else { AppError::Forbidden });
    }
    Ok(u)
}

fn matches(u: &UserListItem, f: &UserFilter) -> bool {
    let q = f.q.trim().to_lowercase();
    (q.is_empty() || u.name.to_lowercase().contains(&q) || u.email.contains(&q))
        && (f.role.is_empty() || u.role.code() == f.role)
        && (f.org.trim().is_empty() || u.org_keys.iter().any(|k| k == f.org.trim()))
        && match f.state.as_str() {
            "aktiv" => u.active && u.sign_in != "invited",
            "deaktiviert" => !u.active,
            "eingeladen" => u.active && u.sign_in == "invited",
            _ => true,
        }
        && match f.mfa.as_str() {
            "an" => u.mfa,
            "aus" => !u.mfa,
            _ => true,
        }
        && match f.method.as_str() {
            "passwort" => u.sign_in == "password",
            "landeskonto" => u.sign_in == "oidc",
            _ => true,
        }
}

/// The accounts within the caller's reach, filtered.
#[tracing::instrument(skip_all)]
pub async fn list(state: &AppState, actor: &CurrentUser, filter: &UserFilter) -> Result<UserAdmin, AppError> {
    let m = account_manager(actor)?;
    let mut all = super::roster::list(&state.db).await?;
    if let AccountManager::ClerksOf(_) = &m {
        let links = user_organisation::Entity::find().all(&state.db).await?;
        all.retain(|u| {
            let orgs: Vec<String> = links.iter().filter(|l| l.user_id == u.id).map(|l| l.organisation_id.clone()).collect();
            may_manage_account(&m, u.role, &orgs, u.manages_clerks)
        });
    }
    let total = all.len();
    all.retain(|u| matches(u, filter));
    Ok(UserAdmin { users: all, all: m == AccountManager::All, roles: grantable(&m), mail: state.config.mail_enabled, total })
}

/// A new account to invite.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub org_keys: Vec<String>,
    pub manages_clerks: bool,
}

/// Creates an account without a password and invites the person. Returns the account's id and,
/// when no mail server is configured, the link to hand over (shown once).
#[tracing::instrument(skip_all)]
pub async fn invite(state: &AppState, actor: &CurrentUser, inv: Invitation) -> Result<(String, Option<String>), AppError> {
    let m = account_manager(actor)?;
    let new = NewUser { email: inv.email.clone(), name: inv.name.clone(), role: inv.role, org_keys: inv.org_keys.clone(), password: String::new(), is_demo: false };
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let orgs = users::validate(&state.db, &new, &mut errors).await?;
    if inv.manages_clerks && m != AccountManager::All {
        errors.entry("manages_clerks".into()).or_default().push("Nur die Administration bestimmt Ansprechpersonen.".into());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let org_ids: Vec<String> = orgs.iter().map(|o| o.id.clone()).collect();
    if !may_manage_account(&m, inv.role, &org_ids, inv.manages_clerks) {
        return Err(AppError::field("org", "Sie können nur Sachbearbeitungen Ihrer eigenen Kommune(n) einladen."));
    }
    if let Some(existing) = out_of_sight(&state.db, &m, &new.email).await? {
        // The Ansprechperson learns nothing of accounts outside its Kommunen: the answer is the
        // one of a sent invitation; the person is told by a fixed text where to turn.
        let txn = crate::core::db::begin_write(&state.db).await?;
        notice_existing(state, &txn, actor, &existing).await?;
        txn.commit().await?;
        crate::core::outbox::wake();
        return Ok((String::new(), None));
    }
    let txn = crate::core::db::begin_write(&state.db).await?;
    let id = users::insert(&txn, Some(&actor.id), &new, &orgs, String::new(), inv.manages_clerks).await?;
    let link = send_invitation(state, &txn, actor, &id, &super::address::normalise_email(&inv.email), inv.name.trim()).await?;
    txn.commit().await?;
    crate::core::outbox::wake();
    Ok((id, link))
}

/// For an Ansprechperson (`m` not all): the account of `email` when it has one that shares no
/// organisation with the Ansprechperson's Kommunen — whose existence it must not learn.
pub(crate) async fn out_of_sight(db: &impl ConnectionTrait, m: &AccountManager, email: &str) -> Result<Option<app_user::Model>, AppError> {
    let AccountManager::ClerksOf(ids) = m else { return Ok(None) };
    let Some(u) = users::find_by_email(db, email).await? else { return Ok(None) };
    let orgs = user_organisation::Entity::find().filter(user_organisation::Column::UserId.eq(&u.id)).all(db).await?;
    Ok((!orgs.iter().any(|o| ids.contains(&o.organisation_id))).then_some(u))
}

/// Tells the holder of an existing account, in a fixed text, that a Kommune tried to invite
/// them (instead of telling the Kommune that the account exists); audited.
pub(crate) async fn notice_existing(state: &AppState, txn: &impl ConnectionTrait, actor: &CurrentUser, existing: &app_user::Model) -> Result<(), AppError> {
    audit::record(txn, Entry { actor: Some(&actor.id), action: crate::vocabulary::audit::AuditAction::InvitationExistingAccount, object: Some(&existing.id), ..Default::default() }).await?;
    if state.config.mail_enabled {
        crate::core::outbox::enqueue(
            txn,
            &existing.email,
            "OZG-Portal: Einladung einer Kommune",
            "Guten Tag,\n\neine Kommune wollte Sie in das OZG-Portal Sachsen-Anhalt einladen. Für Ihre Adresse besteht dort schon ein Konto. \
             Wenn Sie auch für diese Kommune arbeiten sollen, wenden Sie sich bitte an die Administration des Portals.\n\nDiese Nachricht wurde automatisch erstellt.\n",
        )
        .await?;
    }
    Ok(())
}

/// Creates the invitation link and queues its mail inside `txn`; returns the link when it is
/// not mailed.
pub(crate) async fn send_invitation(state: &AppState, txn: &impl ConnectionTrait, actor: &CurrentUser, user_id: &str, email: &str, name: &str) -> Result<Option<String>, AppError> {
    let secret = links::create(txn, user_id, links::LinkPurpose::Invite, Some(&actor.id), state.config.invitation_valid).await?;
    audit::record(txn, Entry { actor: Some(&actor.id), action: crate::vocabulary::audit::AuditAction::InvitationSent, object: Some(user_id), ..Default::default() }).await?;
    if state.config.mail_enabled {
        let (subject, body) = links::invitation_mail(&state.config, name, &actor.name, &secret);
        crate::core::outbox::enqueue(txn, email, &subject, &body).await?;
        Ok(None)
    } else {
        Ok(Some(links::url(&state.config, links::LinkPurpose::Invite, &secret)))
    }
}

/// Sends a new invitation (the older links end). Only for people without a password.
pub async fn resend_invitation(state: &AppState, actor: &CurrentUser, user_id: &str) -> Result<Option<String>, AppError> {
    let m = account_manager(actor)?;
    let u = target(&state.db, &m, user_id).await?;
    if !u.password_hash.is_empty() || u.oidc_subject.is_some() || !u.active {
        return Err(AppError::Conflict("Diese Person hat ihr Konto schon eingerichtet oder ist deaktiviert; eine Einladung ist nicht nötig.".into()));
    }
    let txn = crate::core::db::begin_write(&state.db).await?;
    let link = send_invitation(state, &txn, actor, &u.id, &u.email, &u.name).await?;
    txn.commit().await?;
    crate::core::outbox::wake();
    Ok(link)
}

/// Withdraws the open invitation: its link stops working.
pub async fn withdraw_invitation(db: &DatabaseConnection, actor: &CurrentUser, user_id: &str) -> Result<(), AppError> {
    let m = account_manager(actor)?;
    target(db, &m, user_id).await?;
    let txn = crate::core::db::begin_write(db).await?;
    let n = links::withdraw_open(&txn, user_id, links::LinkPurpose::Invite, crate::core::time::now()).await?;
    if n == 0 {
        return Err(AppError::Conflict("Es gibt keine offene Einladung.".into()));
    }
    audit::record(&txn, Entry { actor: Some(&actor.id), action: crate::vocabulary::audit::AuditAction::InvitationWithdrawn, object: Some(user_id), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// Deactivates an account (sessions and tokens end).
pub async fn deactivate(db: &DatabaseConnection, actor: &CurrentUser, user_id: &str) -> Result<(), AppError> {
    let m = account_manager(actor)?;
    target(db, &m, user_id).await?;
    users::deactivate(db, Some(&actor.id), user_id).await
}

/// Reactivates an account. An Ansprechperson reactivates only what an Ansprechperson
/// deactivated: a deactivation by the administration stands until the administration lifts it.
pub async fn reactivate(db: &DatabaseConnection, actor: &CurrentUser, user_id: &str) -> Result<(), AppError> {
    let m = account_manager(actor)?;
    target(db, &m, user_id).await?;
    if m != AccountManager::All && deactivated_by_administration(db, user_id).await? {
        return Err(AppError::Conflict("Dieses Konto hat die Administration deaktiviert; nur sie kann es wieder aktivieren.".into()));
    }
    users::reactivate(db, Some(&actor.id), user_id).await
}

/// Whether the account's last deactivation was done by an administrator (or the command line).
async fn deactivated_by_administration(db: &DatabaseConnection, user_id: &str) -> Result<bool, AppError> {
    use crate::core::entities::audit_log;
    use sea_orm::QueryOrder;
    let Some(entry) = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(crate::vocabulary::audit::AuditAction::UserDeactivated.code()))
        .filter(audit_log::Column::Object.eq(user_id))
        .order_by_desc(audit_log::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    let Some(by) = entry.actor_user_id else { return Ok(true) };
    let by = app_user::Entity::find_by_id(by).one(db).await?;
    Ok(by.is_none_or(|u| u.role == Role::Admin.code()))
}

/// Changes role and organisations (sessions and tokens end). An Ansprechperson keeps the person
/// a clerk of its own Kommunen.
pub async fn change_access(db: &DatabaseConnection, actor: &CurrentUser, user_id: &str, role: Role, org_keys: &[String]) -> Result<(), AppError> {
    let m = account_manager(actor)?;
    let u = target(db, &m, user_id).await?;
    let ids = org_ids_of(db, org_keys).await?;
    if !may_manage_account(&m, role, &ids, u.manages_clerks && role == Role::Clerk) || ids.len() != org_keys.len() && m != AccountManager::All {
        return Err(AppError::field("org", "Sie können nur die Rolle »Sachbearbeitung Kommune« in Ihren eigenen Kommunen vergeben."));
    }
    users::change_access(db, Some(&actor.id), user_id, role, org_keys).await
}

/// Makes a clerk the Ansprechperson of its Kommune(s), or takes the right back (administrators
/// only; sessions end, since the rights change).
pub async fn set_manages_clerks(db: &DatabaseConnection, actor: &CurrentUser, user_id: &str, on: bool) -> Result<(), AppError> {
    if account_manager(actor)? != AccountManager::All {
        return Err(AppError::Forbidden);
    }
    let u = app_user::Entity::find_by_id(user_id.to_string()).one(db).await?.ok_or(AppError::NotFound)?;
    if on && u.role != Role::Clerk.code() {
        return Err(AppError::Conflict("Ansprechperson kann nur eine Sachbearbeitung einer Kommune sein.".into()));
    }
    let txn = crate::core::db::begin_write(db).await?;
    let version = u.version;
    let mut active: app_user::ActiveModel = u.into();
    active.manages_clerks = Set(on);
    active.updated_at = Set(crate::core::time::now());
    active.version = Set(version + 1);
    active.update(&txn).await?;
    users::end_credentials(&txn, user_id).await?;
    audit::record(&txn, Entry { actor: Some(&actor.id), action: if on { crate::vocabulary::audit::AuditAction::ManagerGranted } else { crate::vocabulary::audit::AuditAction::ManagerRevoked }, object: Some(user_id), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// Resets a person's second factor (they set it up again at the next sign-in where it is
/// required); sessions and tokens end.
pub async fn reset_mfa(db: &DatabaseConnection, actor: &CurrentUser, user_id: &str) -> Result<(), AppError> {
    let m = account_manager(actor)?;
    target(db, &m, user_id).await?;
    if actor.id == user_id {
        return Err(AppError::Conflict("Ihren eigenen zweiten Faktor ändern Sie unter »Mein Konto«.".into()));
    }
    super::mfa::remove(db, Some(&actor.id), user_id, crate::vocabulary::audit::AuditAction::MfaReset).await
}
