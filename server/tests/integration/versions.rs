//! Results kept between requests (inbox pages, the directory of names, people, start-page
//! figures) follow every committed change, whoever writes it: here changes are written with plain
//! SQL beside the portal, as another instance or program would, and the next request shows them.

use crate::common::cases::{MAGDEBURG, file};
use crate::common::{TestApp, spawn};
use app::cases::model::CaseFilter;
use app::cases::service::inbox;
use app::access::scope::Scope;
use app::identity::Role;
use sea_orm::ConnectionTrait;
use serde_json::Value;

async fn sql(app: &TestApp, statement: &str) {
    app.db.execute_unprepared(statement).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
}

async fn inbox_json(app: &TestApp, c: &reqwest::Client, query: &str) -> Value {
    let res = c.get(app.url(&format!("/api/v1/cases{query}"))).send().await.expect("inbox");
    assert_eq!(res.status(), 200);
    res.json().await.expect("json")
}

#[tokio::test]
async fn the_inbox_follows_changes_written_beside_the_portal() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let a = file(&app, &clerk, "Erster Fall", "Text").await;
    let b = file(&app, &clerk, "Zweiter Fall", "Text").await;
    for _ in 0..2 {
        let open = inbox_json(&app, &advisor, "").await;
        assert_eq!(open["total"], 2);
    }
    let before = app::core::versions::current(&app.db).await.expect("versions");
    sql(&app, &format!("UPDATE support_case SET status = 'closed' WHERE id = {a}")).await;
    let after = app::core::versions::current(&app.db).await.expect("versions");
    assert!(after.cases > before.cases, "a change to a case moves the cases counter");
    assert_eq!((after.people, after.reference), (before.people, before.reference), "and only that one");
    let open = inbox_json(&app, &advisor, "").await;
    assert_eq!(open["total"], 1, "the closed case left the open view");
    assert_eq!(open["cases"][0]["id"], b);
    let all = inbox_json(&app, &advisor, "?view=all").await;
    assert_eq!(all["total"], 2);
    // The inbox reads no table of the register: a register save leaves its kept pages standing,
    // and the next change to a case still shows at once.
    sql(&app, "UPDATE data_version SET register = register + 1 WHERE id = 1").await;
    assert_eq!(inbox_json(&app, &advisor, "").await["total"], 1);
    sql(&app, &format!("UPDATE support_case SET status = 'closed' WHERE id = {b}")).await;
    assert_eq!(inbox_json(&app, &advisor, "").await["total"], 0, "a case change after a register save is seen");
    sql(&app, &format!("UPDATE support_case SET status = 'new' WHERE id = {b}")).await;

    // Names come from the directory: a renamed category and Kommune show on the next request.
    sql(&app, "UPDATE case_category SET label = 'Technik (umbenannt)' WHERE code = 'technik'").await;
    sql(&app, &format!("UPDATE organisation SET name = 'Landeshauptstadt Magdeburg (neu)' WHERE key = '{MAGDEBURG}'")).await;
    let open = inbox_json(&app, &advisor, "").await;
    assert_eq!(open["cases"][0]["category_label"], "Technik (umbenannt)");
    assert_eq!(open["cases"][0]["municipality_name"], "Landeshauptstadt Magdeburg (neu)");
    let html = advisor.get(app.url("/faelle")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("Technik (umbenannt)"), "the inbox page's filter offers the new label");
}

#[tokio::test]
async fn an_account_deactivated_beside_the_portal_loses_its_session_on_the_next_request() {
    let app = spawn().await;
    let (advisor, email) = app.signed_in(Role::Advisor, "LAND").await;
    for _ in 0..2 {
        assert_eq!(app.me_status(&advisor).await, 200);
    }
    sql(&app, &format!("UPDATE app_user SET name = 'Neuer Name' WHERE email = '{email}'")).await;
    let me: Value = advisor.get(app.url("/api/v1/me")).send().await.expect("me").json().await.expect("json");
    assert_eq!(me["name"], "Neuer Name");
    sql(&app, &format!("UPDATE app_user SET active = false WHERE email = '{email}'")).await;
    assert_eq!(app.me_status(&advisor).await, 401);
}

#[tokio::test]
async fn the_start_page_figures_follow_the_reference_data() {
    let app = spawn().await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let overview = || async {
        let res = advisor.post(app.url("/api/overview")).header("accept", "application/json").send().await.expect("overview");
        assert_eq!(res.status(), 200);
        res.json::<Value>().await.expect("json")["population"].as_i64().expect("population")
    };
    let population = overview().await;
    assert_eq!(overview().await, population);
    let before = app::core::versions::current(&app.db).await.expect("versions");
    sql(&app, "UPDATE organisation SET population = population + 5 WHERE id IN (SELECT id FROM organisation WHERE kind = 'einheitsgemeinde' AND population IS NOT NULL ORDER BY id LIMIT 1)").await;
    let after = app::core::versions::current(&app.db).await.expect("versions");
    assert!(after.reference > before.reference, "a change to an organisation moves the reference counter");
    assert_eq!(after.cases, before.cases);
    assert_eq!(overview().await, population + 5);
}
#[tokio::test]
async fn views_that_depend_on_the_clock_are_never_served_from_before() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let advisor_email = app.user(Role::Advisor, "LAND").await;
    let id = file(&app, &clerk, "Fall mit Frist", "Text").await;
    let advisor = crate::common::db::current(&app, &advisor_email).await;
    // The request's versions stay fixed, as within one request; only the clock moves.
    let advisor = app::core::session::CurrentUser { versions: Some(app::core::versions::current(&app.db).await.expect("versions")), ..advisor };
    let scope = Scope::of(Some(&advisor));
    let due: chrono::DateTime<chrono::Utc> = {
        let c = app::cases::service::load(&app.db, id).await.expect("case");
        c.response_due_at
    };
    let overdue = CaseFilter { view: Some("overdue".into()), ..Default::default() };
    let before = inbox::list(&app.db, &scope, &advisor, &overdue, due - chrono::Duration::minutes(1)).await.expect("inbox");
    assert_eq!(before.total, 0);
    let after = inbox::list(&app.db, &scope, &advisor, &overdue, due + chrono::Duration::minutes(1)).await.expect("inbox");
    assert_eq!(after.total, 1, "the case is overdue once its first-response deadline has passed");
    let again = inbox::list(&app.db, &scope, &advisor, &overdue, due + chrono::Duration::minutes(2)).await.expect("inbox");
    assert_eq!(again.total, 1);
    // The start page's line counts the same view without reading its page, under the same clock
    // (sorted otherwise, so that it is kept apart from the pages above).
    let line = CaseFilter { sort: Some("due".into()), ..overdue.clone() };
    for (minutes, expected) in [(-1, 0), (1, 1), (3, 1), (-2, 0)] {
        let count = inbox::total(&app.db, &scope, &advisor, &line, due + chrono::Duration::minutes(minutes)).await.expect("count");
        assert_eq!(count, expected, "{minutes} minutes after the deadline");
    }
    // "Due soon": not yet when filed (the deadline is further than four business hours away),
    // then as the horizon reaches it, and no longer once it has passed.
    let soon = CaseFilter { view: Some("due_soon".into()), ..Default::default() };
    let filed = app::cases::service::load(&app.db, id).await.expect("case").created_at;
    assert_eq!(inbox::list(&app.db, &scope, &advisor, &soon, filed).await.expect("inbox").total, 0);
    assert_eq!(inbox::list(&app.db, &scope, &advisor, &soon, filed + chrono::Duration::seconds(1)).await.expect("inbox").total, 0);
    assert_eq!(inbox::list(&app.db, &scope, &advisor, &soon, due - chrono::Duration::minutes(1)).await.expect("inbox").total, 1);
    assert_eq!(inbox::list(&app.db, &scope, &advisor, &soon, due + chrono::Duration::minutes(1)).await.expect("inbox").total, 0);
}

#[tokio::test]
async fn every_table_the_kept_results_read_has_its_trigger() {
    let app = spawn().await;
    let expected = [
        "support_case",
        // The Land's answers on the clerk's start page (m0030).
        "case_message",
        "service_record",
        "service_record_history",
        "case_ozg",
        "app_user",
        "user_organisation",
        "organisation",
        "case_team",
        "case_category",
        "sla_target",
        "case_setting",
        "ozg_service",
        "leika_service",
        "efa_service",
        "maturity_criterion",
        // The Nachnutzungsübersicht (m0024), kept by the overview page.
        "rollout_plan",
    ];
    let query = if app.db.get_database_backend() == sea_orm::DbBackend::Postgres {
        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE 'dv\\_%' AND t.tgdeferrable"
    } else {
        "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'dv\\_%' ESCAPE '\\'"
    };
    let rows = app.db.query_all_raw(sea_orm::Statement::from_string(app.db.get_database_backend(), query)).await.expect("triggers");
    let mut tables: Vec<String> = rows.iter().map(|r| r.try_get_by_index::<String>(0).expect("name")).collect();
    tables.sort();
    tables.dedup();
    let mut want: Vec<String> = expected.iter().map(|t| t.to_string()).collect();
    want.sort();
    assert_eq!(tables, want);
    // A change in a transaction that is rolled back moves nothing.
    let before = app::core::versions::current(&app.db).await.expect("versions");
    let txn = sea_orm::TransactionTrait::begin(&app.db).await.expect("begin");
    txn.execute_unprepared("UPDATE organisation SET name = name").await.expect("update");
    txn.rollback().await.expect("rollback");
    assert_eq!(app::core::versions::current(&app.db).await.expect("versions"), before);
}

#[tokio::test]
async fn the_signed_in_lagebild_follows_the_register_at_once() {
    use app::register::model::Stage;
    let app = crate::common::spawn_with(crate::common::test_config(), true).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let page = || async { advisor.get(app.url("/lagebild")).send().await.expect("page").text().await.expect("html") };
    for _ in 0..2 {
        assert!(page().await.contains(">0 von "), "nothing online before");
    }
    // A Kommune puts a service online: the advisor's next Lagebild shows it.
    let email = app.user(Role::Clerk, MAGDEBURG).await;
    let user = crate::common::db::current(&app, &email).await;
    let scope = Scope::of(Some(&user));
    let mut input = app::register::service::default_input();
    input.stage = Stage::Online;
    input.offered = true;
    let ozg = app::lagebild::service::slice_services(&app.db, &Default::default()).await.expect("catalogue")[0].0.clone();
    app::register::service::put(&app.db, &user, &scope, MAGDEBURG, &ozg, &input).await.expect("saved");
    let after = page().await;
    assert!(after.contains(">1 von "), "the register change shows at once");
}

#[tokio::test]
async fn a_kommunes_register_list_follows_changes_written_beside_the_portal() {
    use app::register::model::Stage;
    let app = crate::common::spawn_with(crate::common::test_config(), true).await;
    let (clerk, email) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let list = || async {
        let res = clerk.get(app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services"))).send().await.expect("list");
        assert_eq!(res.status(), 200);
        res.json::<Vec<Value>>().await.expect("json")
    };
    let user = crate::common::db::current(&app, &email).await;
    let scope = Scope::of(Some(&user));
    let mut input = app::register::service::default_input();
    input.stage = Stage::Planned;
    let ozg = list().await[0]["ozg_id"].as_str().expect("ozg").to_string();
    app::register::service::put(&app.db, &user, &scope, MAGDEBURG, &ozg, &input).await.expect("saved");
    for _ in 0..2 {
        assert_eq!(list().await[0]["stage"], "planned");
    }
    sql(&app, &format!("UPDATE service_record SET stage = 'online', offered = true WHERE ozg_id = '{ozg}'")).await;
    assert_eq!(list().await[0]["stage"], "online", "a record changed beside the portal");
    sql(&app, &format!("UPDATE ozg_service SET name = 'Umbenannte Leistung' WHERE ozg_id = '{ozg}'")).await;
    assert_eq!(list().await[0]["name"], "Umbenannte Leistung", "a catalogue entry changed beside the portal");
}

#[tokio::test]
async fn inbox_counts_follow_every_column_a_filter_reads_and_outlive_a_note() {
    use crate::common::db::{text, user_id};
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, advisor_email) = app.signed_in(Role::Advisor, "LAND").await;
    let a = file(&app, &clerk, "Erster Fall", "Text").await;
    let b = file(&app, &clerk, "Zweiter Fall", "Text").await;
    let me = user_id(&app, &advisor_email).await;
    // A team of its own, so that no case has it yet.
    sql(&app, "INSERT INTO case_team (id, name, active) VALUES ('team-zaehlung', 'Prüfteam', true)").await;
    let team = "team-zaehlung".to_string();
    let (category_id, category) = (
        text(&app, "SELECT id FROM case_category WHERE code <> 'technik' ORDER BY code LIMIT 1").await,
        text(&app, "SELECT code FROM case_category WHERE code <> 'technik' ORDER BY code LIMIT 1").await,
    );
    let halle = text(&app, &format!("SELECT id FROM organisation WHERE key = '{}'", crate::common::cases::HALLE)).await;
    // Each filter is read once before its column changes (so a count is kept), then again.
    let checks: [(&str, String, String); 7] = [
        ("status", "?view=waiting".into(), format!("UPDATE support_case SET status = 'waiting' WHERE id = {a}")),
        ("priority", "?view=all&priority=urgent".into(), format!("UPDATE support_case SET priority = 'urgent' WHERE id = {a}")),
        ("owner_id", "?view=mine".into(), format!("UPDATE support_case SET owner_id = '{me}' WHERE id = {a}")),
        ("team_id", format!("?view=all&team={team}"), format!("UPDATE support_case SET team_id = '{team}' WHERE id = {a}")),
        ("category_id", format!("?view=all&category={category}"), format!("UPDATE support_case SET category_id = '{category_id}' WHERE id = {a}")),
        ("tags", "?view=all&tag=dringend".into(), format!("UPDATE support_case SET tags = ',dringend,' WHERE id = {a}")),
        ("organisation_id", format!("?view=all&municipality={}", crate::common::cases::HALLE), format!("UPDATE support_case SET organisation_id = '{halle}' WHERE id = {a}")),
    ];
    for (column, query, change) in checks {
        assert_eq!(inbox_json(&app, &advisor, &query).await["total"], 0, "{column}: nothing matches before");
        sql(&app, &change).await;
        let found = inbox_json(&app, &advisor, &query).await;
        assert_eq!(found["total"], 1, "{column}: the changed case is counted at once");
        assert_eq!(found["cases"][0]["id"], a, "{column}");
    }
    // The columns of the deadline views and the date filters move the counter as well.
    for (column, change) in [
        ("created_by", format!("UPDATE support_case SET created_by = '{me}' WHERE id = {a}")),
        ("created_at", format!("UPDATE support_case SET created_at = response_due_at WHERE id = {a}")),
        ("first_response_at", format!("UPDATE support_case SET first_response_at = resolution_due_at WHERE id = {a}")),
        ("response_due_at", format!("UPDATE support_case SET response_due_at = resolution_due_at WHERE id = {a}")),
        ("resolution_due_at", format!("UPDATE support_case SET resolution_due_at = created_at WHERE id = {a}")),
    ] {
        let before = app::core::versions::current(&app.db).await.expect("versions");
        sql(&app, &change).await;
        let after = app::core::versions::current(&app.db).await.expect("versions");
        assert!(after.case_set > before.case_set, "{column} moves the set of cases");
    }
    assert_eq!(migrations::m0030_case_set_version::FILTERED.len(), 12, "every column a filter reads is checked above");

    // A note moves the cases (the page's order) but not the set: the count stays, the order follows.
    let open = inbox_json(&app, &advisor, "?view=all").await;
    assert_eq!(open["total"], 2);
    let before = app::core::versions::current(&app.db).await.expect("versions");
    let last = if open["cases"][0]["id"] == a { b } else { a };
    let res = advisor.post(app.url(&format!("/api/v1/cases/{last}/messages"))).json(&serde_json::json!({ "body": "Notiz", "internal": true })).send().await.expect("note");
    assert_eq!(res.status(), 201);
    let after = app::core::versions::current(&app.db).await.expect("versions");
    assert!(after.cases > before.cases, "a note moves the cases");
    assert_eq!(after.case_set, before.case_set, "but not the set of cases");
    let open = inbox_json(&app, &advisor, "?view=all").await;
    assert_eq!(open["total"], 2);
    assert_eq!(open["cases"][0]["id"], last, "the noted case comes first at once");
    // A case filed moves the set.
    file(&app, &clerk, "Dritter Fall", "Text").await;
    assert_eq!(inbox_json(&app, &advisor, "?view=all").await["total"], 3);
}

/// The lines of the start page's "what needs you" of the signed-in person: (label, count).
async fn needs(app: &TestApp, c: &reqwest::Client) -> std::collections::HashMap<String, u64> {
    let res = c.post(app.url("/api/overview")).header("accept", "application/json").send().await.expect("overview");
    assert_eq!(res.status(), 200);
    let o: Value = res.json().await.expect("json");
    let lines = if o["kommunen"].as_array().is_some_and(|k| !k.is_empty()) { &o["kommunen"][0]["needs"] } else { &o["needs"] };
    lines.as_array().expect("needs").iter().map(|n| (n["label"].as_str().expect("label").to_string(), n["count"].as_u64().expect("count"))).collect()
}

#[tokio::test]
async fn the_start_pages_counts_follow_the_set_of_cases_and_outlive_a_note() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, advisor_email) = app.signed_in(Role::Advisor, "LAND").await;
    let a = file(&app, &clerk, "Erster Fall", "Text").await;
    let b = file(&app, &clerk, "Zweiter Fall", "Text").await;
    let (unassigned, unseen, mine) = ("Fälle ohne Zuständigkeit", "Neue, noch nicht gesichtete Fälle", "Ihre offenen Fälle");
    let (waiting, solved) = ("Fälle, die auf Ihre Antwort warten", "Gelöste Fälle, die Sie bestätigen können");
    // Read twice, so that the second is served from what the first kept.
    for _ in 0..2 {
        let n = needs(&app, &advisor).await;
        assert_eq!((n[unassigned], n[unseen], n[mine]), (2, 2, 0));
        let n = needs(&app, &clerk).await;
        assert_eq!((n[waiting], n[solved]), (0, 0));
    }
    // Changes written beside the portal show on the next request of both.
    sql(&app, &format!("UPDATE support_case SET status = 'waiting' WHERE id = {a}")).await;
    sql(&app, &format!("UPDATE support_case SET status = 'solved' WHERE id = {b}")).await;
    assert_eq!(needs(&app, &advisor).await[unseen], 0);
    let n = needs(&app, &clerk).await;
    assert_eq!((n[waiting], n[solved]), (1, 1), "the clerk's counts follow the status at once");
    // A note leaves the set of cases standing: the counts stay, and stay right.
    let before = app::core::versions::current(&app.db).await.expect("versions");
    let res = advisor.post(app.url(&format!("/api/v1/cases/{a}/messages"))).json(&serde_json::json!({ "body": "Notiz", "internal": true })).send().await.expect("note");
    assert_eq!(res.status(), 201);
    assert_eq!(app::core::versions::current(&app.db).await.expect("versions").case_set, before.case_set);
    assert_eq!(needs(&app, &clerk).await[waiting], 1);
    // Taking a case over moves it into the advisor's own line.
    let me = crate::common::db::user_id(&app, &advisor_email).await;
    sql(&app, &format!("UPDATE support_case SET owner_id = '{me}' WHERE id = {b}")).await;
    let n = needs(&app, &advisor).await;
    assert_eq!((n[unassigned], n[mine]), (1, 1));
}

#[tokio::test]
async fn an_inbox_page_holds_the_same_cases_whether_it_walks_the_order_or_collects_the_matches() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let advisor_email = app.user(Role::Advisor, "LAND").await;
    for (i, priority) in ["urgent", "normal", "low"].into_iter().enumerate() {
        let id = file(&app, &clerk, &format!("Fall {i}"), "Text").await;
        sql(&app, &format!("UPDATE support_case SET priority = '{priority}' WHERE id = {id}")).await;
    }
    // Doubled five times: 96 cases, in groups that share their times.
    let columns = "organisation_id, acting_org_id, created_by, subject, description, category_id, desired_date, status, priority, team_id, owner_id, tags, duplicate_of, version, created_at, updated_at, last_activity_at, last_public_activity_at, first_response_at, solved_at, closed_at, paused_since, paused_minutes, response_due_at, resolution_due_at, response_breached_at, resolution_breached_at, public_version, demo";
    for _ in 0..5 {
        sql(&app, &format!("INSERT INTO support_case ({columns}) SELECT {columns} FROM support_case")).await;
    }
    let advisor = crate::common::db::current(&app, &advisor_email).await;
    let advisor = app::core::session::CurrentUser { versions: Some(app::core::versions::current(&app.db).await.expect("versions")), ..advisor };
    let scope = Scope::of(Some(&advisor));
    let now = app::core::time::now();
    for (sort, order) in [(None, "updated_at DESC, id DESC"), (Some("due"), "resolution_due_at ASC, id ASC"), (Some("created"), "id DESC")] {
        let expected: Vec<i64> = {
            let rows = app.db.query_all_raw(sea_orm::Statement::from_string(app.db.get_database_backend(), format!("SELECT id FROM support_case ORDER BY {order}"))).await.expect("order");
            rows.iter().map(|r| r.try_get_by_index::<i64>(0).expect("id")).collect()
        };
        assert_eq!(expected.len(), 96);
        let mut read = Vec::new();
        // On PostgreSQL the first page walks the order (50 of 96 match) and the second collects
        // the matches (walking would read past all of them).
        for page in [1, 2] {
            let f = CaseFilter { view: Some("all".into()), sort: sort.map(String::from), page: Some(page), ..Default::default() };
            let p = inbox::list(&app.db, &scope, &advisor, &f, now).await.expect("inbox");
            assert_eq!((p.total, p.page, p.pages), (96, page, 2));
            read.extend(p.cases.iter().map(|c| c.id));
        }
        assert_eq!(read, expected, "sorted by {order}");
    }
    // The priority order puts the urgent cases first, whichever page they are read on.
    let f = |page| CaseFilter { view: Some("all".into()), sort: Some("priority".into()), page: Some(page), ..Default::default() };
    let first = inbox::list(&app.db, &scope, &advisor, &f(1), now).await.expect("inbox");
    let second = inbox::list(&app.db, &scope, &advisor, &f(2), now).await.expect("inbox");
    let priorities: Vec<String> = first.cases.iter().chain(&second.cases).map(|c| format!("{:?}", c.priority)).collect();
    let rank = |p: &str| ["Urgent", "High", "Normal", "Low"].iter().position(|x| p.contains(x)).unwrap_or(9);
    assert!(priorities.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])), "{priorities:?}");
    assert_eq!(priorities.iter().filter(|p| p.contains("Urgent")).count(), 32);
    let ids: std::collections::BTreeSet<i64> = first.cases.iter().chain(&second.cases).map(|c| c.id).collect();
    assert_eq!(ids.len(), 96, "no case on both pages");
}

#[tokio::test]
async fn inbox_rows_shared_by_advisors_follow_every_change_and_keep_each_viewers_read_markers() {
    let app = crate::common::spawn_with(crate::common::test_config(), true).await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (first, _) = app.signed_in(Role::Advisor, "LAND").await;
    let (second, _) = app.signed_in(Role::Advisor, "LAND").await;
    let a = file(&app, &clerk, "Erster Fall", "Text").await;
    file(&app, &clerk, "Zweiter Fall", "Text").await;
    let row = |page: &Value, id: i64| page["cases"].as_array().expect("cases").iter().find(|c| c["id"] == id).cloned().expect("the case is on the page");
    // Both read the page (its rows are kept after the first read).
    for c in [&first, &second, &first] {
        assert_eq!(row(&inbox_json(&app, c, "").await, a)["unread"], true);
    }
    // A change that leaves the set of cases as it was (the subject) shows at once to both.
    sql(&app, &format!("UPDATE support_case SET subject = 'Erster Fall (geändert)' WHERE id = {a}")).await;
    for c in [&first, &second] {
        assert_eq!(row(&inbox_json(&app, c, "").await, a)["subject"], "Erster Fall (geändert)");
    }
    // So does an OZG-Leistung linked beside the portal.
    let ozg = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(app.db.get_database_backend(), "SELECT ozg_id FROM ozg_service ORDER BY ozg_id LIMIT 1"))
        .await
        .expect("query")
        .expect("the catalogue has a service")
        .try_get_by_index::<String>(0)
        .expect("id");
    sql(&app, &format!("INSERT INTO case_ozg (case_id, ozg_id) VALUES ({a}, '{ozg}')")).await;
    assert_eq!(row(&inbox_json(&app, &second, "").await, a)["ozg_ids"], serde_json::json!([ozg]));
    // Reading the case is the reader's own: the other advisor's row stays unread.
    assert_eq!(first.get(app.url(&format!("/api/v1/cases/{a}"))).send().await.expect("case").status(), 200);
    assert_eq!(row(&inbox_json(&app, &first, "").await, a)["unread"], false);
    assert_eq!(row(&inbox_json(&app, &second, "").await, a)["unread"], true);
    // A reply of the Kommune makes it unread again for the reader.
    assert_eq!(crate::common::cases::message(&app, &clerk, a, "Noch eine Frage", false).await.status(), 201);
    assert_eq!(row(&inbox_json(&app, &first, "").await, a)["unread"], true);
}
