//! Register records as the Kommunen might have kept them: for every Kommune × OZG-Leistung a
//! plausible state with the history of the stages it went through, generated reproducibly from
//! a seed and written with multi-row inserts. Used by the national data set for measurements
//! (`server national load`) and by the demo (`server demo`), with a shape of its own each.

use app::register::model::{MaturityModel, Responsibility, ServiceRecordInput, SolutionKind, Stage};
use app::register::service::{default_input, diff};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// Rows per INSERT statement (24 columns × 400 stays below SQLite's and PostgreSQL's
/// parameter limits).
const CHUNK: usize = 400;
/// Kommunen per transaction.
const ORGS_PER_TXN: usize = 40;

/// How the generated histories are spread in time.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Days before today on which a record's first state was reached.
    pub first_days: Range<i64>,
    /// A planned go-live counts from the day the record was planned (so some have passed)
    /// instead of from today (all still ahead).
    pub go_live_after_reached: bool,
    /// A record stays at the last stage it reached before today, instead of reaching every
    /// later stage today (which would crowd the last month of the history).
    pub stop_at_today: bool,
    /// Percent of the Kommunen that stopped keeping their records four months ago (reporting gaps).
    pub quiet_percent: u64,
}

/// How long ago a quiet Kommune changed its records last.
const QUIET_DAYS: i64 = 120;

/// The national data set: histories over the last two years, every planned start ahead.
pub const NATIONAL: Shape = Shape { first_days: 300..730, go_live_after_reached: false, stop_at_today: false, quiet_percent: 0 };
/// The demo: histories over the last 18 months, some planned starts passed.
pub const DEMO: Shape = Shape { first_days: 45..548, go_live_after_reached: true, stop_at_today: true, quiet_percent: 8 };

pub fn seed_for(seed: u64, ags: &str) -> u64 {
    ags.bytes().fold(seed ^ 0x9E37_79B9_7F4A_7C15, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3))
}

fn pick_stage(rng: &mut StdRng) -> Stage {
    match rng.gen_range(0..100) {
        0..45 => Stage::NotStarted,
        45..60 => Stage::Planned,
        60..70 => Stage::InProgress,
        70..75 => Stage::Pilot,
        75..97 => Stage::Online,
        _ => Stage::Discontinued,
    }
}

/// A plausible record as the states it went through, each with the day it was reached: one
/// state per stage on its way (planned, in Umsetzung, Pilotbetrieb, online …, 20–90 days apart,
/// from a first day in `shape.first_days` before `today`), the last with maturity and solution — so the history
/// holds the register's month-by-month progress.
pub fn generate(rng: &mut StdRng, today: NaiveDate, shape: &Shape) -> Vec<(ServiceRecordInput, NaiveDate)> {
    let mut input = default_input();
    let mut stage = pick_stage(rng);
    let mut day = today - Duration::days(rng.gen_range(shape.first_days.clone()));
    let mut path: Vec<Stage> = match stage {
        Stage::NotStarted => Vec::new(),
        Stage::Discontinued => vec![Stage::Planned, Stage::InProgress, Stage::Online, Stage::Discontinued],
        s => [Stage::Planned, Stage::InProgress, Stage::Pilot, Stage::Online].into_iter().filter(|x| *x <= s).collect(),
    };
    // The day each stage is reached (the last ones may fall after today).
    let mut days = Vec::with_capacity(path.len());
    for _ in &path {
        days.push(day);
        day += Duration::days(rng.gen_range(20..90));
    }
    if shape.stop_at_today {
        let reached = days.iter().take_while(|d| **d < today).count();
        path.truncate(reached);
        stage = path.last().copied().unwrap_or(Stage::NotStarted);
    }
    let mut states = Vec::with_capacity(path.len().max(1));
    for (s, d) in path.iter().zip(&days) {
        input.stage = *s;
        input.stage_dates.insert(*s, d.min(&today).format("%Y-%m-%d").to_string());
        states.push((input.clone(), *d.min(&today)));
    }
    let day = day.min(today);
    let reached = states.last().map(|(_, d)| *d).unwrap_or(day.min(today));
    states.pop();
    if stage == Stage::Planned {
        let from = if shape.go_live_after_reached { reached } else { today };
        input.planned_go_live = Some((from + Duration::days(rng.gen_range(30..400))).format("%Y-%m-%d").to_string());
    }
    if rng.gen_range(0..100) < 8 && stage == Stage::NotStarted {
        input.responsibility = Responsibility::Other;
        input.responsibility_note = Some("Landkreis".into());
    }
    if matches!(stage, Stage::Online | Stage::Pilot) {
        input.offered = stage == Stage::Online;
        if rng.gen_bool(0.7) {
            input.maturity_model = Some(MaturityModel::V1_1);
            input.maturity_level = Some(rng.gen_range(2..=4));
        } else {
            input.maturity_model = Some(MaturityModel::V2_0);
            input.maturity_level = Some(rng.gen_range(2..=6));
        }
    }
    if stage >= Stage::InProgress {
        input.solution_kind = Some(SolutionKind::ALL[rng.gen_range(0..SolutionKind::ALL.len())]);
        if input.solution_kind == Some(SolutionKind::Efa) {
            input.solution_name = Some("EfA-Onlinedienst".into());
            input.solution_provider = Some(["Hessen", "Bremen", "Bayern", "Hamburg", "Sachsen-Anhalt"][rng.gen_range(0..5)].into());
        }
    }
    states.push((input, reached));
    for (i, (s, _)) in states.iter_mut().enumerate() {
        s.version = i as i32 + 1;
    }
    states
}

/// Columns of the rows written (the history's id is generated by the database).
const RECORD_COLUMNS: &str = "id, organisation_id, ozg_id, offered, responsibility, responsibility_note, stage, stage_dates, planned_go_live, \
    maturity_model, maturity_level, maturity_criteria, solution_kind, solution_name, solution_provider, url, contact, note, version, created_at, \
    updated_at, updated_by, acting_org_id, demo";
const RECORD_WIDTH: usize = 24;
const HISTORY_COLUMNS: &str = "record_id, organisation_id, ozg_id, version, changed_at, user_id, acting_org_id, changes";
const HISTORY_WIDTH: usize = 8;

/// A register record as written.
struct RecordRow {
    id: Arc<str>,
    org: Arc<str>,
    ozg: Arc<str>,
    offered: bool,
    responsibility: &'static str,
    responsibility_note: Option<String>,
    stage: &'static str,
    stage_dates: String,
    planned_go_live: Option<NaiveDate>,
    maturity_model: Option<&'static str>,
    maturity_level: Option<i16>,
    solution_kind: Option<&'static str>,
    solution_name: Option<String>,
    solution_provider: Option<String>,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// A history entry as written.
struct HistoryRow {
    record: Arc<str>,
    org: Arc<str>,
    ozg: Arc<str>,
    version: i32,
    changed_at: DateTime<Utc>,
    changes: String,
}

/// The rows of some Kommunen.
pub struct Batch {
    records: Vec<RecordRow>,
    history: Vec<HistoryRow>,
    demo: bool,
}

/// Generates the rows of the Kommunen `orgs` (AGS, organisation id).
fn batch(orgs: &[(String, String)], services: &[Arc<str>], seed: u64, today: NaiveDate, shape: &Shape, demo: bool) -> anyhow::Result<Batch> {
    let mut records = Vec::with_capacity(orgs.len() * services.len());
    let mut history = Vec::with_capacity(orgs.len() * services.len() * 2);
    let base = default_input();
    let latest = Utc::now() - Duration::hours(1);
    for (ags, org_id) in orgs {
        let org: Arc<str> = Arc::from(org_id.as_str());
        let mut rng = StdRng::seed_from_u64(seed_for(seed, ags));
        // A quiet Kommune's history ends four months ago and starts within the same span.
        let quiet = seed_for(seed, ags) % 100 < shape.quiet_percent;
        let (today, shape) = if quiet {
            let end = (shape.first_days.end - QUIET_DAYS).max(shape.first_days.start + 1);
            (today - Duration::days(QUIET_DAYS), &Shape { first_days: shape.first_days.start..end, ..shape.clone() })
        } else {
            (today, shape)
        };
        for ozg in services {
            let states = generate(&mut rng, today, shape);
            // A version-7 id from the generator's own random numbers (no system call per id).
            let id: Arc<str> = Arc::from(uuid::Builder::from_unix_timestamp_millis(Utc::now().timestamp_millis() as u64, &rng.r#gen::<[u8; 10]>()).into_uuid().to_string());
            let mut prev = &base;
            let mut first_at = None;
            let mut at = Utc::now();
            let mut last: Option<DateTime<Utc>> = None;
            for (state, day) in &states {
                at = Utc.from_utc_datetime(&day.and_hms_opt(rng.gen_range(7..17), rng.gen_range(0..60), 0).unwrap_or_default());
                // Never in the future, and each state after the one before (several may fall on
                // one day), so replaying the history in time order ends in the record's state.
                at = at.min(latest);
                if let Some(l) = last.filter(|l| at <= *l) {
                    at = l + Duration::minutes(1);
                }
                last = Some(at);
                first_at.get_or_insert(at);
                history.push(HistoryRow { record: id.clone(), org: org.clone(), ozg: ozg.clone(), version: state.version, changed_at: at, changes: serde_json::to_string(&diff(prev, state))? });
                prev = state;
            }
            let input = prev;
            records.push(RecordRow {
                id,
                org: org.clone(),
                ozg: ozg.clone(),
                offered: input.offered,
                responsibility: if input.responsibility == Responsibility::Other { "other" } else { "own" },
                responsibility_note: input.responsibility_note.clone(),
                stage: input.stage.code(),
                stage_dates: serde_json::to_string(&input.stage_dates)?,
                planned_go_live: input.planned_go_live.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
                maturity_model: input.maturity_model.map(|m| m.code()),
                maturity_level: input.maturity_level,
                solution_kind: input.solution_kind.map(|k| k.code()),
                solution_name: input.solution_name.clone(),
                solution_provider: input.solution_provider.clone(),
                version: input.version,
                created_at: first_at.unwrap_or(at),
                updated_at: at,
            });
        }
    }
    Ok(Batch { records, history, demo })
}

/// The multi-row INSERT of `rows` rows into `table`.
fn insert_sql(backend: sea_orm::DatabaseBackend, table: &str, columns: &str, width: usize, rows: usize) -> String {
    let mut n = 0;
    let all: Vec<String> = (0..rows)
        .map(|_| {
            let marks: Vec<String> = (0..width)
                .map(|_| {
                    n += 1;
                    if backend == sea_orm::DatabaseBackend::Postgres { format!("${n}") } else { "?".into() }
                })
                .collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    format!("INSERT INTO {table} ({columns}) VALUES {}", all.join(", "))
}

/// Writes the rows of one batch inside the driver transaction `$tx` (SQLite or PostgreSQL: the
/// same binds, one column order for both).
macro_rules! insert_batch {
    ($tx:expr, $batch:expr, $sql:expr, $backend:expr) => {{
        use sea_orm::sqlx;
        let demo = $batch.demo;
        let mut records = $batch.records.into_iter().peekable();
        while records.peek().is_some() {
            let rows: Vec<RecordRow> = records.by_ref().take(CHUNK).collect();
            let text = $sql.entry((true, rows.len())).or_insert_with(|| insert_sql($backend, "service_record", RECORD_COLUMNS, RECORD_WIDTH, rows.len())).clone();
            // Built from the constant column lists and placeholders only.
            let mut q = sqlx::query(sqlx::AssertSqlSafe(text));
            for r in rows {
                q = q
                    .bind(r.id)
                    .bind(r.org)
                    .bind(r.ozg)
                    .bind(r.offered)
                    .bind(r.responsibility)
                    .bind(r.responsibility_note)
                    .bind(r.stage)
                    .bind(r.stage_dates)
                    .bind(r.planned_go_live)
                    .bind(r.maturity_model)
                    .bind(r.maturity_level)
                    .bind(None::<String>)
                    .bind(r.solution_kind)
                    .bind(r.solution_name)
                    .bind(r.solution_provider)
                    .bind(None::<String>)
                    .bind(None::<String>)
                    .bind(None::<String>)
                    .bind(r.version)
                    .bind(r.created_at)
                    .bind(r.updated_at)
                    .bind(None::<String>)
                    .bind(None::<String>)
                    .bind(demo);
            }
            q.execute(&mut *$tx).await?;
        }
        let mut history = $batch.history.into_iter().peekable();
        while history.peek().is_some() {
            let rows: Vec<HistoryRow> = history.by_ref().take(CHUNK).collect();
            let text = $sql.entry((false, rows.len())).or_insert_with(|| insert_sql($backend, "service_record_history", HISTORY_COLUMNS, HISTORY_WIDTH, rows.len())).clone();
            // Built from the constant column lists and placeholders only.
            let mut q = sqlx::query(sqlx::AssertSqlSafe(text));
            for r in rows {
                q = q.bind(r.record).bind(r.org).bind(r.ozg).bind(r.version).bind(r.changed_at).bind(None::<String>).bind(None::<String>).bind(r.changes);
            }
            q.execute(&mut *$tx).await?;
        }
    }};
}

/// Writes one batch in one transaction, through the database driver directly: sea-orm's
/// generic statements copy every value once more on their way to the driver, which made the load
/// twice as slow. On SQLite on the one connection the load holds (see `load`).
async fn write(db: &sea_orm::DatabaseConnection, sqlite: Option<&mut sea_orm::sqlx::pool::PoolConnection<sea_orm::sqlx::Sqlite>>, b: Batch, sql: &mut HashMap<(bool, usize), String>) -> anyhow::Result<()> {
    use sea_orm::sqlx::Connection;
    let backend = db.get_database_backend();
    match sqlite {
        Some(conn) => {
            let mut tx = conn.begin().await?;
            insert_batch!(tx, b, sql, backend);
            tx.commit().await?;
        }
        None => {
            let mut tx = db.get_postgres_connection_pool().begin().await?;
            insert_batch!(tx, b, sql, backend);
            tx.commit().await?;
        }
    }
    Ok(())
}

/// The OZG-IDs of the catalogue, the services every Kommune gets a record for.
pub async fn catalogue(db: &sea_orm::DatabaseConnection) -> anyhow::Result<Vec<String>> {
    use app::core::entities::ozg_service;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    Ok(ozg_service::Entity::find()
        .select_only()
        .column(ozg_service::Column::OzgId)
        .filter(ozg_service::Column::InCatalogue.eq(true))
        .into_tuple()
        .all(db)
        .await?)
}

/// Generates and writes the records of the Kommunen `orgs` (AGS, organisation id) for every
/// OZG-Leistung of `services`, each with its history; returns (records, history entries)
/// written. `demo` marks every record as demo data. `progress` learns of each batch written.
pub async fn write_all(
    db: &sea_orm::DatabaseConnection,
    orgs: &[(String, String)],
    services: &[String],
    seed: u64,
    shape: Shape,
    demo: bool,
    mut progress: impl FnMut(u64),
) -> anyhow::Result<(u64, u64)> {
    let today = Utc::now().date_naive();
    let mut written = 0u64;
    // The rows are generated on a thread of their own while the previous batch is written.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<anyhow::Result<(usize, Batch)>>(2);
    let work: Vec<Vec<(String, String)>> = orgs.chunks(ORGS_PER_TXN).map(|c| c.to_vec()).collect();
    let generator_services: Vec<Arc<str>> = services.iter().map(|s| Arc::from(s.as_str())).collect();
    let generator = std::thread::spawn(move || {
        for orgs in work {
            let b = batch(&orgs, &generator_services, seed, today, &shape, demo).map(|b| (orgs.len() * generator_services.len(), b));
            if tx.blocking_send(b).is_err() {
                break;
            }
        }
    });
    let mut sql = HashMap::new();
    let mut history_rows = 0u64;
    // On SQLite one connection writes everything, with the pages of the growing indexes kept in
    // memory rather than read back from the file for every insert (256 MiB at most).
    let mut sqlite = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Sqlite => {
            let mut conn = db.get_sqlite_connection_pool().acquire().await?;
            sea_orm::sqlx::query("PRAGMA cache_size = -262144").execute(&mut *conn).await?;
            Some(conn)
        }
        _ => None,
    };
    while let Some(b) = rx.recv().await {
        let (n, b) = b?;
        history_rows += b.history.len() as u64;
        write(db, sqlite.as_mut(), b, &mut sql).await?;
        written += n as u64;
        progress(n as u64);
    }
    generator.join().map_err(|_| anyhow::anyhow!("Erzeugung der Datensätze abgebrochen"))?;
    if let Some(mut conn) = sqlite {
        // Back to the pool with the default cache.
        sea_orm::sqlx::query("PRAGMA cache_size = -2000").execute(&mut *conn).await?;
    }
    Ok((written, history_rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_records_pass_the_register_validation_and_are_reproducible() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default();
        let known = app::catalogue::service::criteria::Known::default();
        for shape in [NATIONAL, DEMO] {
            let mut a = StdRng::seed_from_u64(seed_for(7, "15003000"));
            let mut b = StdRng::seed_from_u64(seed_for(7, "15003000"));
            let (mut steps, mut passed) = (0, 0);
            for _ in 0..2000 {
                let states = generate(&mut a, today, &shape);
                assert_eq!(generate(&mut b, today, &shape), states);
                assert!(!states.is_empty());
                steps += states.len();
                for (i, (input, day)) in states.iter().enumerate() {
                    let checked = app::register::service::validate_on(input, *day, &known);
                    assert!(checked.is_ok(), "{input:?}: {checked:?}");
                    assert!(*day <= today);
                    assert!(*day >= today - Duration::days(shape.first_days.end), "{day} within the shape's span");
                    assert_eq!(input.version, i as i32 + 1);
                    if i > 0 {
                        assert!(states[i - 1].1 <= *day, "states in order of their days");
                        assert!(states[i - 1].0.stage < input.stage || i == states.len() - 1, "each state a stage further");
                    }
                }
                let last = &states[states.len() - 1].0;
                if last.planned_go_live.as_deref().is_some_and(|d| d < "2026-11-26") {
                    passed += 1;
                }
            }
            assert!(steps > 3000, "records that went through stages have a history entry per stage ({steps})");
            if shape.go_live_after_reached {
                assert!(passed > 20, "some planned starts of the demo have passed ({passed})");
            } else {
                assert_eq!(passed, 0, "every planned start of the national data set lies ahead");
            }
        }
    }

    #[test]
    fn each_records_history_is_in_time_order_and_never_in_the_future() {
        let services: Vec<Arc<str>> = (0..300).map(|i| Arc::from(format!("{:05}", 10000 + i).as_str())).collect();
        let orgs = vec![("15003000".to_string(), "org".to_string())];
        let today = Utc::now().date_naive();
        for shape in [NATIONAL, DEMO] {
            let b = batch(&orgs, &services, 7, today, &shape, true).expect("batch");
            let now = Utc::now();
            let mut by_record: HashMap<&str, Vec<(i32, DateTime<Utc>)>> = HashMap::new();
            for h in &b.history {
                assert!(h.changed_at < now, "{} lies ahead", h.changed_at);
                by_record.entry(&h.record).or_default().push((h.version, h.changed_at));
            }
            let (mut same_day, mut last_month) = (0, 0);
            for entries in by_record.values_mut() {
                entries.sort();
                for w in entries.windows(2) {
                    assert!(w[0].1 < w[1].1, "version {} before version {}", w[0].0, w[1].0);
                    same_day += usize::from(w[0].1.date_naive() == w[1].1.date_naive());
                }
                last_month += usize::from(entries.last().is_some_and(|e| now - e.1 < Duration::days(30)));
            }
            assert!(b.records.iter().all(|r| r.updated_at < now));
            // Changes spread over the months: the last month holds about its share.
            assert!(last_month < services.len() / 5, "{last_month} of {} records changed in the last month ({same_day} on one day)", services.len());
        }
    }
}
