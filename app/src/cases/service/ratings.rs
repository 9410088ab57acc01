//! The Kommune's ratings of the help on solved cases: given and changed by its clerks until the
//! case is closed (a case closed before anyone rated it may still be rated once), read by the
//! Land per team, category and month. The Kommunen never see another's rating or its rater.

use crate::access::scope::Scope;
use crate::cases::model::{CaseStatus, NewRating, RatedCase, Rating, RatingGroup, RatingSummary};
use crate::cases::service::directory::Directory;
use crate::cases::service::workflow::{Actor, event};
use crate::cases::service::{load, load_for, status_of};
use crate::core::db::begin_write;
use crate::core::entities::{case_rating, support_case};
use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::{BTreeMap, HashSet};

/// The Land's figures cover the ratings of the last twelve months.
const WINDOW_DAYS: i64 = 365;

/// The newest ratings with their comments on the Land's page.
const NEWEST: u64 = 20;

/// Whether this caller may rate the case now (`rated`: it has a rating already).
pub fn may_rate(scope: &Scope, c: &support_case::Model, rated: bool) -> bool {
    crate::access::policy::files_cases(scope)
        && match status_of(c) {
            CaseStatus::Solved => true,
            CaseStatus::Closed => c.solved_at.is_some() && !rated,
            _ => false,
        }
}

/// The case's rating as this caller may see it (the rater's name for the Land only).
pub async fn of_case(db: &impl ConnectionTrait, dir: &Directory, case_id: i64, internal: bool) -> Result<Option<Rating>, AppError> {
    Ok(case_rating::Entity::find_by_id(case_id).one(db).await?.map(|r| Rating {
        stars: u8::try_from(r.stars).unwrap_or(1),
        comment: r.comment,
        rated_at: crate::core::time::format_berlin(r.updated_at),
        rated_by: if internal { r.rated_by.as_ref().and_then(|u| dir.users.get(u).cloned()) } else { None },
    }))
}

/// Rates a case or changes its rating (a clerk of the case's Kommune).
#[tracing::instrument(skip_all, fields(case = r.case_id))]
pub async fn rate(db: &sea_orm::DatabaseConnection, a: &Actor<'_>, r: &NewRating) -> Result<(), AppError> {
    load_for(db, a.scope, r.case_id).await?;
    crate::access::policy::require_filer(a.scope)?;
    let tx = begin_write(db).await?;
    let c = load(&tx, r.case_id).await?;
    let existing = case_rating::Entity::find_by_id(r.case_id).one(&tx).await?;
    if !may_rate(a.scope, &c, existing.is_some()) {
        return Err(AppError::Conflict(match status_of(&c) {
            CaseStatus::Closed if existing.is_some() => "Der Fall ist geschlossen; seine Bewertung kann nicht mehr geändert werden.".into(),
            CaseStatus::Closed => "Ein ohne Lösung geschlossener Fall kann nicht bewertet werden.".into(),
            _ => "Bewerten können Sie die Beratung, sobald der Fall gelöst ist.".into(),
        }));
    }
    let stars = i16::from(r.stars);
    let changed = match existing {
        Some(old) => {
            let mut am = old.into_active_model();
            am.stars = Set(stars);
            am.comment = Set(r.comment.clone());
            am.rated_by = Set(Some(a.user.id.clone()));
            am.updated_at = Set(a.now);
            am.update(&tx).await?;
            true
        }
        None => {
            case_rating::ActiveModel {
                case_id: Set(r.case_id),
                stars: Set(stars),
                comment: Set(r.comment.clone()),
                rated_by: Set(Some(a.user.id.clone())),
                created_at: Set(a.now),
                updated_at: Set(a.now),
            }
            .insert(&tx)
            .await?;
            false
        }
    };
    let what = if changed { "Bewertung der Kommune geändert" } else { "Die Kommune hat die Beratung bewertet" };
    event(&tx, r.case_id, a.now, Some(&a.user.id), "rating", false, format!("{what}: {}.", Rating::stars_text(r.stars))).await?;
    tx.commit().await?;
    Ok(())
}

fn group(label: String, stars: &[i16]) -> RatingGroup {
    let count = stars.len() as i64;
    let average = if count == 0 { 0.0 } else { stars.iter().map(|s| f64::from(*s)).sum::<f64>() / count as f64 };
    RatingGroup { label, count, average }
}

fn groups(map: BTreeMap<String, Vec<i16>>) -> Vec<RatingGroup> {
    map.into_iter().map(|(label, stars)| group(label, &stars)).collect()
}

/// The Land's figures of the ratings of the last twelve months.
#[tracing::instrument(skip_all)]
pub async fn summary(db: &impl ConnectionTrait, dir: &Directory, scope: &Scope, now: DateTime<Utc>) -> Result<RatingSummary, AppError> {
    crate::access::policy::require_case_ratings_reader(scope)?;
    let start = now - Duration::days(WINDOW_DAYS);
    let ratings = case_rating::Entity::find().filter(case_rating::Column::CreatedAt.gte(start)).order_by_desc(case_rating::Column::CreatedAt).all(db).await?;
    let rated = Query::select().column(case_rating::Column::CaseId).from(case_rating::Entity).and_where(case_rating::Column::CreatedAt.gte(start)).to_owned();
    let cases: std::collections::HashMap<i64, support_case::Model> =
        support_case::Entity::find().filter(support_case::Column::Id.in_subquery(rated)).all(db).await?.into_iter().map(|c| (c.id, c)).collect();
    let (mut teams, mut categories, mut months) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    let mut all = Vec::with_capacity(ratings.len());
    let mut newest = Vec::new();
    for r in &ratings {
        let Some(c) = cases.get(&r.case_id) else { continue };
        all.push(r.stars);
        let team = c.team_id.as_ref().and_then(|t| dir.team_name(t).cloned()).unwrap_or_else(|| "ohne Team".into());
        teams.entry(team).or_insert_with(Vec::new).push(r.stars);
        let category = dir.categories.iter().find(|k| k.id == c.category_id).map(|k| k.label.clone()).unwrap_or_default();
        categories.entry(category).or_insert_with(Vec::new).push(r.stars);
        let b = r.created_at.with_timezone(&chrono_tz::Europe::Berlin);
        months.entry(b.format("%Y-%m").to_string()).or_insert_with(Vec::new).push(r.stars);
        if (newest.len() as u64) < NEWEST {
            newest.push(RatedCase {
                case_id: c.id,
                subject: c.subject.clone(),
                kommune: dir.orgs.get(&c.organisation_id).map(|o| o.1.clone()).unwrap_or_default(),
                stars: u8::try_from(r.stars).unwrap_or(1),
                comment: r.comment.clone(),
                rated_at: crate::core::time::berlin_date(r.updated_at),
            });
        }
    }
    let mut months = groups(months);
    months.reverse();
    for m in &mut months {
        m.label = crate::ui::format::month(&m.label);
    }
    Ok(RatingSummary { total: group("alle".into(), &all), teams: groups(teams), categories: groups(categories), months, newest })
}

/// The Land's ratings since `start` for the Lagebild: (ratings, sum of stars, Kommunen that rated).
pub async fn land_figures(db: &impl ConnectionTrait, start: DateTime<Utc>) -> Result<(i64, i64, i64), AppError> {
    let stars: Vec<i16> = case_rating::Entity::find().select_only().column(case_rating::Column::Stars).filter(case_rating::Column::CreatedAt.gte(start)).into_tuple().all(db).await?;
    let rated = Query::select().column(case_rating::Column::CaseId).from(case_rating::Entity).and_where(case_rating::Column::CreatedAt.gte(start)).to_owned();
    let orgs: Vec<String> = support_case::Entity::find().select_only().column(support_case::Column::OrganisationId).filter(support_case::Column::Id.in_subquery(rated)).into_tuple().all(db).await?;
    let kommunen = orgs.into_iter().collect::<HashSet<_>>().len() as i64;
    Ok((stars.len() as i64, stars.iter().map(|s| i64::from(*s)).sum(), kommunen))
}

/// The ratings a person gave, for the Auskunft: (case, stars, comment, last changed).
pub async fn of_person(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<(i64, i16, String, DateTime<Utc>)>, AppError> {
    Ok(case_rating::Entity::find()
        .filter(case_rating::Column::RatedBy.eq(user_id))
        .order_by_asc(case_rating::Column::CaseId)
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.case_id, r.stars, r.comment, r.updated_at))
        .collect())
}
