//! Forgetting what has served its purpose (Speicherfristen): audit entries, attachments of
//! closed cases, notifications and sent mail past their retention; expired invitation and reset
//! links, sign-ins that never got their second factor, identity provider flows never completed,
//! reports of barriers a year after they were done.

use crate::core::config::Config;
use crate::core::entities::{account_link, attachment, attachment_blob, audit_log, barrier_report, login_challenge, mail_outbox, notification, oidc_flow, session, support_case};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// What one run removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    pub audit_entries: u64,
    pub links: u64,
    pub challenges: u64,
    pub flows: u64,
    pub attachments: u64,
    pub notifications: u64,
    pub mails: u64,
    pub sessions: u64,
    pub barrier_reports: u64,
}

/// Days a report of a barrier is kept after it was done.
pub const BARRIER_REPORT_DAYS: i64 = 365;

/// Applies the retention periods of `config` (see the README's list of personal data), and
/// removes expired links (kept 30 days after their end, so the administrators' list can still
/// say "abgelaufen"), challenges and flows.
pub async fn prune(db: &impl ConnectionTrait, config: &Config, now: DateTime<Utc>) -> Result<Pruned, DbErr> {
    let audit_entries = audit_log::Entity::delete_many().filter(audit_log::Column::At.lt(now - Duration::days(config.audit_retention_days))).exec(db).await?.rows_affected;
    // Attachments of cases closed (and untouched) for longer than their period: bytes, then rows.
    let old_cases = Query::select()
        .column(support_case::Column::Id)
        .from(support_case::Entity)
        .and_where(support_case::Column::Status.eq("closed"))
        .and_where(support_case::Column::LastActivityAt.lt(now - Duration::days(config.attachment_retention_days)))
        .to_owned();
    let old_files = Query::select().column(attachment::Column::Id).from(attachment::Entity).and_where(attachment::Column::CaseId.in_subquery(old_cases.clone())).to_owned();
    attachment_blob::Entity::delete_many().filter(attachment_blob::Column::AttachmentId.in_subquery(old_files)).exec(db).await?;
    let attachments = attachment::Entity::delete_many().filter(attachment::Column::CaseId.in_subquery(old_cases)).exec(db).await?.rows_affected;
    let notifications =
        notification::Entity::delete_many().filter(notification::Column::CreatedAt.lt(now - Duration::days(config.notification_retention_days))).exec(db).await?.rows_affected;
    // Sessions whose cookie never came back, past the longest timeouts any instance may be
    // configured with (instances on one database may differ; each enforces its own at lookup).
    let (idle, absolute) = (Duration::hours(24), Duration::days(7));
    let sessions = session::Entity::delete_many()
        .filter(sea_orm::Condition::any().add(session::Column::LastSeenAt.lt(now - idle)).add(session::Column::CreatedAt.lt(now - absolute)))
        .exec(db)
        .await?
        .rows_affected;
    let mails = mail_outbox::Entity::delete_many()
        .filter(mail_outbox::Column::SentAt.lt(now - Duration::days(config.mail_retention_days)))
        .exec(db)
        .await?
        .rows_affected;
    let links = account_link::Entity::delete_many().filter(account_link::Column::ExpiresAt.lt(now - Duration::days(30))).exec(db).await?.rows_affected;
    let challenges = login_challenge::Entity::delete_many().filter(login_challenge::Column::ExpiresAt.lt(now)).exec(db).await?.rows_affected;
    let flows = oidc_flow::Entity::delete_many().filter(oidc_flow::Column::ExpiresAt.lt(now)).exec(db).await?.rows_affected;
    // Reports of barriers, with the sender's address, a year after they were done.
    let barrier_reports = barrier_report::Entity::delete_many()
        .filter(barrier_report::Column::Status.eq(crate::vocabulary::legal::ReportStatus::Done))
        .filter(barrier_report::Column::UpdatedAt.lt(now - Duration::days(BARRIER_REPORT_DAYS)))
        .exec(db)
        .await?
        .rows_affected;
    Ok(Pruned { audit_entries, links, challenges, flows, attachments, notifications, mails, sessions, barrier_reports })
}
