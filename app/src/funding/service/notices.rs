//! What the Kommunen are told of their funding applications: every step the Land takes (the
//! decision, each payment, the close), by notification and (as each person chose) by mail, and
//! a reminder of the Verwendungsnachweis before it is due.

use crate::core::config::Config;
use crate::core::entities::funding_application as fa;
use crate::core::notify::{self, NotificationKind};
use crate::error::AppError;
use crate::funding::model::{Action, Status};
use crate::ui::format::{euro, quoted};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// How many days before its due date the Verwendungsnachweis is recalled.
pub const REMIND_DAYS: i64 = 30;

fn day(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// The due date of the Verwendungsnachweis named with a grant: a day not before today, or
/// (empty) a year after the grant.
pub fn proof_due(input: &str, now: DateTime<Utc>) -> Result<NaiveDate, AppError> {
    let today = now.with_timezone(&chrono_tz::Europe::Berlin).date_naive();
    match input.trim() {
        "" => Ok(today.with_year(today.year() + 1).unwrap_or(today + chrono::Duration::days(365))),
        t => match crate::core::time::parse_day(t) {
            Some(d) if d < today => Err(AppError::field("nachweis_bis", "Der Verwendungsnachweis kann nicht in der Vergangenheit fällig sein.")),
            Some(d) => Ok(d),
            None => Err(AppError::field("nachweis_bis", format!("»{t}« ist kein Datum (TT.MM.JJJJ)."))),
        },
    }
}

/// The text the Kommune reads of a step, if it is told of it: the steps the Land takes.
fn text(a: &fa::Model, action: Action, amount_cents: Option<i64>, note: &str, due: Option<NaiveDate>) -> Option<String> {
    let title = quoted(&a.title);
    Some(match action {
        Action::Review => format!("Ihr Förderantrag {title} ist in Prüfung."),
        Action::Grant => format!(
            "Ihr Förderantrag {title} ist bewilligt: {}. Der Verwendungsnachweis ist bis {} fällig.",
            euro(amount_cents.unwrap_or(0)),
            due.map(day).unwrap_or_default()
        ),
        Action::Reject => format!("Ihr Förderantrag {title} ist abgelehnt. Begründung: {note}"),
        Action::Call => format!("Für Ihren Förderantrag {title} werden {} ausgezahlt.", euro(amount_cents.unwrap_or(0))),
        Action::Close => format!("Ihr Förderantrag {title} ist abgeschlossen."),
        Action::File | Action::Report => return None,
    })
}

/// Tells the Kommune's clerks of a step (the one who took it left out), in the step's transaction.
#[allow(clippy::too_many_arguments)]
pub async fn stepped(txn: &impl ConnectionTrait, config: &Config, a: &fa::Model, action: Action, amount_cents: Option<i64>, note: &str, due: Option<NaiveDate>, actor: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    if matches!(action, Action::Grant | Action::Reject) {
        let data = serde_json::json!({ "application": a.id, "decision": action.to().code(), "approved_cents": amount_cents, "proof_due_on": due.map(|d| d.to_string()) });
        crate::core::webhooks::emit(txn, crate::vocabulary::webhooks::WebhookEvent::FundingDecision, std::slice::from_ref(&a.organisation_id), data, now).await?;
    }
    let Some(text) = text(a, action, amount_cents, note, due) else { return Ok(()) };
    let clerks = notify::clerks_of(txn, &a.organisation_id).await?;
    notify::notify(txn, config, &clerks, Some(actor), None, Some(&format!("/foerderung/antrag/{}", a.id)), NotificationKind::Funding, &text, now).await?;
    Ok(())
}

/// The reminder job: every granted application whose Verwendungsnachweis is due within
/// `REMIND_DAYS` (or overdue) and was not yet recalled for this due date is claimed (a
/// conditional update, so that several instances remind once) and its Kommune's clerks are told
/// in the same transaction. Returns how many applications.
#[tracing::instrument(skip_all)]
pub async fn remind(db: &DatabaseConnection, config: &Config, now: DateTime<Utc>) -> Result<usize, AppError> {
    let today = now.with_timezone(&chrono_tz::Europe::Berlin).date_naive();
    let due = fa::Entity::find()
        .filter(fa::Column::Status.is_in([Status::Granted, Status::Called]))
        .filter(fa::Column::ProofDueOn.lte(today + chrono::Duration::days(REMIND_DAYS)))
        .all(db)
        .await?
        .into_iter()
        .filter(|a| a.proof_due_on.is_some() && a.proof_reminded_for != a.proof_due_on)
        .collect::<Vec<_>>();
    let mut reminded = 0;
    for a in due {
        let Some(on) = a.proof_due_on else { continue };
        let txn = crate::core::db::begin_write(db).await?;
        let claimed = fa::Entity::update_many()
            .col_expr(fa::Column::ProofRemindedFor, Some(on).into())
            .filter(fa::Column::Id.eq(a.id))
            .filter(fa::Column::ProofDueOn.eq(on))
            .filter(Condition::any().add(fa::Column::ProofRemindedFor.is_null()).add(fa::Column::ProofRemindedFor.ne(on)))
            .exec(&txn)
            .await?;
        if claimed.rows_affected == 0 {
            continue;
        }
        let text = format!(
            "Der Verwendungsnachweis für Ihren Förderantrag {} {} am {}.",
            quoted(&a.title),
            if on < today { "war fällig" } else { "ist fällig" },
            day(on)
        );
        let clerks = notify::clerks_of(&txn, &a.organisation_id).await?;
        notify::notify(&txn, config, &clerks, None, None, Some(&format!("/foerderung/antrag/{}", a.id)), NotificationKind::Funding, &text, now).await?;
        txn.commit().await?;
        reminded += 1;
    }
    if reminded > 0 {
        crate::core::outbox::wake();
    }
    Ok(reminded)
}
