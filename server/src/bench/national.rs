//! `server national load`: the national data set for measurements — every German Gemeinde
//! from the Gemeindeverzeichnis × every OZG-Leistung of the catalogue (≈ 6.1 M register
//! records), each with its history entry, generated reproducibly from a seed. Meant for a
//! separate benchmark database, not for production: it adds ~10,800 Kommunen outside
//! Sachsen-Anhalt. A second run continues where the first stopped.

use app::register::model::{MaturityModel, Responsibility, ServiceRecordInput, SolutionKind, Stage};
use app::core::entities::{organisation, ozg_service, service_record};
use app::register::service::{default_input, diff};
use app::core::state::AppState;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// Rows per INSERT statement (23 columns × 400 stays below SQLite's and PostgreSQL's
/// parameter limits).
const CHUNK: usize = 400;
/// Kommunen per transaction.
const ORGS_PER_TXN: usize = 40;

struct Gemeinde {
    ags: String,
    name: String,
    kreisfrei: bool,
    kreis: String,
    population: Option<i64>,
    ars: String,
    area: Option<i64>,
}

fn read_gemeinden(path: &Path) -> anyhow::Result<Vec<Gemeinde>> {
    let mut r = csv::ReaderBuilder::new().from_path(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let headers = r.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name).ok_or_else(|| anyhow::anyhow!("Spalte »{name}« fehlt in {}", path.display()));
    let (ags, name, kind, kreis, pop, ars, area) = (col("ags")?, col("name")?, col("kind")?, col("kreis_ags")?, col("population")?, col("ars")?, col("area_ha")?);
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| anyhow::anyhow!("Zeile {}: {e}", i + 2))?;
        let a = rec.get(ags).unwrap_or_default().trim().to_string();
        if a.len() != 8 || !a.bytes().all(|b| b.is_ascii_digit()) {
            anyhow::bail!("Zeile {}: »{a}« ist kein achtstelliger AGS", i + 2);
        }
        out.push(Gemeinde {
            name: rec.get(name).unwrap_or_default().trim().chars().take(200).collect(),
            kreisfrei: rec.get(kind).unwrap_or_default().trim() == "kreisfreie Stadt",
            kreis: rec.get(kreis).unwrap_or_default().trim().to_string(),
            population: rec.get(pop).and_then(|p| p.trim().parse().ok()),
            ars: rec.get(ars).unwrap_or_default().trim().to_string(),
            area: rec.get(area).and_then(|p| p.trim().parse().ok()),
            ags: a,
        });
    }
    Ok(out)
}

fn seed_for(seed: u64, ags: &str) -> u64 {
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
/// within the two years before `today`), the last with maturity and solution — so the history
/// holds the register's month-by-month progress.
fn generate(rng: &mut StdRng, today: NaiveDate) -> Vec<(ServiceRecordInput, NaiveDate)> {
    let mut input = default_input();
    let stage = pick_stage(rng);
    let mut day = today - Duration::days(rng.gen_range(300..730));
    let path: Vec<Stage> = match stage {
        Stage::NotStarted => Vec::new(),
        Stage::Discontinued => vec![Stage::Planned, Stage::InProgress, Stage::Online, Stage::Discontinued],
        s => [Stage::Planned, Stage::InProgress, Stage::Pilot, Stage::Online].into_iter().filter(|x| *x <= s).collect(),
    };
    let mut states = Vec::with_capacity(path.len().max(1));
    for s in &path {
        input.stage = *s;
        input.stage_dates.insert(*s, day.format("%Y-%m-%d").to_string());
        states.push((input.clone(), day.min(today)));
        day = (day + Duration::days(rng.gen_range(20..90))).min(today);
    }
    let reached = states.last().map(|(_, d)| *d).unwrap_or(day.min(today));
    states.pop();
    if stage == Stage::Planned {
        input.planned_go_live = Some((today + Duration::days(rng.gen_range(30..400))).format("%Y-%m-%d").to_string());
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
    updated_at, updated_by, acting_org_id";
const RECORD_WIDTH: usize = 23;
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
struct Batch {
    records: Vec<RecordRow>,
    history: Vec<HistoryRow>,
}

/// Generates the rows of the Kommunen `orgs` (AGS, organisation id).
fn batch(orgs: &[(String, String)], services: &[Arc<str>], seed: u64, today: NaiveDate) -> anyhow::Result<Batch> {
    let mut records = Vec::with_capacity(orgs.len() * services.len());
    let mut history = Vec::with_capacity(orgs.len() * services.len() * 2);
    let base = default_input();
    for (ags, org_id) in orgs {
        let org: Arc<str> = Arc::from(org_id.as_str());
        let mut rng = StdRng::seed_from_u64(seed_for(seed, ags));
        for ozg in services {
            let states = generate(&mut rng, today);
            // A version-7 id from the generator's own random numbers (no system call per id).
            let id: Arc<str> = Arc::from(uuid::Builder::from_unix_timestamp_millis(Utc::now().timestamp_millis() as u64, &rng.r#gen::<[u8; 10]>()).into_uuid().to_string());
            let mut prev = &base;
            let mut first_at = None;
            let mut at = Utc::now();
            for (state, day) in &states {
                at = Utc.from_utc_datetime(&day.and_hms_opt(rng.gen_range(7..17), rng.gen_range(0..60), 0).unwrap_or_default());
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
    Ok(Batch { records, history })
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
                    .bind(None::<String>);
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

/// Loads the national data set; returns (Kommunen added, Kommunen loaded, records written).
#[tracing::instrument(skip_all)]
pub async fn load(state: &AppState, file: &Path, seed: u64) -> anyhow::Result<(usize, usize, u64)> {
    let db = &state.db;
    let services: Vec<String> = ozg_service::Entity::find()
        .select_only()
        .column(ozg_service::Column::OzgId)
        .filter(ozg_service::Column::InCatalogue.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    if services.is_empty() {
        anyhow::bail!("Der OZG-Katalog ist leer. Bitte zuerst »server import« ausführen.");
    }
    let gemeinden = read_gemeinden(file)?;
    // Organisations: Sachsen-Anhalt's exist from the reference import; the others are added.
    let existing: HashMap<String, String> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Key)
        .column(organisation::Column::Id)
        .into_tuple::<(String, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let now = app::core::time::now();
    let mut ids: Vec<(String, String)> = Vec::with_capacity(gemeinden.len());
    let mut new_orgs = Vec::new();
    for g in &gemeinden {
        match existing.get(&g.ags) {
            Some(id) => ids.push((g.ags.clone(), id.clone())),
            None => {
                let id = uuid::Uuid::now_v7().to_string();
                ids.push((g.ags.clone(), id.clone()));
                new_orgs.push(organisation::ActiveModel {
                    id: Set(id),
                    key: Set(g.ags.clone()),
                    kind: Set(if g.kreisfrei { "kreisfreie_stadt" } else { "einheitsgemeinde" }.into()),
                    name: Set(g.name.clone()),
                    ags: Set(Some(g.ags.clone())),
                    ars: Set(Some(g.ars.clone()).filter(|a| !a.is_empty())),
                    kreis_key: Set(Some(g.kreis.clone()).filter(|k| !k.is_empty())),
                    verband_id: Set(None),
                    population: Set(g.population),
                    area_ha: Set(g.area),
                    active: Set(true),
                    created_at: Set(now),
                    updated_at: Set(now),
                });
            }
        }
    }
    let added = new_orgs.len();
    for chunk in new_orgs.chunks(500) {
        organisation::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    // Kommunen that already have records were loaded by an earlier run.
    let loaded: HashSet<String> = service_record::Entity::find()
        .select_only()
        .column(service_record::Column::OrganisationId)
        .distinct()
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let todo: Vec<&(String, String)> = ids.iter().filter(|(_, id)| !loaded.contains(id)).collect();
    let pb = ProgressBar::new((todo.len() * services.len()) as u64);
    pb.set_style(
        ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} Einträge ({per_sec}, noch {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_message("Register");
    let today = Utc::now().date_naive();
    let mut written = 0u64;
    // The rows are generated on a thread of their own while the previous batch is written.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<anyhow::Result<(usize, Batch)>>(2);
    let work: Vec<Vec<(String, String)>> = todo.chunks(ORGS_PER_TXN).map(|c| c.iter().map(|x| (*x).clone()).collect()).collect();
    let generator_services: Vec<Arc<str>> = services.iter().map(|s| Arc::from(s.as_str())).collect();
    let generator = std::thread::spawn(move || {
        for orgs in work {
            let b = batch(&orgs, &generator_services, seed, today).map(|b| (orgs.len() * generator_services.len(), b));
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
        pb.inc(n as u64);
    }
    generator.join().map_err(|_| anyhow::anyhow!("Erzeugung der Datensätze abgebrochen"))?;
    if let Some(mut conn) = sqlite {
        // Back to the pool with the default cache.
        sea_orm::sqlx::query("PRAGMA cache_size = -2000").execute(&mut *conn).await?;
    }
    pb.finish_with_message("fertig");
    println!("{written} Registereinträge mit {history_rows} Verlaufseinträgen geschrieben.");
    let started = std::time::Instant::now();
    app::lagebild::service::rollup::rebuild(db).await.map_err(|e| anyhow::anyhow!(e.summary().join("\n")))?;
    println!("Lagebild-Kennzahlen neu berechnet in {:.1} s.", started.elapsed().as_secs_f64());
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared("ANALYZE service_record; ANALYZE service_record_history; ANALYZE organisation").await?;
    } else {
        // Statistics from a sample of each index: enough for the planner, seconds faster.
        db.execute_unprepared("PRAGMA analysis_limit = 1000; ANALYZE").await?;
    }
    Ok((added, ids.len(), written))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_records_pass_the_register_validation_and_are_reproducible() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default();
        let mut a = StdRng::seed_from_u64(seed_for(7, "15003000"));
        let mut b = StdRng::seed_from_u64(seed_for(7, "15003000"));
        let known = app::catalogue::service::criteria::Known::default();
        let mut steps = 0;
        for _ in 0..2000 {
            let states = generate(&mut a, today);
            assert_eq!(generate(&mut b, today), states);
            assert!(!states.is_empty());
            steps += states.len();
            for (i, (input, day)) in states.iter().enumerate() {
                let checked = app::register::service::validate_on(input, *day, &known);
                assert!(checked.is_ok(), "{input:?}: {checked:?}");
                assert!(*day <= today);
                assert_eq!(input.version, i as i32 + 1);
                if i > 0 {
                    assert!(states[i - 1].1 <= *day, "states in order of their days");
                    assert!(states[i - 1].0.stage < input.stage || i == states.len() - 1, "each state a stage further");
                }
            }
        }
        assert!(steps > 3000, "records that went through stages have a history entry per stage ({steps})");
    }
}
