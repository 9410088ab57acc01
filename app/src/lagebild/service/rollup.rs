//! Lagebild rollups: the counters every aggregate figure is computed from, per area (Land,
//! Kreis, Verbandsgemeinde) and OZG-Leistung. A register change adjusts them in its own
//! transaction (`apply_change`); `rebuild` computes them afresh from the register with the same
//! rules as `live`, which is the GROUP BY the rollups replace (used by tests and benchmarks only).

use crate::error::AppError;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use std::collections::BTreeMap;

/// The counters of one area × OZG-Leistung, in the column order of `agg_service_area`.
pub const COUNTERS: [&str; 22] = [
    "other_n", "other_pop", "planned", "in_progress", "pilot", "online", "discontinued", "online_pop", "m11_0", "m11_1", "m11_2", "m11_3",
    "m11_4", "m20_0", "m20_1", "m20_2", "m20_3", "m20_4", "m20_5", "m20_6", "m20_7", "efa",
];

/// Index of each counter in a [`Cell`].
pub mod ix {
    pub const OTHER_N: usize = 0;
    pub const OTHER_POP: usize = 1;
    /// planned, in_progress, pilot, online, discontinued follow in this order.
    pub const STAGES: usize = 2;
    pub const ONLINE: usize = 5;
    pub const ONLINE_POP: usize = 7;
    pub const M11: usize = 8;
    pub const M20: usize = 13;
    pub const EFA: usize = 21;
}

/// Stages with a counter of their own; "nicht begonnen" is what remains of the responsible Kommunen.
pub const COUNTED_STAGES: [&str; 5] = ["planned", "in_progress", "pilot", "online", "discontinued"];

/// Counters of one area × OZG-Leistung.
pub type Cell = [i64; 22];

/// Suffix of the areas that count only Landkreise (the members of the Landkreistag).
pub const LANDKREISE: &str = "lk";
/// Suffix of the areas that count only Städte, Gemeinden and Verbandsgemeinden (the members of
/// the Städte- und Gemeindebund).
pub const GEMEINDEN: &str = "gem";
const GROUP_EXPR: &str = "(CASE WHEN o.kind = 'landkreis' THEN 'lk' ELSE 'gem' END)";

/// Kinds of organisation that count as Kommunen in the figures.
pub(crate) const KOMMUNE_KINDS: &str = "('landkreis','kreisfreie_stadt','einheitsgemeinde','verbandsgemeinde','mitgliedsgemeinde')";

/// The part of the register record that the figures use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub other: bool,
    pub stage: String,
    pub model: Option<String>,
    pub level: Option<i16>,
    pub efa: bool,
    /// The EfA service reused (its name), when the solution is an EfA-Nachnutzung.
    pub efa_service: Option<String>,
}

/// The EfA service name of a record, trimmed; none unless the solution is EfA.
pub fn efa_service(efa: bool, name: Option<&str>) -> Option<String> {
    name.map(str::trim).filter(|n| efa && !n.is_empty()).map(|n| n.chars().take(200).collect())
}

impl Facts {
    pub fn of(m: &crate::core::entities::service_record::Model) -> Facts {
        Facts {
            other: m.responsibility == "other",
            stage: m.stage.clone(),
            model: m.maturity_model.clone(),
            level: m.maturity_level,
            efa: m.solution_kind.as_deref() == Some("efa"),
            efa_service: efa_service(m.solution_kind.as_deref() == Some("efa"), m.solution_name.as_deref()),
        }
    }

    /// The EfA service this record counts for in its areas (responsible Kommunen only).
    pub fn counted_efa(&self) -> Option<&str> {
        if self.other { None } else { self.efa_service.as_deref() }
    }

    /// What one record adds to its areas' counters; a Kommune without a record adds nothing
    /// (responsible, "nicht begonnen"). Must agree with `select_sql`.
    pub fn contribution(&self, population: i64) -> Cell {
        self.counted().contribution(population)
    }

    /// The part of the facts the counters depend on.
    pub fn counted(&self) -> Counted {
        Counted {
            other: self.other,
            stage: Counted::stage_of(&self.stage),
            model: Counted::model_of(self.model.as_deref()),
            level: self.level,
            efa: self.efa,
        }
    }
}

/// What a record's counters depend on, in a few bytes (the trend replays every record of a Land).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counted {
    pub other: bool,
    /// Index in [`COUNTED_STAGES`]; none for "nicht begonnen".
    pub stage: Option<u8>,
    /// 11 for model 1.1, 20 for model 2.0.
    pub model: Option<u8>,
    pub level: Option<i16>,
    pub efa: bool,
}

impl Counted {
    pub fn stage_of(code: &str) -> Option<u8> {
        COUNTED_STAGES.iter().position(|s| *s == code).map(|i| i as u8)
    }

    pub fn model_of(code: Option<&str>) -> Option<u8> {
        match code {
            Some("1.1") => Some(11),
            Some("2.0") => Some(20),
            _ => None,
        }
    }

    /// See [`Facts::contribution`].
    pub fn contribution(&self, population: i64) -> Cell {
        let mut c = [0; 22];
        if self.other {
            c[ix::OTHER_N] = 1;
            c[ix::OTHER_POP] = population;
            return c;
        }
        if let Some(i) = self.stage {
            c[ix::STAGES + i as usize] = 1;
            if ix::STAGES + i as usize == ix::ONLINE {
                c[ix::ONLINE_POP] = population;
            }
        }
        match (self.model, self.level) {
            (Some(11), Some(l @ 0..=4)) => c[ix::M11 + l as usize] = 1,
            (Some(20), Some(l @ 0..=7)) => c[ix::M20 + l as usize] = 1,
            _ => {}
        }
        if self.efa {
            c[ix::EFA] = 1;
        }
        c
    }
}

/// A statement written with `?` placeholders, numbered for PostgreSQL.
pub(crate) fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    // Written with `?`; PostgreSQL numbers its placeholders.
    let sql = if backend == DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 16);
        let mut n = 0;
        for ch in sql.chars() {
            if ch == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(ch);
            }
        }
        out
    } else {
        sql.to_string()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// The areas a Kommune belongs to (Land, Kreis, Verbandsgemeinde if any) and its inhabitants.
#[tracing::instrument(skip_all)]
pub async fn areas_of(db: &impl ConnectionTrait, org_id: &str) -> Result<(Vec<String>, i64), AppError> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(stmt(
            backend,
            "SELECT o.kind, o.key, o.kreis_key, v.key, o.population FROM organisation o LEFT JOIN organisation v ON v.id = o.verband_id WHERE o.id = ?",
            vec![org_id.into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?;
    let kind: String = row.try_get_by_index(0)?;
    let key: String = row.try_get_by_index(1)?;
    let kreis: Option<String> = row.try_get_by_index(2)?;
    let verband: Option<String> = row.try_get_by_index(3)?;
    let population: Option<i64> = row.try_get_by_index(4)?;
    let mut areas = Vec::new();
    if let Some(k) = kreis.filter(|k| k.len() >= 2) {
        areas.push(k[..2].to_string());
        areas.push(k);
    }
    if kind == "verbandsgemeinde" {
        areas.push(key);
    } else if let Some(v) = verband {
        areas.push(v);
    }
    // Each area also counts the members of each Spitzenverband on their own.
    let group = if kind == "landkreis" { LANDKREISE } else { GEMEINDEN };
    let grouped: Vec<String> = areas.iter().map(|a| format!("{a}:{group}")).collect();
    areas.extend(grouped);
    Ok((areas, population.unwrap_or(0)))
}

/// One register record's change as the rollups see it: its OZG-Leistung, the facts before (none
/// for a new record) and after.
pub struct Change {
    pub ozg_id: String,
    pub before: Option<Facts>,
    pub after: Facts,
}

/// Adjusts the rollups for changes of one Kommune's register, inside the caller's transaction:
/// the counters of each area and OZG-Leistung by the difference, the EfA services reused, the
/// Kommune's last change and each area's data date — the last two once, however many records
/// changed (a bulk edit writes as few rows as it can while it holds the write lock).
#[tracing::instrument(skip_all)]
pub async fn apply_changes(db: &impl ConnectionTrait, org_id: &str, changes: &[Change], now: DateTime<Utc>) -> Result<(), AppError> {
    if changes.is_empty() {
        return Ok(());
    }
    let (areas, population) = areas_of(db, org_id).await?;
    let backend = db.get_database_backend();
    let cols = COUNTERS.join(", ");
    let marks = vec!["?"; COUNTERS.len() + 2].join(", ");
    let sets = COUNTERS.iter().map(|c| format!("{c} = agg_service_area.{c} + excluded.{c}")).collect::<Vec<_>>().join(", ");
    let cell_sql = format!("INSERT INTO agg_service_area (area_key, ozg_id, {cols}) VALUES ({marks}) ON CONFLICT (area_key, ozg_id) DO UPDATE SET {sets}");
    let efa_sql = "INSERT INTO agg_efa (area_key, ozg_id, service, kommunen) VALUES (?, ?, ?, ?) \
                   ON CONFLICT (area_key, ozg_id, service) DO UPDATE SET kommunen = agg_efa.kommunen + excluded.kommunen";
    for c in changes {
        let old = c.before.as_ref().map(|f| f.contribution(population)).unwrap_or([0; 22]);
        let new = c.after.contribution(population);
        let delta: Vec<i64> = new.iter().zip(old.iter()).map(|(n, o)| n - o).collect();
        if delta.iter().any(|d| *d != 0) {
            for area in &areas {
                let mut values: Vec<Value> = vec![area.as_str().into(), c.ozg_id.as_str().into()];
                values.extend(delta.iter().map(|d| Value::from(*d)));
                db.execute_raw(stmt(backend, &cell_sql, values)).await?;
            }
        }
        // The EfA services reused, per area.
        let old_efa = c.before.as_ref().and_then(Facts::counted_efa);
        if old_efa != c.after.counted_efa() {
            for (service, d) in [(old_efa, -1i64), (c.after.counted_efa(), 1)] {
                if let Some(service) = service {
                    for area in &areas {
                        db.execute_raw(stmt(backend, efa_sql, vec![area.as_str().into(), c.ozg_id.as_str().into(), service.into(), d.into()])).await?;
                    }
                }
            }
        }
    }
    // The Kommune's last change, for the reporting gaps.
    let sql = "INSERT INTO agg_kommune_activity (organisation_id, last_change_at) VALUES (?, ?) \
               ON CONFLICT (organisation_id) DO UPDATE SET last_change_at = excluded.last_change_at";
    db.execute_raw(stmt(backend, sql, vec![org_id.into(), now.into()])).await?;
    // The data date of the area: the last register change within it.
    for area in &areas {
        db.execute_raw(stmt(backend, "UPDATE agg_area SET updated_at = ?, version = version + 1 WHERE area_key = ?", vec![now.into(), area.as_str().into()])).await?;
    }
    Ok(())
}

/// Kommunen with a register change since `since`, per area of one level within one Land
/// (`grouped`: per member group, as the association areas count).
#[tracing::instrument(skip_all)]
pub async fn active_kommunen(db: &impl ConnectionTrait, level: &str, grouped: bool, land: &str, since: DateTime<Utc>) -> Result<BTreeMap<String, i64>, AppError> {
    let base = area_expr(level);
    let (area, group_by) = if grouped { (format!("{base} || ':' || {GROUP_EXPR}"), format!("{base}, {GROUP_EXPR}")) } else { (base.to_string(), base.to_string()) };
    let sql = format!(
        "SELECT {area}, CAST(COUNT(*) AS BIGINT) FROM agg_kommune_activity a JOIN organisation o ON o.id = a.organisation_id \
         LEFT JOIN organisation v ON v.id = o.verband_id WHERE o.kind IN {KOMMUNE_KINDS} AND a.last_change_at >= ? \
         AND o.kreis_key >= ? AND o.kreis_key < ? AND {base} IS NOT NULL GROUP BY {group_by}"
    );
    // The Land's Kreise as a key range, so the Kommunen come from the index on `kreis_key`
    // (not from every Kommune that changed lately, nationwide).
    let next = land.parse::<u32>().map(|n| format!("{:02}", n + 1)).unwrap_or_else(|_| format!("{land}~"));
    let rows = db.query_all_raw(stmt(db.get_database_backend(), &sql, vec![since.into(), land.into(), next.into()])).await?;
    rows.into_iter().map(|r| Ok((r.try_get_by_index::<String>(0)?, r.try_get_by_index::<i64>(1)?))).collect()
}

/// Condition on Kommunen `o` (with `v` their Verbandsgemeinde) for membership in an area key;
/// the key is bound as the one parameter `?`.
pub fn member_condition(area: &str) -> Option<String> {
    let level = level_of(area)?;
    let base = area_expr(level);
    Some(if area.contains(':') { format!("{base} || ':' || {GROUP_EXPR} = ?") } else { format!("{base} = ?") })
}

/// Area expression and joins of one level, over Kommunen `o` (and their Verbandsgemeinde `v`).
pub(crate) fn area_expr(level: &str) -> &'static str {
    match level {
        "land" => "substr(o.kreis_key, 1, 2)",
        "kreis" => "o.kreis_key",
        _ => "CASE WHEN o.kind = 'verbandsgemeinde' THEN o.key ELSE v.key END",
    }
}

/// The counters computed from the register: `(area, ozg_id, counters…)` grouped by area and
/// OZG-Leistung, for one level (optionally one area of it).
fn select_sql(level: &str, grouped: bool, one_area: bool) -> String {
    let resp = "r.responsibility <> 'other'";
    let pop = "COALESCE(o.population, 0)";
    let mut sums = vec![
        "SUM(CASE WHEN r.responsibility = 'other' THEN 1 ELSE 0 END)".to_string(),
        format!("SUM(CASE WHEN r.responsibility = 'other' THEN {pop} ELSE 0 END)"),
    ];
    for s in COUNTED_STAGES {
        sums.push(format!("SUM(CASE WHEN {resp} AND r.stage = '{s}' THEN 1 ELSE 0 END)"));
    }
    sums.push(format!("SUM(CASE WHEN {resp} AND r.stage = 'online' THEN {pop} ELSE 0 END)"));
    for l in 0..=4 {
        sums.push(format!("SUM(CASE WHEN {resp} AND r.maturity_model = '1.1' AND r.maturity_level = {l} THEN 1 ELSE 0 END)"));
    }
    for l in 0..=7 {
        sums.push(format!("SUM(CASE WHEN {resp} AND r.maturity_model = '2.0' AND r.maturity_level = {l} THEN 1 ELSE 0 END)"));
    }
    sums.push(format!("SUM(CASE WHEN {resp} AND r.solution_kind = 'efa' THEN 1 ELSE 0 END)"));
    let base = area_expr(level);
    let (area, group_by) = if grouped { (format!("{base} || ':' || {GROUP_EXPR}"), format!("{base}, {GROUP_EXPR}")) } else { (base.to_string(), base.to_string()) };
    let sums: Vec<String> = sums.into_iter().map(|s| format!("CAST({s} AS BIGINT)")).collect();
    format!(
        "SELECT {area} AS area, r.ozg_id, {} FROM service_record r JOIN organisation o ON o.id = r.organisation_id \
         LEFT JOIN organisation v ON v.id = o.verband_id WHERE o.kind IN {KOMMUNE_KINDS} AND {base} IS NOT NULL{} GROUP BY {group_by}, r.ozg_id",
        sums.join(", "),
        if one_area { format!(" AND {area} = ?") } else { String::new() }
    )
}

/// The EfA services reused, computed from the register: `(area, ozg_id, service, Kommunen)`.
fn efa_sql(level: &str, grouped: bool, one_area: bool) -> String {
    let base = area_expr(level);
    let (area, group_by) = if grouped { (format!("{base} || ':' || {GROUP_EXPR}"), format!("{base}, {GROUP_EXPR}")) } else { (base.to_string(), base.to_string()) };
    format!(
        "SELECT {area} AS area, r.ozg_id, TRIM(r.solution_name), CAST(COUNT(*) AS BIGINT) FROM service_record r JOIN organisation o ON o.id = r.organisation_id \
         LEFT JOIN organisation v ON v.id = o.verband_id WHERE o.kind IN {KOMMUNE_KINDS} AND {base} IS NOT NULL AND r.responsibility <> 'other' \
         AND r.solution_kind = 'efa' AND r.solution_name IS NOT NULL AND TRIM(r.solution_name) <> ''{} GROUP BY {group_by}, r.ozg_id, TRIM(r.solution_name)",
        if one_area { format!(" AND {area} = ?") } else { String::new() }
    )
}

/// EfA services reused in one area, live from the register: (OZG-ID, service) → Kommunen.
#[tracing::instrument(skip_all)]
pub async fn efa_live(db: &impl ConnectionTrait, area: &str) -> Result<BTreeMap<(String, String), i64>, AppError> {
    let level = level_of(area).ok_or(AppError::NotFound)?;
    let rows = db.query_all_raw(stmt(db.get_database_backend(), &efa_sql(level, area.contains(':'), true), vec![area.into()])).await?;
    rows.into_iter().map(|r| Ok(((r.try_get_by_index(1)?, r.try_get_by_index(2)?), r.try_get_by_index(3)?))).collect()
}

/// EfA services reused in one area, as stored (rows that fell to zero left out).
#[tracing::instrument(skip_all)]
pub async fn efa_stored(db: &impl ConnectionTrait, area: &str) -> Result<BTreeMap<(String, String), i64>, AppError> {
    let rows = db.query_all_raw(stmt(db.get_database_backend(), "SELECT ozg_id, service, kommunen FROM agg_efa WHERE area_key = ? AND kommunen > 0", vec![area.into()])).await?;
    rows.into_iter().map(|r| Ok(((r.try_get_by_index(0)?, r.try_get_by_index(1)?), r.try_get_by_index(2)?))).collect()
}

/// Level of an area key: Land (2 digits), Kreis (5), Verbandsgemeinde (9), each optionally
/// with the suffix of a member group (`:lk`, `:gem`).
pub fn level_of(area: &str) -> Option<&'static str> {
    let (base, group) = match area.split_once(':') {
        Some((b, g)) => (b, Some(g)),
        None => (area, None),
    };
    if !base.bytes().all(|b| b.is_ascii_digit()) || group.is_some_and(|g| g != LANDKREISE && g != GEMEINDEN) {
        return None;
    }
    match base.len() {
        2 => Some("land"),
        5 => Some("kreis"),
        9 => Some("vg"),
        _ => None,
    }
}

fn cells(rows: Vec<sea_orm::QueryResult>, first: usize) -> Result<BTreeMap<String, Cell>, AppError> {
    let mut out = BTreeMap::new();
    for row in rows {
        let ozg: String = row.try_get_by_index(first)?;
        let mut c = [0; 22];
        for (i, v) in c.iter_mut().enumerate() {
            *v = row.try_get_by_index::<i64>(first + 1 + i)?;
        }
        if c.iter().any(|v| *v != 0) {
            out.insert(ozg, c);
        }
    }
    Ok(out)
}

/// The live computation (a GROUP BY over the register) of one area's counters.
#[tracing::instrument(skip_all)]
pub async fn live(db: &impl ConnectionTrait, area: &str) -> Result<BTreeMap<String, Cell>, AppError> {
    let level = level_of(area).ok_or(AppError::NotFound)?;
    let rows = db.query_all_raw(stmt(db.get_database_backend(), &select_sql(level, area.contains(':'), true), vec![area.into()])).await?;
    cells(rows, 1)
}

/// The stored counters of one area (all-zero rows left out).
#[tracing::instrument(skip_all)]
pub async fn stored(db: &impl ConnectionTrait, area: &str) -> Result<BTreeMap<String, Cell>, AppError> {
    let sql = format!("SELECT ozg_id, {} FROM agg_service_area WHERE area_key = ?", COUNTERS.join(", "));
    let rows = db.query_all_raw(stmt(db.get_database_backend(), &sql, vec![area.into()])).await?;
    cells(rows, 0)
}

/// Every area key of the rollups.
#[tracing::instrument(skip_all)]
pub async fn area_keys(db: &impl ConnectionTrait) -> Result<Vec<String>, AppError> {
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT area_key FROM agg_area ORDER BY area_key")).await?;
    rows.into_iter().map(|r| r.try_get_by_index::<String>(0).map_err(AppError::from)).collect()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_counts_once_in_its_stage_level_and_solution() {
        let f = Facts { other: false, stage: "online".into(), model: Some("1.1".into()), level: Some(3), efa: true, efa_service: None };
        let c = f.contribution(1200);
        assert_eq!(c[ix::ONLINE], 1);
        assert_eq!(c[ix::ONLINE_POP], 1200);
        assert_eq!(c[ix::M11 + 3], 1);
        assert_eq!(c[ix::EFA], 1);
        assert_eq!(c.iter().filter(|v| **v == 1).count(), 3);
    }

    #[test]
    fn a_kommune_not_responsible_counts_only_as_such() {
        let f = Facts { other: true, stage: "online".into(), model: Some("2.0".into()), level: Some(5), efa: true, efa_service: Some("X".into()) };
        assert_eq!(f.counted_efa(), None, "a Kommune not responsible reuses nothing");
        let c = f.contribution(500);
        assert_eq!((c[ix::OTHER_N], c[ix::OTHER_POP]), (1, 500));
        assert_eq!(c.iter().sum::<i64>(), 501);
    }

    #[test]
    fn a_record_not_started_adds_nothing() {
        assert_eq!(Facts { stage: "not_started".into(), ..Default::default() }.contribution(10), [0; 22]);
    }

    #[test]
    fn area_keys_name_their_level() {
        assert_eq!(level_of("15"), Some("land"));
        assert_eq!(level_of("15083"), Some("kreis"));
        assert_eq!(level_of("150835402"), Some("vg"));
        assert_eq!(level_of("15x"), None);
        assert_eq!(level_of("15003000"), None);
        assert_eq!(level_of("15083:lk"), Some("kreis"));
        assert_eq!(level_of("15:gem"), Some("land"));
        assert_eq!(level_of("15:x"), None);
    }
}
