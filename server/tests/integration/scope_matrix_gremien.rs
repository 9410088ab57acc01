//! The scope matrix's rows of the Gremien and the partner organisations: every page, route and
//! server function × anonymous / clerk A / clerk B / advisor / association / administrator /
//! partner, on a public body and a body for its members only whose one ordinary member is the
//! matrix's partner (and whose Geschäftsstelle is an advisor outside the matrix).

use crate::common::TestApp;
use crate::scope_matrix::{Case, case, owned};
use app::access::scope::Scope;
use app::gremien::model::{DecisionForm, GremiumForm, MemberForm};
use app::gremien::service::{Reader, bodies, decisions, members};
use app::identity::Role;

/// The partner organisation of the matrix's partner.
pub const PARTNER: &str = "ITDL-MATRIX";

/// The objects the rows name.
pub struct Ids {
    pub public: i64,
    pub closed: i64,
    pub public_decision: i64,
    pub closed_decision: i64,
    /// A meeting of the members-only body.
    pub meeting: i64,
    /// A task of the members-only body owned by Kommune A (Magdeburg).
    pub task: i64,
}

impl Ids {
    /// For the check that every route has a row (nothing is requested).
    pub fn placeholder() -> Ids {
        Ids { public: 1, closed: 2, public_decision: 1, closed_decision: 2, meeting: 1, task: 1 }
    }
}

/// The matrix's partner: a signed-in person of a partner organisation.
pub async fn partner(app: &TestApp) -> (reqwest::Client, String) {
    app::catalogue::service::partners::save(&app.db, None, PARTNER, "Matrix-Dienstleister").await.expect("partner organisation");
    app.signed_in(Role::Partner, PARTNER).await
}

/// A public body with a public decision; a members-only body with the partner as a member.
pub async fn seed(app: &TestApp, partner_email: &str) -> Ids {
    let host = app.user(Role::Advisor, "LAND").await;
    let host = crate::common::db::current(app, &host).await.id;
    let now = app::core::time::now();
    let who = Reader { scope: &Scope::Land, user_id: Some(&host) };
    let form = |name: &str, visibility: &str| GremiumForm { name: name.into(), purpose: "Matrix".into(), kind: "arbeitsgruppe".into(), visibility: visibility.into() }.try_into().expect("form");
    let public = bodies::create(&app.db, &host, form("Matrix-Lenkungskreis", "oeffentlich"), now).await.expect("public body");
    let closed = bodies::create(&app.db, &host, form("Matrix-AG", "mitglieder"), now).await.expect("closed body");
    members::add(&app.db, who, closed, MemberForm { email: partner_email.into(), role: "mitglied".into() }.try_into().expect("form"), now).await.expect("member");
    let decision = |visibility: &str| DecisionForm { title: "Matrixbeschluss".into(), text: "Text".into(), decided_on: "2026-06-01".into(), visibility: visibility.into(), ..Default::default() }.try_into().expect("form");
    let public_decision = decisions::record(&app.db, who, public, decision("oeffentlich"), now).await.expect("decision");
    let closed_decision = decisions::record(&app.db, who, closed, decision("mitglieder"), now).await.expect("decision");
    let day = (now + chrono::Duration::days(30)).format("%Y-%m-%d");
    let meeting = app::gremien::work::MeetingForm { title: "Matrixsitzung".into(), starts: format!("{day}T10:00"), ends: format!("{day}T12:00"), place: "Magdeburg".into(), link: String::new() };
    let meeting = app::gremien::service::meetings::create(&app.db, who, closed, meeting.try_into().expect("form"), now).await.expect("meeting");
    let task = app::gremien::work::TaskForm { title: "Matrixmaßnahme".into(), owner: "15003000".into(), due: "2026-12-31".into(), ..Default::default() };
    let task = app::gremien::service::tasks::create(&app.db, who, closed, task.try_into().expect("form"), now).await.expect("task");
    Ids { public, closed, public_decision, closed_decision, meeting, task }
}

fn closed_id(g: &Ids) -> String {
    g.closed.to_string()
}

fn with(mut c: Case, form: Vec<(&'static str, String)>) -> Case {
    c.form = form;
    c
}

pub fn extend(cases: &mut Vec<Case>, g: &Ids) {
    let all_ok = [200; 6];
    let admin_only = [401, 403, 403, 403, 403, 200];
    // The members-only body: only its member (the partner) and administrators; nobody else
    // learns that it exists.
    let closed_read = [404, 404, 404, 404, 404, 200];
    let closed = g.closed.to_string();
    cases.push(case("GET", "/gremien", all_ok));
    cases.push(case("FN", "/api/load_gremien", all_ok));
    cases.push(case("GET", owned(format!("/gremien/{}", g.public)), all_ok));
    cases.push(case("GET", owned(format!("/gremien/{}", g.closed)), closed_read).partner(200));
    cases.push(with(case("FN", "/api/load_gremium", closed_read), vec![("id", closed.clone())]).partner(200));
    cases.push(case("GET", "/beschluesse", all_ok));
    cases.push(case("FN", "/api/decision_register", all_ok));
    cases.push(case("GET", owned(format!("/beschluesse/{}", g.public_decision)), all_ok));
    cases.push(case("GET", owned(format!("/beschluesse/{}", g.closed_decision)), closed_read).partner(200));
    cases.push(with(case("FN", "/api/load_decision", closed_read), vec![("id", g.closed_decision.to_string())]).partner(200));
    cases.push(case("GET", "/api/v1/public/decisions", all_ok));
    cases.push(case("GET", "/beschluesse.csv", all_ok));
    cases.push(case("GET", "/beschluesse.atom", all_ok));
    // Setting up: advisors and administrators (a refused form here: nothing is created).
    cases.push(with(case("FN", "/api/create_gremium", [401, 403, 403, 422, 403, 422]), vec![("name", "X".into())]));
    // Running the members-only body: the partner is a member, not its Geschäftsstelle (403);
    // the administrator runs it and is refused for the stale version or the unknown person.
    cases.push(
        with(
            case("FN", "/api/update_gremium", [401, 404, 404, 404, 404, 409]),
            vec![("gremium", closed.clone()), ("version", "0".into()), ("name", "Matrix-AG neu".into()), ("purpose", "x".into()), ("kind", "board".into()), ("visibility", "mitglieder".into())],
        )
        .partner(403),
    );
    cases.push(with(case("FN", "/api/add_gremium_member", [401, 404, 404, 404, 404, 422]), vec![("gremium", closed.clone()), ("email", "niemand@matrix.example".into()), ("role", "gast".into())]).partner(403));
    cases.push(with(case("FN", "/api/change_gremium_member", [401, 404, 404, 404, 404, 404]), vec![("gremium", closed.clone()), ("member", "999999".into()), ("role", "gast".into())]).partner(403));
    cases.push(with(case("FN", "/api/end_gremium_member", [401, 404, 404, 404, 404, 404]), vec![("gremium", closed.clone()), ("member", "999999".into())]).partner(403));
    cases.push(
        with(case("FN", "/api/record_decision", [401, 404, 404, 404, 404, 422]), vec![("gremium", closed), ("title", "Zu weit".into()), ("text", "x".into()), ("decided_on", "2026-06-02".into()), ("visibility", "oeffentlich".into())])
            .partner(403),
    );
    // Meetings of the members-only body: its members read them, those who run it (here the
    // administrator) plan, invite and write the minutes; the member answers the invitation.
    let (meeting, task) = (g.meeting.to_string(), g.task.to_string());
    let inside = [401, 404, 404, 404, 404, 200];
    let runner = [401, 404, 404, 404, 404, 200];
    cases.push(case("GET", owned(format!("/gremien/sitzungen/{meeting}")), inside).partner(200));
    cases.push(with(case("FN", "/api/load_meeting", inside), vec![("id", meeting.clone())]).partner(200));
    // Not approved: the print view is there for no one.
    cases.push(case("GET", owned(format!("/gremien/sitzungen/{meeting}/protokoll")), [401, 404, 404, 404, 404, 404]));
    cases.push(
        with(case("FN", "/api/plan_meeting", runner), vec![("gremium", closed_id(g)), ("title", "Von der Administration".into()), ("starts", "2026-07-01T10:00".into()), ("ends", "2026-07-01T11:00".into()), ("place", "online".into())])
            .partner(403),
    );
    cases.push(with(case("FN", "/api/add_meeting_item", runner), vec![("meeting", meeting.clone()), ("item_title", "Begrüßung".into())]).partner(403));
    cases.push(with(case("FN", "/api/invite_meeting", runner), vec![("meeting", meeting.clone())]).partner(403));
    // Documents: those who run the body upload (visitors are sent to the sign-in), its members read.
    cases.push(case("POST_UPLOAD", owned(format!("/gremien/sitzungen/{meeting}/unterlagen")), [303, 404, 404, 404, 404, 303]).partner(403));
    cases.push(case("GET", owned(format!("/gremien/sitzungen/{meeting}/unterlagen/unbekannt")), [401, 404, 404, 404, 404, 404]));
    cases.push(with(case("FN", "/api/answer_meeting", [401, 404, 404, 404, 404, 403]), vec![("meeting", meeting.clone()), ("answer", "zusage".into())]).partner(200));
    cases.push(with(case("FN", "/api/record_attendance", runner), vec![("meeting", meeting.clone())]).partner(403));
    cases.push(with(case("FN", "/api/save_minutes", runner), vec![("meeting", meeting.clone()), ("version", "0".into()), ("body", "Entwurf".into()), ("schritt", "speichern".into())]).partner(403));
    // A draft is no text to comment on (the member learns only that), nobody else gets that far.
    cases.push(with(case("FN", "/api/comment_minutes", [401, 404, 404, 404, 404, 403]), vec![("meeting", meeting), ("version", "1".into()), ("comment", "Ergänzung".into())]).partner(409));
    // Tasks: the body's members and the owners (Kommune A's clerks) read them and set their status.
    let owners = [401, 200, 404, 404, 404, 200];
    cases.push(case("GET", "/gremien/massnahmen", [401, 200, 200, 200, 200, 200]));
    cases.push(case("FN", "/api/load_own_tasks", [401, 200, 200, 200, 200, 200]));
    cases.push(case("GET", owned(format!("/gremien/massnahmen/{task}")), owners).partner(200));
    cases.push(with(case("FN", "/api/load_task", owners), vec![("id", task.clone())]).partner(200));
    cases.push(with(case("FN", "/api/set_task_status", [401, 409, 404, 404, 404, 409]), vec![("task", task), ("version", "0".into()), ("status", "in_arbeit".into())]).partner(403));
    cases.push(with(case("FN", "/api/create_task", runner), vec![("gremium", closed_id(g)), ("title", "Von der Administration".into()), ("owner", "LAND".into()), ("due", "31.12.2026".into())]).partner(403));
    // Partner organisations: administrators only (a refused key here: nothing is created).
    cases.push(case("GET", "/verwaltung/partner", admin_only));
    cases.push(case("FN", "/api/admin_partners", admin_only));
    cases.push(with(case("FN", "/api/admin_save_partner", [401, 403, 403, 403, 403, 422]), vec![("key", "?".into()), ("name", "x".into())]));
}

/// Nothing the matrix sent changed the Gremien.
pub async fn nothing_changed(app: &TestApp) {
    assert_eq!(app.count("gremium").await, 2, "no body was created");
    assert_eq!(app.count("gremium_decision").await, 2, "no decision was recorded");
    assert_eq!(app.count("gremium_member WHERE until IS NOT NULL").await, 0, "no membership ended");
    assert_eq!(app.count("organisation WHERE kind = 'partner'").await, 1, "no partner organisation added");
    // The administrator runs the members-only body: their calls took effect, nobody else's.
    assert_eq!(app.count("gremium_meeting").await, 2, "the seed's meeting and the administrator's");
    assert_eq!(app.count("meeting_item").await, 1);
    assert_eq!(app.count("meeting_document").await, 1, "the administrator's upload");
    assert_eq!(app.count("gremium_task").await, 2, "the seed's task and the administrator's");
    assert_eq!(app.count("gremium_task WHERE status <> 'offen'").await, 0, "no status was set");
    assert_eq!(app.count("meeting_minutes").await, 1);
    assert_eq!(app.count("minutes_comment").await, 0);
    assert_eq!(app.count("meeting_response WHERE answer = 'zusage'").await, 1, "only the member answered");
}
