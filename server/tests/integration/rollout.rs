//! Nachnutzung through the real router: the overview and its CSV, a Kommune's connection from
//! interest to live (which sets the register), the checklist with a case from a blocked item,
//! bulk steps all or none, costs, and the roll-out's figures and rollups.

use crate::common::cases::{HALLE, MAGDEBURG};
use crate::common::db::{scalar, text};
use crate::common::rollout::seed_rollout;
use crate::common::{spawn_with, test_config, TestApp};
use app::identity::Role;
use app::rollout::service::rollup;
use sea_orm::{ConnectionTrait, Statement};

/// A step, confirming that it goes on although items of the checklist are open.
async fn step(app: &TestApp, c: &reqwest::Client, id: i64, to: &str, reason: &str) -> u16 {
    app.server_fn(c, "connection_step", &[("id", &id.to_string()), ("schritt", to), ("grund", reason), ("trotz_offener", "ja")]).await.status().as_u16()
}

async fn state_of(app: &TestApp, id: i64) -> String {
    text(app, &format!("SELECT state FROM connection WHERE id = {id}")).await
}

/// The rollups as kept, in a stable order.
async fn rollups(app: &TestApp) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT efa_service_id || '|' || kreis_key || '|' || state || '|' || CAST(kommunen AS TEXT) FROM agg_rollout WHERE kommunen <> 0 ORDER BY 1",
        "SELECT efa_service_id || '|' || CAST(days AS TEXT) || '|' || CAST(connections AS TEXT) FROM agg_rollout_days ORDER BY 1",
        "SELECT month || '|' || efa_service_id || '|' || state || '|' || CAST(connections AS TEXT) FROM agg_rollout_month ORDER BY 1",
    ] {
        for r in app.db.query_all_raw(Statement::from_string(app.db.get_database_backend(), sql.to_string())).await.expect("rollups") {
            out.push(r.try_get_by_index::<String>(0).expect("row"));
        }
    }
    out
}

#[tokio::test]
async fn a_connection_goes_from_interest_to_live_and_going_live_sets_the_register() {
    let app = spawn_with(test_config(), true).await;
    let seed = seed_rollout(&app).await;
    let id = seed.connection;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (other, _) = app.signed_in(Role::Clerk, HALLE).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM connection_item WHERE connection_id = {id}")).await, 2, "the checklist comes from the service's rows, each item once");
    // A second declaration is the same connection.
    let again = app.server_fn(&clerk, "declare_interest", &[("kommune", MAGDEBURG), ("dienst", &seed.service)]).await;
    assert_eq!(again.status(), 200);
    assert_eq!(app.count("connection").await, 1);
    // A Verbandsgemeinde connects its member Gemeinden: a member itself is refused and nothing is stored.
    let (vg, _) = app.signed_in(Role::Clerk, "150835051").await;
    let member = app.server_fn(&vg, "declare_interest", &[("kommune", "15083030"), ("dienst", &seed.service)]).await;
    assert_eq!(member.status(), 422);
    assert!(member.text().await.expect("body").contains("Verbandsgemeinde"));
    assert_eq!(app.count("connection").await, 1);
    // Another Kommune's clerk can neither read nor move it.
    assert_eq!(step(&app, &other, id, "vereinbarung", "").await, 403);
    let read = app.server_fn(&other, "rollout_connection", &[("id", &id.to_string())]).await;
    assert_eq!(read.status(), 403);
    // Skipping a step or going back is refused in German and changes nothing.
    let skip = app.server_fn(&clerk, "connection_step", &[("id", &id.to_string()), ("schritt", "test")]).await;
    assert_eq!(skip.status(), 422);
    assert!(skip.text().await.expect("body").contains("nicht möglich"));
    assert_eq!(state_of(&app, id).await, "interesse");
    // Moving on with items of the checklist open needs a confirmation, which names them.
    let unconfirmed = app.server_fn(&clerk, "connection_step", &[("id", &id.to_string()), ("schritt", "vereinbarung")]).await;
    assert_eq!(unconfirmed.status(), 422);
    let says = unconfirmed.text().await.expect("body");
    assert!(says.contains("Noch 2 von 2 Punkten der Checkliste sind offen") && says.contains("trotz_offener"), "{says}");
    assert_eq!(state_of(&app, id).await, "interesse");
    for to in ["vereinbarung", "vorbereitung", "test"] {
        assert_eq!(step(&app, &clerk, id, to, "").await, 200, "{to}");
    }
    assert_eq!(step(&app, &clerk, id, "interesse", "").await, 422, "no way back");
    // Live is the Land's confirmation.
    let live = app.server_fn(&clerk, "connection_step", &[("id", &id.to_string()), ("schritt", "live")]).await;
    assert_eq!(live.status(), 422);
    assert!(live.text().await.expect("body").contains("Landesberatung"));
    // A stale version is a conflict.
    let stale = app.server_fn(&advisor, "connection_step", &[("id", &id.to_string()), ("schritt", "live"), ("version", "1")]).await;
    assert_eq!(stale.status(), 409);
    let history_before = app.count("service_record_history").await;
    assert_eq!(step(&app, &advisor, id, "live", "").await, 200);
    assert_eq!(state_of(&app, id).await, "live");
    // Both OZG-Leistungen of the service are online in Magdeburg's register, with the EfA
    // solution and one history entry each.
    for ozg in ["10000", "10001"] {
        let rec: serde_json::Value = clerk.get(app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services/{ozg}"))).send().await.expect("record").json().await.expect("json");
        assert_eq!(rec["stage"], "online", "{ozg}: {rec}");
        assert_eq!(rec["solution_kind"], "efa");
        assert_eq!(rec["solution_name"], "Wohngeld Digital");
        assert_eq!(rec["offered"], true);
    }
    assert_eq!(app.count("service_record_history").await, history_before + 2);
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM connection_step WHERE connection_id = {id}")).await, 5, "every step with its date and who set it");
    assert!(app.count("audit_log WHERE action = 'connection_step'").await >= 4);
    // The figures: one Kommune live, the median days known to the Land.
    let f: serde_json::Value = app.server_fn(&advisor, "rollout_figures", &[("dienst", &seed.service)]).await.json().await.expect("json");
    let s = &f["services"][0];
    assert_eq!(s["counts"][4], 1, "{f}");
    assert_eq!(s["median_days"], 0);
    assert!(f["without"].as_array().expect("names").iter().all(|n| n != "Magdeburg, Landeshauptstadt"), "Magdeburg has it now");
    // Public: one live Kommune gives no median; Magdeburg's Kreis (one Kommune) is suppressed.
    let public: serde_json::Value = crate::common::client().get(app.url("/api/v1/public/rollout")).send().await.expect("public").json().await.expect("json");
    assert!(public["services"][0]["median_days"].is_null(), "{public}");
    assert!(public["without"].is_null());
    let magdeburg = public["kreise"].as_array().expect("kreise").iter().find(|k| k["kreis"] == "15003").expect("Magdeburg as a Kreis");
    assert!(magdeburg["counts"].is_null(), "a kreisfreie Stadt alone is suppressed: {magdeburg}");
    // The rollups kept step by step equal a rebuild.
    let kept = rollups(&app).await;
    let txn = app::core::db::begin_write(&app.db).await.expect("txn");
    rollup::rebuild(&txn).await.expect("rebuild");
    txn.commit().await.expect("commit");
    assert_eq!(kept, rollups(&app).await);
}

#[tokio::test]
async fn pausing_needs_a_reason_and_resumes_where_it_stood() {
    let app = spawn_with(test_config(), true).await;
    let seed = seed_rollout(&app).await;
    let id = seed.connection;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    assert_eq!(step(&app, &clerk, id, "vereinbarung", "").await, 200);
    assert_eq!(step(&app, &clerk, id, "zurueckgestellt", "").await, 422, "a reason is required");
    assert_eq!(step(&app, &clerk, id, "zurueckgestellt", "Haushaltssperre bis Juli").await, 200);
    assert_eq!(text(&app, &format!("SELECT reason FROM connection WHERE id = {id}")).await, "Haushaltssperre bis Juli");
    assert_eq!(step(&app, &clerk, id, "vorbereitung", "").await, 422, "a paused connection resumes where it stood");
    assert_eq!(step(&app, &clerk, id, "vereinbarung", "").await, 200);
    assert_eq!(state_of(&app, id).await, "vereinbarung");
}

#[tokio::test]
async fn a_bulk_step_moves_all_or_none() {
    let app = spawn_with(test_config(), true).await;
    let seed = seed_rollout(&app).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let (halle, _) = app.signed_in(Role::Clerk, HALLE).await;
    assert_eq!(app.server_fn(&halle, "declare_interest", &[("kommune", HALLE), ("dienst", &seed.service)]).await.status(), 200);
    let halle_id = scalar(&app, "SELECT MAX(id) FROM connection").await;
    assert_eq!(step(&app, &advisor, halle_id, "test", "").await, 200, "advisors may set any later step");
    let ids = [("dienst", seed.service.clone()), ("schritt", "vereinbarung".to_string()), (Box::leak(format!("ids[{}]", seed.connection).into_boxed_str()), seed.connection.to_string()), (Box::leak(format!("ids[{halle_id}]").into_boxed_str()), halle_id.to_string())];
    let form: Vec<(&str, &str)> = ids.iter().map(|(k, v)| (*k as &str, v.as_str())).collect();
    let refused = app.server_fn(&advisor, "connection_bulk", &form).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.expect("body").contains("Halle"), "the Kommune that blocks is named");
    assert_eq!(state_of(&app, seed.connection).await, "interesse", "nothing moved");
    let form: Vec<(&str, &str)> = form.into_iter().map(|(k, v)| if k == "schritt" { (k, "live") } else { (k, v) }).collect();
    assert_eq!(app.server_fn(&advisor, "connection_bulk", &form).await.status(), 200);
    assert_eq!(state_of(&app, seed.connection).await, "live");
    assert_eq!(state_of(&app, halle_id).await, "live");
    // Each Kommune is told of its step, as of a single one.
    assert_eq!(app.count("notification WHERE kind = 'connection' AND text LIKE '%auf »Live« gesetzt%'").await, 2);
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    assert_eq!(app.server_fn(&clerk, "connection_bulk", &form).await.status(), 403, "bulk is the Land's");
}

#[tokio::test]
async fn a_blocked_item_opens_a_case_for_the_kommune_in_one_step() {
    let app = spawn_with(test_config(), true).await;
    let seed = seed_rollout(&app).await;
    let id = seed.connection.to_string();
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let without_note = app.server_fn(&clerk, "connection_item", &[("id", &id), ("punkt", "1"), ("status", "blockiert")]).await;
    assert_eq!(without_note.status(), 422);
    let blocked = app.server_fn(&clerk, "connection_item", &[("id", &id), ("punkt", "1"), ("status", "blockiert"), ("notiz", "Zertifikat fehlt")]).await;
    assert_eq!(blocked.status(), 200);
    assert_eq!(app.server_fn(&clerk, "connection_item_case", &[("id", &id), ("punkt", "1")]).await.status(), 200);
    assert_eq!(app.server_fn(&clerk, "connection_item_case", &[("id", &id), ("punkt", "1")]).await.status(), 200);
    assert_eq!(app.count("support_case").await, 1, "one case, however often asked");
    let case_id = scalar(&app, "SELECT id FROM support_case").await;
    assert_eq!(scalar(&app, &format!("SELECT case_id FROM connection_item WHERE connection_id = {id} AND position = 1")).await, case_id);
    let case: serde_json::Value = clerk.get(app.url(&format!("/api/v1/cases/{case_id}"))).send().await.expect("case").json().await.expect("json");
    let case = &case["case"];
    assert!(case["subject"].as_str().expect("subject").contains("DVDV-Eintrag"), "{case}");
    assert_eq!(case["municipality"], MAGDEBURG, "{case}");
    let ozg = case["ozg_ids"].to_string();
    assert!(ozg.contains("10000") && ozg.contains("10001"), "{case}");
    // An open item opens no case.
    assert_eq!(app.server_fn(&clerk, "connection_item_case", &[("id", &id), ("punkt", "2")]).await.status(), 422);
}

#[tokio::test]
async fn costs_are_entered_by_advisors_totalled_and_never_public() {
    let app = spawn_with(test_config(), true).await;
    let seed = seed_rollout(&app).await;
    let id = seed.connection.to_string();
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let cost = |amount: &'static str, kind: &'static str, bearer: &'static str| vec![("id", id.clone()), ("kind", kind.into()), ("year", "2027".into()), ("amount", amount.into()), ("bearer", bearer.into())];
    let as_form = |v: &Vec<(&'static str, String)>| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let post = |c: &reqwest::Client, v: Vec<(&'static str, String)>| {
        let req = c.post(app.url("/api/add_connection_cost")).header("accept", "application/json").form(&v);
        async move { req.send().await.expect("cost").status().as_u16() }
    };
    assert_eq!(post(&clerk, as_form(&cost("100,00", "einmalig", "kommune"))).await, 403);
    assert_eq!(post(&advisor, as_form(&cost("zwölf", "einmalig", "kommune"))).await, 422);
    assert_eq!(post(&advisor, as_form(&cost("12.500,50", "einmalig", "kommune"))).await, 200);
    assert_eq!(post(&advisor, as_form(&cost("2.000", "jaehrlich", "land"))).await, 200);
    assert_eq!(scalar(&app, "SELECT CAST(SUM(amount_cents) AS BIGINT) FROM connection_cost").await, 1_450_050);
    let report: serde_json::Value = app.server_fn(&advisor, "rollout_costs", &[]).await.json().await.expect("report");
    assert_eq!(report["all"]["one_off"], 1_250_050);
    assert_eq!(report["all"]["yearly"], 200_000);
    assert_eq!(report["by_kommune"][0]["label"], "Magdeburg, Landeshauptstadt");
    assert_eq!(report["by_kreis"][0]["label"], "Magdeburg, Landeshauptstadt", "the Kreis is named");
    assert_eq!(report["by_year"][0]["land"], 200_000);
    assert_eq!(app.server_fn(&clerk, "rollout_costs", &[]).await.status(), 403);
    // The Kommune sees its own connection's costs; the public overview never says who pays.
    let view: serde_json::Value = app.server_fn(&clerk, "rollout_connection", &[("id", &id)]).await.json().await.expect("view");
    assert_eq!(view["costs"].as_array().expect("costs").len(), 2);
    let public = crate::common::client().get(app.url("/api/v1/public/nachnutzung?format=csv")).send().await.expect("csv").text().await.expect("text");
    let row = public.lines().find(|l| l.starts_with("10000;")).expect("row of 10000");
    assert!(row.contains("Wohngeld Digital") && !row.contains(";ja;"), "the public file does not say who pays: {row}");
    let public_json: serde_json::Value = crate::common::client().get(app.url("/api/v1/public/nachnutzung")).send().await.expect("json").json().await.expect("json");
    assert!(public_json.as_array().expect("rows").iter().all(|r| r["land_pays"].is_null()));
    let rollout = crate::common::client().get(app.url("/api/v1/public/rollout?format=csv")).send().await.expect("csv").text().await.expect("text");
    assert!(!rollout.contains("12500") && !rollout.contains("12.500"));
}

#[tokio::test]
async fn the_overview_survives_a_csv_round_trip_and_a_bad_file_changes_nothing() {
    let app = spawn_with(test_config(), true).await;
    let _seed = seed_rollout(&app).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let csv = advisor.get(app.url("/nachnutzung.csv")).send().await.expect("csv").text().await.expect("text");
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("10000;") && csv.contains("Wohngeld Digital") && csv.contains("DVDV-Eintrag | Fachverfahren angebunden"), "{}", &csv[..400.min(csv.len())]);
    let upload = |body: String| {
        let part = reqwest::multipart::Part::bytes(body.into_bytes()).file_name("nachnutzung.csv").mime_str("text/csv").expect("mime");
        advisor.post(app.url("/nachnutzung/import")).multipart(reqwest::multipart::Form::new().part("datei", part)).send()
    };
    let same = upload(csv.clone()).await.expect("import");
    assert_eq!(same.status(), 303);
    assert_eq!(same.headers()["location"], "/nachnutzung?importiert=0", "a round trip changes nothing");
    assert_eq!(app.count("rollout_plan").await, 2, "unrecorded rows stay unrecorded");
    let before = app.count("audit_log WHERE action = 'rollout_plan_saved'").await;
    let edit = |text: &str, start: &str, f: &dyn Fn(&str) -> String| text.split_inclusive('\n').map(|l| if l.starts_with(start) { f(l) } else { l.to_string() }).collect::<String>();
    let changed = edit(&csv, "10000;", &|l| l.replace("DVDV-Eintrag | Fachverfahren angebunden", "DVDV-Eintrag"));
    assert_ne!(changed, csv);
    let bad = edit(&changed, "10002;", &|l| l.replacen("10002;", "99999;", 1));
    let refused = upload(bad).await.expect("import");
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.expect("page").contains("99999"));
    assert_eq!(app.count("rollout_plan_item WHERE ozg_id = '10000'").await, 2, "nothing changed");
    assert_eq!(text(&app, "SELECT label FROM rollout_plan_item WHERE ozg_id = '10000' AND position = 2").await, "Fachverfahren angebunden", "nothing changed");
    let ok = upload(changed).await.expect("import");
    assert_eq!(ok.status(), 303);
    assert_eq!(ok.headers()["location"], "/nachnutzung?importiert=1");
    assert_eq!(app.count("rollout_plan_item WHERE ozg_id = '10000'").await, 1);
    assert_eq!(text(&app, "SELECT label FROM rollout_plan_item WHERE ozg_id = '10000'").await, "DVDV-Eintrag");
    assert_eq!(app.count("audit_log WHERE action = 'rollout_plan_imported'").await, 2);
    assert_eq!(app.count("audit_log WHERE action = 'rollout_plan_saved'").await, before);
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let part = reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("n.csv").mime_str("text/csv").expect("mime");
    let denied = clerk.post(app.url("/nachnutzung/import")).multipart(reqwest::multipart::Form::new().part("datei", part)).send().await.expect("import");
    assert_eq!(denied.status(), 403);
}

#[tokio::test]
async fn a_change_of_the_overview_is_seen_at_once_although_overviews_are_kept() {
    let app = spawn_with(test_config(), true).await;
    let _seed = seed_rollout(&app).await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let read = |c: &reqwest::Client| {
        let req = c.post(app.url("/api/rollout_overview")).header("accept", "application/json").form(&[("q", "10000")]);
        async move { req.send().await.expect("overview").json::<serde_json::Value>().await.expect("json") }
    };
    let before = read(&clerk).await;
    assert_eq!(before["rows"][0]["model"], "efa", "{before}");
    assert_eq!(before["matching"], 1);
    assert_eq!(read(&clerk).await, before, "kept");
    let saved = app
        .server_fn(&advisor, "save_rollout_plan", &[("ozg", "10000"), ("model", "eigen"), ("priority", "3"), ("phase", "umsetzung"), ("version", "1")])
        .await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap_or_default());
    let after = read(&clerk).await;
    assert_eq!(after["rows"][0]["model"], "eigen", "{after}");
    assert!(after["rows"][0]["efa"].is_null());
    // A stale version is refused and changes nothing.
    let stale = app.server_fn(&advisor, "save_rollout_plan", &[("ozg", "10000"), ("model", "offen"), ("priority", "3"), ("phase", "planung"), ("version", "1")]).await;
    assert_eq!(stale.status(), 409);
    assert_eq!(read(&clerk).await["rows"][0]["model"], "eigen");
}
