//! Time-driven work on cases, run every minute by the server (and directly by tests with a
//! fixed clock): escalating breached service levels (first response, follow-up answer,
//! solution) once, and closing solved cases nobody reopened within 14 days.

use crate::core::config::Config;
use crate::core::db::begin_write;
use crate::core::entities::{case_team, support_case};
use crate::core::notify;
use crate::cases::service::workflow::event;
use crate::cases::service::REOPEN_DAYS;
use crate::error::AppError;
use crate::cases::model::CaseStatus;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobReport {
    pub escalated: usize,
    pub closed: usize,
}

/// At most this many cases per kind and run, so one run stays short; the next run continues.
const BATCH: u64 = 500;

#[tracing::instrument(skip_all)]
pub async fn run(db: &DatabaseConnection, config: &Config, now: DateTime<Utc>) -> Result<JobReport, AppError> {
    let mut report = JobReport::default();
    use support_case::Column as C;
    // Each timer: its name, the running cases past its deadline not yet marked, the mark, and
    // the deadline. The conditions repeat those of the partial indexes (m0034, m0046).
    let clocks: [(&str, Condition, C, fn(&support_case::Model) -> DateTime<Utc>); 3] = [
        ("Erste Antwort", Condition::all().add(C::FirstResponseAt.is_null()).add(C::ResponseDueAt.lt(now)).add(C::ResponseBreachedAt.is_null()), C::ResponseBreachedAt, |c| c.response_due_at),
        (
            "Folgeantwort",
            Condition::all().add(C::FollowupDueAt.is_not_null()).add(C::FollowupAnsweredAt.is_null()).add(C::FollowupDueAt.lt(now)).add(C::FollowupBreachedAt.is_null()),
            C::FollowupBreachedAt,
            |c| c.followup_due_at.unwrap_or(c.response_due_at),
        ),
        ("Lösung", Condition::all().add(C::ResolutionDueAt.lt(now)).add(C::ResolutionBreachedAt.is_null()), C::ResolutionBreachedAt, |c| c.resolution_due_at),
    ];
    for (label, cond, column, deadline_of) in clocks {
        let due = support_case::Entity::find()
            .filter(support_case::Column::Status.is_in(["new", "triage", "in_progress"]))
            .filter(cond)
            .limit(BATCH)
            .all(db)
            .await?;
        for c in due {
            let tx = begin_write(db).await?;
            // Marked without a version change: an advisor's open form stays valid.
            let res = support_case::Entity::update_many()
                .col_expr(column, Expr::value(now))
                .filter(support_case::Column::Id.eq(c.id))
                .filter(column.is_null())
                .exec(&tx)
                .await?;
            if res.rows_affected == 0 {
                continue;
            }
            let deadline = deadline_of(&c);
            event(&tx, c.id, now, None, "sla", false, format!("Servicezeit »{label}« überschritten (fällig war {}); eskaliert.", crate::core::time::format_berlin(deadline))).await?;
            let mut recipients: Vec<String> = c.owner_id.iter().cloned().collect();
            if let Some(t) = &c.team_id
                && let Some(team) = case_team::Entity::find_by_id(t.clone()).one(&tx).await?
                && let Some(lead) = team.lead_user_id
            {
                recipients.push(lead);
            }
            notify::notify(&tx, config, &recipients, None, Some(c.id), None, notify::NotificationKind::Escalation, &format!("Servicezeit »{label}« von Fall {} {} überschritten.", c.id, crate::ui::format::quoted(&c.subject)), now).await?;
            tx.commit().await?;
            report.escalated += 1;
        }
    }
    let stale = support_case::Entity::find()
        .filter(support_case::Column::Status.eq(CaseStatus::Solved.code()))
        .filter(support_case::Column::SolvedAt.lt(now - Duration::days(REOPEN_DAYS)))
        .limit(BATCH)
        .all(db)
        .await?;
    for c in stale {
        let tx = begin_write(db).await?;
        let res = support_case::Entity::update_many()
            .col_expr(support_case::Column::Status, Expr::value(CaseStatus::Closed.code()))
            .col_expr(support_case::Column::ClosedAt, Expr::value(now))
            .col_expr(support_case::Column::UpdatedAt, Expr::value(now))
            .col_expr(support_case::Column::LastActivityAt, Expr::value(now))
            .col_expr(support_case::Column::LastPublicActivityAt, Expr::value(now))
            .col_expr(support_case::Column::Version, Expr::col(support_case::Column::Version).add(1))
            .col_expr(support_case::Column::PublicVersion, Expr::col(support_case::Column::PublicVersion).add(1))
            .filter(support_case::Column::Id.eq(c.id))
            .filter(support_case::Column::Status.eq(CaseStatus::Solved.code()))
            .exec(&tx)
            .await?;
        if res.rows_affected == 0 {
            continue;
        }
        event(&tx, c.id, now, None, "status", true, format!("Automatisch geschlossen: {REOPEN_DAYS} Tage nach der Lösung ohne Wiedereröffnung.")).await?;
        tx.commit().await?;
        report.closed += 1;
    }
    Ok(report)
}
