//! Notifications: in-app entries for each recipient and, where the recipient wants it and an
//! SMTP server is configured, an e-mail queued in the outbox (sent by a background job with
//! retries, so a mail server outage loses nothing and blocks no request).

use crate::core::config::Config;
use crate::core::entities::{app_user, notification, notification_pref, organisation, user_organisation};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
pub use crate::vocabulary::notify::NotificationKind;
use serde::{Deserialize, Serialize};

/// One in-app notification as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NotificationItem {
    pub id: String,
    pub case_id: Option<i64>,
    pub kind: String,
    pub text: String,
    /// The page it is about: a path of the portal (`/faelle/12`, `/wissen/3`, `/mitteilungen`).
    pub link: Option<String>,
    pub created_at: String,
    pub read: bool,
}

/// Longest text of a notification (cut after a word with "…").
pub const TEXT_MAX: usize = 500;

/// Notifies users (duplicates, the acting user and those who muted the kind left out). `link`:
/// the page it is about, a path of the portal (a case's page when none is given); the mail puts
/// the configured base address before it.
#[tracing::instrument(skip_all)]
pub async fn notify(
    db: &impl ConnectionTrait,
    config: &Config,
    recipients: &[String],
    except: Option<&str>,
    case_id: Option<i64>,
    link: Option<&str>,
    kind: NotificationKind,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut ids: Vec<String> = recipients.iter().filter(|r| Some(r.as_str()) != except).cloned().collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let default_mail = kind.mails_by_default();
    let prefs: std::collections::HashMap<String, (bool, bool)> = notification_pref::Entity::find()
        .filter(notification_pref::Column::UserId.is_in(ids.clone()))
        .filter(notification_pref::Column::Kind.eq(kind.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.user_id, (p.email, p.muted)))
        .collect();
    let link = link.map(str::to_string).or_else(|| case_id.map(|c| format!("/faelle/{c}")));
    let text = crate::ui::format::shorten(text, TEXT_MAX);
    let users = app_user::Entity::find().filter(app_user::Column::Id.is_in(ids)).filter(app_user::Column::Active.eq(true)).all(db).await?;
    for u in users {
        let (mail, muted) = prefs.get(&u.id).copied().unwrap_or((default_mail, false));
        if muted {
            continue;
        }
        notification::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            user_id: Set(u.id.clone()),
            case_id: Set(case_id),
            kind: Set(kind.code().to_string()),
            text: Set(text.clone()),
            created_at: Set(now),
            read_at: Set(None),
            link: Set(link.clone()),
        }
        .insert(db)
        .await?;
        if config.mail_enabled && mail {
            let at = link.as_deref().map(|l| format!("\n\nIm Portal: {}{l}", config.base_url.trim_end_matches('/'))).unwrap_or_default();
            crate::core::outbox::enqueue(
                db,
                &u.email,
                &format!("OZG-Portal: {}", crate::ui::format::shorten(&text, 150)),
                &format!(
                    "Guten Tag {},\n\n{text}{at}\n\nDiese Nachricht wurde automatisch vom OZG-Portal Sachsen-Anhalt versandt. \
                     Welche Benachrichtigungen Sie per E-Mail erhalten, stellen Sie unter »Benachrichtigungen« ein.\n",
                    u.name
                ),
            )
            .await?;
        }
    }
    Ok(())
}

/// The active people with `role` in any of the organisations `orgs`.
async fn people_in(db: &impl ConnectionTrait, orgs: Vec<String>, role: crate::identity::Role) -> Result<Vec<String>, DbErr> {
    let links = user_organisation::Entity::find().filter(user_organisation::Column::OrganisationId.is_in(orgs)).all(db).await?;
    let ids: Vec<String> = links.into_iter().map(|l| l.user_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(ids))
        .filter(app_user::Column::Role.eq(role.code()))
        .filter(app_user::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect())
}

/// The active clerks of a Kommune: members of the Kommune itself or of its Verbandsgemeinde.
#[tracing::instrument(skip_all)]
pub async fn clerks_of(db: &impl ConnectionTrait, org_id: &str) -> Result<Vec<String>, DbErr> {
    let mut orgs = vec![org_id.to_string()];
    if let Some(o) = organisation::Entity::find_by_id(org_id).one(db).await?
        && let Some(v) = o.verband_id
    {
        orgs.push(v);
    }
    people_in(db, orgs, crate::identity::Role::Clerk).await
}

/// The active people of a partner organisation (for a case shared with it).
pub async fn partners_of(db: &impl ConnectionTrait, org_id: &str) -> Result<Vec<String>, DbErr> {
    people_in(db, vec![org_id.to_string()], crate::identity::Role::Partner).await
}

#[tracing::instrument(skip_all)]
pub async fn unread_count(db: &impl ConnectionTrait, user_id: &str) -> Result<u64, AppError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// The latest notifications of a user (at most 100).
#[tracing::instrument(skip_all)]
pub async fn list(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<NotificationItem>, AppError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .order_by_desc(notification::Column::CreatedAt)
        .limit(100)
        .all(db)
        .await?
        .into_iter()
        .map(|n| NotificationItem {
            id: n.id,
            case_id: n.case_id,
            kind: n.kind,
            text: n.text,
            link: n.link,
            created_at: crate::core::time::rfc(n.created_at),
            read: n.read_at.is_some(),
        })
        .collect())
}

/// Marks all of a user's notifications as read.
#[tracing::instrument(skip_all)]
pub async fn mark_all_read(db: &impl ConnectionTrait, user_id: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, sea_orm::sea_query::Expr::value(now))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// A user's choices: each kind with whether it goes by e-mail and whether it is muted.
#[tracing::instrument(skip_all)]
pub async fn prefs(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<(NotificationKind, bool, bool)>, AppError> {
    let stored: std::collections::HashMap<String, (bool, bool)> = notification_pref::Entity::find()
        .filter(notification_pref::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.kind, (p.email, p.muted)))
        .collect();
    Ok(NotificationKind::ALL.iter().map(|&k| {
        let (mail, muted) = stored.get(k.code()).copied().unwrap_or((k.mails_by_default(), false));
        (k, mail, muted)
    }).collect())
}

/// Stores a user's choices: every kind not in `mail` is switched off by e-mail, every kind in
/// `muted` (only those that may be muted) is not notified at all.
#[tracing::instrument(skip_all)]
pub async fn set_prefs(db: &impl ConnectionTrait, user_id: &str, mail: &[NotificationKind], muted: &[NotificationKind]) -> Result<(), AppError> {
    use sea_orm::sea_query::OnConflict;
    for &k in NotificationKind::ALL {
        notification_pref::Entity::insert(notification_pref::ActiveModel {
            user_id: Set(user_id.to_string()),
            kind: Set(k.code().to_string()),
            email: Set(mail.contains(&k)),
            muted: Set(k.may_be_muted() && muted.contains(&k)),
        })
        .on_conflict(
            OnConflict::columns([notification_pref::Column::UserId, notification_pref::Column::Kind])
                .update_columns([notification_pref::Column::Email, notification_pref::Column::Muted])
                .to_owned(),
        )
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Whether the person ordered the weekly digest (`start::digest` composes and sends it).
pub async fn digest_ordered(db: &impl ConnectionTrait, user_id: &str) -> Result<bool, DbErr> {
    use sea_orm::PaginatorTrait;
    Ok(crate::core::entities::digest_subscription::Entity::find_by_id(user_id.to_string()).count(db).await? > 0)
}

/// Orders or cancels the weekly digest.
pub async fn order_digest(db: &impl ConnectionTrait, user_id: &str, on: bool, now: DateTime<Utc>) -> Result<(), DbErr> {
    use crate::core::entities::digest_subscription;
    let has = digest_ordered(db, user_id).await?;
    if on && !has {
        digest_subscription::ActiveModel { user_id: Set(user_id.to_string()), sent_for: Set(None), since: Set(now) }.insert(db).await?;
    } else if !on && has {
        digest_subscription::Entity::delete_by_id(user_id.to_string()).exec(db).await?;
    }
    Ok(())
}
