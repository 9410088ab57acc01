//! Building the rollups from scratch, once for an older database or on demand.

use crate::error::AppError;
use sea_orm::{ConnectionTrait, Statement};
use super::*;

/// Builds the rollups once for a database that has Kommunen but none yet (one created before
/// the rollups existed). Returns whether it did.
#[tracing::instrument(skip_all)]
pub async fn ensure(db: &sea_orm::DatabaseConnection) -> Result<bool, AppError> {
    let backend = db.get_database_backend();
    let count = |sql: &str| {
        let sql = sql.to_string();
        async move {
            let row = db.query_one_raw(Statement::from_string(backend, sql)).await?;
            Ok::<i64, AppError>(match row {
                Some(r) => r.try_get_by_index::<i64>(0)?,
                None => 0,
            })
        }
    };
    if count("SELECT COUNT(*) FROM agg_area").await? > 0 || count(&format!("SELECT COUNT(*) FROM organisation WHERE kind IN {KOMMUNE_KINDS}")).await? == 0 {
        return Ok(false);
    }
    rebuild(db).await?;
    Ok(true)
}

/// Computes both rollup tables afresh from the organisations and the register, in one
/// transaction (readers see the old or the new state, never a half-built one).
#[tracing::instrument(skip_all)]
pub async fn rebuild(db: &sea_orm::DatabaseConnection) -> Result<(), AppError> {
    let txn = crate::core::db::begin_write(db).await?;
    rebuild_in(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// `rebuild` inside the caller's transaction (the reference import's, when Kommunen change).
#[tracing::instrument(skip_all)]
pub async fn rebuild_in(txn: &impl ConnectionTrait) -> Result<(), AppError> {
    let backend = txn.get_database_backend();
    // Versions continue above the old ones, so no reader mistakes its cached counters for the new.
    let next: i64 = txn
        .query_one_raw(Statement::from_string(backend, "SELECT CAST(COALESCE(MAX(version), 0) + 1 AS BIGINT) FROM agg_area"))
        .await?
        .map(|r| r.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(1);
    txn.execute_unprepared("DELETE FROM agg_service_area").await?;
    txn.execute_unprepared("DELETE FROM agg_area").await?;
    txn.execute_unprepared("DELETE FROM agg_kommune_activity").await?;
    txn.execute_unprepared("DELETE FROM agg_efa").await?;
    txn.execute_unprepared(
        "INSERT INTO agg_kommune_activity (organisation_id, last_change_at) SELECT organisation_id, MAX(updated_at) FROM service_record GROUP BY organisation_id",
    )
    .await?;
    let now = crate::core::time::now();
    let land_names = "CASE substr(o.kreis_key, 1, 2) WHEN '01' THEN 'Schleswig-Holstein' WHEN '02' THEN 'Hamburg' WHEN '03' THEN 'Niedersachsen' \
        WHEN '04' THEN 'Bremen' WHEN '05' THEN 'Nordrhein-Westfalen' WHEN '06' THEN 'Hessen' WHEN '07' THEN 'Rheinland-Pfalz' \
        WHEN '08' THEN 'Baden-Württemberg' WHEN '09' THEN 'Bayern' WHEN '10' THEN 'Saarland' WHEN '11' THEN 'Berlin' \
        WHEN '12' THEN 'Brandenburg' WHEN '13' THEN 'Mecklenburg-Vorpommern' WHEN '14' THEN 'Sachsen' WHEN '15' THEN 'Sachsen-Anhalt' \
        WHEN '16' THEN 'Thüringen' ELSE substr(o.kreis_key, 1, 2) END";
    // A Kreis is named after its Landkreis organisation or its kreisfreie Stadt.
    let kreis_name = "COALESCE((SELECT MIN(k.name) FROM organisation k WHERE k.key = o.kreis_key), \
        (SELECT MIN(s.name) FROM organisation s WHERE s.kreis_key = o.kreis_key AND s.kind = 'kreisfreie_stadt'), o.kreis_key)";
    let base = format!("FROM organisation o LEFT JOIN organisation v ON v.id = o.verband_id WHERE o.kind IN {KOMMUNE_KINDS}");
    // Name and parent are computed from the grouped expression (allowed without an aggregate).
    for (level, name, parent) in [
        ("land", land_names.to_string(), None),
        ("kreis", kreis_name.to_string(), Some("substr(o.kreis_key, 1, 2)")),
        ("vg", "MIN(CASE WHEN o.kind = 'verbandsgemeinde' THEN o.name ELSE v.name END)".to_string(), Some("MIN(o.kreis_key)")),
    ] {
        let base_area = area_expr(level);
        for grouped in [false, true] {
            let (area, group_by, parent) = if grouped {
                (
                    format!("{base_area} || ':' || {GROUP_EXPR}"),
                    format!("{base_area}, {GROUP_EXPR}"),
                    parent.map(|p| format!("{p} || ':' || {GROUP_EXPR}")).unwrap_or_else(|| "NULL".into()),
                )
            } else {
                (base_area.to_string(), base_area.to_string(), parent.map(str::to_string).unwrap_or_else(|| "NULL".into()))
            };
            let sql = format!(
                "INSERT INTO agg_area (area_key, level, name, parent_key, kommunen, population, updated_at, version) \
                 SELECT {area}, '{level}', {name}, {parent}, COUNT(*), CAST(SUM(COALESCE(o.population, 0)) AS BIGINT), ?, ? {base} AND {base_area} IS NOT NULL GROUP BY {group_by}"
            );
            txn.execute_raw(stmt(backend, &sql, vec![now.into(), next.into()])).await?;
        }
    }
    // The register is read twice (per Kreis and per Verbandsgemeinde, each per member group);
    // every other area's counters are sums of those: a Land's group is the sum of its Kreise's,
    // an area's whole the sum of its groups.
    let cols = COUNTERS.join(", ");
    let sums = COUNTERS.iter().map(|c| format!("CAST(SUM({c}) AS BIGINT)")).collect::<Vec<_>>().join(", ");
    for level in ["kreis", "vg"] {
        txn.execute_raw(Statement::from_string(backend, format!("INSERT INTO agg_service_area (area_key, ozg_id, {cols}) {}", select_sql(level, true, false))))
            .await?;
        txn.execute_raw(Statement::from_string(backend, format!("INSERT INTO agg_efa (area_key, ozg_id, service, kommunen) {}", efa_sql(level, true, false))))
            .await?;
    }
    // Areas as sums of other areas' rows (`from`: a LIKE pattern over area keys, `to`: the key
    // expression of the sum), for the counters and for the EfA services.
    let sum_into = |to: String, from: String| {
        let (cols, sums) = (&cols, &sums);
        async move {
            txn.execute_unprepared(&format!(
                "INSERT INTO agg_service_area (area_key, ozg_id, {cols}) SELECT {to}, ozg_id, {sums} FROM agg_service_area WHERE area_key LIKE '{from}' GROUP BY {to}, ozg_id"
            ))
            .await?;
            txn.execute_unprepared(&format!(
                "INSERT INTO agg_efa (area_key, ozg_id, service, kommunen) SELECT {to}, ozg_id, service, CAST(SUM(kommunen) AS BIGINT) FROM agg_efa \
                 WHERE area_key LIKE '{from}' GROUP BY {to}, ozg_id, service"
            ))
            .await?;
            Ok::<(), AppError>(())
        }
    };
    // A Land's group from its Kreise's ('15083:gem' → '15:gem').
    sum_into("substr(area_key, 1, 2) || substr(area_key, 6)".into(), "_____:%".into()).await?;
    // The whole of each area from its groups ('15083:gem' + '15083:lk' → '15083').
    for width in [2, 5, 9] {
        sum_into(format!("substr(area_key, 1, {width})"), format!("{}:%", "_".repeat(width))).await?;
    }
    Ok(())
}
