//! The demo's funding: a programme of the Land with applications of the demo clerks in every
//! status, each with its cost plan and the steps that led there, marked as demo data.

use super::people::People;
use app::core::entities::{funding_application as fa, funding_cost_item as fci, funding_programme as fp, funding_step};
use app::funding::model::{Action, Status};
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

/// The steps that lead an application to `status`.
fn path(status: Status) -> &'static [Action] {
    match status {
        Status::Received => &[],
        Status::Review => &[Action::Review],
        Status::Granted => &[Action::Review, Action::Grant],
        Status::Rejected => &[Action::Review, Action::Reject],
        Status::Called => &[Action::Review, Action::Grant, Action::Call],
        Status::Reported => &[Action::Review, Action::Grant, Action::Call, Action::Report],
        Status::Closed => &[Action::Review, Action::Grant, Action::Call, Action::Report, Action::Close],
    }
}

/// Writes the programme and its applications (`kommunen`: (organisation, Kreis key)); returns
/// (programme, applications).
pub async fn write(txn: &impl ConnectionTrait, people: &People, kommunen: &[(String, String)], rng: &mut impl Rng, now: DateTime<Utc>) -> anyhow::Result<(i64, usize)> {
    let today = now.date_naive();
    let programme = fp::ActiveModel {
        name: Set("Sachsen-Anhalt Digital (Demo)".into()),
        description: Set("Förderung digitaler Vorhaben der Kommunen: Anbindung von Fachverfahren, digitale Akten, Schulungen.".into()),
        budget_cents: Set(750_000_000),
        rate_percent: Set(90),
        max_cents: Set(25_000_000),
        opens_on: Set(today - Duration::days(200)),
        closes_on: Set(today + Duration::days(120)),
        committed_cents: Set(0),
        disbursed_cents: Set(0),
        active: Set(true),
        demo: Set(true),
        version: Set(1),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let advisor = people.advisor.id.clone();
    let (mut committed, mut called, mut applications) = (0, 0, 0);
    for (i, (clerk, orgs)) in people.clerks.iter().enumerate().take(14) {
        let Some((org, _)) = orgs.first() else { continue };
        let kreis = kommunen.iter().find(|(o, _)| o == org).map(|(_, k)| k.clone()).unwrap_or_default();
        let status = Status::ALL[i % Status::ALL.len()];
        let total: i64 = rng.gen_range(20..200) * 100_000;
        let requested = total * 9 / 10;
        let granted = status.counts_as_granted().then_some(requested);
        let disbursed = match status {
            Status::Called | Status::Reported => requested / 2,
            Status::Closed => requested,
            _ => 0,
        };
        committed += if status == Status::Closed { disbursed } else { granted.unwrap_or(0) };
        called += disbursed;
        let created = now - Duration::days(rng.gen_range(20..190));
        let id = fa::ActiveModel {
            programme_id: Set(programme.id),
            organisation_id: Set(org.clone()),
            kreis_key: Set(kreis),
            title: Set("Digitale Akte und Anbindung an das Landesportal".into()),
            description: Set("Einführung der E-Akte im Bürgeramt und Anbindung der Fachverfahren an das Landesportal.".into()),
            total_cents: Set(total),
            requested_cents: Set(requested),
            approved_cents: Set(granted),
            disbursed_cents: Set(disbursed),
            status: Set(status),
            reason: Set((status == Status::Rejected).then(|| "Das Vorhaben ist bereits über ein Bundesprogramm gefördert.".to_string())),
            report: Set(matches!(status, Status::Reported | Status::Closed).then(|| "E-Akte eingeführt, 25 Beschäftigte geschult.".to_string())),
            idempotency_key: Set(uuid::Uuid::new_v4().simple().to_string()),
            version: Set(1),
            demo: Set(true),
            created_by: Set(Some(clerk.id.clone())),
            created_at: Set(created),
            updated_at: Set(created),
            ..Default::default()
        }
        .insert(txn)
        .await?
        .id;
        for (position, (what, cents)) in [("E-Akte", total * 3 / 4), ("Schulung", total - total * 3 / 4)].into_iter().enumerate() {
            fci::ActiveModel { application_id: Set(id), position: Set(position as i32 + 1), what: Set(what.into()), cents: Set(cents) }.insert(txn).await?;
        }
        let first = std::iter::once((Action::File, created, clerk.id.clone(), Some(requested)));
        let rest = path(status).iter().enumerate().map(|(k, a)| {
            let amount = match a {
                Action::Grant => Some(requested),
                Action::Call => Some(disbursed),
                _ => None,
            };
            let by = if a.advisors_only() { advisor.clone() } else { clerk.id.clone() };
            (*a, (created + Duration::days(5 * (k as i64 + 1))).min(now), by, amount)
        });
        for (action, at, by, amount) in first.chain(rest) {
            funding_step::ActiveModel {
                application_id: Set(id),
                action: Set(action),
                status: Set(action.to()),
                amount_cents: Set(amount),
                note: Set(None),
                at: Set(at),
                user_id: Set(Some(by)),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        applications += 1;
    }
    let mut p: fp::ActiveModel = programme.clone().into();
    p.committed_cents = Set(committed);
    p.disbursed_cents = Set(called);
    p.update(txn).await?;
    Ok((programme.id, applications))
}
