//! The service list of one Kommune: the catalogue joined with its records, filtered.

use crate::core::entities::{ozg_service, service_record};
use crate::access::scope::Scope;
use crate::register::model::{MaturityModel, Responsibility, SolutionKind, Stage};
use crate::error::AppError;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use super::*;
use crate::core::versions::{Depends, Memo};

/// Filters of the service list (all optional).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListFilter {
    pub themenfeld: Option<String>,
    pub lebenslage: Option<String>,
    pub stage: Option<Stage>,
    pub maturity_level: Option<i16>,
    /// With `maturity_level`: the model the level belongs to (levels differ between models).
    pub maturity_model: Option<MaturityModel>,
    pub solution_kind: Option<SolutionKind>,
    pub focus: Option<bool>,
    /// Name, OZG-ID or LeiKa key.
    pub q: Option<String>,
    /// Records that need care: `stale` (unchanged for 90 days) or `overdue` (planned go-live
    /// passed and not online).
    pub care: Option<Care>,
}

/// Which records need care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Care {
    /// Unchanged for [`STALE_DAYS`] days.
    Stale,
    /// Planned go-live passed and not online.
    Overdue,
}

/// Days after which an unchanged record counts as stale (as the Lagebild's reporting gaps).
pub const STALE_DAYS: i64 = 90;

impl ListItem {
    /// Recorded, and not changed for [`STALE_DAYS`] days before `today` (`JJJJ-MM-TT`).
    pub fn is_stale(&self, today: &str) -> bool {
        let Ok(day) = chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d") else { return false };
        let limit = (day - chrono::Duration::days(STALE_DAYS)).format("%Y-%m-%d").to_string();
        self.updated_on.as_deref().is_some_and(|u| u < limit.as_str())
    }

    /// The planned go-live lies before `today` and the service is not online (nor given up).
    pub fn is_overdue(&self, today: &str) -> bool {
        self.planned_go_live.as_deref().is_some_and(|p| p < today) && !matches!(self.stage, Stage::Online | Stage::Discontinued)
    }
}

/// One row of a Kommune's service list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ListItem {
    pub ozg_id: String,
    pub name: String,
    pub themenfeld: String,
    pub lebenslage: String,
    pub focus: bool,
    pub offered: bool,
    pub responsibility: Responsibility,
    pub stage: Stage,
    pub maturity_model: Option<MaturityModel>,
    pub maturity_level: Option<i16>,
    pub solution_kind: Option<SolutionKind>,
    pub version: i32,
    /// Day of the record's last change (`JJJJ-MM-TT`, Europe/Berlin); none without a record.
    pub updated_on: Option<String>,
    /// Planned go-live (`JJJJ-MM-TT`).
    pub planned_go_live: Option<String>,
}

/// The OZG-Leistungen of the current catalogue (by OZG-ID) and one Kommune's records by OZG-ID:
/// two queries, however many services there are.
#[tracing::instrument(skip_all)]
pub async fn catalogue_with_records(
    db: &impl ConnectionTrait,
    org_id: &str,
) -> Result<(Vec<ozg_service::Model>, std::collections::HashMap<String, service_record::Model>), AppError> {
    let services = ozg_service::Entity::find()
        .filter(ozg_service::Column::InCatalogue.eq(true))
        .order_by_asc(ozg_service::Column::OzgId)
        .all(db)
        .await?;
    let records = service_record::Entity::find()
        .filter(service_record::Column::OrganisationId.eq(org_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.ozg_id.clone(), r))
        .collect();
    Ok((services, records))
}

/// Every OZG-Leistung of the catalogue with the Kommune's record, filtered, by OZG-ID.
#[tracing::instrument(skip_all)]
pub async fn list(db: &DatabaseConnection, scope: &Scope, key: &str, f: &ListFilter) -> Result<Vec<ListItem>, AppError> {
    let all = list_all(db, &crate::core::versions::current(db).await?, scope, key).await?;
    filter_items(db, all, f).await
}

/// A Kommune's record as the list shows it: (OZG-ID, offered, responsibility, stage, maturity
/// model, maturity level, solution kind, version).
type Row = (String, bool, String, String, Option<String>, Option<i16>, Option<String>, i32, chrono::DateTime<chrono::Utc>, Option<chrono::NaiveDate>);

/// The OZG-Leistungen of the current catalogue by OZG-ID, kept while the reference data stands.
static CATALOGUE: Memo<(), Vec<ozg_service::Model>> = Memo::new(2);
/// Kommunen's records by OZG-ID, kept while the register stands (a few hundred Kommunen).
static RECORDS: Memo<String, std::collections::HashMap<String, Row>> = Memo::new(512);

/// Every OZG-Leistung of the catalogue with the Kommune's record, unfiltered, by OZG-ID: read
/// again (two queries, only the columns the list shows) only after the catalogue or the register
/// changed.
#[tracing::instrument(skip_all)]
pub async fn list_all(db: &DatabaseConnection, versions: &crate::core::versions::Versions, scope: &Scope, key: &str) -> Result<Vec<ListItem>, AppError> {
    use sea_orm::QuerySelect;
    let org = kommune(db, key).await?;
    crate::access::policy::kommune_read(scope, &org.id)?;
    let services = CATALOGUE
        .get_or((), versions.stamp(Depends::Reference), || {
            ozg_service::Entity::find().filter(ozg_service::Column::InCatalogue.eq(true)).order_by_asc(ozg_service::Column::OzgId).all(db)
        })
        .await?;
    let records = RECORDS
        .get_or(org.id.clone(), versions.stamp(Depends::RegisterAndReference), || async {
            Ok::<_, sea_orm::DbErr>(
                service_record::Entity::find()
                    .select_only()
                    .columns([
                        service_record::Column::OzgId,
                        service_record::Column::Offered,
                        service_record::Column::Responsibility,
                        service_record::Column::Stage,
                        service_record::Column::MaturityModel,
                        service_record::Column::MaturityLevel,
                        service_record::Column::SolutionKind,
                        service_record::Column::Version,
                        service_record::Column::UpdatedAt,
                        service_record::Column::PlannedGoLive,
                    ])
                    .filter(service_record::Column::OrganisationId.eq(org.id.clone()))
                    .into_tuple::<Row>()
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|r| (r.0.clone(), r))
                    .collect(),
            )
        })
        .await?;
    Ok(services
        .iter()
        .map(|s| {
            let r = records.get(&s.ozg_id);
            ListItem {
                offered: r.is_some_and(|r| r.1),
                responsibility: if r.is_some_and(|r| r.2 == "other") { Responsibility::Other } else { Responsibility::Own },
                stage: r.and_then(|r| Stage::from_code(&r.3)).unwrap_or(Stage::NotStarted),
                maturity_model: r.and_then(|r| r.4.as_deref()).and_then(MaturityModel::from_code),
                maturity_level: r.and_then(|r| r.5),
                solution_kind: r.and_then(|r| r.6.as_deref()).and_then(SolutionKind::from_code),
                version: r.map(|r| r.7).unwrap_or(0),
                updated_on: r.map(|r| r.8.with_timezone(&chrono_tz::Europe::Berlin).format("%Y-%m-%d").to_string()),
                planned_go_live: r.and_then(|r| r.9).map(|d| d.format("%Y-%m-%d").to_string()),
                ozg_id: s.ozg_id.clone(),
                name: s.name.clone(),
                themenfeld: s.themenfeld.clone(),
                lebenslage: s.lebenslage.clone(),
                focus: s.focus,
            }
        })
        .collect())
}

/// Applies a filter to a Kommune's list (the LeiKa key search needs one query).
#[tracing::instrument(skip_all)]
pub async fn filter_items(db: &DatabaseConnection, items: Vec<ListItem>, f: &ListFilter) -> Result<Vec<ListItem>, AppError> {
    use crate::core::entities::leika_service;
    let q = f.q.as_ref().map(|q| q.trim().to_lowercase()).filter(|q| !q.is_empty());
    let leika_hits: Option<std::collections::HashSet<String>> = match &q {
        Some(q) if q.len() >= 3 && q.bytes().all(|b| b.is_ascii_digit()) => Some(
            leika_service::Entity::find()
                .filter(leika_service::Column::LeikaKey.starts_with(q.as_str()))
                .all(db)
                .await?
                .into_iter()
                .map(|l| l.ozg_id)
                .collect(),
        ),
        _ => None,
    };
    let today = crate::core::time::now().with_timezone(&chrono_tz::Europe::Berlin).format("%Y-%m-%d").to_string();
    Ok(items
        .into_iter()
        .filter(|i| match f.care {
            Some(Care::Stale) => i.is_stale(&today),
            Some(Care::Overdue) => i.is_overdue(&today),
            None => true,
        })
        .filter(|i| {
            f.themenfeld.as_ref().is_none_or(|t| t == &i.themenfeld)
                && f.lebenslage.as_ref().is_none_or(|l| l == &i.lebenslage)
                && f.stage.is_none_or(|st| st == i.stage)
                && f.maturity_level.is_none_or(|l| Some(l) == i.maturity_level)
                && f.maturity_model.is_none_or(|m| Some(m) == i.maturity_model)
                && f.solution_kind.is_none_or(|k| Some(k) == i.solution_kind)
                && f.focus.is_none_or(|fo| fo == i.focus)
        })
        .filter(|i| match &q {
            None => true,
            Some(q) => {
                i.name.to_lowercase().contains(q.as_str())
                    || i.ozg_id.starts_with(q.as_str())
                    || leika_hits.as_ref().is_some_and(|h| h.contains(&i.ozg_id))
            }
        })
        .collect())
}

/// Where a Kommune's record of an OZG-Leistung is re-used: the EfA service the Land implements
/// the Leistung with (active on its list) and the Kommune's connection to it.
#[tracing::instrument(skip_all)]
pub async fn reuse_for(db: &impl ConnectionTrait, organisation_id: &str, ozg_id: &str) -> Result<Option<crate::vocabulary::rollout::ReuseLink>, AppError> {
    use crate::core::entities::{connection, efa_service, rollout_plan};
    let Some(service_id) = rollout_plan::Entity::find_by_id(ozg_id.to_string()).one(db).await?.and_then(|p| p.efa_service_id) else {
        return Ok(None);
    };
    let Some(service) = efa_service::Entity::find_by_id(service_id.clone()).one(db).await?.filter(|s| s.active) else {
        return Ok(None);
    };
    let connection = connection::Entity::find()
        .filter(connection::Column::OrganisationId.eq(organisation_id))
        .filter(connection::Column::EfaServiceId.eq(service_id.as_str()))
        .one(db)
        .await?
        .map(|c| (c.id, c.state));
    Ok(Some(crate::vocabulary::rollout::ReuseLink { service_id, service_name: service.name, connection }))
}
