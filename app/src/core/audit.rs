//! Writing the audit log. Entries name actions and objects; they never carry passwords,
//! session ids or case contents.

use crate::core::entities::audit_log;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, NotSet, Set};

/// One audit entry to write.
#[derive(Debug, Clone, Default)]
pub struct Entry<'a> {
    pub actor: Option<&'a str>,
    pub action: crate::vocabulary::audit::AuditAction,
    pub object: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub detail: Option<String>,
}

/// Appends an entry. Call it inside the transaction of the change it records.
pub async fn record(db: &impl ConnectionTrait, e: Entry<'_>) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        id: NotSet,
        at: Set(crate::core::time::now()),
        actor_user_id: Set(e.actor.map(str::to_string)),
        action: Set(e.action.code().to_string()),
        object: Set(e.object.map(|o| o.chars().take(200).collect())),
        ip: Set(e.ip.map(str::to_string)),
        detail: Set(e.detail),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// Appends an entry where failing to write it must not fail the request (e.g. a denial);
/// the failure is logged instead.
pub async fn record_best_effort(db: &impl ConnectionTrait, e: Entry<'_>) {
    let action = e.action.code();
    if let Err(err) = record(db, e).await {
        tracing::error!(error = %err, action, "Audit-Eintrag konnte nicht geschrieben werden");
    }
}
