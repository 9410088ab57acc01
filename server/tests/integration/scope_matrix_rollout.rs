//! The scope matrix's rows of Nachnutzung and Förderung: every page, route and server function ×
//! anonymous / clerk of Kommune A (Magdeburg) / clerk of Kommune B (Halle) / advisor /
//! association / administrator, on a connection and an application of Kommune A.

use crate::common::TestApp;
use crate::scope_matrix::{case, owned, Case};
use app::identity::Role;

/// The objects the rows name.
pub struct Ids {
    pub service: String,
    pub connection: i64,
    /// Magdeburg's report of a fault of the service.
    pub report: i64,
    pub programme: i64,
    pub application: i64,
}

impl Ids {
    /// For the check that every route has a row (nothing is requested).
    pub fn placeholder() -> Ids {
        Ids { service: "dienst".into(), connection: 1, report: 1, programme: 1, application: 1 }
    }
}

/// A service with a connection of Magdeburg and its report of a fault, a second service that
/// the matrix's partner operates (so the partner is an operator, but not of this service), a
/// programme and Magdeburg's application.
pub async fn seed(app: &TestApp) -> Ids {
    let s = crate::common::rollout::seed_rollout(app).await;
    let admin = crate::common::db::user_id(app, &app.user(Role::Admin, "LAND").await).await;
    let other = app::catalogue::service::efa::save(&app.db, &admin, None, "Anderer Dienst", "Bayern", true).await.expect("efa");
    app::rollout::service::operators::set(&app.db, &app::access::scope::Scope::Admin, &admin, &other, &[crate::scope_matrix_gremien::PARTNER.into()]).await.expect("operator");
    let reporter = crate::common::db::current(app, &app.user(Role::Clerk, crate::common::cases::MAGDEBURG).await).await;
    let input = app::faults::model::NewReport {
        service_id: s.service.clone(),
        kommune_key: crate::common::cases::MAGDEBURG.into(),
        kind: app::faults::model::ReportKind::Fault,
        title: "Matrixstörung".into(),
        body: "Der Dienst antwortet nicht.".into(),
        severity: app::faults::model::Severity::High,
        since: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
        named: false,
    };
    let scope = app::access::scope::Scope::of(Some(&reporter));
    let report = app::faults::service::reports::file(&app.db, &app.state.config, &scope, &reporter, &input).await.expect("report");
    let programme = crate::common::funding::programme(app, "Matrixprogramm", "100.000,00").await;
    let (clerk, _) = app.signed_in(Role::Clerk, crate::common::cases::MAGDEBURG).await;
    let (status, id) = crate::common::funding::apply(app, &clerk, programme, crate::common::cases::MAGDEBURG, "Vorhaben; 10.000,00", "5.000,00").await;
    assert_eq!(status, 200);
    Ids { service: s.service, connection: s.connection, report, programme, application: id.expect("application") }
}

fn with(mut c: Case, form: Vec<(&'static str, String)>) -> Case {
    c.form = form;
    c
}

pub fn extend(cases: &mut Vec<Case>, r: &Ids) {
    let all_ok = [200; 6];
    let advisor_only = [401, 403, 403, 200, 403, 403];
    let admin_only = [401, 403, 403, 403, 403, 200];
    let kommune_a = [401, 200, 403, 200, 403, 200];
    let no_association = [401, 200, 200, 200, 403, 200];
    let advisor_422 = [401, 403, 403, 422, 403, 403];
    let (conn, appl, prog) = (r.connection.to_string(), r.application.to_string(), r.programme.to_string());
    // Pages and downloads.
    cases.push(case("GET", "/nachnutzung", all_ok));
    cases.push(case("GET", "/nachnutzung.csv", all_ok));
    cases.push(case("GET", "/nachnutzung/kosten", [401, 403, 403, 200, 403, 200]));
    cases.push(case("GET", "/nachnutzung/leistung/10000", advisor_only));
    cases.push(case("GET", owned(format!("/nachnutzung/dienst/{}", r.service)), no_association));
    cases.push(case("GET", owned(format!("/nachnutzung/anbindung/{conn}")), kommune_a));
    cases.push(case("GET", "/lagebild/nachnutzung", all_ok));
    cases.push(case("GET", "/lagebild/foerderung", all_ok));
    cases.push(case("GET", "/foerderung", all_ok));
    cases.push(case("GET", "/foerderung/programme/neu", admin_only));
    cases.push(case("GET", owned(format!("/foerderung/programme/{prog}")), admin_only));
    cases.push(case("GET", owned(format!("/foerderung/antrag/neu?programm={prog}")), [401, 200, 200, 403, 403, 403]));
    cases.push(case("GET", owned(format!("/foerderung/antrag/{appl}")), kommune_a));
    cases.push(case("GET", "/api/v1/public/nachnutzung", all_ok));
    cases.push(case("GET", "/api/v1/public/rollout", all_ok));
    cases.push(case("GET", "/api/v1/public/funding", all_ok));
    // The overview's import: only advisors get as far as checking the file (a header alone).
    cases.push(case("POST_UPLOAD", "/nachnutzung/import", [303, 403, 403, 422, 403, 403]));
    // Usage figures: public figures, the Land's import, a Kommune's own page and entry.
    cases.push(case("GET", "/lagebild/nutzung", all_ok));
    cases.push(case("GET", "/api/v1/public/usage", all_ok));
    cases.push(case("FN", "/api/usage_figures", all_ok));
    cases.push(case("POST_UPLOAD", "/lagebild/nutzung/import", [303, 403, 403, 422, 403, 422]));
    cases.push(case("GET", "/kommunen/15003000/nutzung", kommune_a));
    cases.push(with(case("FN", "/api/own_usage", kommune_a), vec![("key", crate::common::cases::MAGDEBURG.into())]));
    cases.push(with(
        case("FN", "/api/enter_usage", [401, 422, 403, 403, 403, 403]),
        vec![("kommune", crate::common::cases::MAGDEBURG.into()), ("leistung", "10000".into()), ("monat", "Oktober".into()), ("anzahl", "1".into())],
    ));
    // Server functions of the roll-out.
    cases.push(case("FN", "/api/rollout_overview", all_ok));
    cases.push(with(case("FN", "/api/rollout_plan_editor", advisor_only), vec![("ozg", "10000".into())]));
    cases.push(with(case("FN", "/api/save_rollout_plan", advisor_422), vec![("ozg", "10000".into())]));
    cases.push(with(case("FN", "/api/rollout_service", no_association), vec![("id", r.service.clone())]));
    // Declaring again for Magdeburg names the existing connection.
    cases.push(with(case("FN", "/api/declare_interest", [401, 200, 403, 200, 403, 403]), vec![("kommune", crate::common::cases::MAGDEBURG.into()), ("dienst", r.service.clone())]));
    cases.push(with(case("FN", "/api/rollout_connection", kommune_a), vec![("id", conn.clone())]));
    cases.push(with(case("FN", "/api/connection_step", [401, 422, 403, 422, 403, 403]), vec![("id", conn.clone()), ("schritt", "unbekannt".into())]));
    cases.push(with(case("FN", "/api/connection_bulk", advisor_422), vec![("dienst", r.service.clone()), ("schritt", "test".into())]));
    cases.push(with(case("FN", "/api/connection_item", [401, 422, 403, 422, 403, 403]), vec![("id", conn.clone()), ("punkt", "1".into()), ("status", "unbekannt".into())]));
    cases.push(with(case("FN", "/api/connection_item_case", [401, 422, 403, 403, 403, 403]), vec![("id", conn.clone()), ("punkt", "1".into())]));
    cases.push(with(case("FN", "/api/add_connection_cost", advisor_422), vec![("id", conn.clone())]));
    cases.push(with(case("FN", "/api/remove_connection_cost", [401, 403, 403, 404, 403, 403]), vec![("id", conn.clone()), ("kosten", "999999".into())]));
    cases.push(case("FN", "/api/rollout_costs", [401, 403, 403, 200, 403, 200]));
    // The services' operators: chosen by administrators (none for this service: nothing changes);
    // dates proposed by the operator or the Land (the advisor's date is refused).
    cases.push(with(case("FN", "/api/set_service_operators", admin_only), vec![("dienst", r.service.clone())]));
    cases.push(with(case("FN", "/api/propose_connection_dates", [401, 403, 403, 422, 403, 403]), vec![("id", conn.clone()), ("test", "kein Datum".into())]));
    // Faults and the operating state: the Land and the Kommunen connected to the service; the
    // matrix's partner operates another service only.
    let connected = [401, 200, 403, 200, 403, 200];
    let rep = r.report.to_string();
    cases.push(case("GET", owned(format!("/nachnutzung/dienst/{}/meldungen", r.service)), connected));
    cases.push(case("GET", owned(format!("/nachnutzung/meldung/{rep}")), connected));
    cases.push(with(case("FN", "/api/service_reports", connected), vec![("dienst", r.service.clone())]));
    cases.push(with(case("FN", "/api/service_report", connected), vec![("id", rep.clone())]));
    // Magdeburg files a second report; nobody else may.
    let report = vec![
        ("dienst", r.service.clone()),
        ("kommune", crate::common::cases::MAGDEBURG.into()),
        ("art", "anforderung".into()),
        ("titel", "Matrixanforderung".into()),
        ("beschreibung", "Bitte eine Schnittstelle für Bescheide.".into()),
        ("schwere", "niedrig".into()),
        ("seit", "2026-12-01".into()),
    ];
    cases.push(with(case("FN", "/api/file_service_report", [401, 200, 403, 403, 403, 403]), report));
    // Magdeburg reported it already: joining again changes nothing.
    cases.push(with(case("FN", "/api/join_service_report", [401, 200, 403, 403, 403, 403]), vec![("id", rep.clone()), ("kommune", crate::common::cases::MAGDEBURG.into())]));
    // A stale version: the advisor gets as far as the conflict.
    cases.push(with(case("FN", "/api/answer_service_report", [401, 403, 403, 409, 403, 403]), vec![("id", rep), ("status", "bestaetigt".into()), ("version", "999".into())]));
    cases.push(with(case("FN", "/api/set_service_state", [401, 403, 403, 200, 403, 403]), vec![("dienst", r.service.clone()), ("zustand", "betrieb".into())]));
    cases.push(case("FN", "/api/rollout_figures", all_ok));
    // The same over REST; the matrix's partner lists the connections of its own service (none).
    use serde_json::json;
    let api = |p: String| owned(format!("/api/v1{p}"));
    cases.push(case("GET", "/api/v1/connections", no_association).partner(200));
    cases.push(case("GET", api(format!("/connections/{conn}")), kommune_a));
    cases.push(case("POST_JSON", api(format!("/connections/{conn}/step")), [401, 422, 403, 422, 403, 403]).json(json!({ "state": "unbekannt", "version": 0 })));
    cases.push(case("PUT", api(format!("/connections/{conn}/items/1")), [401, 422, 403, 422, 403, 403]).json(json!({ "status": "unbekannt" })));
    cases.push(case("PUT", api(format!("/connections/{conn}/dates")), [401, 403, 403, 422, 403, 403]).json(json!({ "test": "kein Datum", "version": 0 })));
    cases.push(case("GET", api(format!("/efa-services/{}/reports", r.service)), connected));
    // Magdeburg files a third report over REST.
    let body = json!({ "kommune": crate::common::cases::MAGDEBURG, "kind": "anforderung", "title": "Anforderung per REST", "description": "Bitte Bescheide als PDF/A.", "severity": "niedrig", "since": "2026-12-01" });
    cases.push(case("POST_JSON", api(format!("/efa-services/{}/reports", r.service)), [401, 201, 403, 403, 403, 403]).json(body));
    cases.push(case("GET", api(format!("/reports/{}", r.report)), connected));
    cases.push(case("POST_JSON", api(format!("/reports/{}/join", r.report)), [401, 204, 403, 403, 403, 403]).json(json!({ "kommune": crate::common::cases::MAGDEBURG })));
    cases.push(case("POST_JSON", api(format!("/reports/{}/answers", r.report)), [401, 403, 403, 409, 403, 403]).json(json!({ "status": "bestaetigt", "version": 999 })));
    cases.push(case("GET", "/api/v1/funding/applications", no_association));
    cases.push(case("GET", api(format!("/funding/applications/{}", r.application)), kommune_a));
    // Webhooks: administrators only (nothing registered here, nothing changes).
    cases.push(case("GET", "/verwaltung/webhooks", admin_only));
    cases.push(case("FN", "/api/admin_webhooks", admin_only));
    cases.push(case("FN", "/api/admin_add_webhook", [401, 403, 403, 403, 403, 422]));
    cases.push(with(case("FN", "/api/admin_remove_webhook", [401, 403, 403, 403, 403, 404]), vec![("id", "unbekannt".into())]));
    cases.push(case("FN", "/api/admin_allow_webhook_host", [401, 403, 403, 403, 403, 422]));
    cases.push(with(case("FN", "/api/admin_remove_webhook_host", [401, 403, 403, 403, 403, 404]), vec![("host", "unbekannt.example".into())]));
    // Server functions of funding.
    cases.push(case("FN", "/api/funding_page", all_ok));
    cases.push(with(case("FN", "/api/funding_programme", admin_only), vec![("id", prog.clone())]));
    cases.push(case("FN", "/api/save_funding_programme", [401, 403, 403, 403, 403, 422]));
    cases.push(with(case("FN", "/api/funding_form", [401, 200, 200, 403, 403, 403]), vec![("programm", prog.clone())]));
    cases.push(with(case("FN", "/api/apply_funding", [401, 422, 422, 403, 403, 403]), vec![("programm", prog)]));
    cases.push(with(case("FN", "/api/funding_application", kommune_a), vec![("id", appl.clone())]));
    cases.push(with(case("FN", "/api/funding_step", [401, 422, 403, 422, 403, 403]), vec![("id", appl), ("aktion", "unbekannt".into())]));
    cases.push(case("FN", "/api/funding_figures", all_ok));
}

/// After the matrix: no step, item, cost, programme or application changed.
pub async fn nothing_changed(app: &TestApp, r: &Ids) {
    assert_eq!(crate::common::db::text(app, &format!("SELECT state FROM connection WHERE id = {}", r.connection)).await, "interesse");
    assert_eq!(app.count("connection").await, 1);
    assert_eq!(app.count("connection_step").await, 1);
    assert_eq!(app.count("connection_item WHERE status <> 'offen'").await, 0);
    assert_eq!(app.count("connection_cost").await, 0);
    assert_eq!(app.count("funding_application").await, 1);
    assert_eq!(app.count("funding_step").await, 1);
    assert_eq!(app.count("funding_programme").await, 1);
    assert_eq!(app.count("rollout_plan").await, 2);
    assert_eq!(app.count("efa_service_operator").await, 1, "only the other service's operator");
    assert_eq!(app.count("service_report").await, 3, "the seed's report and Magdeburg's second and third");
    assert_eq!(app.count("service_report_join").await, 3, "each report's reporter, nobody else");
    assert_eq!(app.count("service_report_answer").await, 0);
    assert_eq!(app.count("efa_service_state").await, 1, "only the advisor set the state");
    assert_eq!(app.count("connection WHERE planned_test IS NOT NULL").await, 0);
    assert_eq!(app.count("webhook_receiver").await + app.count("webhook_host").await, 0);
}
