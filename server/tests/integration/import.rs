//! Reference data import: complete, idempotent, all-or-nothing, updates in place.

use crate::common::fresh_db;
use app::catalogue::service::import;
use app::catalogue::service::import::{SHIPPED_KOMMUNEN, SHIPPED_OZG};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

async fn db() -> (DatabaseConnection, crate::common::TestDb) {
    let t = fresh_db().await;
    let db = app::core::db::connect(&t.url).await.expect("connect");
    Migrator::up(&db, None).await.expect("migrate");
    (db, t)
}

async fn count_orgs(db: &DatabaseConnection, kind: &str) -> u64 {
    use app::core::entities::organisation;
    organisation::Entity::find().filter(organisation::Column::Kind.eq(kind)).count(db).await.expect("count")
}

#[tokio::test]
async fn shipped_reference_data_imports_completely_and_a_second_run_changes_nothing() {
    let (db, _t) = db().await;
    let first = import::import_shipped(&db, &mut |_, _, _| {}).await.expect("import");
    assert_eq!(first[0].added, 247 + 3, "247 Kommunen rows plus Land and two associations");
    assert_eq!(first[1].added, 557);
    assert!(first[2].added > 5000);
    for (kind, n) in [
        ("landkreis", 11),
        ("kreisfreie_stadt", 3),
        ("einheitsgemeinde", 101),
        ("verbandsgemeinde", 18),
        ("mitgliedsgemeinde", 114),
        ("land_unit", 1),
        ("association", 2),
    ] {
        assert_eq!(count_orgs(&db, kind).await, n, "{kind}");
    }
    let second = import::import_shipped(&db, &mut |_, _, _| {}).await.expect("import");
    for s in &second {
        assert_eq!((s.added, s.changed), (0, 0), "{s:?}");
    }
    assert_eq!(second[0].unchanged, first[0].added);
    assert_eq!(second[2].unchanged, first[2].added);
    // Verbandsgemeinde ↔ member relation.
    let vg = app::catalogue::service::orgs::by_key(&db, "150815051").await.expect("db").expect("VG Beetzendorf-Diesdorf");
    let members = app::catalogue::service::orgs::members_of(&db, &vg.id).await.expect("members");
    assert!(!members.is_empty() && members.iter().all(|m| m.kind == app::identity::OrgKind::Mitgliedsgemeinde));
    let (ozg, _, focus) = import::catalogue_counts(&db).await.expect("counts");
    assert_eq!(ozg, 557);
    assert_eq!(focus, 16, "initial Fokusleistungen");
}

#[tokio::test]
async fn a_malformed_file_fails_with_line_and_reason_and_changes_nothing() {
    let (db, _t) = db().await;
    import::import_bytes(&db, "k.csv", SHIPPED_KOMMUNEN, &mut |_, _| {}).await.expect("import");
    let text = std::str::from_utf8(SHIPPED_KOMMUNEN).expect("utf8");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // A valid change early in the file, then a broken AGS further down.
    lines[1] = lines[1].replace("Altmarkkreis Salzwedel", "Umbenannter Kreis");
    lines[100] = lines[100].replacen("150", "15X", 1);
    let broken = lines.join("\n");
    let err = import::import_bytes(&db, "kaputt.csv", broken.as_bytes(), &mut |_, _| {}).await.expect_err("must fail");
    assert_eq!(err.line, Some(101));
    assert!(err.to_string().starts_with("kaputt.csv, Zeile 101: Feld »"), "{err}");
    let kreis = app::catalogue::service::orgs::by_key(&db, "15081").await.expect("db").expect("kreis");
    assert_eq!(kreis.name, "Altmarkkreis Salzwedel", "the earlier valid row was not applied");
    let err = import::import_bytes(&db, "leer.csv", b"spalte\nwert\n", &mut |_, _| {}).await.expect_err("unknown");
    assert!(err.reason.contains("unbekanntes Dateiformat"));
}

#[tokio::test]
async fn a_newer_catalogue_updates_in_place_and_keeps_what_is_attached() {
    let (db, _t) = db().await;
    import::import_shipped(&db, &mut |_, _, _| {}).await.expect("import");
    use app::core::entities::ozg_service;
    use sea_orm::{ActiveModelTrait, Set};
    // An administrator marks a Fokusleistung that the defaults do not.
    let s = ozg_service::Entity::find_by_id("10001".to_string()).one(&db).await.expect("db").expect("10001");
    let mut a: ozg_service::ActiveModel = s.into();
    a.focus = Set(true);
    a.update(&db).await.expect("update");
    let text = std::str::from_utf8(SHIPPED_OZG).expect("utf8");
    let mut lines: Vec<String> = text.lines().filter(|l| !l.starts_with("10002,")).map(str::to_string).collect();
    lines[2] = lines[2].replace("Erklärung zur Vaterschafts-/Mutterschaftsanerkennung", "Vaterschaftsanerkennung (neu benannt)");
    lines.push("99001,Neue Leistung,Querschnitt,Test,,0,0".into());
    let summary = import::import_bytes(&db, "neu.csv", lines.join("\n").as_bytes(), &mut |_, _| {}).await.expect("import");
    assert_eq!((summary.added, summary.changed, summary.missing_from_file), (1, 1, 1));
    let renamed = ozg_service::Entity::find_by_id("10001".to_string()).one(&db).await.expect("db").expect("10001");
    assert_eq!(renamed.name, "Vaterschaftsanerkennung (neu benannt)");
    assert!(renamed.focus, "the administrator's flag survives the update");
    let dropped = ozg_service::Entity::find_by_id("10002".to_string()).one(&db).await.expect("db").expect("kept");
    assert!(!dropped.in_catalogue, "kept, marked as no longer in the catalogue");
}
