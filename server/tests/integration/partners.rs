//! The operators of the EfA services and the Kommunen's reports, through the real router on both
//! databases: an operator works the connections of its own service only (its checklist items,
//! the proposed dates, "Test"), faults are reported, joined once per Kommune and answered, and
//! every notification reaches exactly the people concerned once, by mail through an SMTP sink.

use crate::common::cases::{HALLE, MAGDEBURG};
use crate::common::db::{scalar, user_id};
use crate::common::{Sink, TestApp, spawn_with, start_sink, test_config};
use app::access::scope::Scope;
use app::identity::Role;
use app::rollout::service::plan;
use serde_json::Value;

const DESSAU: &str = "15001000";

async fn with_mail() -> (TestApp, Sink, server::ops::mail::SmtpConfig) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let sink = start_sink(listener).await;
    let app = spawn_with(app::core::config::Config { mail_enabled: true, ..test_config() }, true).await;
    let cfg = server::ops::mail::SmtpConfig { max_attempts: 10, ..server::ops::mail::SmtpConfig::unencrypted("127.0.0.1", port, "portal@sachsen-anhalt.example") };
    (app, sink, cfg)
}

/// Two services, each with its operator: A (for 10000, with an item for the operator) operated
/// by ITDL-A, B (for 10001) by ITDL-B; Magdeburg connected to A, Halle to B. Returns
/// (A, B, Magdeburg's connection, Halle's connection).
pub(crate) async fn two_services(app: &TestApp) -> (String, String, i64, i64) {
    let admin = user_id(app, &app.user(Role::Admin, "LAND").await).await;
    let advisor = user_id(app, &app.user(Role::Advisor, "LAND").await).await;
    let a = app::catalogue::service::efa::save(&app.db, &admin, None, "Wohngeld Digital", "Schleswig-Holstein", true).await.expect("efa a");
    let b = app::catalogue::service::efa::save(&app.db, &admin, None, "Elterngeld Digital", "Bremen", true).await.expect("efa b");
    for (ozg, service, checklist) in [("10000", &a, "DVDV-Eintrag\nBetreiber: Mandant im Fachverfahren eingerichtet"), ("10001", &b, "DVDV-Eintrag")] {
        let input = plan::PlanInput {
            model: "efa".into(),
            efa_service_id: service.clone(),
            priority: "1".into(),
            phase: "rollout".into(),
            land_pays: true,
            checklist: checklist.into(),
            version: 0,
        };
        plan::save(&app.db, &Scope::Land, &advisor, ozg, &input).await.expect("plan");
    }
    for (key, name) in [("ITDL-A", "Dataport A"), ("ITDL-B", "Dienstleister B")] {
        app::catalogue::service::partners::save(&app.db, None, key, name).await.expect("partner");
    }
    let (admin_client, _) = app.signed_in(Role::Admin, "LAND").await;
    // The administrator's form; a Kommune is no operator.
    let res = app.server_fn(&admin_client, "set_service_operators", &[("dienst", &a), ("betreiber[x]", MAGDEBURG)]).await;
    assert_eq!(res.status(), 422);
    let res = app.server_fn(&admin_client, "set_service_operators", &[("dienst", &a), ("betreiber[ITDL-A]", "ITDL-A")]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
    app::rollout::service::operators::set(&app.db, &Scope::Admin, &admin, &b, &["ITDL-B".into()]).await.expect("operators b");
    let mut ids = Vec::new();
    for (kommune, service) in [(MAGDEBURG, &a), (HALLE, &b)] {
        let (clerk, _) = app.signed_in(Role::Clerk, kommune).await;
        assert_eq!(app.server_fn(&clerk, "declare_interest", &[("kommune", kommune), ("dienst", service)]).await.status(), 200);
        ids.push(scalar(app, "SELECT MAX(id) FROM connection").await);
    }
    (a, b, ids[0], ids[1])
}

async fn json(app: &TestApp, c: &reqwest::Client, endpoint: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let res = app.server_fn(c, endpoint, form).await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn notifications(app: &TestApp, email: &str, kind: &str) -> i64 {
    let id = user_id(app, email).await;
    scalar(app, &format!("SELECT COUNT(*) FROM notification WHERE user_id = '{id}' AND kind = '{kind}'")).await
}

#[tokio::test]
async fn an_operator_works_the_connections_of_its_service_and_sees_nothing_of_another() {
    let (app, sink, cfg) = with_mail().await;
    let (a, b, conn_a, conn_b) = two_services(&app).await;
    let (op, op_email) = app.signed_in(Role::Partner, "ITDL-A").await;
    let (_op_b, op_b_email) = app.signed_in(Role::Partner, "ITDL-B").await;
    let (clerk, clerk_email) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let (ca, cb) = (conn_a.to_string(), conn_b.to_string());

    // Its own service and connection; never the other service's.
    let page = op.get(app.url(&format!("/nachnutzung/dienst/{a}"))).send().await.expect("page");
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("html").contains("Magdeburg"));
    assert_eq!(op.get(app.url(&format!("/nachnutzung/dienst/{b}"))).send().await.expect("page").status(), 403);
    assert_eq!(app.server_fn(&op, "rollout_connection", &[("id", &cb)]).await.status(), 403);
    assert_eq!(app.server_fn(&op, "connection_item", &[("id", &cb), ("punkt", "1"), ("status", "erledigt")]).await.status(), 403);
    // The Land's costs stay the Land's and the Kommune's.
    assert_eq!(
        app.server_fn(&advisor, "add_connection_cost", &[("id", &ca), ("kind", "einmalig"), ("year", "2026"), ("amount", "1.500,00"), ("bearer", "land")]).await.status(),
        200
    );
    let (status, view) = json(&app, &op, "rollout_connection", &[("id", &ca)]).await;
    assert_eq!(status, 200);
    assert_eq!(view["costs"].as_array().map(Vec::len), Some(0), "no costs for the operator");
    assert_eq!(view["as_operator"], true);
    assert_eq!(view["checklist"][1]["operator"], true);
    assert_eq!((view["checklist"][0]["may_edit"].clone(), view["checklist"][1]["may_edit"].clone()), (Value::Bool(false), Value::Bool(true)));
    let html = op.get(app.url(&format!("/nachnutzung/anbindung/{conn_a}"))).send().await.expect("page").text().await.expect("html");
    assert!(!html.contains("1.500,00"), "the page shows no cost either");

    // The operator's item is the operator's; the Kommune's is the Kommune's.
    let res = app.server_fn(&op, "connection_item", &[("id", &ca), ("punkt", "1"), ("status", "erledigt")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("erledigt die Kommune"));
    assert_eq!(app.server_fn(&clerk, "connection_item", &[("id", &ca), ("punkt", "2"), ("status", "erledigt")]).await.status(), 422);
    assert_eq!(app.server_fn(&op, "connection_item", &[("id", &ca), ("punkt", "2"), ("status", "erledigt")]).await.status(), 200);

    // Dates: refused in German and nothing stored, then proposed.
    assert_eq!(app.server_fn(&op, "propose_connection_dates", &[("id", &ca), ("test", "morgen")]).await.status(), 422);
    assert_eq!(app.server_fn(&op, "propose_connection_dates", &[("id", &ca), ("test", "2027-02-01"), ("live", "2027-01-15")]).await.status(), 422);
    assert_eq!(app.server_fn(&clerk, "propose_connection_dates", &[("id", &ca), ("test", "2027-02-01")]).await.status(), 403);
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM connection WHERE planned_test IS NOT NULL AND id = {conn_a}")).await, 0);
    assert_eq!(app.server_fn(&op, "propose_connection_dates", &[("id", &ca), ("test", "2027-02-01"), ("live", "01.03.2027")]).await.status(), 200);
    let (_, view) = json(&app, &clerk, "rollout_connection", &[("id", &ca)]).await;
    assert_eq!((view["planned_test"].as_str(), view["planned_live"].as_str()), (Some("2027-02-01"), Some("2027-03-01")));

    // "Test" only once the connection is prepared; "Live" is the Land's to confirm.
    let step = |c: &reqwest::Client, to: &'static str| {
        let (c, ca) = (c.clone(), ca.clone());
        let app = &app;
        async move { app.server_fn(&c, "connection_step", &[("id", &ca), ("schritt", to), ("trotz_offener", "ja")]).await.status().as_u16() }
    };
    assert_eq!(step(&op, "test").await, 422);
    assert_eq!(step(&advisor, "vorbereitung").await, 200);
    assert_eq!(step(&op, "zurueckgestellt").await, 422, "the operator never pauses a Kommune's connection");
    assert_eq!(step(&op, "test").await, 200);
    assert_eq!(step(&op, "live").await, 422);
    let (_, view) = json(&app, &clerk, "rollout_connection", &[("id", &ca)]).await;
    assert_eq!(view["state"], "test", "the clerk sees the operator's step");

    // Told once each: the Kommune of both steps others took, the operator of the preparation
    // (its own step not), the other operator of nothing.
    assert_eq!(notifications(&app, &clerk_email, "connection").await, 2);
    assert_eq!(notifications(&app, &op_email, "connection").await, 1);
    assert_eq!(notifications(&app, &op_b_email, "connection").await, 0);
    server::ops::mail::deliver_due(&app.db, &cfg, app::core::time::now()).await.expect("deliver");
    let mails = sink.bodies_to(&clerk_email);
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert!(mails.iter().any(|m| m.contains("Der Betreiber hat die Anbindung von") && m.contains("»Test«")), "{mails:?}");
    assert_eq!(sink.bodies_to(&op_email).len(), 1);
    assert!(sink.bodies_to(&op_b_email).is_empty());

    // The operator's start page lists its service with the connection in test.
    let (_, overview) = json(&app, &op, "overview", &[]).await;
    assert_eq!(overview["operated"].as_array().map(Vec::len), Some(1), "{overview}");
    assert_eq!(overview["operated"][0]["testing"], 1);
    assert_eq!(app.count("audit_log WHERE action = 'connection_dates'").await, 1);
    assert_eq!(app.count("audit_log WHERE action = 'efa_operators_set'").await, 2);
}

#[tokio::test]
async fn a_fault_is_joined_once_per_kommune_answered_and_everyone_concerned_is_told() {
    let (app, sink, cfg) = with_mail().await;
    let (a, _b, _, _) = two_services(&app).await;
    let (op, op_email) = app.signed_in(Role::Partner, "ITDL-A").await;
    let (op_b, _) = app.signed_in(Role::Partner, "ITDL-B").await;
    let (magdeburg, md_email) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (halle, halle_email) = app.signed_in(Role::Clerk, HALLE).await;
    let (dessau, dessau_email) = app.signed_in(Role::Clerk, DESSAU).await;
    assert_eq!(app.server_fn(&halle, "declare_interest", &[("kommune", HALLE), ("dienst", &a)]).await.status(), 200);

    // A refused report changes nothing; a Kommune not connected cannot report.
    let report = |kommune: &'static str, title: &'static str, named: &'static str| {
        vec![
            ("dienst", a.clone()),
            ("kommune", kommune.to_string()),
            ("art", "stoerung".into()),
            ("titel", title.into()),
            ("beschreibung", "Der Abruf der Anträge endet mit Fehler 500.".into()),
            ("schwere", "hoch".into()),
            ("seit", "2026-12-01".into()),
            ("namentlich", named.into()),
        ]
    };
    let form = |v: &[(&'static str, String)]| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let send = |c: &reqwest::Client, f: Vec<(&'static str, String)>| {
        let c = c.clone();
        let app = &app;
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.server_fn(&c, "file_service_report", &pairs).await.status().as_u16()
        }
    };
    let mut bad = form(&report(MAGDEBURG, "Antragsabruf bricht ab", ""));
    bad.retain(|(k, _)| *k != "schwere");
    assert_eq!(send(&magdeburg, bad).await, 422);
    assert_eq!(send(&dessau, form(&report(DESSAU, "Antragsabruf bricht ab", ""))).await, 403);
    assert_eq!(app.count("service_report").await, 0);
    assert_eq!(send(&magdeburg, form(&report(MAGDEBURG, "Antragsabruf bricht ab", ""))).await, 200);
    let id = scalar(&app, "SELECT MAX(id) FROM service_report").await.to_string();
    assert_eq!(notifications(&app, &op_email, "service_report").await, 1, "the operator is told of the new report");

    // Halle reads it without the reporter's name and joins; twice at once counts once.
    let (status, page) = json(&app, &halle, "service_reports", &[("dienst", &a)]).await;
    assert_eq!(status, 200);
    assert_eq!(page["open"][0]["reporter"], Value::Null, "Magdeburg did not agree to be named");
    let join = |c: &reqwest::Client, k: &'static str| {
        let (c, id) = (c.clone(), id.clone());
        let app = &app;
        async move { app.server_fn(&c, "join_service_report", &[("id", &id), ("kommune", k)]).await.status().as_u16() }
    };
    let (j1, j2) = tokio::join!(join(&halle, HALLE), join(&halle, HALLE));
    assert_eq!((j1, j2), (200, 200));
    assert_eq!(join(&magdeburg, MAGDEBURG).await, 200, "the reporter is concerned already");
    assert_eq!(join(&dessau, DESSAU).await, 403);
    assert_eq!(scalar(&app, &format!("SELECT CAST(joined AS BIGINT) FROM service_report WHERE id = {id}")).await, 2);
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM service_report_join WHERE report_id = {id}")).await, 2);
    assert_eq!(app.server_fn(&dessau, "service_report", &[("id", &id)]).await.status(), 403);
    assert_eq!(app.server_fn(&op_b, "service_report", &[("id", &id)]).await.status(), 403, "another service's operator");

    // The known fault appears while Halle files a case about the Leistung.
    let (_, filing) = json(&app, &halle, "filing_form", &[("subject", "Wohngeld-Anträge kommen nicht an"), ("ozg_ids", "10000")]).await;
    assert_eq!(filing["known_faults"].as_array().map(Vec::len), Some(1), "{filing}");

    // Answers: a status that does not fit, a rejection without a reason and a clerk are refused.
    let answer = |c: &reqwest::Client, status: &'static str, text: &'static str| {
        let (c, id) = (c.clone(), id.clone());
        let app = &app;
        async move { app.server_fn(&c, "answer_service_report", &[("id", &id), ("status", status), ("antwort", text)]).await.status().as_u16() }
    };
    assert_eq!(answer(&op, "umgesetzt", "").await, 422);
    assert_eq!(answer(&op, "abgelehnt", "nein").await, 422);
    assert_eq!(answer(&halle, "behoben", "").await, 403);
    assert_eq!(answer(&op, "in_arbeit", "Wir stellen den Fehler nach und melden uns.").await, 200);
    assert_eq!(answer(&op, "behoben", "Behoben mit Version 2.4.1.").await, 200);
    let (_, view) = json(&app, &halle, "service_report", &[("id", &id)]).await;
    assert_eq!(view["item"]["status"], "behoben");
    assert_eq!(view["answers"].as_array().map(Vec::len), Some(2));
    assert_eq!(view["answers"][1]["party"], "betreiber");
    let (_, filing) = json(&app, &halle, "filing_form", &[("subject", "Wohngeld-Anträge kommen nicht an"), ("ozg_ids", "10000")]).await;
    assert_eq!(filing["known_faults"].as_array().map(Vec::len), Some(0), "a fixed fault is no longer known");

    // A named report shows its Kommune to the others.
    assert_eq!(send(&halle, form(&report(HALLE, "Bescheide ohne Siegel", "ja"))).await, 200);
    let (_, page) = json(&app, &magdeburg, "service_reports", &[("dienst", &a)]).await;
    assert!(page["open"][0]["reporter"].as_str().is_some_and(|r| r.contains("Halle")), "{page}");

    // The operating state: not the clerks', the connected Kommunen see it and are told.
    let state = [("dienst", a.as_str()), ("zustand", "wartung"), ("von", "2026-12-20T18:00"), ("bis", "2026-12-20T22:00"), ("hinweis", "Update des Fachverfahrens")];
    assert_eq!(app.server_fn(&magdeburg, "set_service_state", &state).await.status(), 403);
    assert_eq!(app.server_fn(&op, "set_service_state", &[("dienst", a.as_str()), ("zustand", "wartung")]).await.status(), 422, "a maintenance needs its window");
    assert_eq!(app.server_fn(&op, "set_service_state", &state).await.status(), 200);
    let (_, overview) = json(&app, &magdeburg, "overview", &[]).await;
    assert_eq!(overview["service_states"][0]["state"], "wartung", "{overview}");
    let (_, overview) = json(&app, &dessau, "overview", &[]).await;
    assert_eq!(overview["service_states"].as_array().map(Vec::len), Some(0));

    // Each Kommune concerned was told of both changes of its report and of the maintenance, once;
    // Dessau of nothing; by mail through the sink as well.
    for email in [&md_email, &halle_email] {
        assert_eq!(notifications(&app, email, "service_report").await, 3, "{email}");
    }
    assert_eq!(notifications(&app, &dessau_email, "service_report").await, 0);
    server::ops::mail::deliver_due(&app.db, &cfg, app::core::time::now()).await.expect("deliver");
    let md = sink.bodies_to(&md_email);
    assert_eq!(md.len(), 3, "{md:?}");
    assert!(md.iter().any(|m| m.contains("»behoben«")), "{md:?}");
    assert!(md.iter().any(|m| m.contains("Wartung angekündigt")), "{md:?}");
    assert_eq!(sink.bodies_to(&halle_email).len(), 3);
    assert!(sink.bodies_to(&dessau_email).is_empty());
    assert_eq!(app.count("audit_log WHERE action = 'service_report_joined'").await, 1);
    // The Auskunft names what each person did with the reports.
    let doc: Value = halle.get(app.url("/konto/auskunft.json")).send().await.expect("auskunft").json().await.expect("json");
    let did: Vec<&str> = doc["meldungen_zu_efa_diensten"].as_array().expect("list").iter().filter_map(|e| e["taetigkeit"].as_str()).collect();
    assert_eq!(did, ["mitgezeichnet", "gemeldet"], "{doc}");
}

#[tokio::test]
async fn a_blocked_item_given_to_the_operator_is_answered_there_and_the_operator_reads_no_other_case() {
    let (app, sink, cfg) = with_mail().await;
    let (_a, _b, conn_a, conn_b) = two_services(&app).await;
    let (op, op_email) = app.signed_in(Role::Partner, "ITDL-A").await;
    let (op_b, op_b_email) = app.signed_in(Role::Partner, "ITDL-B").await;
    let (clerk, clerk_email) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (halle, _) = app.signed_in(Role::Clerk, HALLE).await;
    let (ca, cb) = (conn_a.to_string(), conn_b.to_string());
    for (c, id) in [(&clerk, &ca), (&halle, &cb)] {
        assert_eq!(app.server_fn(c, "connection_item", &[("id", id), ("punkt", "1"), ("status", "blockiert"), ("notiz", "Kein DVDV-Zugang")]).await.status(), 200);
    }
    // A choice that does not exist changes nothing; service A's item goes to its operator, B's to the Land.
    assert_eq!(app.server_fn(&clerk, "connection_item_case", &[("id", &ca), ("punkt", "1"), ("an", "irgendwer")]).await.status(), 422);
    assert_eq!(app.count("support_case").await, 0);
    assert!(app.server_fn(&clerk, "connection_item_case", &[("id", &ca), ("punkt", "1"), ("an", "betreiber")]).await.status().as_u16() < 400);
    assert!(app.server_fn(&halle, "connection_item_case", &[("id", &cb), ("punkt", "1"), ("an", "land")]).await.status().as_u16() < 400);
    let shared = scalar(&app, "SELECT MIN(id) FROM support_case").await;
    let other = scalar(&app, "SELECT MAX(id) FROM support_case").await;
    assert_eq!(app.count("support_case WHERE partner_org_id IS NOT NULL").await, 1);
    assert_eq!(notifications(&app, &op_email, "assigned").await, 1, "the operator is told of the case");

    // The operator reads its case, page and list; never the Land's case, nor does the other operator read this one.
    let page = op.get(app.url(&format!("/faelle/{shared}"))).send().await.expect("page");
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("html").contains("Kein DVDV-Zugang"));
    assert_eq!(op.get(app.url(&format!("/faelle/{other}"))).send().await.expect("page").status(), 403);
    assert_eq!(op_b.get(app.url(&format!("/faelle/{shared}"))).send().await.expect("page").status(), 403);
    assert_eq!(app.server_fn(&op, "load_case", &[("id", &other.to_string())]).await.status(), 403);
    let (status, inbox) = json(&app, &op, "inbox_page", &[]).await;
    assert_eq!(status, 200);
    assert_eq!((inbox["page"]["total"].as_u64(), inbox["page"]["cases"][0]["id"].as_i64()), (Some(1), Some(shared)));
    let (_, view) = json(&app, &op, "load_case", &[("id", &shared.to_string())]).await;
    assert_eq!((view["detail"]["partner_view"].clone(), view["detail"]["advisor_view"].clone()), (Value::Bool(true), Value::Bool(false)));
    assert!(view["detail"]["case"]["priority"].is_null() && view["detail"]["case"]["owner_id"].is_null(), "none of the advisors' own fields");
    // The partner may change nothing that is the Land's.
    assert_eq!(app.server_fn(&op, "change_case", &[("id", &shared.to_string()), ("version", "1"), ("status", "solved")]).await.status(), 403);

    // An empty answer is refused and stores nothing; then a public answer and an internal note.
    let id = shared.to_string();
    assert_eq!(app.server_fn(&op, "reply_case", &[("id", &id), ("body", " ")]).await.status(), 422);
    assert!(app.server_fn(&op, "reply_case", &[("id", &id), ("body", "Der Zugang ist freigeschaltet."), ("warten", "ja")]).await.status().as_u16() < 400);
    assert!(app.server_fn(&op, "reply_case", &[("id", &id), ("body", "Ticket 4711 im Betrieb"), ("internal", "ja")]).await.status().as_u16() < 400);
    assert_eq!(app.server_fn(&op_b, "reply_case", &[("id", &id), ("body", "fremd")]).await.status(), 403);
    let (_, view) = json(&app, &clerk, "load_case", &[("id", &id)]).await;
    let messages = view["detail"]["messages"].as_array().cloned().unwrap_or_default();
    assert_eq!(messages.len(), 1, "the Kommune reads the answer, not the note: {messages:?}");
    assert_eq!((messages[0]["author_side"].as_str(), view["detail"]["case"]["status"].as_str()), (Some("partner"), Some("waiting")));
    assert_eq!(view["detail"]["partner"], "Dataport A");
    assert_eq!(notifications(&app, &clerk_email, "reply").await, 1, "the answer reaches the Kommune");
    let (_, view) = json(&app, &op, "load_case", &[("id", &id)]).await;
    assert_eq!(view["detail"]["messages"].as_array().map(Vec::len), Some(2), "the operator reads its note");

    // The Kommune's answer reaches the operator (and only it of the partners).
    assert!(app.server_fn(&clerk, "reply_case", &[("id", &id), ("body", "Danke, es klappt.")]).await.status().as_u16() < 400);
    assert_eq!(notifications(&app, &op_email, "kommune_reply").await, 1);
    assert_eq!(notifications(&app, &op_b_email, "kommune_reply").await, 0);
    server::ops::mail::deliver_due(&app.db, &cfg, app::core::time::now()).await.expect("deliver");
    let mails = sink.bodies_to(&op_email);
    assert!(mails.iter().any(|m| m.contains("Neuer Fall")) && mails.iter().any(|m| m.contains("Danke, es klappt")), "{mails:?}");
    // The other operator hears of Halle's blocked item of its service, never of this case.
    let other_mails = sink.bodies_to(&op_b_email);
    assert!(!other_mails.is_empty() && other_mails.iter().all(|m| !m.contains("Neuer Fall") && !m.contains("Danke")), "{other_mails:?}");
}
