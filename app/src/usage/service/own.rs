//! A Kommune's own usage figures: the page of its figures per Leistung and month (ZSK and its
//! own entries), an own monthly figure for a Leistung the ZSK does not count (refused where the
//! ZSK reports that Leistung for the Kommune), and its figures on the clerk's start page beside
//! the Kreis and the Land.

use super::query::{LAND, PERIOD, months_before, newest};
use crate::access::scope::Scope;
use crate::core::entities::{organisation, ozg_service, service_record, usage_figure, usage_rollup};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::usage::model::{OwnEntry, OwnRow, OwnUsage, StartUsage, StartUsageRow};
use crate::vocabulary::usage::{UsageArea, UsageSource};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The Kommune `key` if the caller may read it.
async fn kommune(db: &impl ConnectionTrait, scope: &Scope, key: &str) -> Result<organisation::Model, AppError> {
    let org = crate::register::service::kommune(db, key).await?;
    if !scope.may_read_kommune(&org.id) {
        return Err(AppError::Forbidden);
    }
    Ok(org)
}

/// The twelve months up to the newest reported (or up to the last month when none is).
async fn period(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<NaiveDate>, AppError> {
    let today = now.with_timezone(&chrono_tz::Europe::Berlin).date_naive();
    let last = months_before(NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), chrono::Datelike::month(&today), 1).unwrap_or(today), 1);
    let newest = newest(db).await?.map_or(last, |n| n.max(last));
    Ok((0..PERIOD).rev().map(|i| months_before(newest, i)).collect())
}

/// The page of a Kommune's figures.
#[tracing::instrument(skip_all)]
pub async fn page(db: &impl ConnectionTrait, scope: &Scope, key: &str, now: DateTime<Utc>) -> Result<OwnUsage, AppError> {
    let org = kommune(db, scope, key).await?;
    let months = period(db, now).await?;
    let (first, last) = (months[0], months[months.len() - 1]);
    let figures = usage_figure::Entity::find()
        .filter(usage_figure::Column::OrganisationId.eq(org.id.clone()))
        .filter(usage_figure::Column::Month.gte(first))
        .filter(usage_figure::Column::Month.lte(last))
        .all(db)
        .await?;
    let mut rows: BTreeMap<(String, UsageSource), Vec<Option<i64>>> = BTreeMap::new();
    for f in &figures {
        let Some(j) = months.iter().position(|m| *m == f.month) else { continue };
        let row = rows.entry((f.ozg_id.clone(), f.source)).or_insert_with(|| vec![None; months.len()]);
        row[j] = Some(row[j].unwrap_or(0) + f.transactions);
    }
    let online: Vec<String> = service_record::Entity::find()
        .select_only()
        .column(service_record::Column::OzgId)
        .filter(service_record::Column::OrganisationId.eq(org.id.clone()))
        .filter(service_record::Column::Stage.eq(crate::register::model::Stage::Online.code()))
        .into_tuple()
        .all(db)
        .await?;
    let catalogue: Vec<(String, String)> = ozg_service::Entity::find()
        .select_only()
        .column(ozg_service::Column::OzgId)
        .column(ozg_service::Column::Name)
        .order_by_asc(ozg_service::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    let names: HashMap<&str, &str> = catalogue.iter().map(|(id, n)| (id.as_str(), n.as_str())).collect();
    let mut out_rows: Vec<OwnRow> = rows
        .into_iter()
        .map(|((ozg, source), counts)| OwnRow { name: names.get(ozg.as_str()).map(|n| n.to_string()).unwrap_or_else(|| ozg.clone()), ozg_id: ozg, counts, source })
        .collect();
    out_rows.sort_by(|a, b| a.name.cmp(&b.name).then(a.source.code().cmp(b.source.code())));
    let online_set: BTreeSet<&str> = online.iter().map(String::as_str).collect();
    let services =
        catalogue.iter().filter(|(id, _)| online_set.contains(id.as_str())).chain(catalogue.iter().filter(|(id, _)| !online_set.contains(id.as_str()))).cloned().collect();
    Ok(OwnUsage {
        key: org.key.clone(),
        name: org.name.clone(),
        months: months.iter().map(|m| m.format("%Y-%m").to_string()).collect(),
        rows: out_rows,
        may_enter: scope.may_act_for(&org.id),
        services,
    })
}

/// Whether the caller may enter figures for the Kommune `key` (its clerks only).
pub async fn may_enter(db: &impl ConnectionTrait, scope: &Scope, key: &str) -> Result<(), AppError> {
    let org = crate::register::service::kommune(db, key).await?;
    if scope.may_act_for(&org.id) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Saves a Kommune's own figure of a month (replacing its earlier one for that month), in the
/// transaction with its rollup and the audit entry.
#[tracing::instrument(skip_all)]
pub async fn enter(db: &sea_orm::DatabaseConnection, scope: &Scope, user: &CurrentUser, e: OwnEntry, now: DateTime<Utc>) -> Result<(), AppError> {
    let org = crate::register::service::kommune(db, &e.kommune).await?;
    if !scope.may_act_for(&org.id) {
        return Err(AppError::Forbidden);
    }
    if ozg_service::Entity::find_by_id(e.ozg_id.clone()).one(db).await?.is_none() {
        return Err(AppError::field("leistung", "Diese OZG-Leistung steht nicht im Katalog."));
    }
    let this_month = NaiveDate::from_ymd_opt(chrono::Datelike::year(&now.date_naive()), chrono::Datelike::month(&now.date_naive()), 1).unwrap_or(e.month);
    if e.month > this_month {
        return Err(AppError::field("monat", "Der Monat liegt in der Zukunft."));
    }
    let counted = usage_figure::Entity::find()
        .filter(usage_figure::Column::OrganisationId.eq(org.id.clone()))
        .filter(usage_figure::Column::OzgId.eq(e.ozg_id.clone()))
        .filter(usage_figure::Column::Source.eq(UsageSource::Zsk))
        .one(db)
        .await?;
    if counted.is_some() {
        return Err(AppError::field(
            "leistung",
            "Für diese Leistung Ihrer Kommune liefert die Zentrale Statistik-Komponente bereits Zahlen; eigene Angaben sind für Leistungen gedacht, die sie nicht zählt.",
        ));
    }
    let ars = org.ars.clone().unwrap_or_else(|| org.key.clone());
    let area = UsageArea::of_ars(&ars).unwrap_or(UsageArea::Gemeinde);
    let txn = crate::core::db::begin_write(db).await?;
    usage_figure::Entity::delete_many()
        .filter(usage_figure::Column::OrganisationId.eq(org.id.clone()))
        .filter(usage_figure::Column::OzgId.eq(e.ozg_id.clone()))
        .filter(usage_figure::Column::Month.eq(e.month))
        .filter(usage_figure::Column::Source.eq(UsageSource::Kommune))
        .exec(&txn)
        .await?;
    usage_figure::ActiveModel {
        id: sea_orm::NotSet,
        month: Set(e.month),
        ozg_id: Set(e.ozg_id.clone()),
        leika_key: Set(None),
        online_service: Set(String::new()),
        online_service_id: Set(String::new()),
        ars: Set(ars),
        area: Set(area),
        organisation_id: Set(org.id.clone()),
        transactions: Set(e.transactions),
        source: Set(UsageSource::Kommune),
        entered_by: Set(Some(user.id.clone())),
        created_at: Set(now),
        demo: Set(false),
    }
    .insert(&txn)
    .await?;
    super::rollup::rebuild(&txn, &BTreeSet::from([e.month])).await?;
    crate::core::audit::record(
        &txn,
        crate::core::audit::Entry {
            actor: Some(&user.id),
            action: crate::vocabulary::audit::AuditAction::UsageEntered,
            object: Some(&org.key),
            detail: Some(format!("{} {}: {}", e.ozg_id, e.month.format("%Y-%m"), e.transactions)),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A Kommune's figures of the last twelve reported months for its start page: the five
/// Leistungen most used, per 1,000 inhabitants beside its Kreis and the Land (as the public reads
/// those); `None` when it has none.
pub async fn start(db: &impl ConnectionTrait, org: &organisation::Model, threshold: i64) -> Result<Option<StartUsage>, AppError> {
    let Some(newest) = newest(db).await? else { return Ok(None) };
    let first = months_before(newest, PERIOD - 1);
    let own: Vec<(String, i64)> = usage_figure::Entity::find()
        .select_only()
        .column(usage_figure::Column::OzgId)
        .column(usage_figure::Column::Transactions)
        .filter(usage_figure::Column::OrganisationId.eq(org.id.clone()))
        .filter(usage_figure::Column::Month.gte(first))
        .filter(usage_figure::Column::Month.lte(newest))
        .into_tuple()
        .all(db)
        .await?;
    if own.is_empty() {
        return Ok(None);
    }
    let mut sums: BTreeMap<String, i64> = BTreeMap::new();
    for (ozg, n) in own {
        *sums.entry(ozg).or_default() += n;
    }
    let mut top: Vec<(String, i64)> = sums.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(5);
    let kreise = super::query::kreise(db).await?;
    let kreis_key = org.kreis_key.clone().unwrap_or_default();
    let kreis_pop = kreise.iter().find(|k| k.0 == kreis_key).map(|k| k.2).unwrap_or(0);
    let land_pop: i64 = kreise.iter().map(|k| k.2).sum();
    let areas = vec![kreis_key.clone(), LAND.to_string()];
    let rows = usage_rollup::Entity::find()
        .filter(usage_rollup::Column::AreaKey.is_in(areas))
        .filter(usage_rollup::Column::OzgId.is_in(top.iter().map(|t| t.0.clone())))
        .filter(usage_rollup::Column::Month.gte(first))
        .filter(usage_rollup::Column::Month.lte(newest))
        .all(db)
        .await?;
    // An area's period as the public reads it: every month shown, else withheld.
    let area_total = |area: &str, ozg: &str| -> Option<i64> {
        let cells: Vec<&usage_rollup::Model> = rows.iter().filter(|r| r.area_key == area && r.ozg_id == ozg).collect();
        (!cells.is_empty() && cells.iter().all(|r| r.transactions == 0 || i64::from(r.contributors) >= threshold)).then(|| cells.iter().map(|r| r.transactions).sum())
    };
    let per = |n: i64, pop: i64| (pop > 0).then(|| (n as f64 * 10_000.0 / pop as f64).round() / 10.0);
    let names: HashMap<String, String> =
        ozg_service::Entity::find().filter(ozg_service::Column::OzgId.is_in(top.iter().map(|t| t.0.clone()))).all(db).await?.into_iter().map(|s| (s.ozg_id, s.name)).collect();
    let own_pop = org.population.unwrap_or(0);
    Ok(Some(StartUsage {
        period: format!("{} bis {}", crate::ui::format::month(&first.format("%Y-%m").to_string()), crate::ui::format::month(&newest.format("%Y-%m").to_string())),
        rows: top
            .into_iter()
            .map(|(ozg, n)| StartUsageRow {
                name: names.get(&ozg).cloned().unwrap_or_else(|| ozg.clone()),
                own: n,
                own_per_1000: per(n, own_pop),
                kreis_per_1000: area_total(&kreis_key, &ozg).and_then(|k| per(k, kreis_pop)),
                land_per_1000: area_total(LAND, &ozg).and_then(|l| per(l, land_pop)),
                ozg_id: ozg,
            })
            .collect(),
    }))
}

/// The figures a person entered for a Kommune: (Kommune's key, OZG-ID, `JJJJ-MM`, count, when),
/// for the Auskunft.
pub async fn of_person(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<(String, String, String, i64, DateTime<Utc>)>, AppError> {
    let rows = usage_figure::Entity::find().filter(usage_figure::Column::EnteredBy.eq(user_id)).order_by_asc(usage_figure::Column::CreatedAt).all(db).await?;
    let keys: HashMap<String, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(rows.iter().map(|r| r.organisation_id.clone())))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.key))
        .collect();
    Ok(rows.into_iter().map(|r| (keys.get(&r.organisation_id).cloned().unwrap_or_default(), r.ozg_id, r.month.format("%Y-%m").to_string(), r.transactions, r.created_at)).collect())
}
