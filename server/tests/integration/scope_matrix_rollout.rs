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
    pub programme: i64,
    pub application: i64,
}

impl Ids {
    /// For the check that every route has a row (nothing is requested).
    pub fn placeholder() -> Ids {
        Ids { service: "dienst".into(), connection: 1, programme: 1, application: 1 }
    }
}

/// A service with a connection of Magdeburg, a programme and Magdeburg's application.
pub async fn seed(app: &TestApp) -> Ids {
    let s = crate::common::rollout::seed_rollout(app).await;
    let programme = crate::common::funding::programme(app, "Matrixprogramm", "100.000,00").await;
    let (clerk, _) = app.signed_in(Role::Clerk, crate::common::cases::MAGDEBURG).await;
    let (status, id) = crate::common::funding::apply(app, &clerk, programme, crate::common::cases::MAGDEBURG, "Vorhaben; 10.000,00", "5.000,00").await;
    assert_eq!(status, 200);
    Ids { service: s.service, connection: s.connection, programme, application: id.expect("application") }
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
    cases.push(case("FN", "/api/rollout_figures", all_ok));
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
}
