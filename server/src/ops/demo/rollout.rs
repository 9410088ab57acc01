//! The demo's Nachnutzung and Förderung: four EfA services on the Land's list with their rows in
//! the overview, connections of Kommunen in every step with their history (the demo clerk's
//! Kommune in preparation with a blocked item, the demo Verbandsgemeinde preparing the first
//! service), costs, and a funding programme with applications in every status — all marked as
//! demo data and removed with it.

use super::people::People;
use app::core::state::AppState;
use chrono::{Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use app::rollout::model::{Bearer, ConnectionState, CostKind, ItemState, Model, Phase};
use sea_orm::{ConnectionTrait, Value};

/// (EfA service, providing Land, operator) for the first four Fokusleistungen.
const SERVICES: [(&str, &str, &str); 4] = [
    ("EfA-Dienst A (Demo)", "Hessen", "ekom21"),
    ("EfA-Dienst B (Demo)", "Schleswig-Holstein", "Dataport"),
    ("EfA-Dienst C (Demo)", "Mecklenburg-Vorpommern", "DVZ M-V"),
    ("EfA-Dienst D (Demo)", "Hamburg", "Dataport"),
];

use app::rollout::service::plan::DEFAULT_CHECKLIST as CHECKLIST;

async fn exec(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> anyhow::Result<()> {
    db.execute_raw(app::core::db::stmt(db.get_database_backend(), sql, values)).await?;
    Ok(())
}

async fn returning(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> anyhow::Result<i64> {
    let row = db.query_one_raw(app::core::db::stmt(db.get_database_backend(), sql, values)).await?.ok_or_else(|| anyhow::anyhow!("keine Nummer"))?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// Writes the demo's roll-out and funding; returns (connections, applications).
pub async fn write(state: &AppState, people: &People, seed: u64) -> anyhow::Result<(usize, usize)> {
    let db = &state.db;
    let backend = db.get_database_backend();
    let now = Utc::now();
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5a5a);
    let focus = db.query_all_raw(app::core::db::stmt(backend, "SELECT ozg_id FROM ozg_service WHERE focus AND in_catalogue ORDER BY ozg_id", vec![])).await?;
    let focus: Vec<String> = focus.iter().map(|r| r.try_get::<String>("", "ozg_id")).collect::<Result<_, _>>()?;
    let kommunen = db
        .query_all_raw(app::core::db::stmt(
            backend,
            &format!("SELECT id, COALESCE(kreis_key, key) AS k FROM organisation WHERE kind IN {} AND key LIKE '15%' ORDER BY key", app::rollout::service::figures::CONNECTING),
            vec![],
        ))
        .await?
        .iter()
        .map(|r| Ok((r.try_get::<String>("", "id")?, r.try_get::<String>("", "k")?)))
        .collect::<Result<Vec<(String, String)>, sea_orm::DbErr>>()?;
    let own = people.clerk_orgs.first().map(|(id, _)| id.clone()).unwrap_or_default();
    // The demo Verbandsgemeinde prepares its connection to the first service too: its operator
    // takes the next step there.
    let second = people.clerk_orgs.get(1).map(|(id, _)| id.clone()).unwrap_or_default();
    let advisor = people.advisor.id.clone();
    let txn = app::core::db::begin_write(db).await?;
    let mut services = Vec::new();
    for (i, (name, land, operator)) in SERVICES.iter().enumerate() {
        let id = uuid::Uuid::now_v7().to_string();
        exec(
            &txn,
            "INSERT INTO efa_service (id, name, name_key, provider, operator, marketplace_url, active, demo, updated_at) VALUES (?, ?, ?, ?, ?, ?, true, true, ?)",
            vec![id.clone().into(), (*name).into(), app::catalogue::service::efa::name_key(name).into(), (*land).into(), (*operator).into(), format!("https://marktplatz.example/efa/demo-{i}").into(), now.into()],
        )
        .await?;
        if let Some(ozg) = focus.get(i) {
            exec(
                &txn,
                "INSERT INTO rollout_plan (ozg_id, model, efa_service_id, priority, phase, land_pays, demo, version, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, true, 1, ?, ?)",
                vec![ozg.clone().into(), Model::Efa.into(), id.clone().into(), ((i % 2) as i32 + 1).into(), Phase::Rollout.into(), (i != 3).into(), advisor.clone().into(), now.into()],
            )
            .await?;
            for (p, label) in CHECKLIST.iter().enumerate() {
                exec(&txn, "INSERT INTO rollout_plan_item (ozg_id, position, label) VALUES (?, ?, ?)", vec![ozg.clone().into(), (p as i32 + 1).into(), (*label).into()]).await?;
            }
        }
        services.push(id);
    }
    // The next Fokusleistungen: a Landesbasisdienst, own development, not yet decided.
    for (ozg, model, phase) in focus.iter().skip(4).take(3).zip([(Model::BaseService, Phase::Operation), (Model::Own, Phase::Implementation), (Model::Open, Phase::Planning)]).map(|(o, (m, p))| (o, m, p)) {
        exec(
            &txn,
            "INSERT INTO rollout_plan (ozg_id, model, efa_service_id, priority, phase, land_pays, demo, version, updated_by, updated_at) VALUES (?, ?, NULL, 2, ?, false, true, 1, ?, ?)",
            vec![ozg.clone().into(), model.into(), phase.into(), advisor.clone().into(), now.into()],
        )
        .await?;
    }
    let mut connections = 0;
    for (s_index, service) in services.iter().enumerate() {
        for (org, kreis) in &kommunen {
            let mine = *org == own;
            let preparing = mine || (s_index == 0 && *org == second);
            if !preparing && !rng.gen_bool(0.35 - 0.05 * s_index as f64) {
                continue;
            }
            let reached = if preparing { 2 } else { rng.gen_range(0..ConnectionState::ORDER.len()) };
            let paused = !preparing && rng.gen_bool(0.06);
            let mut at = now - Duration::days(rng.gen_range(40..540));
            let interest = at;
            let mut live_at: Option<chrono::DateTime<Utc>> = None;
            let state = if paused { ConnectionState::Paused } else { ConnectionState::ORDER[reached] };
            let id = returning(
                &txn,
                "INSERT INTO connection (organisation_id, efa_service_id, state, paused_from, reason, kreis_key, interest_at, live_at, version, demo, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 1, true, ?) RETURNING id",
                vec![
                    org.clone().into(),
                    service.clone().into(),
                    state.into(),
                    paused.then_some(ConnectionState::ORDER[reached]).into(),
                    paused.then(|| "Haushaltsmittel erst im nächsten Jahr".to_string()).into(),
                    kreis.clone().into(),
                    interest.into(),
                    now.into(),
                ],
            )
            .await?;
            for step in &ConnectionState::ORDER[..=reached] {
                exec(&txn, "INSERT INTO connection_step (connection_id, state, at, user_id) VALUES (?, ?, ?, ?)", vec![id.into(), (*step).into(), at.into(), advisor.clone().into()]).await?;
                if *step == ConnectionState::Live {
                    live_at = Some(at);
                }
                at = (at + Duration::days(rng.gen_range(7..70))).min(now);
            }
            if paused {
                exec(&txn, "INSERT INTO connection_step (connection_id, state, at, user_id, note) VALUES (?, ?, ?, ?, 'Haushaltsmittel erst im nächsten Jahr')", vec![id.into(), ConnectionState::Paused.into(), at.into(), advisor.clone().into()]).await?;
            }
            exec(&txn, "UPDATE connection SET live_at = ?, updated_at = ? WHERE id = ?", vec![live_at.into(), at.into(), id.into()]).await?;
            // Live: the register says so too, as when an advisor confirms it.
            if state == ConnectionState::Live {
                app::rollout::service::lifecycle::register_live(&txn, &advisor, org, service).await.map_err(crate::fail)?;
            }
            for (p, item) in CHECKLIST.iter().enumerate() {
                let status = if reached >= 3 || p < reached { ItemState::Done } else if mine && p == 2 { ItemState::Blocked } else { ItemState::Open };
                let note = (status == ItemState::Blocked).then(|| "Das Zertifikat für den DVDV-Eintrag ist beantragt, aber noch nicht ausgestellt.".to_string());
                exec(&txn, "INSERT INTO connection_item (connection_id, position, label, status, note) VALUES (?, ?, ?, ?, ?)", vec![id.into(), (p as i32 + 1).into(), (*item).into(), status.into(), note.into()]).await?;
            }
            if reached >= 1 {
                let year = (at.format("%Y").to_string()).parse::<i32>().unwrap_or(2026);
                exec(
                    &txn,
                    "INSERT INTO connection_cost (connection_id, kind, year, amount_cents, bearer, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, 'Anbindung des Fachverfahrens', ?, ?)",
                    vec![id.into(), CostKind::Once.into(), year.into(), (rng.gen_range(20..150) as i64 * 10_000).into(), (if s_index == 3 { Bearer::Kommune } else { Bearer::Land }).into(), advisor.clone().into(), at.into()],
                )
                .await?;
            }
            connections += 1;
        }
    }
    // A funding programme with applications in every status.
    let applications = super::funding::write(&txn, people, &kommunen, &mut rng, now).await?;
    // The public sees the demo's sums as a release, like everyone's.
    app::funding::service::release::release(&txn, applications.0, state.config.suppression_threshold).await.map_err(|e| anyhow::anyhow!(e.to_string()))?;
    app::rollout::service::rollup::rebuild(&txn).await.map_err(crate::fail)?;
    txn.commit().await?;
    Ok((connections, applications.1))
}
