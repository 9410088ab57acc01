//! Releases of funding sums to the public. The Land sees every sum as it is; everyone else
//! (the public, the associations, other Kommunen's clerks) sees a programme's granted and called
//! sums as of their last release. A release takes the current sum of every Kommune of the
//! programme at once, and happens for each of the two figures only when at least the
//! suppression threshold of Kommunen changed in it since the previous one: so the difference between any two public answers, today's
//! and yesterday's included, is the sum of at least that many Kommunen, never one grant.
//! Per Kreis the public reads counts only, no sums (a Kreis figure beside the programme figure
//! would isolate a grant whenever the two were released at different times).

use crate::core::entities::{funding_application as fa, funding_release};
use crate::error::AppError;
use crate::funding::model::Status;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use std::collections::HashMap;

/// What one application contributes to the sums: granted (after the close of a project only
/// the part called) and called.
fn contribution(status: Status, approved: Option<i64>, disbursed: i64) -> (i64, i64) {
    let granted = match status {
        Status::Closed => disbursed,
        s if s.counts_as_granted() => approved.unwrap_or(0),
        _ => 0,
    };
    (granted, disbursed)
}

/// Releases the programme's current granted sums when at least `threshold` Kommunen's granted
/// sum changed since the last release, and likewise the called sums; `true` when it did. Call it in the transaction of every step that moves money.
#[tracing::instrument(skip(db))]
pub async fn release(db: &impl ConnectionTrait, programme_id: i64, threshold: i64) -> Result<bool, AppError> {
    let applications: Vec<(String, Status, Option<i64>, i64)> = fa::Entity::find()
        .select_only()
        .columns([fa::Column::OrganisationId, fa::Column::Status, fa::Column::ApprovedCents, fa::Column::DisbursedCents])
        .filter(fa::Column::ProgrammeId.eq(programme_id))
        .into_tuple()
        .all(db)
        .await?;
    let mut current: HashMap<String, (i64, i64)> = HashMap::new();
    for (org, status, approved, disbursed) in applications {
        let (c, d) = contribution(status, approved, disbursed);
        let sum = current.entry(org).or_default();
        sum.0 += c;
        sum.1 += d;
    }
    current.retain(|_, (c, d)| *c != 0 || *d != 0);
    let published: HashMap<String, (i64, i64)> = funding_release::Entity::find()
        .filter(funding_release::Column::ProgrammeId.eq(programme_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.organisation_id, (m.committed_cents, m.disbursed_cents)))
        .collect();
    // Granted and called are two figures: each moves only when at least `threshold` Kommunen
    // changed in it (a release of one Kommune's grant beside two calls would isolate the grant).
    let t = threshold.max(1) as usize;
    let orgs: std::collections::BTreeSet<&String> = current.keys().chain(published.keys()).collect();
    let of = |m: &HashMap<String, (i64, i64)>, o: &String| m.get(o).copied().unwrap_or_default();
    let committed_changed = orgs.iter().filter(|o| of(&current, o).0 != of(&published, o).0).count();
    let disbursed_changed = orgs.iter().filter(|o| of(&current, o).1 != of(&published, o).1).count();
    let (release_committed, release_disbursed) = (committed_changed >= t, disbursed_changed >= t);
    if !release_committed && !release_disbursed {
        return Ok(false);
    }
    let now = crate::core::time::now();
    let fresh: Vec<funding_release::ActiveModel> = orgs
        .iter()
        .map(|o| {
            let (c, d) = of(&current, o);
            let (pc, pd) = of(&published, o);
            ((*o).clone(), if release_committed { c } else { pc }, if release_disbursed { d } else { pd })
        })
        .filter(|(_, c, d)| *c != 0 || *d != 0)
        .map(|(org, c, d)| funding_release::ActiveModel {
            programme_id: Set(programme_id),
            organisation_id: Set(org),
            committed_cents: Set(c),
            disbursed_cents: Set(d),
            released_at: Set(now),
        })
        .collect();
    funding_release::Entity::delete_many().filter(funding_release::Column::ProgrammeId.eq(programme_id)).exec(db).await?;
    if !fresh.is_empty() {
        funding_release::Entity::insert_many(fresh).exec(db).await?;
    }
    Ok(true)
}

/// The released (granted, called) sums per programme.
pub async fn released(db: &impl ConnectionTrait) -> Result<HashMap<i64, (i64, i64)>, AppError> {
    #[derive(Debug, sea_orm::FromQueryResult)]
    struct Sums {
        programme_id: i64,
        committed: i64,
        disbursed: i64,
    }
    let sums = funding_release::Entity::find()
        .select_only()
        .column(funding_release::Column::ProgrammeId)
        .column_as(sea_orm::sea_query::Expr::cust("CAST(SUM(committed_cents) AS BIGINT)"), "committed")
        .column_as(sea_orm::sea_query::Expr::cust("CAST(SUM(disbursed_cents) AS BIGINT)"), "disbursed")
        .group_by(funding_release::Column::ProgrammeId)
        .into_model::<Sums>()
        .all(db)
        .await?;
    Ok(sums.into_iter().map(|s| (s.programme_id, (s.committed, s.disbursed))).collect())
}
