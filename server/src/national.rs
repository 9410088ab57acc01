//! `server national load`: the national data set for measurements — every German Gemeinde
//! from the Gemeindeverzeichnis × every OZG-Leistung of the catalogue (≈ 6.1 M register
//! records), each with its history entry, generated reproducibly from a seed. Meant for a
//! separate benchmark database, not for production: it adds ~10,800 Kommunen outside
//! Sachsen-Anhalt. A second run continues where the first stopped.

use app::model::register::{MaturityModel, Responsibility, ServiceRecordInput, SolutionKind, Stage};
use app::server::entities::{organisation, ozg_service, service_record, service_record_history};
use app::server::register::{default_input, diff};
use app::server::state::AppState;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set, TransactionTrait};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Rows per INSERT statement (24 columns × 400 stays below SQLite's and PostgreSQL's
/// parameter limits).
const CHUNK: usize = 400;
/// Kommunen per transaction.
const ORGS_PER_TXN: usize = 20;

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

/// A plausible record and the day its current stage was reached (stages in order, dates
/// within the two years before `today`).
fn generate(rng: &mut StdRng, today: NaiveDate) -> (ServiceRecordInput, NaiveDate) {
    let mut input = default_input();
    let stage = pick_stage(rng);
    input.stage = stage;
    let mut day = today - Duration::days(rng.gen_range(300..730));
    let mut reached = day;
    let path: Vec<Stage> = match stage {
        Stage::NotStarted => Vec::new(),
        Stage::Discontinued => vec![Stage::Planned, Stage::InProgress, Stage::Online, Stage::Discontinued],
        s => [Stage::Planned, Stage::InProgress, Stage::Pilot, Stage::Online].into_iter().filter(|x| *x <= s).collect(),
    };
    for s in path {
        input.stage_dates.insert(s, day.format("%Y-%m-%d").to_string());
        reached = day;
        day = (day + Duration::days(rng.gen_range(20..90))).min(today);
    }
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
    input.version = 1;
    (input, reached.min(today))
}

/// Loads the national data set; returns (Kommunen added, Kommunen loaded, records written).
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
    let now = app::server::time::now();
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
    for batch in todo.chunks(ORGS_PER_TXN) {
        let mut records = Vec::with_capacity(batch.len() * services.len());
        let mut history = Vec::with_capacity(batch.len() * services.len());
        for (ags, org_id) in batch {
            let mut rng = StdRng::seed_from_u64(seed_for(seed, ags));
            for ozg in &services {
                let (input, reached) = generate(&mut rng, today);
                let at = Utc.from_utc_datetime(&reached.and_hms_opt(rng.gen_range(7..17), rng.gen_range(0..60), 0).unwrap_or_default());
                let id = uuid::Uuid::now_v7().to_string();
                let changes = diff(&default_input(), &input);
                records.push(service_record::ActiveModel {
                    id: Set(id.clone()),
                    organisation_id: Set(org_id.clone()),
                    ozg_id: Set(ozg.clone()),
                    offered: Set(input.offered),
                    responsibility: Set(if input.responsibility == Responsibility::Other { "other" } else { "own" }.into()),
                    responsibility_note: Set(input.responsibility_note.clone()),
                    stage: Set(input.stage.code().into()),
                    stage_dates: Set(serde_json::to_string(&input.stage_dates)?),
                    planned_go_live: Set(input.planned_go_live.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())),
                    maturity_model: Set(input.maturity_model.map(|m| m.code().to_string())),
                    maturity_level: Set(input.maturity_level),
                    maturity_criteria: Set(None),
                    solution_kind: Set(input.solution_kind.map(|k| k.code().to_string())),
                    solution_name: Set(input.solution_name.clone()),
                    solution_provider: Set(input.solution_provider.clone()),
                    url: Set(None),
                    contact: Set(None),
                    note: Set(None),
                    version: Set(1),
                    created_at: Set(at),
                    updated_at: Set(at),
                    updated_by: Set(None),
                    acting_org_id: Set(None),
                });
                history.push(service_record_history::ActiveModel {
                    id: NotSet,
                    record_id: Set(id),
                    organisation_id: Set(org_id.clone()),
                    ozg_id: Set(ozg.clone()),
                    version: Set(1),
                    changed_at: Set(at),
                    user_id: Set(None),
                    acting_org_id: Set(None),
                    changes: Set(serde_json::to_string(&changes)?),
                });
            }
        }
        let txn = db.begin().await?;
        for chunk in records.chunks(CHUNK) {
            service_record::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
        }
        for chunk in history.chunks(CHUNK) {
            service_record_history::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
        }
        txn.commit().await?;
        written += records.len() as u64;
        pb.inc(records.len() as u64);
    }
    pb.finish_with_message("fertig");
    let started = std::time::Instant::now();
    app::server::rollup::rebuild(db).await.map_err(|e| anyhow::anyhow!(e.summary().join("\n")))?;
    println!("Lagebild-Kennzahlen neu berechnet in {:.1} s.", started.elapsed().as_secs_f64());
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared("ANALYZE service_record; ANALYZE service_record_history; ANALYZE organisation").await?;
    } else {
        db.execute_unprepared("ANALYZE").await?;
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
        let known = app::server::criteria::Known::default();
        for _ in 0..2000 {
            let (input, reached) = generate(&mut a, today);
            assert_eq!(generate(&mut b, today), (input.clone(), reached));
            let checked = app::server::register::validate_on(&input, today, &known);
            assert!(checked.is_ok(), "{input:?}: {checked:?}");
            assert!(reached <= today);
        }
    }
}
