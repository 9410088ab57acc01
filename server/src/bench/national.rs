//! `server national load`: the national data set for measurements — every German Gemeinde
//! from the Gemeindeverzeichnis × every OZG-Leistung of the catalogue (≈ 6.1 M register
//! records), each with its history entry, generated reproducibly from a seed. Meant for a
//! separate benchmark database, not for production: it adds ~10,800 Kommunen outside
//! Sachsen-Anhalt. A second run continues where the first stopped.

use app::core::entities::{organisation, service_record};
use app::core::state::AppState;
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect, Set};
use std::collections::{HashMap, HashSet};
use std::path::Path;

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

/// Adds every Gemeinde of the file that is not yet an organisation (Sachsen-Anhalt's exist from
/// the reference import); returns (added, every (AGS, id)).
pub(crate) async fn add_organisations(db: &sea_orm::DatabaseConnection, file: &Path) -> anyhow::Result<(usize, Vec<(String, String)>)> {
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
    Ok((added, ids))
}

/// Loads the national data set; returns (Kommunen added, Kommunen loaded, records written).
#[tracing::instrument(skip_all)]
pub async fn load(state: &AppState, file: &Path, seed: u64) -> anyhow::Result<(usize, usize, u64)> {
    let db = &state.db;
    let services = crate::synth::register::catalogue(db).await?;
    if services.is_empty() {
        anyhow::bail!("Der OZG-Katalog ist leer. Bitte zuerst »server import« ausführen.");
    }
    let (added, ids) = add_organisations(db, file).await?;
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
    let todo: Vec<(String, String)> = todo.into_iter().cloned().collect();
    let (written, history_rows) = crate::synth::register::write_all(db, &todo, &services, seed, crate::synth::register::NATIONAL, false, |n| pb.inc(n)).await?;
    pb.finish_with_message("fertig");
    println!("{written} Registereinträge mit {history_rows} Verlaufseinträgen geschrieben.");
    let started = std::time::Instant::now();
    app::rollups::rebuild(db).await.map_err(crate::fail)?;
    println!("Lagebild-Kennzahlen neu berechnet in {:.1} s.", started.elapsed().as_secs_f64());
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared("ANALYZE service_record; ANALYZE service_record_history; ANALYZE organisation").await?;
    } else {
        // Statistics from a sample of each index: enough for the planner, seconds faster.
        db.execute_unprepared("PRAGMA analysis_limit = 1000; ANALYZE").await?;
    }
    Ok((added, ids.len(), written))
}

