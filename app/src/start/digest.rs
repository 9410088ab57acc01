//! The weekly digest ("Was Sie diese Woche erwartet"): on Monday morning one mail to each person
//! who asked for it, with the cases waiting for them, their tasks and deadlines due this week,
//! the open surveys of their Kommunen and the decisions and announcements new since last week,
//! each as the person may read them. Nothing to say: no mail. Each person's week is claimed by
//! a conditional update, so that several instances send it once.

use crate::access::scope::Scope;
use crate::core::config::Config;
use crate::core::entities::{digest_subscription, funding_application as fa, support_case};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::identity::Role;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc, Weekday};
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// From this hour (Berlin) on Mondays the digest goes out.
pub const SEND_HOUR: u32 = 7;
const LISTED: usize = 5;

/// The Monday of the week a digest is due for at `now`, once its hour has come.
pub fn due_week(now: DateTime<Utc>) -> Option<NaiveDate> {
    let local = now.with_timezone(&chrono_tz::Europe::Berlin);
    (local.weekday() == Weekday::Mon && local.hour() >= SEND_HOUR).then(|| local.date_naive())
}

/// One section of the mail: a heading and its lines.
struct Section {
    heading: &'static str,
    lines: Vec<String>,
    more: usize,
}

fn section(heading: &'static str, all: Vec<String>) -> Option<Section> {
    (!all.is_empty()).then(|| Section { heading, more: all.len().saturating_sub(LISTED), lines: all.into_iter().take(LISTED).collect() })
}

/// The cases waiting for the person: an advisor's own open cases, the cases of a clerk's
/// Kommunen waiting for the Kommune's answer, the open cases shared with a partner.
async fn waiting_cases(db: &impl ConnectionTrait, user: &CurrentUser, scope: &Scope) -> Result<Vec<String>, AppError> {
    let working = ["new", "triage", "in_progress"];
    let cond = match scope {
        Scope::Land => Condition::all().add(support_case::Column::OwnerId.eq(user.id.clone())).add(support_case::Column::Status.is_in(working)),
        Scope::Municipal { org_ids } if !org_ids.is_empty() => {
            Condition::all().add(support_case::Column::OrganisationId.is_in(org_ids.iter().cloned())).add(support_case::Column::Status.eq("waiting"))
        }
        Scope::Partner { org_ids } if !org_ids.is_empty() => {
            Condition::all().add(support_case::Column::PartnerOrgId.is_in(org_ids.iter().cloned())).add(support_case::Column::Status.is_in(working))
        }
        _ => return Ok(Vec::new()),
    };
    let rows = support_case::Entity::find().filter(cond).order_by_asc(support_case::Column::LastActivityAt).limit(50).all(db).await?;
    Ok(rows.into_iter().map(|c| format!("Fall {}: {}", c.id, c.subject)).collect())
}

/// Tasks of the bodies due this week or overdue, and (a clerk's Kommunen) Verwendungsnachweise
/// due within 30 days.
async fn deadlines(db: &DatabaseConnection, user: &CurrentUser, scope: &Scope, now: DateTime<Utc>, today: NaiveDate) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    let tasks = crate::gremien::service::tasks::open_for(db, user, now, Some(50)).await?;
    for t in tasks.shown {
        let due = NaiveDate::parse_from_str(&t.due, "%d.%m.%Y").ok();
        if t.overdue || due.is_some_and(|d| d <= today + Duration::days(7)) {
            out.push(format!("Maßnahme »{}« ({}) {} am {}", t.title, t.gremium, if t.overdue { "war fällig" } else { "ist fällig" }, t.due));
        }
    }
    if let Scope::Municipal { org_ids } = scope {
        let proofs = fa::Entity::find()
            .filter(fa::Column::OrganisationId.is_in(org_ids.iter().cloned()))
            .filter(fa::Column::Status.is_in([crate::funding::model::Status::Granted, crate::funding::model::Status::Called]))
            .filter(fa::Column::ProofDueOn.lte(today + Duration::days(crate::funding::service::notices::REMIND_DAYS)))
            .all(db)
            .await?;
        for a in proofs {
            if let Some(d) = a.proof_due_on {
                out.push(format!("Verwendungsnachweis für »{}« fällig am {}", a.title, d.format("%d.%m.%Y")));
            }
        }
    }
    Ok(out)
}

/// The digest's text for the person, or `None` when there is nothing to say.
#[tracing::instrument(skip_all)]
pub async fn compose(db: &DatabaseConnection, config: &Config, user: &CurrentUser, now: DateTime<Utc>) -> Result<Option<String>, AppError> {
    let scope = Scope::of(Some(user));
    let today = now.with_timezone(&chrono_tz::Europe::Berlin).date_naive();
    let surveys = if user.role == Role::Clerk {
        crate::surveys::service::answers::open_for(db, &scope, now)
            .await?
            .into_iter()
            .filter(|s| s.state != crate::vocabulary::surveys::ResponseState::Submitted)
            .map(|s| format!("»{}« für {}, Frist {}", s.title, s.kommune, s.closes))
            .collect()
    } else {
        Vec::new()
    };
    let week_ago = (today - Duration::days(7)).format("%Y-%m-%d").to_string();
    let reader = crate::gremien::service::Reader { scope: &scope, user_id: Some(&user.id) };
    let decisions = crate::gremien::service::decisions::register(db, reader, &Default::default())
        .await?
        .items
        .into_iter()
        .filter(|d| d.decided_on >= week_ago)
        .map(|d| format!("{} ({}): {}", d.reference, d.gremium, d.title))
        .collect();
    let announcements =
        if user.role == Role::Clerk { crate::announcements::service::for_reader(db, user, now).await?.into_iter().map(|a| format!("{} ({})", a.title, a.published)).collect() } else { Vec::new() };
    let sections: Vec<Section> = [
        section("Fälle, die auf Sie warten", waiting_cases(db, user, &scope).await?),
        section("Aufgaben und Fristen", deadlines(db, user, &scope, now, today).await?),
        section("Offene Abfragen", surveys),
        section("Neue Beschlüsse", decisions),
        section("Mitteilungen der Landesberatung", announcements),
    ]
    .into_iter()
    .flatten()
    .collect();
    if sections.is_empty() {
        return Ok(None);
    }
    let base = config.base_url.trim_end_matches('/');
    let mut text = format!("Guten Tag {},\n\nwas Sie in der Woche ab {} im OZG-Portal erwartet:\n", user.name, today.format("%d.%m.%Y"));
    for s in sections {
        text.push_str(&format!("\n{}\n", s.heading));
        for l in s.lines {
            text.push_str(&format!("- {l}\n"));
        }
        if s.more > 0 {
            text.push_str(&format!("- und {} weitere\n", s.more));
        }
    }
    text.push_str(&format!(
        "\nIm Portal: {base}/\n\nDiese Wochenübersicht haben Sie unter »Benachrichtigungen« bestellt; dort bestellen Sie sie auch ab. Sie wurde automatisch vom OZG-Portal Sachsen-Anhalt versandt.\n"
    ));
    Ok(Some(text))
}

/// The job: on Monday from `SEND_HOUR`, each subscriber's week is claimed and their digest
/// queued (nothing when empty). Returns how many mails were queued.
#[tracing::instrument(skip_all)]
pub async fn run(db: &DatabaseConnection, config: &Config, now: DateTime<Utc>) -> Result<usize, AppError> {
    let Some(week) = due_week(now) else { return Ok(0) };
    let due = digest_subscription::Entity::find()
        .filter(Condition::any().add(digest_subscription::Column::SentFor.is_null()).add(digest_subscription::Column::SentFor.lt(week)))
        .all(db)
        .await?;
    let mut sent = 0;
    for s in due {
        let claimed = digest_subscription::Entity::update_many()
            .col_expr(digest_subscription::Column::SentFor, Some(week).into())
            .filter(digest_subscription::Column::UserId.eq(s.user_id.clone()))
            .filter(Condition::any().add(digest_subscription::Column::SentFor.is_null()).add(digest_subscription::Column::SentFor.lt(week)))
            .exec(db)
            .await?
            .rows_affected;
        if claimed != 1 {
            continue;
        }
        let Some(user) = crate::core::session::person_for_job(db, &s.user_id).await? else { continue };
        if let Some(text) = compose(db, config, &user, now).await? {
            crate::core::outbox::enqueue(db, &user.email, "OZG-Portal: Was Sie diese Woche erwartet", &text).await?;
            sent += 1;
        }
    }
    if sent > 0 {
        crate::core::outbox::wake();
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_digest_is_due_on_monday_mornings_berlin_time() {
        // Monday 7 December 2026, 06:30 UTC = 07:30 in Berlin.
        let monday = Utc.with_ymd_and_hms(2026, 12, 7, 6, 30, 0).single().expect("time");
        assert_eq!(due_week(monday), NaiveDate::from_ymd_opt(2026, 12, 7));
        assert_eq!(due_week(monday - Duration::hours(1)), None, "06:30 in Berlin is too early");
        assert_eq!(due_week(monday + Duration::days(1)), None, "Tuesday");
    }
}
