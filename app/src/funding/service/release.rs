//! Releases of funding sums to the public. The Land sees every sum as it is; everyone else
//! (the public, the associations, other Kommunen's clerks) sees a programme's granted and called
//! sums as of their last release. A release takes the current sum of every Kommune of the
//! programme at once, and happens for each of the two figures only when at least the
//! suppression threshold of Kommunen changed in it since the previous one: so the difference between any two public answers, today's
//! and yesterday's included, is the sum of at least that many Kommunen, never one grant.
//! Per Kreis the public reads counts only, no sums (a Kreis figure beside the programme figure
//! would isolate a grant whenever the two were released at different times).
//!
//! An association reads its members' sums only, released the same way among its members
//! (`funding_release_member`): the public's release may move with one member and many
//! non-members, which would isolate that member's grant in the members' sum.

use crate::core::entities::{funding_application as fa, funding_release, funding_release_member as frm, organisation};
use crate::error::AppError;
use crate::funding::model::Status;
use crate::identity::{Membership, OrgKind};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use std::collections::{BTreeSet, HashMap};

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

type Sums = HashMap<String, (i64, i64)>;

/// The sums to publish when at least `t` Kommunen changed in one of the two figures since
/// `published`; `None` when nothing is released.
fn plan(current: &Sums, published: &Sums, t: usize) -> Option<Vec<(String, i64, i64)>> {
    let orgs: BTreeSet<&String> = current.keys().chain(published.keys()).collect();
    let of = |m: &Sums, o: &String| m.get(o).copied().unwrap_or_default();
    // Granted and called are two figures: each moves only when at least `t` Kommunen changed
    // in it (a release of one Kommune's grant beside two calls would isolate the grant).
    let committed_changed = orgs.iter().filter(|o| of(current, o).0 != of(published, o).0).count();
    let disbursed_changed = orgs.iter().filter(|o| of(current, o).1 != of(published, o).1).count();
    let (release_committed, release_disbursed) = (committed_changed >= t, disbursed_changed >= t);
    if !release_committed && !release_disbursed {
        return None;
    }
    Some(
        orgs.iter()
            .map(|o| {
                let (c, d) = of(current, o);
                let (pc, pd) = of(published, o);
                ((*o).clone(), if release_committed { c } else { pc }, if release_disbursed { d } else { pd })
            })
            .filter(|(_, c, d)| *c != 0 || *d != 0)
            .collect(),
    )
}

/// Releases the programme's current granted sums when at least `threshold` Kommunen's granted
/// sum changed since the last release, and likewise the called sums, for the public and for
/// each association's members apart; `true` when the public's release happened. Call it in the
/// transaction of every step that moves money.
#[tracing::instrument(skip(db))]
pub async fn release(db: &impl ConnectionTrait, programme_id: i64, threshold: i64) -> Result<bool, AppError> {
    let applications: Vec<(String, Status, Option<i64>, i64)> = fa::Entity::find()
        .select_only()
        .columns([fa::Column::OrganisationId, fa::Column::Status, fa::Column::ApprovedCents, fa::Column::DisbursedCents])
        .filter(fa::Column::ProgrammeId.eq(programme_id))
        .into_tuple()
        .all(db)
        .await?;
    let ids: BTreeSet<String> = applications.iter().map(|a| a.0.clone()).collect();
    let kinds: HashMap<String, Option<OrgKind>> = organisation::Entity::find()
        .select_only()
        .columns([organisation::Column::Id, organisation::Column::Kind])
        .filter(organisation::Column::Id.is_in(ids))
        .into_tuple::<(String, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, kind)| (id, OrgKind::from_code(&kind)))
        .collect();
    let mut current: Sums = HashMap::new();
    for (org, status, approved, disbursed) in applications {
        let (c, d) = contribution(status, approved, disbursed);
        let sum = current.entry(org).or_default();
        sum.0 += c;
        sum.1 += d;
    }
    current.retain(|_, (c, d)| *c != 0 || *d != 0);
    let t = threshold.max(1) as usize;
    let now = crate::core::time::now();
    // The public's.
    let published: Sums = funding_release::Entity::find()
        .filter(funding_release::Column::ProgrammeId.eq(programme_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.organisation_id, (m.committed_cents, m.disbursed_cents)))
        .collect();
    let public = plan(&current, &published, t);
    if let Some(fresh) = &public {
        funding_release::Entity::delete_many().filter(funding_release::Column::ProgrammeId.eq(programme_id)).exec(db).await?;
        let rows: Vec<funding_release::ActiveModel> = fresh
            .iter()
            .map(|(org, c, d)| funding_release::ActiveModel { programme_id: Set(programme_id), organisation_id: Set(org.clone()), committed_cents: Set(*c), disbursed_cents: Set(*d), released_at: Set(now) })
            .collect();
        if !rows.is_empty() {
            funding_release::Entity::insert_many(rows).exec(db).await?;
        }
    }
    // Each association's members', among themselves.
    for group in Membership::ALL {
        let members = group.kinds();
        let mine: Sums = current.iter().filter(|(o, _)| kinds.get(*o).copied().flatten().is_some_and(|k| members.contains(&k))).map(|(o, s)| (o.clone(), *s)).collect();
        let published: Sums = frm::Entity::find()
            .filter(frm::Column::ProgrammeId.eq(programme_id))
            .filter(frm::Column::MemberGroup.eq(group.code()))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.organisation_id, (m.committed_cents, m.disbursed_cents)))
            .collect();
        let Some(fresh) = plan(&mine, &published, t) else { continue };
        frm::Entity::delete_many().filter(frm::Column::ProgrammeId.eq(programme_id)).filter(frm::Column::MemberGroup.eq(group.code())).exec(db).await?;
        let rows: Vec<frm::ActiveModel> = fresh
            .into_iter()
            .map(|(org, c, d)| frm::ActiveModel {
                programme_id: Set(programme_id),
                member_group: Set(group.code().to_string()),
                organisation_id: Set(org),
                committed_cents: Set(c),
                disbursed_cents: Set(d),
                released_at: Set(now),
            })
            .collect();
        if !rows.is_empty() {
            frm::Entity::insert_many(rows).exec(db).await?;
        }
    }
    Ok(public.is_some())
}

/// The released (granted, called) sums per programme: the public's, or an association's
/// members'.
pub async fn released(db: &impl ConnectionTrait, members: Option<Membership>) -> Result<HashMap<i64, (i64, i64)>, AppError> {
    #[derive(Debug, sea_orm::FromQueryResult)]
    struct Released {
        programme_id: i64,
        committed: i64,
        disbursed: i64,
    }
    let committed = sea_orm::sea_query::Expr::cust("CAST(SUM(committed_cents) AS BIGINT)");
    let disbursed = sea_orm::sea_query::Expr::cust("CAST(SUM(disbursed_cents) AS BIGINT)");
    let sums = match members {
        None => {
            funding_release::Entity::find()
                .select_only()
                .column(funding_release::Column::ProgrammeId)
                .column_as(committed, "committed")
                .column_as(disbursed, "disbursed")
                .group_by(funding_release::Column::ProgrammeId)
                .into_model::<Released>()
                .all(db)
                .await?
        }
        Some(m) => {
            frm::Entity::find()
                .select_only()
                .column(frm::Column::ProgrammeId)
                .column_as(committed, "committed")
                .column_as(disbursed, "disbursed")
                .filter(frm::Column::MemberGroup.eq(m.code()))
                .group_by(frm::Column::ProgrammeId)
                .into_model::<Released>()
                .all(db)
                .await?
        }
    };
    Ok(sums.into_iter().map(|s| (s.programme_id, (s.committed, s.disbursed))).collect())
}
