//! Löschung (Art. 17 DSGVO): a person is anonymised, not deleted — name and e-mail address go,
//! with everything that only concerns them (sessions, API tokens, devices, notifications,
//! settings, saved views, links, the second factor, unsent mail). The cases they filed and the
//! messages they wrote stay, signed "Ehemalige Person", so cases and every statistic stay intact.

use crate::access::policy::{AccountManager, account_manager};
use crate::core::audit;
use crate::core::audit::Entry;
use crate::core::entities::{
    account_link, app_user, audit_log, login_challenge, login_device, mail_outbox, notification, notification_pref, recovery_code, saved_view,
    throttle, user_organisation,
};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

/// The name an erased person is shown with.
pub const FORMER: &str = "Ehemalige Person";

/// Anonymises the person (administrators only; not oneself).
#[tracing::instrument(skip_all)]
pub async fn erase(db: &DatabaseConnection, actor: &CurrentUser, user_id: &str) -> Result<(), AppError> {
    if account_manager(actor)? != AccountManager::All {
        return Err(AppError::Forbidden);
    }
    if actor.id == user_id {
        return Err(AppError::Conflict("Sie können Ihr eigenes Konto nicht löschen.".into()));
    }
    let u = app_user::Entity::find_by_id(user_id.to_string()).one(db).await?.ok_or(AppError::NotFound)?;
    if u.name == FORMER && u.email.ends_with("@geloescht.invalid") {
        return Err(AppError::Conflict("Diese Person ist bereits gelöscht.".into()));
    }
    let email = u.email.clone();
    let txn = crate::core::db::begin_write(db).await?;
    super::users::end_credentials(&txn, user_id).await?;
    crate::core::entities::api_token::Entity::delete_many().filter(crate::core::entities::api_token::Column::UserId.eq(user_id)).exec(&txn).await?;
    login_device::Entity::delete_many().filter(login_device::Column::Email.eq(email.clone())).exec(&txn).await?;
    throttle::Entity::delete_many()
        .filter(throttle::Column::Key.is_in([format!("a:{email}"), format!("r:{email}"), format!("p:{user_id}"), format!("m:{user_id}")]))
        .exec(&txn)
        .await?;
    notification::Entity::delete_many().filter(notification::Column::UserId.eq(user_id)).exec(&txn).await?;
    notification_pref::Entity::delete_many().filter(notification_pref::Column::UserId.eq(user_id)).exec(&txn).await?;
    saved_view::Entity::delete_many().filter(saved_view::Column::UserId.eq(user_id)).exec(&txn).await?;
    account_link::Entity::delete_many().filter(account_link::Column::UserId.eq(user_id)).exec(&txn).await?;
    recovery_code::Entity::delete_many().filter(recovery_code::Column::UserId.eq(user_id)).exec(&txn).await?;
    login_challenge::Entity::delete_many().filter(login_challenge::Column::UserId.eq(user_id)).exec(&txn).await?;
    crate::core::drafts::forget(&txn, user_id).await?;
    user_organisation::Entity::delete_many().filter(user_organisation::Column::UserId.eq(user_id)).exec(&txn).await?;
    // Memberships stay as history (shown with the former person's new name) but end today.
    crate::gremien::service::members::end_all_of(&txn, user_id, crate::core::time::now()).await?;
    mail_outbox::Entity::delete_many().filter(mail_outbox::Column::Recipient.eq(email.clone())).filter(mail_outbox::Column::SentAt.is_null()).exec(&txn).await?;
    // Audit entries keep what happened, but name the account by its id, not the address.
    audit_log::Entity::update_many().col_expr(audit_log::Column::Object, Expr::value(user_id)).filter(audit_log::Column::Object.eq(email)).exec(&txn).await?;
    let version = u.version;
    let mut a: app_user::ActiveModel = u.into();
    a.name = Set(FORMER.into());
    a.email = Set(format!("{user_id}@geloescht.invalid"));
    a.password_hash = Set(String::new());
    a.active = Set(false);
    a.manages_clerks = Set(false);
    a.oidc_subject = Set(None);
    a.oidc_proven = Set(false);
    a.totp_secret = Set(None);
    a.totp_last_step = Set(None);
    a.totp_pending_secret = Set(None);
    a.totp_pending_codes = Set(None);
    a.mfa_enabled_at = Set(None);
    a.last_login_at = Set(None);
    a.previous_login_at = Set(None);
    a.updated_at = Set(crate::core::time::now());
    a.version = Set(version + 1);
    a.update(&txn).await?;
    audit::record(&txn, Entry { actor: Some(&actor.id), action: crate::vocabulary::audit::AuditAction::UserErased, object: Some(user_id), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}
