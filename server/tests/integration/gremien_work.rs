//! The Gremien's work: a meeting invites its members with a calendar entry and records their
//! answers and attendance; minutes go from draft through circulation (comments on the version
//! read, until the deadline) to approval, after which they never change; tasks remind their
//! owners once per due date and overdue ones stand on the owner's start page.

use crate::common::{TestApp, spawn};
use app::access::scope::Scope;
use app::error::AppError;
use app::gremien::model::{GremiumForm, MemberForm};
use app::gremien::service::{Reader, bodies, meetings, members, minutes, tasks};
use app::gremien::work::{MeetingAnswer, MeetingForm, TaskForm, TaskStatus};
use app::identity::Role;

struct Body {
    id: i64,
    host: String,
    clerk: (reqwest::Client, String, String),
    outsider: (reqwest::Client, String),
}

/// A members-only working group of an advisor with a clerk of Magdeburg as member.
async fn group(app: &TestApp) -> Body {
    let host_email = app.user(Role::Advisor, "LAND").await;
    let host = crate::common::db::user_id(app, &host_email).await;
    let (clerk_c, clerk_email) = app.signed_in(Role::Clerk, "15003000").await;
    let clerk_id = crate::common::db::user_id(app, &clerk_email).await;
    let outsider = app.signed_in(Role::Clerk, "15002000").await;
    let now = app::core::time::now();
    let form = GremiumForm { name: "AG Arbeit".into(), purpose: "Arbeiten.".into(), kind: "arbeitsgruppe".into(), visibility: "mitglieder".into() };
    let id = bodies::create(&app.db, &host, form.try_into().expect("form"), now).await.expect("body");
    let who = Reader { scope: &Scope::Land, user_id: Some(&host) };
    members::add(&app.db, who, id, MemberForm { email: clerk_email.clone(), role: "mitglied".into() }.try_into().expect("form"), now).await.expect("member");
    Body { id, host, clerk: (clerk_c, clerk_email, clerk_id), outsider }
}

fn host(b: &Body) -> Reader<'_> {
    Reader { scope: &Scope::Land, user_id: Some(&b.host) }
}

/// The day of the test meeting: sixty days ahead (answers are taken until it is over).
fn meeting_day() -> String {
    (app::core::time::now() + chrono::Duration::days(60)).format("%Y-%m-%d").to_string()
}

async fn meeting(app: &TestApp, b: &Body) -> i64 {
    let d = meeting_day();
    let form = MeetingForm { title: "Zweite Sitzung".into(), starts: format!("{d}T10:00"), ends: format!("{d}T12:30"), place: "Magdeburg, Raum 1".into(), link: "https://video.example/raum".into() };
    meetings::create(&app.db, host(b), b.id, form.try_into().expect("form"), app::core::time::now()).await.expect("meeting")
}

#[tokio::test]
async fn a_meeting_invites_its_members_with_a_calendar_entry_and_records_answers_and_attendance() {
    let mut config = crate::common::test_config();
    config.mail_enabled = true;
    let app = crate::common::spawn_with(config, false).await;
    let b = group(&app).await;
    let id = meeting(&app, &b).await;
    meetings::add_item(&app.db, host(&b), id, ("Begrüßung".into(), Some("Vorsitz".into()), Some(10))).await.expect("item");
    meetings::add_item(&app.db, host(&b), id, ("Testumgebung".into(), None, None)).await.expect("item");
    // Bad input: German, nothing stored.
    let bad: Result<app::gremien::work::MeetingInput, AppError> = MeetingForm { title: "X".into(), starts: "2026-03-03T12:00".into(), ends: "2026-03-03T10:00".into(), place: String::new(), link: "http://unsicher".into() }.try_into();
    let Err(AppError::Validation(fields)) = bad else { panic!("refused") };
    assert_eq!(fields.keys().cloned().collect::<Vec<_>>(), vec!["ends", "link", "title"]);
    let nowhere: Result<app::gremien::work::MeetingInput, AppError> = MeetingForm { title: "Ohne Ort".into(), starts: "2026-03-03T10:00".into(), ends: "2026-03-03T11:00".into(), ..Default::default() }.try_into();
    assert!(matches!(nowhere, Err(AppError::Validation(f)) if f["place"][0].contains("Ort oder einen Link")));
    let n = meetings::invite(&app.db, &app.state.config, host(&b), id, app::core::time::now()).await.expect("invite");
    assert_eq!(n, 2, "the Geschäftsstelle and the clerk");
    let clerk_mail = format!("mail_outbox WHERE recipient = '{}'", b.clerk.1);
    assert_eq!(app.count(&format!("{clerk_mail} AND subject LIKE 'Einladung: Zweite Sitzung%' AND body LIKE '%1. Begrüßung (Vorsitz)%'")).await, 1);
    // 10:00 in Berlin, in UTC.
    let start = app::core::time::berlin_to_utc(&format!("{}T10:00", meeting_day())).expect("time").format("%Y%m%dT%H%M%SZ").to_string();
    assert_eq!(app.count(&format!("{clerk_mail} AND attachment_name = 'sitzung.ics' AND attachment_body LIKE '%BEGIN:VEVENT%' AND attachment_body LIKE '%DTSTART:{start}%' AND attachment_body LIKE '%LOCATION:Magdeburg%Raum 1%'")).await, 1);
    // The clerk answers through the server function; an outsider cannot, and does not see it.
    let call = |c: &reqwest::Client, name: &str, form: Vec<(&str, String)>| {
        let req = c.post(app.url(&format!("/api/{name}"))).header("accept", "application/json").form(&form);
        async move { req.send().await.expect("call").status().as_u16() }
    };
    assert_eq!(call(&b.clerk.0, "answer_meeting", vec![("meeting", id.to_string()), ("answer", "absage".into())]).await, 200);
    assert_eq!(call(&b.clerk.0, "answer_meeting", vec![("meeting", id.to_string()), ("answer", "zusage".into())]).await, 200);
    assert_eq!(call(&b.outsider.0, "answer_meeting", vec![("meeting", id.to_string()), ("answer", "zusage".into())]).await, 404);
    assert_eq!(call(&b.clerk.0, "answer_meeting", vec![("meeting", id.to_string()), ("answer", "vielleicht".into())]).await, 422);
    let html = b.clerk.0.get(app.url(&format!("/gremien/sitzungen/{id}"))).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("Ihre Antwort: Zusage.") && html.contains("Testumgebung"), "{html}");
    meetings::attendance(&app.db, host(&b), id, std::slice::from_ref(&b.clerk.2)).await.expect("attendance");
    let view = meetings::view(&app.db, host(&b), id, app::core::time::now()).await.expect("view");
    let clerk = view.responses.iter().find(|r| r.user_id == b.clerk.2).expect("clerk");
    assert_eq!((clerk.answer, clerk.attended), (Some(MeetingAnswer::Accepted), Some(true)));
    let own = view.responses.iter().find(|r| r.user_id == b.host).expect("host");
    assert_eq!(own.attended, Some(false), "who was not ticked was absent");
    // A decision names the meeting it was taken in; a meeting of another body is refused.
    let decided = |meeting: String| app::gremien::model::DecisionForm { title: "In der Sitzung".into(), text: "Text".into(), decided_on: "01.02.2026".into(), visibility: "mitglieder".into(), meeting, ..Default::default() };
    let d = app::gremien::service::decisions::record(&app.db, host(&b), b.id, decided(id.to_string()).try_into().expect("form"), app::core::time::now()).await.expect("decision");
    let seen = app::gremien::service::decisions::one(&app.db, host(&b), d).await.expect("decision");
    assert!(seen.meeting.is_some_and(|m| m.starts_with("Zweite Sitzung am ")));
    let other = bodies::create(&app.db, &b.host, GremiumForm { name: "Anderes Gremium".into(), purpose: "x".into(), kind: "board".into(), visibility: "mitglieder".into() }.try_into().expect("form"), app::core::time::now()).await.expect("body");
    let refused = app::gremien::service::decisions::record(&app.db, host(&b), other, decided(id.to_string()).try_into().expect("form"), app::core::time::now()).await;
    assert!(matches!(refused, Err(AppError::Validation(f)) if f.contains_key("meeting")));
    // A meeting that is over takes no more answers.
    let past = MeetingForm { title: "Vergangene Sitzung".into(), starts: "2026-01-05T10:00".into(), ends: "2026-01-05T11:00".into(), place: "Halle".into(), link: String::new() };
    let past = meetings::create(&app.db, host(&b), b.id, past.try_into().expect("form"), app::core::time::now()).await.expect("meeting");
    assert_eq!(call(&b.clerk.0, "answer_meeting", vec![("meeting", past.to_string()), ("answer", "zusage".into())]).await, 409);
}

#[tokio::test]
async fn approved_minutes_cannot_change_and_comments_name_the_version_read() {
    let app = spawn().await;
    let b = group(&app).await;
    let id = meeting(&app, &b).await;
    let clerk = Reader { scope: &Scope::Municipal { org_ids: Default::default() }, user_id: Some(&b.clerk.2) };
    let now = app::core::time::now();
    let in_a_week = (now + chrono::Duration::days(7)).date_naive();
    // A draft stays with those who run the body.
    minutes::save(&app.db, host(&b), id, 0, "## Ergebnisse\n\nEntwurf.", now).await.expect("draft");
    assert!(meetings::view(&app.db, clerk, id, now).await.expect("view").minutes.is_none(), "members do not read a draft");
    assert!(matches!(minutes::approve(&app.db, host(&b), id, 1, now).await, Err(AppError::Conflict(_))), "a draft is circulated first");
    assert!(matches!(minutes::save(&app.db, host(&b), id, 0, "Zweiter Entwurf", now).await, Err(AppError::Conflict(_))), "a stale save is refused");
    minutes::circulate(&app.db, &app.state.config, host(&b), id, 1, "## Ergebnisse\n\nZur Kommentierung.", Some(in_a_week), now).await.expect("circulate");
    assert_eq!(app.count(&format!("notification WHERE user_id = '{}' AND kind = 'gremium'", b.clerk.2)).await, 1, "the member is told");
    // The member comments on the version read; on an older one they are refused.
    assert!(matches!(minutes::comment(&app.db, clerk, id, 1, "Zu alt", now).await, Err(AppError::Conflict(_))));
    minutes::comment(&app.db, clerk, id, 2, "Bitte Punkt 2 ergänzen.", now).await.expect("comment");
    let outsider_id = crate::common::db::user_id(&app, &b.outsider.1).await;
    let outsider = Reader { scope: &Scope::Municipal { org_ids: Default::default() }, user_id: Some(&outsider_id) };
    assert_eq!(minutes::comment(&app.db, outsider, id, 2, "Fremd", now).await, Err(AppError::NotFound));
    // The comment without JavaScript: a plain form post, answered by a redirect.
    let res = b.clerk.0.post(app.url("/api/comment_minutes")).form(&[("meeting", id.to_string()), ("version", "2".into()), ("comment", "Zweiter Kommentar".into())]).send().await.expect("post");
    assert!(res.status().is_success() || res.status().is_redirection());
    assert_eq!(app.count("minutes_comment").await, 2);
    // Approval names the version seen.
    assert!(matches!(minutes::approve(&app.db, host(&b), id, 1, now).await, Err(AppError::Conflict(_))));
    minutes::approve(&app.db, host(&b), id, 2, now).await.expect("approve");
    let sql = format!("SELECT body FROM meeting_minutes WHERE meeting_id = {id}");
    let approved = crate::common::db::text(&app, &sql).await;
    for attempt in [
        minutes::save(&app.db, host(&b), id, 3, "Geändert", now).await,
        minutes::circulate(&app.db, &app.state.config, host(&b), id, 3, "Geändert", Some(in_a_week), now).await,
        minutes::approve(&app.db, host(&b), id, 3, now).await,
        minutes::comment(&app.db, clerk, id, 3, "Noch etwas", now).await,
    ] {
        assert!(matches!(attempt, Err(AppError::Conflict(_))), "{attempt:?}");
    }
    assert_eq!(crate::common::db::text(&app, &sql).await, approved, "approved minutes never change");
    assert_eq!(app.count(&format!("minutes_version WHERE meeting_id = {id}")).await, 3, "draft, circulated, approved");
    let page = b.clerk.0.get(app.url(&format!("/gremien/sitzungen/{id}/protokoll"))).send().await.expect("print");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("Zur Kommentierung.") && html.contains("genehmigt am"), "{html}");
    assert!(!html.contains("protokoll-text") && !html.contains("Kommentar senden"), "the print view is read-only");
    // The member's Auskunft names the membership and the comments.
    let doc: serde_json::Value = b.clerk.0.get(app.url("/konto/auskunft.json")).send().await.expect("auskunft").json().await.expect("json");
    assert_eq!(doc["mitgliedschaften_in_gremien"][0]["gremium"], "AG Arbeit");
    assert_eq!(doc["kommentare_zu_protokollen"].as_array().map(Vec::len), Some(2));
    // A member removed reads nothing of it with the next request.
    let membership = app::core::entities::gremium_member::Entity::find().all(&app.db).await.expect("db").into_iter().find(|m| m.user_id == b.clerk.2).expect("m").id;
    use sea_orm::EntityTrait;
    members::end(&app.db, host(&b), b.id, membership, now).await.expect("end");
    for path in [format!("/gremien/sitzungen/{id}"), format!("/gremien/sitzungen/{id}/protokoll")] {
        assert_eq!(b.clerk.0.get(app.url(&path)).send().await.expect("get").status(), 404, "{path}");
    }
}

#[tokio::test]
async fn reminders_go_once_per_task_and_due_date_and_overdue_tasks_stand_on_the_owners_start_page() {
    let mut config = crate::common::test_config();
    config.mail_enabled = true;
    let app = crate::common::spawn_with(config, true).await;
    let b = group(&app).await;
    let now = app::core::time::now();
    let day = |d: i64| (now.with_timezone(&chrono_tz::Europe::Berlin).date_naive() + chrono::Duration::days(d)).format("%d.%m.%Y").to_string();
    let task = |title: &str, owner: &str, due: String| TaskForm { title: title.into(), owner: owner.into(), due, ..Default::default() };
    // Owned by Magdeburg (its clerk), due in three days; one far off; one of the outsider's Kommune, overdue.
    let soon = tasks::create(&app.db, host(&b), b.id, task("Testzugang einrichten", "15003000", day(3)).try_into().expect("form"), now).await.expect("task");
    tasks::create(&app.db, host(&b), b.id, task("Später", "15003000", day(40)).try_into().expect("form"), now).await.expect("task");
    let late = tasks::create(&app.db, host(&b), b.id, task("Bericht liefern", &b.clerk.1, day(-2)).try_into().expect("form"), now).await.expect("task");
    let bad: Result<app::gremien::work::TaskInput, AppError> = task("", "", "morgen".into()).try_into();
    assert!(matches!(bad, Err(AppError::Validation(f)) if f.len() == 3));
    assert!(matches!(tasks::create(&app.db, host(&b), b.id, task("Niemand", "UNBEKANNT", day(1)).try_into().expect("form"), now).await, Err(AppError::Validation(_))));
    // A link to something the portal does not have is refused; one it has is kept.
    let linked = |kind: &str, value: &str| TaskForm { link_kind: kind.into(), link_value: value.into(), ..task("Verweis", "15003000", day(20)) };
    let refused = tasks::create(&app.db, host(&b), b.id, linked("leistung", "99999").try_into().expect("form"), now).await;
    assert!(matches!(refused, Err(AppError::Validation(f)) if f["link_value"][0].contains("gibt es im Portal nicht")));
    let ozg = crate::common::db::text(&app, "SELECT ozg_id FROM ozg_service ORDER BY ozg_id LIMIT 1").await;
    tasks::create(&app.db, host(&b), b.id, linked("leistung", &ozg).try_into().expect("form"), now).await.expect("linked task");
    // Two instances remind at once: each task once.
    let (a, c) = tokio::join!(tasks::remind(&app.db, &app.state.config, now), tasks::remind(&app.db, &app.state.config, now));
    assert_eq!(a.expect("remind") + c.expect("remind"), 2, "the soon one and the late one");
    assert_eq!(tasks::remind(&app.db, &app.state.config, now).await.expect("again"), 0, "once per due date");
    assert_eq!(app.count(&format!("notification WHERE user_id = '{}' AND kind = 'gremium'", b.clerk.2)).await, 2);
    assert_eq!(app.count(&format!("mail_outbox WHERE recipient = '{}' AND body LIKE '%Testzugang einrichten%'", b.clerk.1)).await, 1);
    // A new due date is reminded again.
    tasks::set_status(&app.db, host(&b), soon, 1, TaskStatus::InProgress, "Angefangen", Some((now + chrono::Duration::days(5)).date_naive()), now).await.expect("status");
    assert_eq!(tasks::remind(&app.db, &app.state.config, now).await.expect("new date"), 1);
    // The owner's start page: the overdue task, marked; the outsider sees none of it.
    let start = b.clerk.0.get(app.url("/")).send().await.expect("start").text().await.expect("html");
    assert!(start.contains("Ihre Maßnahmen aus Gremien") && start.contains("Bericht liefern") && start.contains("überfällig") && start.contains("Testzugang einrichten"), "{start}");
    let other = b.outsider.0.get(app.url("/")).send().await.expect("start").text().await.expect("html");
    assert!(!other.contains("Bericht liefern"));
    // The start page shows five; all are on the person's list of tasks.
    for n in 0..6 {
        tasks::create(&app.db, host(&b), b.id, task(&format!("Weitere Maßnahme {n}"), "15003000", day(30 + n)).try_into().expect("form"), now).await.expect("task");
    }
    let start = b.clerk.0.get(app.url("/")).send().await.expect("start").text().await.expect("html");
    assert!(start.contains("Weitere Maßnahme 1") && !start.contains("Weitere Maßnahme 5") && start.contains("offenen Maßnahmen"), "{start}");
    let all = b.clerk.0.get(app.url("/gremien/massnahmen")).send().await.expect("list").text().await.expect("html");
    assert!(all.contains("Weitere Maßnahme 5") && all.contains("Bericht liefern"));
    // The owner finishes it and it leaves the start page.
    let clerk = Reader { scope: &Scope::Municipal { org_ids: Default::default() }, user_id: Some(&b.clerk.2) };
    assert!(matches!(tasks::set_status(&app.db, clerk, late, 1, TaskStatus::Dropped, "", None, now).await, Err(AppError::Validation(_))), "dropping needs a reason");
    assert!(matches!(tasks::set_status(&app.db, clerk, late, 1, TaskStatus::Done, "", Some(now.date_naive()), now).await, Err(AppError::Validation(_))), "owners set no due date");
    tasks::set_status(&app.db, clerk, late, 1, TaskStatus::Done, "Geliefert", None, now).await.expect("done");
    let start = b.clerk.0.get(app.url("/")).send().await.expect("start").text().await.expect("html");
    assert!(!start.contains("Bericht liefern") && !start.contains("badge-late"), "{start}");
    assert!(matches!(tasks::set_status(&app.db, clerk, late, 1, TaskStatus::Open, "", None, now).await, Err(AppError::Conflict(_))), "a stale status is refused");
}

#[tokio::test]
async fn meeting_documents_are_checked_read_by_members_only_and_lost_with_the_membership() {
    let app = spawn().await;
    let (advisor_c, advisor_email) = app.signed_in(Role::Advisor, "LAND").await;
    let advisor = crate::common::db::user_id(&app, &advisor_email).await;
    let (clerk_c, clerk_email) = app.signed_in(Role::Clerk, "15003000").await;
    let (outsider_c, _) = app.signed_in(Role::Clerk, "15002000").await;
    let now = app::core::time::now();
    let who = Reader { scope: &Scope::Land, user_id: Some(&advisor) };
    let form = GremiumForm { name: "AG Unterlagen".into(), purpose: "Unterlagen.".into(), kind: "arbeitsgruppe".into(), visibility: "oeffentlich".into() };
    let body = bodies::create(&app.db, &advisor, form.try_into().expect("form"), now).await.expect("body");
    members::add(&app.db, who, body, MemberForm { email: clerk_email.clone(), role: "mitglied".into() }.try_into().expect("form"), now).await.expect("member");
    let form = MeetingForm { title: "Sitzung mit Unterlagen".into(), starts: "2026-04-01T09:00".into(), ends: "2026-04-01T10:00".into(), place: "Halle".into(), link: String::new() };
    let meeting = meetings::create(&app.db, who, body, form.try_into().expect("form"), now).await.expect("meeting");
    let upload = |c: &reqwest::Client, name: &str, data: &[u8]| {
        let part = reqwest::multipart::Part::bytes(data.to_vec()).file_name(name.to_string());
        let req = c.post(app.url(&format!("/gremien/sitzungen/{meeting}/unterlagen"))).multipart(reqwest::multipart::Form::new().text("punkt", "").part("datei", part));
        async move {
            let res = req.send().await.expect("upload");
            (res.status().as_u16(), res.text().await.unwrap_or_default())
        }
    };
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
    // Refused: empty, a program; and a member who does not run the body.
    let (s, text) = upload(&advisor_c, "leer.pdf", b"").await;
    assert_eq!(s, 422);
    assert!(text.contains("ist leer"), "{text}");
    let (s, _) = upload(&advisor_c, "setup.exe", b"MZ\x90\x00binary").await;
    assert_eq!(s, 422);
    assert_eq!(upload(&clerk_c, "vorlage.pdf", pdf).await.0, 403);
    assert_eq!(app.count("meeting_document").await, 0, "nothing refused is stored");
    let (s, _) = upload(&advisor_c, "Vorlage TOP 1.pdf", pdf).await;
    assert_eq!(s, 303);
    let doc = crate::common::db::text(&app, "SELECT id FROM meeting_document").await;
    let path = format!("/gremien/sitzungen/{meeting}/unterlagen/{doc}");
    let res = clerk_c.get(app.url(&path)).send().await.expect("download");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().expect("header").starts_with("attachment"));
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), pdf);
    // A public body: its meetings and documents stay with the members.
    assert_eq!(outsider_c.get(app.url(&path)).send().await.expect("get").status(), 404);
    assert_eq!(crate::common::client().get(app.url(&path)).send().await.expect("get").status(), 401);
    let clerk_id = crate::common::db::user_id(&app, &clerk_email).await;
    use sea_orm::EntityTrait;
    let membership = app::core::entities::gremium_member::Entity::find().all(&app.db).await.expect("db").into_iter().find(|m| m.user_id == clerk_id).expect("m").id;
    members::end(&app.db, who, body, membership, now).await.expect("end");
    assert_eq!(clerk_c.get(app.url(&path)).send().await.expect("get").status(), 404, "with the next request");
}
