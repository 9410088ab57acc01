//! The demo: `fill` shows the portal at work (register with history for every Kommune, cases in
//! every status with replies, notes, attachments and timers, views, waiting accounts), only in a
//! database without real data; `remove` leaves no demo record, case, account or rollup trace.

use crate::common::{spawn_with, test_config, TestApp};
use app::cases::model::CaseFilter;
use app::core::entities::{app_user, service_record_history, support_case};
use app::identity::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Statement};
use server::ops::demo;

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let row = app.db.query_one_raw(Statement::from_string(app.db.get_database_backend(), sql.to_string())).await.expect("query").expect("row");
    row.try_get_by_index::<i64>(0).expect("number")
}

/// Every column that names an account, as (table, column).
const USER_COLUMNS: [(&str, &str); 61] = [
    ("support_case", "created_by"),
    ("webhook_receiver", "created_by"),
    ("webhook_host", "added_by"),
    ("service_report", "created_by"),
    ("service_report_join", "user_id"),
    ("service_report_answer", "author_id"),
    ("efa_service_state", "set_by"),
    ("connection_step", "user_id"),
    ("connection_item", "updated_by"),
    ("connection_cost", "created_by"),
    ("funding_application", "created_by"),
    ("funding_step", "user_id"),
    ("rollout_plan", "updated_by"),
    ("support_case", "owner_id"),
    ("case_team", "lead_user_id"),
    ("case_message", "author_user_id"),
    ("case_event", "actor_user_id"),
    ("case_read", "user_id"),
    ("case_rating", "rated_by"),
    ("attachment", "uploaded_by"),
    ("notification", "user_id"),
    ("notification_pref", "user_id"),
    ("saved_view", "user_id"),
    ("service_record", "updated_by"),
    ("service_record_history", "user_id"),
    ("service_annotation", "author_id"),
    ("session", "user_id"),
    ("api_token", "user_id"),
    ("login_challenge", "user_id"),
    ("form_draft", "user_id"),
    ("recovery_code", "user_id"),
    ("account_link", "user_id"),
    ("account_link", "created_by"),
    ("user_organisation", "user_id"),
    ("audit_log", "actor_user_id"),
    ("article", "author_id"),
    ("article", "reviewed_by"),
    ("article_version", "changed_by"),
    ("article_vote", "user_id"),
    ("article_file", "uploaded_by"),
    ("event", "created_by"),
    ("event_registration", "user_id"),
    ("announcement", "created_by"),
    ("announcement_read", "user_id"),
    ("survey", "created_by"),
    ("selfcheck_take", "taken_by"),
    ("gremium", "created_by"),
    ("gremium_member", "user_id"),
    ("gremium_member", "added_by"),
    ("gremium_member", "ended_by"),
    ("gremium_decision", "created_by"),
    ("gremium_meeting", "created_by"),
    ("meeting_response", "user_id"),
    ("meeting_minutes", "updated_by"),
    ("meeting_minutes", "approved_by"),
    ("minutes_version", "saved_by"),
    ("minutes_comment", "user_id"),
    ("meeting_document", "uploaded_by"),
    ("gremium_task", "owner_user_id"),
    ("gremium_task", "created_by"),
    ("survey_file", "uploaded_by"),
];

/// Rows, cases and solved cases of the case statistics; rows, online and planned of the trend.
async fn derived(app: &TestApp) -> [i64; 6] {
    [
        scalar(app, "SELECT CAST(COUNT(*) AS BIGINT) FROM agg_case_stats").await,
        scalar(app, "SELECT CAST(COALESCE(SUM(cases), 0) AS BIGINT) FROM agg_case_stats").await,
        scalar(app, "SELECT CAST(COALESCE(SUM(solved), 0) AS BIGINT) FROM agg_case_stats").await,
        scalar(app, "SELECT CAST(COUNT(*) AS BIGINT) FROM agg_trend_cell").await,
        scalar(app, "SELECT CAST(COALESCE(SUM(online), 0) AS BIGINT) FROM agg_trend_cell").await,
        scalar(app, "SELECT CAST(COALESCE(SUM(planned), 0) AS BIGINT) FROM agg_trend_cell").await,
    ]
}

#[tokio::test]
async fn the_demo_shows_the_portal_at_work_and_goes_without_a_trace() {
    let app = spawn_with(test_config(), true).await;
    let db = &app.db;
    demo::ensure(&app.state, false).await.expect("demo accounts");
    let filled = demo::fill::fill(&app.state).await.expect("fill").expect("filled now");

    // Register: every Kommune of Sachsen-Anhalt × every OZG-Leistung, with 18 months of history.
    let kommunen = scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM organisation WHERE key LIKE '15%' AND kind IN ('kreisfreie_stadt','landkreis','einheitsgemeinde','verbandsgemeinde','mitgliedsgemeinde')").await;
    let services = scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM ozg_service WHERE in_catalogue").await;
    assert!(kommunen > 200 && services > 500);
    assert_eq!(filled.records as i64, kommunen * services);
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM service_record WHERE demo").await, kommunen * services, "every record is marked");
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(DISTINCT organisation_id) AS BIGINT) FROM service_record").await, kommunen);
    let oldest = service_record_history::Entity::find().order_by_asc(service_record_history::Column::ChangedAt).one(db).await.expect("db").expect("history");
    let newest = service_record_history::Entity::find().order_by_desc(service_record_history::Column::ChangedAt).one(db).await.expect("db").expect("history");
    let now = app::core::time::now();
    assert!(now - oldest.changed_at > chrono::Duration::days(500) && now - oldest.changed_at < chrono::Duration::days(560), "history over 18 months: {}", oldest.changed_at);
    assert!(now - newest.changed_at < chrono::Duration::days(30), "and up to the last weeks: {}", newest.changed_at);
    crate::common::rollups::assert_rollups_equal_live(db, "after the demo was filled").await;

    // Cases in every status, with replies, internal notes, attachments and timers.
    for status in ["new", "triage", "in_progress", "waiting", "solved", "closed"] {
        let n = support_case::Entity::find().filter(support_case::Column::Status.eq(status)).count(db).await.expect("count");
        assert!(n >= 20, "{n} cases {status}");
    }
    assert!(filled.cases >= 250, "a few hundred cases: {}", filled.cases);
    assert!(app.count("case_rating").await >= 40, "two in three solved cases are rated");
    assert!(app.count("support_case WHERE followup_answered_at IS NOT NULL").await >= 50, "the Kommune's answers owed a follow-up, which came");
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM support_case WHERE NOT demo").await, 0);
    assert!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM case_message WHERE internal").await > 20, "internal notes");
    assert!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM case_message WHERE author_side = 'kommune'").await > 20, "the Kommunen answered");
    assert!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM attachment WHERE internal").await > 0, "internal attachments");
    assert!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM attachment WHERE NOT internal").await > 20, "attachments of the Kommunen");
    assert!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM support_case WHERE response_breached_at IS NOT NULL OR resolution_breached_at IS NOT NULL").await > 5, "breached timers");
    let advisor = demo::people::current(db, "demo.beratung@ozg-portal.example").await.expect("advisor");
    let scope = app::access::scope::Scope::of(Some(&advisor));
    let count = |view: &str, owner: Option<&str>| {
        let f = CaseFilter { view: Some(view.into()), owner: owner.map(str::to_string), ..Default::default() };
        let (scope, advisor) = (&scope, &advisor);
        async move { app::cases::service::inbox::total(db, scope, advisor, &f, now).await.expect("inbox") }
    };
    assert!(count("due_soon", Some("me")).await >= 1, "the demo advisor has cases due within four working hours");
    assert!(count("overdue", Some("me")).await >= 1, "and cases past their time");
    assert!(count("unassigned", None).await >= 10, "unassigned cases");
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM saved_view").await, 4, "saved views");
    let clerk = demo::people::current(db, "demo.kommune@ozg-portal.example").await.expect("clerk");
    assert!(app::core::notify::unread_count(db, &clerk.id).await.expect("unread") > 0, "unread answers for the clerk");
    assert!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM service_annotation").await >= 6, "advisors' annotations");
    // The Wissensportal, the Termine and a Mitteilung have content, reviewed by a second advisor.
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM article WHERE demo AND status = 'veroeffentlicht' AND reviewed_by <> author_id").await, 5);
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM event WHERE demo").await, 3);
    assert_eq!(scalar(&app, &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM event_registration WHERE user_id = '{}'", clerk.id)).await, 1, "the demo clerk is registered");
    assert!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM announcement_target").await > 200, "the announcement reached every Kommune");
    // Last year's survey, closed, and its repetition, open to every Kommune.
    // And a Selbstcheck taken by about two of three Kommunen (not the demo clerks'), each section weighted and recommending.
    assert_eq!(filled.surveys, 3);
    assert_eq!(filled.gremien, 2);
    assert_eq!(app.count("gremium_decision").await, 4, "the demo's decisions");
    assert_eq!(app.count("meeting_minutes WHERE state = 'genehmigt'").await, 1, "approved minutes to read");
    assert_eq!(app.count("gremium_task WHERE status = 'offen'").await, 2, "open tasks, one of them overdue for Magdeburg");
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM survey WHERE demo AND state = 'freigegeben' AND predecessor_id IS NOT NULL").await, 1);
    assert!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM selfcheck_take WHERE latest").await > 100, "Selbstcheck results to compare with");
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM survey_section c JOIN survey s ON s.id = c.survey_id WHERE s.purpose = 'selbstcheck' AND c.weight > 0").await, 4);
    assert!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM survey_section_link").await >= 4, "the sections recommend articles and programmes");
    assert!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM survey_target").await > 200, "the surveys ask every Kommune");
    let invitations = app::accounts::service::links::invitation_states(db, now).await.expect("invitations");
    assert_eq!(invitations.values().filter(|s| matches!(s, app::accounts::service::links::InvitationState::Open { .. })).count(), 2, "open invitations");
    let retired = app_user::Entity::find().filter(app_user::Column::Active.eq(false)).one(db).await.expect("db").expect("a deactivated advisor");
    assert!(support_case::Entity::find().filter(support_case::Column::OwnerId.eq(retired.id.clone())).filter(support_case::Column::Status.ne("closed")).count(db).await.expect("count") > 0);
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM app_user WHERE NOT is_demo").await, 0, "every account is a demo account");

    let with_demo = derived(&app).await;
    assert!(with_demo[1] > 0 && with_demo[4] > 0, "the demo shows in the case statistics and the trend: {with_demo:?}");

    // The roll-out and funding: connections in every step, live ones online in the register.
    assert!(filled.connections > 50 && filled.applications >= 7, "{} connections, {} applications", filled.connections, filled.applications);
    for state in ["interesse", "vereinbarung", "vorbereitung", "test", "live", "zurueckgestellt"] {
        assert!(scalar(&app, &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM connection WHERE state = '{state}'")).await > 0, "a connection in {state}");
    }
    assert_eq!(
        scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM connection c JOIN rollout_plan p ON p.efa_service_id = c.efa_service_id \
            JOIN service_record r ON r.organisation_id = c.organisation_id AND r.ozg_id = p.ozg_id WHERE c.state = 'live' AND (r.stage <> 'online' OR r.solution_kind <> 'efa')").await,
        0,
        "every live connection is online in the register"
    );
    assert!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM connection_item WHERE status = 'blockiert'").await >= 1, "the demo clerk's Kommune has a blocked item");
    // The operators and the reports: the demo partner operates two services, a fault is joined.
    assert_eq!(filled.reports, 3);
    assert_eq!(app.count("efa_service_operator").await, 2);
    assert!(app.count("connection_item WHERE operator").await >= 2, "items of the operator");
    assert!(scalar(&app, "SELECT CAST(MAX(joined) AS BIGINT) FROM service_report").await >= 3, "a fault several Kommunen joined");
    assert_eq!(app.count("efa_service_state").await, 2);
    assert_eq!(app.count("webhook_receiver WHERE demo").await, 1, "the demo partner's ticket system");
    assert!(scalar(&app, "SELECT committed_cents FROM funding_programme").await > 0);

    // A second fill writes nothing; a fill beside real data is refused.
    assert!(demo::fill::fill(&app.state).await.expect("second fill").is_none());
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM support_case").await, filled.cases as i64);

    // Real data arrives: a real clerk files a case the demo advisor answers.
    let (c, _) = app.signed_in(Role::Clerk, "15003000").await;
    let res = c
        .post(app.url("/api/v1/cases"))
        .json(&serde_json::json!({ "subject": "Echte Frage", "category": "technik", "description": "Bleibt nach dem Entfernen der Demo." }))
        .send()
        .await
        .expect("file");
    assert_eq!(res.status(), 201);
    let real_case: i64 = res.json::<serde_json::Value>().await.expect("json")["id"].as_i64().expect("id");
    let actor = app::cases::service::workflow::Actor::new(&advisor, &scope, &app.state.config);
    app::cases::service::workflow::add_message(db, &actor, real_case, "Antwort aus der Demo-Beratung.", false, false).await.expect("reply");
    let refused = demo::fill::fill(&app.state).await;
    assert!(refused.is_err_and(|e| e.to_string().contains("keine Demo-Daten")), "no demo beside real data");

    let removed = demo::remove::remove(&app.state).await.expect("remove");
    assert_eq!(removed.records as i64, kommunen * services);
    assert_eq!(removed.cases as usize, filled.cases);
    for table in [
        "service_record", "service_record_history", "service_annotation", "saved_view", "attachment", "attachment_blob", "article", "article_version", "article_ozg",
        "article_field", "event", "event_registration", "announcement", "announcement_target", "connection", "connection_step", "connection_item", "connection_cost",
        "agg_rollout", "agg_rollout_days", "agg_rollout_month", "funding_application", "funding_step", "funding_programme", "rollout_plan",
        "survey", "survey_section", "survey_question", "survey_option", "survey_matrix_row", "survey_target", "survey_section_link", "selfcheck_take", "selfcheck_score",
        "gremium", "gremium_member", "gremium_decision", "gremium_decision_counter", "gremium_meeting", "meeting_item", "meeting_response", "meeting_minutes",
        "minutes_version", "minutes_comment", "gremium_task", "case_rating", "funding_release_member", "service_report", "service_report_join",
        "service_report_answer", "efa_service_state", "efa_service_operator", "webhook_receiver", "webhook_delivery",
    ] {
        assert_eq!(app.count(table).await, 0, "{table} is empty");
    }
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM support_case WHERE demo").await, 0);
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM efa_service WHERE demo").await, 0, "the demo's EfA services go with it");
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM app_user WHERE is_demo OR email LIKE 'demo.%'").await, 0, "no demo account");
    assert_eq!(app.count("organisation WHERE kind = 'partner'").await, 0, "the demo partner organisation goes with it");
    assert_eq!(app.count("support_case").await, 1, "the real case stays");
    assert_eq!(app.count("app_user").await, 1, "the real account stays");
    // No column anywhere names an account that is gone.
    for (table, column) in USER_COLUMNS {
        let orphans = scalar(&app, &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table} WHERE {column} IS NOT NULL AND {column} NOT IN (SELECT id FROM app_user)")).await;
        assert_eq!(orphans, 0, "{table}.{column} names no removed account");
    }
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM mail_outbox WHERE recipient LIKE 'demo.%'").await, 0);
    // The real case keeps its reply, without the demo advisor's name.
    assert_eq!(scalar(&app, &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM case_message WHERE case_id = {real_case} AND author_user_id IS NULL")).await, 1);

    // Rollups: as computed live from what remains.
    crate::common::rollups::assert_rollups_equal_live(db, "after the demo was removed").await;
    assert_eq!(app.count("agg_kommune_activity").await, 0, "no Kommune has register activity left");
    let kept = derived(&app).await;
    let threshold = app.state.config.suppression_threshold;
    app::lagebild::service::case_stats::refresh(db, threshold, app::core::time::now(), true).await.expect("case stats");
    app::lagebild::service::trend::refresh(db, &app::lagebild::service::cache(&app.state), "15", threshold, app::core::time::now(), true).await.expect("trend");
    assert_eq!(derived(&app).await, kept, "case statistics and trend as computed afresh");
    assert_eq!(kept[4], 0, "nothing online is left in the trend: {kept:?}");
    assert!(kept[1] > 0 && kept[1] < with_demo[1] / 10, "only the real case is counted: {kept:?}");
}
