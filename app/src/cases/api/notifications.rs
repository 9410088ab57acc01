//! Server functions of the notifications page.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::core::ctx;

/// The caller's notifications, grouped by case, and choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationsView {
    /// Newest group first: a case's notifications together, every other one on its own.
    pub groups: Vec<Vec<NotificationRow>>,
    pub unread: usize,
    /// (kind, label, by e-mail)
    pub prefs: Vec<(String, String, bool)>,
    /// Status-only changes switched off.
    pub status_muted: bool,
    pub mail_enabled: bool,
    /// The weekly digest mail is ordered.
    #[serde(default)]
    pub digest: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationRow {
    pub case_id: Option<i64>,
    pub text: String,
    /// A path of the portal.
    pub link: Option<String>,
    pub created_at: String,
    pub read: bool,
}

/// Notifications (newest first) in groups: those of one case together, at the place of its
/// newest; every other notification a group of its own.
pub fn group_by_case(rows: Vec<NotificationRow>) -> Vec<Vec<NotificationRow>> {
    let mut groups: Vec<Vec<NotificationRow>> = Vec::new();
    let mut at: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for r in rows {
        match r.case_id.and_then(|c| at.get(&c).copied()) {
            Some(i) => groups[i].push(r),
            None => {
                if let Some(c) = r.case_id {
                    at.insert(c, groups.len());
                }
                groups.push(vec![r]);
            }
        }
    }
    groups
}

#[server(endpoint = "notifications_page")]
pub async fn notifications_page() -> Result<NotificationsView, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let items = crate::core::notify::list(&st.db, &user.id)
            .await?
            .into_iter()
            .map(|n| NotificationRow {
                case_id: n.case_id,
                link: n.link,
                created_at: chrono::DateTime::parse_from_rfc3339(&n.created_at)
                    .map(|d| crate::core::time::format_berlin(d.with_timezone(&chrono::Utc)))
                    .unwrap_or_default(),
                text: n.text,
                read: n.read,
            })
            .collect::<Vec<_>>();
        let unread = items.iter().filter(|n| !n.read).count();
        // The Wissensportal's kinds concern only the advisors who write articles.
        let advisor = crate::access::policy::is_advisor(&crate::access::scope());
        let all = crate::core::notify::prefs(&st.db, &user.id).await?;
        let status_muted = all.iter().any(|(k, _, muted)| k.may_be_muted() && *muted);
        let prefs = all.into_iter().filter(|(k, _, _)| k.concerns(advisor)).map(|(k, mail, _)| (k.code().to_string(), k.label().to_string(), mail)).collect();
        let digest = crate::core::notify::digest_ordered(&st.db, &user.id).await?;
        Ok(NotificationsView { groups: group_by_case(items), unread, prefs, status_muted, mail_enabled: st.config.mail_enabled, digest })
    }
    .await)
    .await
}

#[server(endpoint = "read_notifications")]
pub async fn read_notifications() -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        crate::core::notify::mark_all_read(&st.db, &user.id, crate::core::time::now()).await?;
        leptos_axum::redirect("/benachrichtigungen?gelesen=1");
        Ok(())
    }
    .await)
    .await
}

/// E-mail choices: `mail[kind]` for each kind wanted by e-mail (`ja`); `mute_status`: no
/// status-only changes at all; `digest`: the weekly digest mail.
#[server(endpoint = "save_notification_prefs")]
pub async fn save_notification_prefs(
    #[server(default)] mail: std::collections::BTreeMap<String, String>,
    #[server(default)] mute_status: String,
    #[server(default)] digest: String,
) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        use crate::vocabulary::notify::NotificationKind as K;
        let on: Vec<K> = mail.iter().filter(|(_, v)| v.as_str() == "ja").filter_map(|(k, _)| K::from_code(k)).collect();
        let muted: Vec<K> = if mute_status == "ja" { vec![K::Status] } else { Vec::new() };
        crate::core::notify::order_digest(&st.db, &user.id, digest == "ja", crate::core::time::now()).await?;
        crate::core::notify::set_prefs(&st.db, &user.id, &on, &muted).await?;
        leptos_axum::redirect("/benachrichtigungen?gespeichert=1");
        Ok(())
    }
    .await)
    .await
}
