//! What a Lagebild was computed from, read in one round trip: the rollups' versions, the times of
//! the jobs behind the case statistics and the trend, and the reference data's counter (names of
//! OZG-Leistungen, categories, organisations, the curated EfA list). A Lagebild computed earlier
//! is current while its stand is; every instance reads the stand from the database.

use sea_orm::{ConnectionTrait, DbErr, Statement};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Stand {
    area_versions: (i64, i64, i64),
    case_stats_at: i64,
    trend_at: i64,
    epoch: String,
    reference: i64,
}

pub async fn stand(db: &impl ConnectionTrait) -> Result<Stand, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT (SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM agg_area), (SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM agg_area), \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM agg_area), (SELECT computed_at FROM agg_case_stand WHERE id = 1), (SELECT MAX(computed_at) FROM agg_trend_stand), \
             (SELECT epoch FROM data_version WHERE id = 1), (SELECT reference FROM data_version WHERE id = 1)",
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("Stand des Lagebilds".into()))?;
    let time = |i: usize| row.try_get_by_index::<Option<chrono::DateTime<chrono::Utc>>>(i).ok().flatten().map(|t| t.timestamp_micros()).unwrap_or(0);
    Ok(Stand {
        area_versions: (row.try_get_by_index(0)?, row.try_get_by_index(1)?, row.try_get_by_index(2)?),
        case_stats_at: time(3),
        trend_at: time(4),
        epoch: row.try_get_by_index(5)?,
        reference: row.try_get_by_index(6)?,
    })
}
