//! Lagebild: rollups against the live computation, suppression and the public figures.

use crate::common::rollups::assert_rollups_equal_live;
use crate::common::{spawn, spawn_with, test_config};
use app::identity::Role;
use app::register::model::{MaturityModel, Responsibility, ServiceRecordInput, SolutionKind, Stage};
use app::core::entities::organisation;
use app::rollups;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
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
    let mut i = app::register::service::default_input();
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
        i.solution_name = Some(if rng.gen_bool(0.5) { "Wohngeld-Onlinedienst" } else { " Elterngeld Digital " }.into());
        i.solution_provider = Some("Schleswig-Holstein".into());
    }
    i
}

#[tokio::test]
async fn rollups_equal_the_live_computation_after_random_register_changes() {
    let app = spawn_with(test_config(), true).await;
    let db = &app.db;
    let kommunen = sample_kommunen(db).await;
    let email = app.user(Role::Clerk, "15003000").await;
    let user = crate::common::db::current(&app, &email).await;
    let scope = app::access::scope::Scope::Municipal { org_ids: kommunen.iter().map(|k| k.id.clone()).collect::<BTreeSet<_>>() };
    let services = ["99001", "10000", "10001", "10002", "10003"];
    let services: Vec<String> = {
        let known = app::lagebild::service::slice_services(db, &Default::default()).await.expect("catalogue");
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
            let version = app::register::service::record_of(db, &k.id, ozg).await.expect("read").map(|r| r.version).unwrap_or(0);
            let input = random_input(&mut rng, version);
            app::register::service::put(db, &user, &scope, &k.key, ozg, &input).await.unwrap_or_else(|e| panic!("{} {ozg}: {e:?}", k.key));
            saved += 1;
        }
        assert_rollups_equal_live(db, &format!("after the changes of seed {seed}")).await;
    }
    assert_eq!(saved, 240);
    let activity = |sql: &'static str| async move {
        let rows = db.query_all_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await.expect("activity");
        rows.into_iter().map(|r| (r.try_get_by_index::<String>(0).expect("org"), r.try_get_by_index::<chrono::DateTime<chrono::Utc>>(1).expect("at"))).collect::<Vec<_>>()
    };
    assert_eq!(
        activity("SELECT organisation_id, last_change_at FROM agg_kommune_activity ORDER BY organisation_id").await,
        activity("SELECT organisation_id, MAX(updated_at) FROM service_record GROUP BY organisation_id ORDER BY organisation_id").await,
        "the last change per Kommune"
    );
    // A full rebuild arrives at the same counters as the changes applied one by one.
    let before: Vec<_> = {
        let mut v = Vec::new();
        for a in rollups::area_keys(db).await.expect("areas") {
            v.push((a.clone(), rollups::stored(db, &a).await.expect("stored")));
        }
        v
    };
    rollups::rebuild(db).await.expect("rebuild");
    for (a, cells) in before {
        assert_eq!(rollups::stored(db, &a).await.expect("stored"), cells, "rebuild of {a}");
    }
    assert_rollups_equal_live(db, "after the rebuild").await;
    let efa = rollups::efa_stored(db, "15").await.expect("efa");
    assert!(efa.keys().any(|(_, s)| s == "Elterngeld Digital"), "names are kept trimmed: {efa:?}");
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let page = advisor.get(app.url("/lagebild")).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("Nachgenutzte EfA-Leistungen und wo") && page.contains("Wohngeld-Onlinedienst"));
}

#[tokio::test]
async fn areas_know_their_kommunen_and_inhabitants() {
    let app = spawn().await;
    let land = app::lagebild::service::areas(&app.db, &["15".to_string()], None).await.expect("areas");
    assert_eq!(land.len(), 1);
    assert_eq!(land[0].name, "Sachsen-Anhalt");
    let kreise = app::lagebild::service::areas(&app.db, &[], Some("15")).await.expect("kreise");
    assert_eq!(kreise.len(), 14, "11 Landkreise and 3 kreisfreie Städte");
    assert!(kreise.iter().any(|k| k.name.starts_with("Magdeburg") && k.kommunen == 1));
    assert!(kreise.iter().any(|k| k.name == "Harz" && k.kommunen > 3));
    let total: i64 = kreise.iter().map(|k| k.kommunen).sum();
    assert_eq!(total, land[0].kommunen, "every Kommune lies in one Kreis");
    let groups = app::lagebild::service::areas(&app.db, &["15:lk".to_string(), "15:gem".to_string()], None).await.expect("groups");
    let of = |k: &str| groups.iter().find(|a| a.key == k).map(|a| a.kommunen).expect("group area");
    assert_eq!(of("15:lk"), 11, "the Landkreistag's members");
    assert_eq!(of("15:lk") + of("15:gem"), land[0].kommunen);
    let lk_kreise = app::lagebild::service::areas(&app.db, &[], Some("15:lk")).await.expect("kreise");
    assert_eq!(lk_kreise.len(), 11);
    assert!(lk_kreise.iter().all(|k| k.kommunen == 1));
}

/// Fills the register of many Kommunen for a few services (seeded), as their clerks would.
async fn fill_register(app: &crate::common::TestApp, services: usize) -> Vec<String> {
    let db = &app.db;
    let kommunen: Vec<organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Kind.is_in(["landkreis", "kreisfreie_stadt", "einheitsgemeinde", "verbandsgemeinde", "mitgliedsgemeinde"]))
        .order_by_asc(organisation::Column::Key)
        .all(db)
        .await
        .expect("orgs");
    let email = app.user(Role::Clerk, "15003000").await;
    let user = crate::common::db::current(app, &email).await;
    let scope = app::access::scope::Scope::Municipal { org_ids: kommunen.iter().map(|k| k.id.clone()).collect::<BTreeSet<_>>() };
    let catalogue = app::lagebild::service::slice_services(db, &Default::default()).await.expect("catalogue");
    let chosen: Vec<String> = catalogue.iter().take(services).map(|(o, _)| o.clone()).collect();
    let mut rng = StdRng::seed_from_u64(7);
    for k in &kommunen {
        for ozg in &chosen {
            if rng.gen_bool(0.5) {
                let input = random_input(&mut rng, 0);
                app::register::service::put(db, &user, &scope, &k.key, ozg, &input).await.expect("saved");
            }
        }
    }
    chosen
}

async fn json(c: &reqwest::Client, url: String) -> serde_json::Value {
    let res = c.get(url).send().await.expect("request");
    assert_eq!(res.status(), 200);
    res.json().await.expect("json")
}

/// The differencing attack: the Land's figure minus every published Kreis figure must never
/// leave fewer Kommunen than the threshold (or exactly none).
async fn assert_no_cell_can_be_isolated(app: &crate::common::TestApp, t: i64) {
    let c = crate::common::client();
    let land = json(&c, app.url("/api/v1/public/areas/15/services?per_page=1000")).await;
    let lb = json(&c, app.url("/api/v1/public/lagebild")).await;
    let kreise: Vec<String> = lb["parts"].as_array().expect("parts").iter().map(|p| p["area"].as_str().expect("key").to_string()).collect();
    assert_eq!(kreise.len(), 14);
    let mut per_kreis = Vec::new();
    for k in &kreise {
        per_kreis.push(json(&c, app.url(&format!("/api/v1/public/areas/{k}/services?per_page=1000"))).await);
    }
    let mut secondary = 0;
    for (i, row) in land["items"].as_array().expect("items").iter().enumerate() {
        let land_resp = row["responsible"].as_i64().expect("the Land's cells are published");
        let mut published = 0;
        let mut hidden_landkreise = 0;
        for (k, kreis) in kreise.iter().zip(&per_kreis) {
            let cell = &kreis["items"][i];
            assert_eq!(cell["ozg_id"], row["ozg_id"]);
            match cell["responsible"].as_i64() {
                Some(r) => {
                    assert!(r >= t, "a published cell stands for at least {t} Kommunen");
                    published += r;
                }
                None if k.starts_with("1508") => hidden_landkreise += 1,
                None => {}
            }
        }
        let rest = land_resp - published;
        assert!(rest == 0 || rest >= t, "service {}: Land − published Kreise = {rest} Kommunen", row["ozg_id"]);
        secondary += hidden_landkreise;
    }
    // Same for the sums over the catalogue.
    let area_resp = lb["area"]["responsible"].as_i64().expect("Land");
    let parts_resp: i64 = lb["parts"].as_array().expect("parts").iter().filter_map(|p| p["responsible"].as_i64()).sum();
    assert!(area_resp - parts_resp == 0 || area_resp - parts_resp >= t);
    if t > 3 {
        assert!(secondary > 0, "with threshold {t} the three kreisfreie Städte need a Landkreis beside them");
    }
}

#[tokio::test]
async fn suppressed_cells_cannot_be_recovered_by_difference() {
    let app = spawn_with(test_config(), true).await;
    let services = fill_register(&app, 6).await;
    // The Landkreise of some Kreise leave half the services to their Gemeinden, so that the
    // association's Kreis figures for those are published (and must protect the Kommunen
    // outside any Verbandsgemeinde).
    let email = app.user(Role::Clerk, "15003000").await;
    let user = crate::common::db::current(&app, &email).await;
    let landkreise: Vec<organisation::Model> = organisation::Entity::find().filter(organisation::Column::Kind.eq("landkreis")).all(&app.db).await.expect("orgs");
    let scope = app::access::scope::Scope::Municipal { org_ids: landkreise.iter().map(|k| k.id.clone()).collect() };
    for lk in &landkreise {
        for ozg in services.iter().take(3) {
            let version = app::register::service::record_of(&app.db, &lk.id, ozg).await.expect("read").map(|r| r.version).unwrap_or(0);
            let mut input = app::register::service::default_input();
            input.version = version;
            input.responsibility = Responsibility::Other;
            input.responsibility_note = Some("Gemeinden".into());
            app::register::service::put(&app.db, &user, &scope, &lk.key, ozg, &input).await.expect("saved");
        }
    }
    // In the Altmarkkreis Salzwedel all but one Einheitsgemeinde leave the first service to others.
    let einheit: Vec<organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Kind.eq("einheitsgemeinde"))
        .filter(organisation::Column::KreisKey.eq("15081"))
        .order_by_asc(organisation::Column::Key)
        .all(&app.db)
        .await
        .expect("orgs");
    let scope = app::access::scope::Scope::Municipal { org_ids: einheit.iter().map(|k| k.id.clone()).collect() };
    for (i, e) in einheit.iter().enumerate() {
        let version = app::register::service::record_of(&app.db, &e.id, &services[0]).await.expect("read").map(|r| r.version).unwrap_or(0);
        let mut input = app::register::service::default_input();
        input.version = version;
        if i > 0 {
            input.responsibility = Responsibility::Other;
            input.responsibility_note = Some("Landkreis".into());
        }
        app::register::service::put(&app.db, &user, &scope, &e.key, &services[0], &input).await.expect("saved");
    }
    assert_no_cell_can_be_isolated(&app, 3).await;
    // Across viewers: the public's Kreis cell minus the Städte- und Gemeindebund's is the
    // Landkreis alone — never both published unless that difference is none or large enough.
    let (sgsa, _) = app.signed_in(Role::Association, "SGSA").await;
    let c = crate::common::client();
    let mut compared = 0;
    for k in ["15081", "15083", "15085", "15089"] {
        let public = json(&c, app.url(&format!("/api/v1/public/areas/{k}/services?per_page=1000"))).await;
        let members = json(&sgsa, app.url(&format!("/api/v1/aggregates/areas/{k}/services?per_page=1000"))).await;
        for (p, m) in public["items"].as_array().expect("items").iter().zip(members["items"].as_array().expect("items")) {
            assert_eq!(p["ozg_id"], m["ozg_id"]);
            if let (Some(a), Some(b)) = (p["responsible"].as_i64(), m["responsible"].as_i64()) {
                let rest = a - b;
                assert!(rest == 0 || rest >= 3, "{k} {}: public − members = {rest}", p["ozg_id"]);
                compared += 1;
            }
        }
    }
    assert!(compared > 0, "some cells are published to both");
    // Within a Kreis: the association's Kreis figure minus its published Verbandsgemeinden leaves
    // the Einheitsgemeinden outside any Verbandsgemeinde — never fewer than three (or none).
    let mut vg_cells = 0;
    for k in ["15081", "15083", "15084", "15085", "15089", "15090"] {
        let kreis = json(&sgsa, app.url(&format!("/api/v1/aggregates/areas/{k}/services?per_page=1000"))).await;
        let lb = json(&sgsa, app.url(&format!("/api/v1/aggregates/lagebild?gebiet={k}"))).await;
        let vgs: Vec<String> = lb["parts"].as_array().expect("parts").iter().map(|p| p["area"].as_str().expect("key").split(':').next().unwrap_or("").to_string()).collect();
        let mut per_vg = Vec::new();
        for v in &vgs {
            per_vg.push(json(&sgsa, app.url(&format!("/api/v1/aggregates/areas/{v}/services?per_page=1000"))).await);
        }
        for (i, row) in kreis["items"].as_array().expect("items").iter().enumerate() {
            let Some(whole) = row["responsible"].as_i64() else { continue };
            let published: i64 = per_vg.iter().filter_map(|v| v["items"][i]["responsible"].as_i64()).sum();
            vg_cells += per_vg.iter().filter(|v| v["items"][i]["responsible"].is_i64()).count();
            let rest = whole - published;
            assert!(rest == 0 || rest >= 3, "{k} {}: Kreis − published VGs = {rest}", row["ozg_id"]);
        }
    }
    assert!(vg_cells > 0, "Verbandsgemeinde cells are published to the association");
    let magdeburg = json(&c, app.url("/api/v1/public/lagebild?gebiet=15003")).await;
    assert_eq!(magdeburg["area"]["suppressed"], true, "one Kommune alone shows nothing");
    assert!(magdeburg["area"]["online"].is_null());
    // Land advisors see every figure.
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let full = json(&advisor, app.url("/api/v1/aggregates/lagebild?gebiet=15003")).await;
    assert_eq!(full["area"]["suppressed"], false);
    assert!(full["area"]["online"].is_i64());
}

#[tokio::test]
async fn a_higher_threshold_suppresses_more_and_still_protects_each_cell() {
    let mut config = test_config();
    config.suppression_threshold = 5;
    let app = spawn_with(config, true).await;
    fill_register(&app, 4).await;
    assert_no_cell_can_be_isolated(&app, 5).await;
    let html = crate::common::client().get(app.url("/lagebild?gebiet=15003")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("weniger als 5 Kommunen"));
}

#[tokio::test]
async fn associations_see_their_members_only() {
    let app = spawn_with(test_config(), true).await;
    fill_register(&app, 3).await;
    let (sgsa, _) = app.signed_in(Role::Association, "SGSA").await;
    let (lkt, _) = app.signed_in(Role::Association, "LKT").await;
    let all = json(&crate::common::client(), app.url("/api/v1/public/lagebild")).await;
    let gem = json(&sgsa, app.url("/api/v1/aggregates/lagebild")).await;
    let lk = json(&lkt, app.url("/api/v1/aggregates/lagebild")).await;
    assert_eq!(lk["area"]["kommunen"], 11, "the Landkreistag counts the Landkreise");
    assert_eq!(gem["area"]["kommunen"].as_i64().expect("n") + 11, all["area"]["kommunen"].as_i64().expect("n"));
    assert!(lk["parts"].as_array().expect("parts").iter().all(|p| p["suppressed"] == true), "one Landkreis per Kreis: nothing per Kreis");
    assert!(gem["counted_over"].as_str().expect("label").contains("Städte- und Gemeindebund"));
    // Their pages say whom they count; no Kommune list to drill into.
    let page = sgsa.get(app.url("/lagebild?gebiet=15083")).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("Mitglieder des Städte- und Gemeindebunds"));
    assert!(!page.contains("Kommunen des Kreises"));
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let land_page = advisor.get(app.url("/lagebild?gebiet=15083")).send().await.expect("page").text().await.expect("html");
    assert!(land_page.contains("Kommunen des Kreises") && land_page.contains("/kommunen/"), "the Land drills down to the registers");
    assert!(land_page.contains("Kennzahlen je Verbandsgemeinde") && land_page.contains("gebiet=150835051"), "and to the Verbandsgemeinden");
    assert!(land_page.contains("/api/v1/aggregates/lagebild?gebiet=15083&amp;format=csv"), "the Land downloads its own, unsuppressed view");
    assert!(page.contains("/api/v1/aggregates/lagebild?gebiet=15083&amp;format=csv"), "an association downloads its members' view");
    let vg = advisor.get(app.url("/lagebild?gebiet=150835051")).send().await.expect("page").text().await.expect("html");
    assert!(vg.contains("Lagebild: Elbe-Heide") && vg.contains("Kommunen der Verbandsgemeinde"));
    let members_vg = app.server_fn(&sgsa, "lagebild", &[("gebiet", "150835051")]).await;
    assert_eq!(members_vg.status(), 200, "the Städte- und Gemeindebund sees its Verbandsgemeinden");
    let lkt_vg = app.server_fn(&lkt, "lagebild", &[("gebiet", "150835051")]).await;
    assert_eq!(lkt_vg.status(), 404, "Verbandsgemeinden are no members of the Landkreistag");
    let public_vg = crate::common::client().get(app.url("/api/v1/public/lagebild?gebiet=150835051")).send().await.expect("api");
    assert_eq!(public_vg.status(), 422);

    // Members side by side: the association as quartiles per Kreis, never by name; the Land by name.
    let members = |c: &reqwest::Client, verband: &'static str| {
        let c = c.clone();
        let app = &app;
        async move {
            let res = app.server_fn(&c, "members", &[("verband", verband)]).await;
            assert_eq!(res.status(), 200);
            res.json::<app::lagebild::model::MemberComparison>().await.expect("comparison")
        }
    };
    let gem = members(&sgsa, "").await;
    let named = members(&advisor, "sgsa").await;
    assert!(gem.named.is_empty(), "no member by name for the association");
    assert_eq!(named.named.len() as i64, gem.groups[0].members, "the Land names every member the association counts");
    assert!(gem.groups.len() > 10 && gem.groups.iter().skip(1).any(|g| g.share.is_some()), "per Kreis: {:?}", gem.groups);
    assert!(gem.groups.iter().all(|g| g.share.is_some() == (g.members >= 6)), "quartiles from twice the threshold on");
    // The quartiles are the members' (the Land's named rows), and a Kreis's count is its members'.
    let mut shares: Vec<f64> = named.named.iter().filter_map(app::lagebild::model::MemberRow::share).collect();
    shares.sort_by(|a, b| a.total_cmp(b));
    let land = gem.groups[0].share.expect("the Land's quartiles");
    assert!((land.median - app::lagebild::model::Quartiles::of(&shares).expect("median").median).abs() < 1e-9);
    assert!(land.q1 <= land.median && land.median <= land.q3);
    assert_eq!(gem.bands.iter().map(|(_, n)| n).sum::<i64>(), shares.len() as i64);
    let harz: Vec<&app::lagebild::model::MemberRow> = named.named.iter().filter(|m| m.kreis == "Harz").collect();
    assert_eq!(gem.groups.iter().find(|g| g.area == "15085").expect("Harz").members, harz.len() as i64);
    let page = sgsa.get(app.url("/lagebild/mitglieder")).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("Mitglieder im Vergleich") && page.contains("Online-Quote der Mitglieder") && page.contains("Harz"));
    assert!(!page.contains(&named.named[0].name) && !page.contains("/kommunen/"), "no member's name or register on the association's page");
    let lk = members(&lkt, "sgsa").await;
    assert_eq!(lk.verband, "lkt", "an association sees its own members whatever it asks for");
    assert_eq!((lk.groups.len(), lk.groups[0].members), (1, 11), "the Landkreistag: the Land only (one Landkreis per Kreis)");
    let land_page = advisor.get(app.url("/lagebild/mitglieder?verband=lkt")).send().await.expect("page").text().await.expect("html");
    assert!(land_page.contains("Altmarkkreis Salzwedel") && land_page.contains("Alle Mitglieder"));
    let wrong = app.server_fn(&advisor, "members", &[("verband", "xyz")]).await;
    assert_eq!(wrong.status(), 422);
    assert!(wrong.text().await.expect("body").contains("kein Spitzenverband"));
}

#[tokio::test]
async fn the_public_page_explains_its_figures_and_has_a_map_of_the_kreise() {
    let app = spawn_with(test_config(), true).await;
    fill_register(&app, 2).await;
    let res = crate::common::client().get(app.url("/lagebild")).send().await.expect("page");
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(html.contains("Lagebild: Sachsen-Anhalt"));
    assert!(html.contains("Wie wird gezählt?") && html.contains("Flächendeckend") && html.contains("Bevölkerungsabdeckung"));
    assert_eq!(html.matches("class=\"map-region\"").count(), 14, "one link per Kreis on the map");
    assert!(html.contains("GeoBasis-DE / BKG") && html.contains("dl-de/by-2-0"), "attribution beside the map");
    assert!(html.contains("Kennzahlen je Kreis") && html.contains("Kennzahlen je Themenfeld"), "tables beside the chart and map");
    assert!(html.contains("<title id=\"lb-stand-titel\">"), "the chart has a title for assistive technology");
    assert!(html.contains("/api/v1/public/lagebild?gebiet=15&amp;format=csv"), "the public downloads open data");
    let bad = crate::common::client().get(app.url("/api/v1/public/lagebild?gebiet=abc")).send().await.expect("bad");
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.expect("text").contains("kein Schlüssel"));
}

#[tokio::test]
async fn open_data_comes_paged_as_json_and_whole_as_csv() {
    let app = spawn_with(test_config(), true).await;
    fill_register(&app, 2).await;
    let c = crate::common::client();
    let first = json(&c, app.url("/api/v1/public/areas/15/services?per_page=100")).await;
    let total = first["total"].as_u64().expect("total");
    assert!(total > 500, "the whole catalogue");
    assert_eq!(first["items"].as_array().expect("items").len(), 100);
    assert_eq!(first["pages"].as_u64(), Some(total.div_ceil(100)));
    let last = json(&c, app.url(&format!("/api/v1/public/areas/15/services?per_page=100&page={}", first["pages"]))).await;
    assert_eq!(last["items"].as_array().expect("items").len() as u64, total - 100 * (total.div_ceil(100) - 1));
    assert_ne!(first["items"][0]["ozg_id"], last["items"][0]["ozg_id"]);
    let csv = c.get(app.url("/api/v1/public/areas/15/services?format=csv")).send().await.expect("csv");
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let body = csv.text().await.expect("text");
    assert!(body.starts_with('\u{feff}'), "BOM for spreadsheet programs");
    assert!(body.lines().next().expect("header").contains("OZG-ID;Leistung;Themenfeld"));
    assert_eq!(body.lines().count() as u64, total + 1, "no row cap");
    let lb = c.get(app.url("/api/v1/public/lagebild?format=csv&themenfeld=Bildung")).send().await.expect("csv").text().await.expect("text");
    assert!(lb.contains("Definition: Flächendeckend;") && lb.contains("Datenstand") && lb.contains("Themenfeld »Bildung«"));
    assert_eq!(lb.lines().filter(|l| l.starts_with("Kreis;")).count(), 14);
    assert_eq!(lb.lines().filter(|l| l.starts_with("Umsetzungsstand (Kommune-Leistung-Paare);")).count(), 6, "every table of the page is in the file");
    assert_eq!(lb.lines().filter(|l| l.starts_with("Reifegrad Modell 1.1 (Kommune-Leistung-Paare);")).count(), 5);
    assert_eq!(lb.lines().filter(|l| l.starts_with("Reifegrad Modell 2.0 (Kommune-Leistung-Paare);")).count(), 8);
    // JSON: each OZG-Leistung of the Themenfeld beside the figures.
    let bildung = json(&c, app.url("/api/v1/public/lagebild?themenfeld=Bildung")).await;
    let in_tf = app::lagebild::service::slice_services(&app.db, &app::lagebild::model::Slice { themenfeld: Some("Bildung".into()), ..Default::default() }).await.expect("slice").len();
    assert_eq!(bildung["services"].as_array().expect("services").len(), in_tf);
    let page = c.get(app.url("/lagebild?themenfeld=Bildung")).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("Verfügbarkeit je OZG-Leistung") && page.contains("Lebens- bzw. Unternehmenslage"));
    let leika = c.get(app.url("/api/v1/public/leika/12345")).send().await.expect("leika");
    assert_eq!(leika.status(), 422);
    for bad in ["/api/v1/public/lagebild?fokus=vielleicht", "/api/v1/public/areas/15/services?page=zwei", "/api/v1/public/lagebild?format=xml"] {
        let res = c.get(app.url(bad)).send().await.expect("bad");
        assert_eq!(res.status(), 422, "{bad}");
        let body: serde_json::Value = res.json().await.expect("json error");
        assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "{bad}: a German message");
    }
    let res = c.get(app.url("/api/v1/public/lagebild?fokus=vielleicht")).send().await.expect("bad");
    assert!(res.text().await.expect("text").contains("»fokus« erwartet true oder false"));
    // Reporting gaps: every Kommune without a change (here: without any entry) counts.
    let reported = app.count("(SELECT DISTINCT organisation_id FROM service_record) AS r").await as i64;
    let land = json(&c, app.url("/api/v1/public/lagebild")).await;
    assert_eq!(land["area"]["stale_kommunen"].as_i64(), Some(land["area"]["kommunen"].as_i64().expect("n") - reported));
    assert!(reported > 0);
    let per_kreis: i64 = land["parts"].as_array().expect("parts").iter().map(|p| p["stale_kommunen"].as_i64().unwrap_or(0)).sum();
    assert!(per_kreis <= land["area"]["stale_kommunen"].as_i64().expect("n"));
}

#[tokio::test]
async fn the_open_data_api_refuses_floods_quickly() {
    let app = spawn().await;
    let c = crate::common::client();
    let mut limited = None;
    for i in 0..400 {
        let res = c.get(app.url("/api/v1/public/leika/1")).send().await.expect("request");
        if res.status() == 429 {
            assert_eq!(res.headers()["retry-after"], "1");
            limited = Some((i, res.text().await.expect("text")));
            break;
        }
        assert_eq!(res.status(), 422);
    }
    let (i, text) = limited.expect("429 after the burst");
    assert!(i >= 150, "the burst is allowed ({i})");
    assert!(text.contains("Zu viele Anfragen"));
}

#[tokio::test]
async fn a_register_change_shows_at_once_on_the_cached_public_page() {
    let app = spawn_with(test_config(), true).await;
    let c = crate::common::client();
    let nonce_of = |res: &reqwest::Response| {
        let csp = res.headers()["content-security-policy"].to_str().expect("csp").to_string();
        csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("nonce").to_string()
    };
    let first = c.get(app.url("/lagebild")).send().await.expect("page");
    let n1 = nonce_of(&first);
    let html1 = first.text().await.expect("html");
    let second = c.get(app.url("/lagebild")).send().await.expect("page");
    let n2 = nonce_of(&second);
    let html2 = second.text().await.expect("html");
    assert_ne!(n1, n2, "every answer has its own nonce");
    // Visitors without a session get no script at all (islands only for signed-in people), so
    // the cached copy carries no nonce of an earlier answer either.
    assert!(!html2.contains("<script") && !html2.contains(&n1), "no script, no old nonce");
    assert_eq!(html1, html2);
    // Magdeburg puts a service online: the Land's figure changes in the next answer.
    let api_before = json(&c, app.url("/api/v1/public/lagebild")).await;
    let email = app.user(Role::Clerk, "15003000").await;
    let user = crate::common::db::current(&app, &email).await;
    let scope = app::access::scope::Scope::of(Some(&user));
    let mut input = app::register::service::default_input();
    input.stage = Stage::Online;
    input.offered = true;
    let ozg = app::lagebild::service::slice_services(&app.db, &Default::default()).await.expect("catalogue")[0].0.clone();
    app::register::service::put(&app.db, &user, &scope, "15003000", &ozg, &input).await.expect("saved");
    let api_after = json(&c, app.url("/api/v1/public/lagebild")).await;
    assert_eq!(api_after["area"]["online"].as_i64(), api_before["area"]["online"].as_i64().map(|n| n + 1));
    let html3 = c.get(app.url("/lagebild")).send().await.expect("page").text().await.expect("html");
    assert!(!html2.contains(">1 von ") && html2.contains(">0 von "), "nothing online before");
    assert!(html3.contains(">1 von "), "the cached page was replaced after the change");
}

#[tokio::test]
async fn case_statistics_count_and_time_cases_and_withhold_small_groups() {
    use app::cases::model::NewCase;
    use app::cases::service::workflow;
    let app = spawn_with(test_config(), true).await;
    let db = &app.db;
    let harz = ["15085090", "15085125", "15085140", "15085160"];
    let boerde = ["15083020", "15083025", "15083030"];
    let mut keys: Vec<&str> = vec!["15003000"];
    keys.extend(harz);
    keys.extend(boerde);
    let email = app.user(Role::Clerk, "15003000").await;
    let clerk = crate::common::db::current(&app, &email).await;
    let orgs: Vec<organisation::Model> = organisation::Entity::find().filter(organisation::Column::Key.is_in(keys.clone())).all(db).await.expect("orgs");
    assert_eq!(orgs.len(), keys.len());
    let scope = app::access::scope::Scope::Municipal { org_ids: orgs.iter().map(|o| o.id.clone()).collect() };
    let now = app::core::time::now();
    let actor = workflow::Actor::at(&clerk, &scope, &app.state.config, now);
    let ozg = app::lagebild::service::slice_services(db, &Default::default()).await.expect("catalogue")[0].0.clone();
    let mut ids = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let input = NewCase {
            subject: format!("Frage {i}"),
            category: if *k == harz[0] { "recht".into() } else { "technik".into() },
            description: "x".into(),
            ozg_ids: vec![ozg.clone()],
            municipality: Some(k.to_string()),
            ..Default::default()
        };
        ids.push(workflow::create(db, &actor, &input).await.expect("filed"));
    }
    // The Land answers three cases.
    let advisor_email = app.user(Role::Advisor, "LAND").await;
    let advisor = crate::common::db::current(&app, &advisor_email).await;
    let land_scope = app::access::scope::Scope::of(Some(&advisor));
    let land = workflow::Actor::at(&advisor, &land_scope, &app.state.config, now);
    for id in ids.iter().take(3) {
        workflow::add_message(db, &land, *id, "Antwort", false, false).await.expect("answered");
    }
    assert!(app::lagebild::service::case_stats::refresh(db, 3, now, true).await.expect("computed"));
    assert!(!app::lagebild::service::case_stats::refresh(db, 3, now, false).await.expect("fresh"), "not again within minutes");

    let view = |c: reqwest::Client, gebiet: &'static str| {
        let app = &app;
        async move {
            let res = app.server_fn(&c, "lagebild", &[("gebiet", gebiet)]).await;
            assert_eq!(res.status(), 200);
            res.json::<serde_json::Value>().await.expect("json")
        }
    };
    let (advisor_client, _) = app.signed_in(Role::Advisor, "LAND").await;
    let full = view(advisor_client, "15").await;
    let cases = &full["cases"];
    assert_eq!(cases["total"]["cases"], 8);
    assert_eq!(cases["total"]["responded"], 3);
    assert_eq!(cases["top_ozg"][0][0], ozg.as_str());
    assert_eq!(cases["top_ozg"][0][2], 8);
    let kreis = |v: &serde_json::Value, name: &str| v["cases"]["parts"].as_array().expect("parts").iter().find(|p| p["label"].as_str().is_some_and(|l| l.starts_with(name))).cloned().expect("kreis row");
    assert_eq!(kreis(&full, "Magdeburg")["cases"], 1, "the Land sees every row");

    // The Städte- und Gemeindebund: Magdeburg (one Kommune) and, to protect it, the Börde (the
    // next smallest) are withheld; the Harz is shown. One category with one Kommune pulls the other.
    let (sgsa, _) = app.signed_in(Role::Association, "SGSA").await;
    let assoc = view(sgsa, "15").await;
    assert_eq!(assoc["cases"]["total"]["cases"], 8);
    assert_eq!(kreis(&assoc, "Magdeburg")["hidden"], true);
    assert_eq!(kreis(&assoc, "Börde")["hidden"], true);
    assert!(kreis(&assoc, "Börde")["cases"].is_null());
    assert_eq!(kreis(&assoc, "Harz")["cases"], 4);
    assert!(assoc["cases"]["categories"].as_array().expect("categories").iter().all(|c| c["hidden"] == true));
    assert_eq!(assoc["cases"]["months"][0]["cases"], 8, "all cases in this month: eight Kommunen");

    // The public: the Land's figures, no Kreise, no statistics on a Kreis page.
    let public = view(crate::common::client(), "15").await;
    assert_eq!(public["cases"]["total"]["cases"], 8);
    assert!(public["cases"]["parts"].as_array().expect("parts").is_empty());
    assert!(view(crate::common::client(), "15085").await["cases"].is_null());
    let html = crate::common::client().get(app.url("/lagebild")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("Beratungsfälle je Monat") && html.contains("Stand:"));
    assert!(!html.contains("Frage 1"), "never a case's content");
}

#[tokio::test]
async fn the_trend_replays_the_history_and_ends_at_todays_figures() {
    let app = spawn_with(test_config(), true).await;
    let db = &app.db;
    fill_register(&app, 4).await;
    // The Harz's entries were made 100 days ago; everyone else's today.
    let harz: Vec<String> = organisation::Entity::find().filter(organisation::Column::KreisKey.eq("15085")).all(db).await.expect("orgs").into_iter().map(|o| o.id).collect();
    let then = app::core::time::now() - chrono::Duration::days(100);
    for id in &harz {
        db.execute_raw(sea_orm::Statement::from_sql_and_values(
            db.get_database_backend(),
            if db.get_database_backend() == sea_orm::DbBackend::Postgres {
                "UPDATE service_record_history SET changed_at = $1 WHERE organisation_id = $2"
            } else {
                "UPDATE service_record_history SET changed_at = ? WHERE organisation_id = ?"
            },
            [then.into(), id.clone().into()],
        ))
        .await
        .expect("backdated");
    }
    let now = app::core::time::now();
    assert!(app::lagebild::service::trend::refresh(db, &app::lagebild::service::cache(&app.state), "15", 3, now, true).await.expect("trend"));
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let full: serde_json::Value = app.server_fn(&advisor, "lagebild", &[("gebiet", "15")]).await.json().await.expect("json");
    let points = full["trend"][1].as_array().expect("points").clone();
    assert_eq!(points.len(), 12);
    let last = points.last().expect("last");
    assert_eq!(last["online"], full["lagebild"]["area"]["online"], "the trend ends at today's figures");
    assert_eq!(last["responsible"], full["lagebild"]["area"]["responsible"]);
    assert_eq!(last["reifegrad_3"], full["lagebild"]["area"]["reifegrad_3"]);
    assert_eq!(points[0]["online"], 0, "nothing was online eleven months ago");
    // Three months back only the Harz had entries.
    let harz_online = app.count("service_record r JOIN organisation o ON o.id = r.organisation_id WHERE o.kreis_key = '15085' AND r.stage = 'online' AND r.responsibility = 'own'").await;
    assert_eq!(points[points.len() - 4]["online"], harz_online);
    // The public's trend leaves out the same cells as its figures today.
    let public: serde_json::Value = app.server_fn(&crate::common::client(), "lagebild", &[("gebiet", "15")]).await.json().await.expect("json");
    let p_last = public["trend"][1].as_array().expect("points").last().cloned().expect("last");
    assert_eq!(p_last["responsible"], public["lagebild"]["area"]["responsible"]);
    assert_eq!(p_last["online"], public["lagebild"]["area"]["online"]);
    let html = crate::common::client().get(app.url("/lagebild")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("Verlauf je Monat als Tabelle"));
    // The cached public page follows the job: a later computation shows its "Stand".
    let later = now + chrono::Duration::days(2);
    assert!(app::lagebild::service::trend::refresh(db, &app::lagebild::service::cache(&app.state), "15", 3, later, true).await.expect("trend"));
    let html = crate::common::client().get(app.url("/lagebild")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains(&format!("Stand: {}", later.format("%d.%m.%Y"))), "the page shows the new computation");
    // Every other figure of the page has its trend too.
    for field in ["flaechendeckend", "mindestens_eine", "reifegrad_2", "efa", "population_online", "stages", "model_11", "model_20"] {
        assert_eq!(last[field], full["lagebild"]["area"][field], "{field}: the trend ends at today's figure");
    }
}

async fn backdate(db: &sea_orm::DatabaseConnection, org: &str, ozg: &str, version: i32, at: chrono::DateTime<chrono::Utc>) {
    let pg = db.get_database_backend() == sea_orm::DbBackend::Postgres;
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        db.get_database_backend(),
        if pg {
            "UPDATE service_record_history SET changed_at = $1 WHERE organisation_id = $2 AND ozg_id = $3 AND version = $4"
        } else {
            "UPDATE service_record_history SET changed_at = ? WHERE organisation_id = ? AND ozg_id = ? AND version = ?"
        },
        [at.into(), org.into(), ozg.into(), version.into()],
    ))
    .await
    .expect("backdated");
}

/// The month (`JJJJ-MM`, Berlin) of a point in time.
fn month_of(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Berlin).format("%Y-%m").to_string()
}

fn point<'a>(v: &'a serde_json::Value, month: &str) -> &'a serde_json::Value {
    v["trend"]["points"].as_array().expect("a trend").iter().find(|p| p["month"] == month).expect("the month")
}

#[tokio::test]
async fn every_area_and_slice_has_a_trend_suppressed_month_by_month() {
    let app = spawn_with(test_config(), true).await;
    let db = &app.db;
    let chosen = fill_register(&app, 4).await;
    // A further OZG-Leistung: in the Harz all but two Kommunen handed it to someone else from 100
    // until 40 days ago, so for those months the Harz's cell stands for two Kommunen only — today
    // for all of them.
    let catalogue = app::lagebild::service::slice_services(db, &Default::default()).await.expect("catalogue");
    let x = catalogue.iter().map(|(o, _)| o.clone()).find(|o| !chosen.contains(o)).expect("a service");
    let harz: Vec<organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::KreisKey.eq("15085"))
        .filter(organisation::Column::Kind.is_in(["landkreis", "einheitsgemeinde", "verbandsgemeinde", "mitgliedsgemeinde"]))
        .order_by_asc(organisation::Column::Key)
        .all(db)
        .await
        .expect("orgs");
    assert!(harz.len() > 5);
    let email = app.user(Role::Clerk, "15003000").await;
    let user = crate::common::db::current(&app, &email).await;
    let scope = app::access::scope::Scope::Municipal { org_ids: harz.iter().map(|k| k.id.clone()).collect::<BTreeSet<_>>() };
    let now = app::core::time::now();
    let (left, back) = (now - chrono::Duration::days(100), now - chrono::Duration::days(40));
    for k in harz.iter().skip(2) {
        let mut other = app::register::service::default_input();
        other.responsibility = Responsibility::Other;
        other.responsibility_note = Some("Landkreis".into());
        app::register::service::put(db, &user, &scope, &k.key, &x, &other).await.expect("other");
        let mut own = app::register::service::default_input();
        own.version = 1;
        app::register::service::put(db, &user, &scope, &k.key, &x, &own).await.expect("own again");
        backdate(db, &k.id, &x, 1, left).await;
        backdate(db, &k.id, &x, 2, back).await;
    }
    assert!(app::lagebild::service::trend::refresh(db, &app::lagebild::service::cache(&app.state), "15", 3, app::core::time::now(), true).await.expect("trend"));
    let then = month_of(left + chrono::Duration::days(1));
    let today = month_of(now);
    let c = crate::common::client();
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;

    // The Land sees the two Kommunen; the public sees "< 3" in that month and the figure today.
    let url = |area: &str| app.url(&format!("/api/v1/public/lagebild?gebiet={area}&ozg_id={x}"));
    let full: serde_json::Value = app.server_fn(&advisor, "lagebild", &[("gebiet", "15085"), ("ozg_id", &x)]).await.json().await.expect("json");
    let full_trend = serde_json::json!({ "trend": { "points": full["trend"][1] } });
    assert_eq!(point(&full_trend, &then)["responsible"], 2);
    assert_eq!(point(&full_trend, &today)["responsible"].as_i64(), Some(harz.len() as i64));
    let public_harz = json(&c, url("15085")).await;
    assert_eq!(point(&public_harz, &then)["suppressed"], true);
    assert!(point(&public_harz, &then)["responsible"].is_null());
    assert_eq!(point(&public_harz, &today)["responsible"].as_i64(), Some(harz.len() as i64));

    // In every month, the Land's figure minus the published Kreise isolates nobody.
    let land = json(&c, url("15")).await;
    let kreise: Vec<String> = land["parts"].as_array().expect("parts").iter().map(|p| p["area"].as_str().expect("key").to_string()).collect();
    let mut parts = Vec::new();
    for k in &kreise {
        parts.push(json(&c, url(k)).await);
    }
    let months: Vec<String> = land["trend"]["points"].as_array().expect("points").iter().map(|p| p["month"].as_str().expect("month").to_string()).collect();
    assert_eq!(months.len(), 12);
    for m in &months {
        let whole = point(&land, m)["responsible"].as_i64().expect("the Land's figure");
        let published: i64 = parts.iter().filter_map(|p| p["trend"]["points"].as_array().and_then(|a| a.iter().find(|q| q["month"] == m.as_str())).and_then(|q| q["responsible"].as_i64())).sum();
        let rest = whole - published;
        assert!(rest == 0 || rest >= 3, "{m}: Land − published Kreise = {rest} Kommunen");
    }

    // Every kind of slice and area: the trend ends at today's figures (the Land's view).
    let lage = full["lagebild"]["lage_options"][0].as_str().expect("a Lage").to_string();
    let vg = organisation::Entity::find().filter(organisation::Column::Kind.eq("verbandsgemeinde")).one(db).await.expect("vg").expect("a VG").key;
    let vg_area = vg.get(..9).expect("nine digits").to_string();
    let themenfeld = full["lagebild"]["themenfeld_options"][0].as_str().expect("a Themenfeld").to_string();
    for form in [
        vec![("gebiet", "15"), ("lage", lage.as_str())],
        vec![("gebiet", "15"), ("fokus", "true")],
        vec![("gebiet", "15083"), ("themenfeld", themenfeld.as_str())],
        vec![("gebiet", vg_area.as_str())],
        vec![("gebiet", vg_area.as_str()), ("ozg_id", chosen[0].as_str())],
    ] {
        let v: serde_json::Value = app.server_fn(&advisor, "lagebild", &form).await.json().await.expect("json");
        let last = v["trend"][1].as_array().unwrap_or_else(|| panic!("a trend for {form:?}")).last().cloned().expect("last");
        for field in ["responsible", "online", "flaechendeckend", "reifegrad_3", "population_online", "stages"] {
            assert_eq!(last[field], v["lagebild"]["area"][field], "{form:?} {field}");
        }
    }
    // Two instances computing at the same moment: both succeed, one after the other.
    let cache = &app::lagebild::service::cache(&app.state);
    let at = app::core::time::now();
    let (a, b) = tokio::join!(app::lagebild::service::trend::refresh(db, cache, "15", 3, at, true), app::lagebild::service::trend::refresh(db, cache, "15", 3, at, true));
    assert!(a.is_ok() && b.is_ok(), "{a:?} {b:?}");
    // An association's trend for a Verbandsgemeinde counts its members and leaves small cells out.
    let (sgsa, _) = app.signed_in(Role::Association, "SGSA").await;
    let v: serde_json::Value = app.server_fn(&sgsa, "lagebild", &[("gebiet", vg_area.as_str())]).await.json().await.expect("json");
    assert!(v["lagebild"]["area"]["area"].as_str().expect("key").ends_with(":gem"));
    if !v["lagebild"]["area"]["suppressed"].as_bool().expect("flag") {
        let last = v["trend"][1].as_array().expect("a trend").last().cloned().expect("last");
        assert_eq!(last["online"], v["lagebild"]["area"]["online"]);
    }
}

/// The Kommunen of the Land with what the truth below needs: key, member group, Kreis,
/// Verbandsgemeinde and inhabitants.
struct Kommune {
    id: String,
    group: &'static str,
    kreis: String,
    vg: Option<String>,
    population: i64,
}

async fn kommunen_of_land(db: &sea_orm::DatabaseConnection) -> Vec<Kommune> {
    let all = organisation::Entity::find().all(db).await.expect("orgs");
    let key_of: std::collections::HashMap<String, String> = all.iter().map(|o| (o.id.clone(), o.key.clone())).collect();
    all.iter()
        .filter(|o| ["landkreis", "kreisfreie_stadt", "einheitsgemeinde", "verbandsgemeinde", "mitgliedsgemeinde"].contains(&o.kind.as_str()))
        .map(|o| Kommune {
            id: o.id.clone(),
            group: if o.kind == "landkreis" { rollups::LANDKREISE } else { rollups::GEMEINDEN },
            kreis: o.kreis_key.clone().unwrap_or_default(),
            vg: if o.kind == "verbandsgemeinde" { Some(o.key.clone()) } else { o.verband_id.as_ref().and_then(|v| key_of.get(v).cloned()) },
            population: o.population.unwrap_or(0),
        })
        .collect()
}

/// The Land's own count over a set of Kommunen, read from the register: (responsible,
/// online, inhabitants responsible, inhabitants online) per OZG-Leistung.
async fn truth(db: &sea_orm::DatabaseConnection, members: &[&Kommune], services: &[String]) -> std::collections::HashMap<String, [i64; 4]> {
    use app::core::entities::service_record;
    let ids: Vec<String> = members.iter().map(|k| k.id.clone()).collect();
    let records: std::collections::HashMap<(String, String), service_record::Model> = service_record::Entity::find()
        .filter(service_record::Column::OrganisationId.is_in(ids))
        .all(db)
        .await
        .expect("records")
        .into_iter()
        .map(|r| ((r.organisation_id.clone(), r.ozg_id.clone()), r))
        .collect();
    services
        .iter()
        .map(|ozg| {
            let mut c = [0i64; 4];
            for k in members {
                let r = records.get(&(k.id.clone(), ozg.clone()));
                if r.is_some_and(|r| r.responsibility == "other") {
                    continue;
                }
                c[0] += 1;
                c[2] += k.population;
                if r.is_some_and(|r| r.stage == "online") {
                    c[1] += 1;
                    c[3] += k.population;
                }
            }
            (ozg.clone(), c)
        })
        .collect()
}

/// Property over random registers: for the public and both associations a figure over an area is
/// never below the same figure over an area inside it (Land ≥ Kreis ≥ Verbandsgemeinde), cell by
/// cell and summed, and an area's page agrees with its row among its parent's parts; every figure
/// an association sees equals the Land's count over the same Kommunen, read from the register.
#[tokio::test]
async fn figures_grow_with_the_area_and_associations_count_what_the_land_counts() {
    use app::lagebild::service as lb;
    let app = spawn_with(test_config(), true).await;
    let db = &app.db;
    let chosen = fill_register(&app, 5).await;
    let cache = lb::cache(&app.state);
    let t = 3;
    let kommunen = kommunen_of_land(db).await;
    let orgs: Vec<organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Kind.is_in(["landkreis", "kreisfreie_stadt", "einheitsgemeinde", "verbandsgemeinde", "mitgliedsgemeinde"]))
        .all(db)
        .await
        .expect("orgs");
    let email = app.user(Role::Clerk, "15003000").await;
    let user = crate::common::db::current(&app, &email).await;
    let scope = app::access::scope::Scope::Municipal { org_ids: orgs.iter().map(|k| k.id.clone()).collect::<BTreeSet<_>>() };
    let viewers = [
        lb::viewer(None),
        lb::viewer_of_group(rollups::GEMEINDEN),
        lb::viewer_of_group(rollups::LANDKREISE),
    ];
    let mut compared = (0, 0);
    for round in 0..2u64 {
        if round > 0 {
            // A new random state: a third of the pairs change, the Landkreise leave some services
            // to their Gemeinden (so that the association's Kreis cells are published).
            let mut rng = StdRng::seed_from_u64(100 + round);
            for k in &orgs {
                for ozg in &chosen {
                    if !rng.gen_bool(if k.kind == "landkreis" { 0.6 } else { 0.33 }) {
                        continue;
                    }
                    let version = app::register::service::record_of(db, &k.id, ozg).await.expect("read").map(|r| r.version).unwrap_or(0);
                    let mut input = random_input(&mut rng, version);
                    if k.kind == "landkreis" && rng.gen_bool(0.7) {
                        input = app::register::service::default_input();
                        input.version = version;
                        input.responsibility = Responsibility::Other;
                        input.responsibility_note = Some("Gemeinden".into());
                    }
                    app::register::service::put(db, &user, &scope, &k.key, ozg, &input).await.expect("saved");
                }
            }
        }
        for v in &viewers {
            let name = v.label;
            let key = |base: &str| lb::area_for(v, base).expect("area key");
            // Each area's figures and cells once per viewer and state.
            let mut figures_of: std::collections::HashMap<String, app::lagebild::model::Lagebild> = std::collections::HashMap::new();
            let mut cells_of: std::collections::HashMap<String, (lb::Area, Vec<app::lagebild::model::ServiceFigures>)> = std::collections::HashMap::new();
            macro_rules! figures {
                ($base:expr) => {{
                    let k = key($base);
                    if !figures_of.contains_key(&k) {
                        figures_of.insert(k.clone(), lb::lagebild(db, &cache, &k, &Default::default(), t, false).await.expect("figures"));
                    }
                    figures_of[&k].clone()
                }};
            }
            macro_rules! cells {
                ($base:expr) => {{
                    let k = key($base);
                    if !cells_of.contains_key(&k) {
                        cells_of.insert(k.clone(), lb::services_of(db, &cache, &k, t, false).await.expect("cells"));
                    }
                    cells_of[&k].clone()
                }};
            }
            let land = lb::lagebild(db, &cache, &key("15"), &Default::default(), t, v.full).await.expect("Land");
            let mut pairs: Vec<(String, String)> = land.parts.iter().map(|p| ("15".to_string(), app::lagebild::model::base_key(&p.area).to_string())).collect();
            if v.group == Some(rollups::GEMEINDEN) {
                for p in &land.parts {
                    let kreis = app::lagebild::model::base_key(&p.area).to_string();
                    let lbk = figures!(&kreis);
                    pairs.extend(lbk.parts.iter().map(|vg| (kreis.clone(), app::lagebild::model::base_key(&vg.area).to_string())));
                }
            }
            assert!(pairs.len() > 14 || v.group != Some(rollups::GEMEINDEN), "{name}: Verbandsgemeinden compared");
            for (whole_key, part_key) in &pairs {
                let whole = figures!(whole_key);
                let part = figures!(part_key);
                let row = whole.parts.iter().find(|p| app::lagebild::model::base_key(&p.area) == part_key).expect("part row");
                let (w, p) = (&whole.area, &part.area);
                assert_eq!(
                    (row.responsible, row.online, row.mindestens_eine, row.withheld),
                    (p.responsible, p.online, p.mindestens_eine, p.withheld),
                    "{name}: {part_key}'s page agrees with its row in {whole_key}"
                );
                if p.suppressed {
                    continue;
                }
                assert!(!w.suppressed, "{name}: {whole_key} shown where {part_key} is");
                for (what, a, b) in [
                    ("responsible", w.responsible, p.responsible),
                    ("online", w.online, p.online),
                    ("in mindestens einer Kommune", w.mindestens_eine, p.mindestens_eine),
                    ("Reifegrad ≥ 2", w.reifegrad_2, p.reifegrad_2),
                    ("Reifegrad ≥ 3", w.reifegrad_3, p.reifegrad_3),
                    ("EfA", w.efa, p.efa),
                    ("inhabitants responsible", w.population_responsible, p.population_responsible),
                    ("inhabitants online", w.population_online, p.population_online),
                ] {
                    assert!(a >= b, "round {round}, {name}: {what} of {whole_key} ({a:?}) below {part_key} ({b:?})");
                }
                assert!(p.withheld >= w.withheld, "{name}: {part_key} leaves out what {whole_key} does");
                let (_, whole_cells) = cells!(whole_key);
                let (_, part_cells) = cells!(part_key);
                for (wc, pc) in whole_cells.iter().zip(&part_cells) {
                    assert_eq!(wc.ozg_id, pc.ozg_id);
                    if pc.suppressed {
                        continue;
                    }
                    assert!(!wc.suppressed, "{name}: {} shown in {part_key}, left out of {whole_key}", pc.ozg_id);
                    assert!(wc.responsible >= pc.responsible && wc.online >= pc.online && wc.population_online >= pc.population_online, "{name}: {} of {whole_key} below {part_key}", pc.ozg_id);
                }
            }
            // An association counts what the Land counts over the same Kommunen.
            let Some(group) = v.group else { continue };
            let mut areas: Vec<String> = vec!["15".into()];
            areas.extend(pairs.iter().map(|(_, p)| p.clone()));
            for base in areas {
                let members: Vec<&Kommune> = kommunen
                    .iter()
                    .filter(|k| k.group == group && ((base == "15" && k.kreis.starts_with("15")) || k.kreis == base || k.vg.as_deref() == Some(base.as_str())))
                    .collect();
                let (area, cells) = cells!(&base);
                assert_eq!(area.kommunen, members.len() as i64, "{name}: members of {base}");
                let shown: Vec<String> = cells.iter().filter(|c| !c.suppressed).map(|c| c.ozg_id.clone()).collect();
                let land_count = truth(db, &members, &shown).await;
                let mut sum = 0;
                for c in cells.iter().filter(|c| !c.suppressed) {
                    let tr = land_count[&c.ozg_id];
                    assert_eq!(
                        (c.responsible, c.online, c.population_responsible, c.population_online),
                        (Some(tr[0]), Some(tr[1]), Some(tr[2]), Some(tr[3])),
                        "round {round}, {name}: {} in {base}",
                        c.ozg_id
                    );
                    sum += tr[0];
                    compared.0 += 1;
                }
                let figures = figures!(&base);
                if !figures.area.suppressed {
                    assert_eq!(figures.area.responsible, Some(sum), "{name}: {base}'s figure is the sum of its shown cells");
                    assert_eq!(figures.area.withheld as usize, cells.len() - shown.len());
                }
                if base.len() == 9 {
                    // The Land's own view of a Verbandsgemeinde (all its Kommunen are members).
                    let (_, full) = lb::services_of(db, &cache, &base, t, true).await.expect("Land");
                    for (a, f) in cells.iter().zip(&full).filter(|(a, _)| !a.suppressed) {
                        assert_eq!((a.responsible, a.online), (f.responsible, f.online), "{name}: {} in {base} as the Land sees it", a.ozg_id);
                        compared.1 += 1;
                    }
                }
            }
        }
    }
    assert!(compared.0 > 100 && compared.1 > 10, "cells compared with the register: {compared:?}");
}
