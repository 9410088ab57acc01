//! Funding in the Lagebild: per programme the budget with what is granted, called and free;
//! per Kreis the applications and the sum granted; per month the applications received and
//! granted. For associations and the public no single Kommune's funding can be read: a
//! programme's sums are the released ones (`release`: each release changes at least the
//! threshold of Kommunen at once), and per Kreis they read counts only, Kreise with fewer
//! applying Kommunen suppressed (and one more where needed). An association's figures count its
//! members' applications only (as the register's do), with their sums as released among the
//! members.

use crate::core::entities::{funding_application as fa, funding_programme as fp, funding_step, organisation};
use crate::error::AppError;
use crate::funding::model::Cents;
use crate::funding::model::{Action, FundingFigures, FundingMonth, KreisFunding, ProgrammeFigures, Status};
use crate::identity::Membership;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use std::collections::{BTreeMap, HashMap};

fn definitions() -> Vec<(String, String)> {
    [
        ("bewilligt", "Die Summe der bewilligten Beträge (nach dem Abschluss eines Vorhabens nur der abgerufene Teil)."),
        ("abgerufen", "Die Summe der Mittelabrufe."),
        ("frei", "Budget abzüglich bewilligt."),
        ("Anträge", "Alle gestellten Anträge, auch abgelehnte; »bewilligt« zählt Anträge ab der Bewilligung."),
        ("Unterdrückung", "Für Verbände und die Öffentlichkeit: Die Summen eines Programms werden nur gemeinsam für mindestens so viele Kommunen fortgeschrieben, wie die Schwelle nennt; bis dahin bleibt der zuletzt veröffentlichte Stand stehen, vor der ersten Veröffentlichung »•«. Je Kreis erscheinen nur Anzahlen, keine Beträge; Kreise mit weniger antragstellenden Kommunen werden nicht gezeigt."),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect()
}

/// Per key the number of rows (`COUNT(*)`) of a grouped query.
async fn counts<K: sea_orm::TryGetable + std::hash::Hash + Eq>(db: &impl ConnectionTrait, q: sea_orm::Select<fa::Entity>, key: fa::Column) -> Result<HashMap<K, i64>, AppError> {
    let list: Vec<(K, i64)> = q.select_only().column(key).column_as(Expr::col(fa::Column::Id).count(), "n").group_by(key).into_tuple().all(db).await?;
    Ok(list.into_iter().collect())
}

/// The figures; `full`: the Land's view; `members`: an association's, counting its members only.
#[tracing::instrument(skip_all)]
pub async fn figures(db: &impl ConnectionTrait, full: bool, threshold: i64, members: Option<Membership>, months: &[(i32, u32)]) -> Result<FundingFigures, AppError> {
    let full = full && members.is_none();
    let list = fp::Entity::find().filter(fp::Column::Active.eq(true)).order_by_desc(fp::Column::ClosesOn).order_by_asc(fp::Column::Name).all(db).await?;
    // The applications that count: every one, or the association's members'.
    let counted = match members {
        None => fa::Entity::find(),
        Some(m) => fa::Entity::find().filter(
            fa::Column::OrganisationId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(organisation::Column::Id)
                    .from(organisation::Entity)
                    .and_where(organisation::Column::Kind.is_in(m.kinds().into_iter().map(crate::identity::OrgKind::code)))
                    .to_owned(),
            ),
        ),
    };
    let applications: HashMap<i64, i64> = counts(db, counted.clone(), fa::Column::ProgrammeId).await?;
    let granted = counted.clone().filter(fa::Column::Status.is_in(Status::granted()));
    let approved: HashMap<i64, i64> = counts(db, granted.clone(), fa::Column::ProgrammeId).await?;
    let released = if full { Default::default() } else { super::release::released(db, members).await? };
    let programmes = list
        .into_iter()
        .map(|p| {
            // Outside the Land: the released sums, and none ("•") before the first release.
            let sums = if full { Some((p.committed_cents, p.disbursed_cents)) } else { released.get(&p.id).copied() };
            ProgrammeFigures {
                id: p.id,
                name: p.name,
                budget_cents: p.budget_cents.into(),
                committed_cents: sums.map(|s| s.0.into()),
                disbursed_cents: sums.map(|s| s.1.into()),
                free_cents: sums.map(|s| Cents(p.budget_cents - s.0)),
                applications: applications.get(&p.id).copied().unwrap_or(0),
                approved: approved.get(&p.id).copied().unwrap_or(0),
            }
        })
        .collect();
    let kreise: Vec<(String, String)> = organisation::Entity::find()
        .select_only()
        .column_as(Expr::cust("COALESCE(kreis_key, key)"), "key")
        .column(organisation::Column::Name)
        .filter(organisation::Column::Kind.is_in(["landkreis", "kreisfreie_stadt"]))
        .filter(organisation::Column::Active.eq(true))
        .order_by_asc(Expr::cust("COALESCE(kreis_key, key)"))
        .into_tuple()
        .all(db)
        .await?;
    let per_kreis: HashMap<String, i64> = counts(db, counted.clone(), fa::Column::KreisKey).await?;
    let applicants: HashMap<String, i64> = counted
        .clone()
        .select_only()
        .column(fa::Column::KreisKey)
        .column_as(Expr::cust("COUNT(DISTINCT organisation_id)"), "n")
        .group_by(fa::Column::KreisKey)
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let approved_sum: HashMap<String, i64> = if full {
        granted
            .select_only()
            .column(fa::Column::KreisKey)
            .column_as(Expr::cust("CAST(COALESCE(SUM(approved_cents), 0) AS BIGINT)"), "n")
            .group_by(fa::Column::KreisKey)
            .into_tuple::<(String, i64)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    } else {
        HashMap::new()
    };
    let mut cells: Vec<(i64, bool)> = kreise.iter().map(|(k, _)| (applicants.get(k).copied().unwrap_or(0), true)).collect();
    if !full {
        crate::core::disclosure::suppress(&mut cells, threshold);
    }
    let kreise = kreise
        .into_iter()
        .zip(&cells)
        .map(|((key, name), (_, shown))| KreisFunding {
            applications: shown.then(|| per_kreis.get(&key).copied().unwrap_or(0)),
            approved_cents: (*shown && full).then(|| Cents(approved_sum.get(&key).copied().unwrap_or(0))),
            kreis: key,
            name,
        })
        .collect();
    let received: Vec<chrono::DateTime<chrono::Utc>> = counted.clone().select_only().column(fa::Column::CreatedAt).into_tuple().all(db).await?;
    let mut grants = funding_step::Entity::find().select_only().column(funding_step::Column::At).filter(funding_step::Column::Action.eq(Action::Grant));
    if members.is_some() {
        let ids = counted.clone().select_only().column(fa::Column::Id).into_query();
        grants = grants.filter(funding_step::Column::ApplicationId.in_subquery(ids));
    }
    let granted_at: Vec<chrono::DateTime<chrono::Utc>> = grants.into_tuple().all(db).await?;
    let month = crate::rollout::service::rollup::month_of;
    let mut per: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for t in received {
        per.entry(month(t)).or_default().0 += 1;
    }
    for t in granted_at {
        per.entry(month(t)).or_default().1 += 1;
    }
    let trend = months
        .iter()
        .map(|(y, m)| {
            let key = format!("{y:04}-{m:02}");
            let (rc, ap) = per.get(&key).copied().unwrap_or_default();
            FundingMonth { month: key, received: rc, approved: ap }
        })
        .collect();
    Ok(FundingFigures { suppressed: !full, threshold, counted: members.map(|m| m.label().to_string()), programmes, kreise, trend, definitions: definitions() })
}
