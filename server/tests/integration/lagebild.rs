//! Lagebild: rollups against the live computation, suppression and the public figures.

use crate::common::{spawn, spawn_with, test_config};
use app::model::Role;
use app::model::register::{MaturityModel, Responsibility, ServiceRecordInput, SolutionKind, Stage};
use app::server::entities::organisation;
use app::server::rollup;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeSet;

/// Kommunen of every kind: Verbandsgemeinde members and their Verbandsgemeinde, Einheitsgemeinden,
/// Landkreise and kreisfreie Städte.
async fn sample_kommunen(db: &sea_orm::DatabaseConnection) -> Vec<organisation::Model> {
    let mut out = Vec::new();
    for (kind, n) in [("mitgliedsgemeinde", 6), ("verbandsgemeinde", 2), ("einheitsgemeinde", 4), ("landkreis", 2), ("kreisfreie_stadt", 2)] {
        let mut of_kind = organisation::Entity::find().filter(organisation::Column::Kind.eq(kind)).order_by_asc(organisation::Column::Key).all(db).await.expect("orgs");
        of_kind.truncate(n);
        out.extend(of_kind);
    }
    out
}

fn random_input(rng: &mut StdRng, version: i32) -> ServiceRecordInput {
    let mut i = app::server::register::default_input();
    i.version = version;
    if rng.gen_bool(0.2) {
        i.responsibility = Responsibility::Other;
        i.responsibility_note = Some("Landkreis".into());
        return i;
    }
    i.stage = *Stage::ALL.choose(rng).expect("stage");
    i.offered = i.stage == Stage::Online;
    match rng.gen_range(0..3) {
        0 => {}
        1 => {
            i.maturity_model = Some(MaturityModel::V1_1);
            i.maturity_level = Some(rng.gen_range(0..=4));
        }
        _ => {
            i.maturity_model = Some(MaturityModel::V2_0);
            i.maturity_level = Some(rng.gen_range(0..=7));
        }
    }
    if rng.gen_bool(0.3) {
        i.solution_kind = Some(SolutionKind::Efa);
        i.solution_name = Some("Wohngeld-Onlinedienst".into());
        i.solution_provider = Some("Schleswig-Holstein".into());
    }
    i
}

async fn assert_rollups_equal_live(db: &sea_orm::DatabaseConnection, context: &str) {
    let areas = rollup::area_keys(db).await.expect("areas");
    assert!(areas.iter().any(|a| a == "15"), "the Land is an area");
    assert!(areas.iter().any(|a| a.len() == 5) && areas.iter().any(|a| a.len() == 9), "Kreise and Verbandsgemeinden are areas");
    for area in &areas {
        let live = rollup::live(db, area).await.expect("live");
        let stored = rollup::stored(db, area).await.expect("stored");
        assert_eq!(stored, live, "{context}: area {area}");
    }
}

#[tokio::test]
async fn rollups_equal_the_live_computation_after_random_register_changes() {
    let app = spawn_with(test_config(), true).await;
    let db = &app.db;
    let kommunen = sample_kommunen(db).await;
    let email = app.user(Role::Clerk, "15003000").await;
    let user = crate::cases_sla::current(&app, &email).await;
    let scope = app::server::scope::Scope::Municipal { org_ids: kommunen.iter().map(|k| k.id.clone()).collect::<BTreeSet<_>>() };
    let services = ["99001", "10000", "10001", "10002", "10003"];
    let services: Vec<String> = {
        let known = app::server::lagebild::slice_services(db, &Default::default()).await.expect("catalogue");
        let mut s: Vec<String> = known.iter().map(|(o, _)| o.clone()).filter(|o| services.contains(&o.as_str())).collect();
        s.extend(known.iter().take(5).map(|(o, _)| o.clone()));
        s.dedup();
        s
    };
    let mut saved = 0;
    for seed in 0..3u64 {
        let mut rng = StdRng::seed_from_u64(seed);
        for _ in 0..80 {
            let k = kommunen.choose(&mut rng).expect("kommune");
            let ozg = services.choose(&mut rng).expect("service");
            let version = app::server::register::record_of(db, &k.id, ozg).await.expect("read").map(|r| r.version).unwrap_or(0);
            let input = random_input(&mut rng, version);
            app::server::register::put(db, &user, &scope, &k.key, ozg, &input).await.unwrap_or_else(|e| panic!("{} {ozg}: {e:?}", k.key));
            saved += 1;
        }
        assert_rollups_equal_live(db, &format!("after the changes of seed {seed}")).await;
    }
    assert_eq!(saved, 240);
    // A full rebuild arrives at the same counters as the changes applied one by one.
    let before: Vec<_> = {
        let mut v = Vec::new();
        for a in rollup::area_keys(db).await.expect("areas") {
            v.push((a.clone(), rollup::stored(db, &a).await.expect("stored")));
        }
        v
    };
    rollup::rebuild(db).await.expect("rebuild");
    for (a, cells) in before {
        assert_eq!(rollup::stored(db, &a).await.expect("stored"), cells, "rebuild of {a}");
    }
    assert_rollups_equal_live(db, "after the rebuild").await;
}

#[tokio::test]
async fn areas_know_their_kommunen_and_inhabitants() {
    let app = spawn().await;
    let land = app::server::lagebild::areas(&app.db, &["15".to_string()], None).await.expect("areas");
    assert_eq!(land.len(), 1);
    assert_eq!(land[0].name, "Sachsen-Anhalt");
    let kreise = app::server::lagebild::areas(&app.db, &[], Some("15")).await.expect("kreise");
    assert_eq!(kreise.len(), 14, "11 Landkreise and 3 kreisfreie Städte");
    assert!(kreise.iter().any(|k| k.name.starts_with("Magdeburg") && k.kommunen == 1));
    assert!(kreise.iter().any(|k| k.name == "Harz" && k.kommunen > 3));
    let total: i64 = kreise.iter().map(|k| k.kommunen).sum();
    assert_eq!(total, land[0].kommunen, "every Kommune lies in one Kreis");
    let groups = app::server::lagebild::areas(&app.db, &["15:lk".to_string(), "15:gem".to_string()], None).await.expect("groups");
    let of = |k: &str| groups.iter().find(|a| a.key == k).map(|a| a.kommunen).expect("group area");
    assert_eq!(of("15:lk"), 11, "the Landkreistag's members");
    assert_eq!(of("15:lk") + of("15:gem"), land[0].kommunen);
    let lk_kreise = app::server::lagebild::areas(&app.db, &[], Some("15:lk")).await.expect("kreise");
    assert_eq!(lk_kreise.len(), 11);
    assert!(lk_kreise.iter().all(|k| k.kommunen == 1));
}
