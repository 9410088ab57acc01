//! Service levels on a fixed clock (business hours, Sachsen-Anhalt's holidays, pauses while
//! waiting for the Kommune, priority changes), escalation and automatic closing, and e-mail
//! through a real SMTP conversation with a sink on loopback (down first, then up).

use crate::common::cases::{MAGDEBURG, file, message};
use crate::common::db::current;
use crate::common::{TestApp, spawn, spawn_with, start_sink, test_config};
use app::identity::Role;
use app::cases::model::{CasePatch, CaseStatus, NewCase, Priority};
use app::cases::service as cases;
use app::cases::service::{jobs, sla, workflow};
use app::access::scope::Scope;
use app::core::session::CurrentUser;
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};

fn berlin(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Berlin.with_ymd_and_hms(y, m, d, h, min, 0).single().expect("local time").with_timezone(&Utc)
}

async fn set_status(app: &TestApp, who: &CurrentUser, id: i64, to: CaseStatus, now: DateTime<Utc>) {
    let scope = Scope::of(Some(who));
    let actor = workflow::Actor::at(who, &scope, &app.state.config, now);
    let version = cases::load(&app.db, id).await.expect("case").version;
    workflow::patch(&app.db, &actor, id, &CasePatch { version, status: Some(to), ..Default::default() }).await.expect("transition");
}

#[tokio::test]
async fn timers_count_business_hours_skip_easter_and_pause_while_waiting() {
    let app = spawn().await;
    let clerk_email = app.user(Role::Clerk, MAGDEBURG).await;
    let advisor_email = app.user(Role::Advisor, "LAND").await;
    let clerk = current(&app, &clerk_email).await;
    let advisor = current(&app, &advisor_email).await;
    let clerk_scope = Scope::of(Some(&clerk));
    let advisor_scope = Scope::of(Some(&advisor));
    // Filed on Gründonnerstag afternoon; Karfreitag, the weekend and Ostermontag do not count.
    let filed = berlin(2026, 4, 2, 14, 0);
    let actor = workflow::Actor::at(&clerk, &clerk_scope, &app.state.config, filed);
    let input = NewCase { subject: "Frist".into(), category: "technik".into(), description: "x".into(), ..Default::default() };
    let id = workflow::create(&app.db, &actor, &input).await.expect("filed");
    let c = cases::load(&app.db, id).await.expect("case");
    // Normal priority: first response within 2 working days, solution within 10.
    assert_eq!(c.response_due_at, berlin(2026, 4, 8, 14, 0));
    assert_eq!(c.resolution_due_at, berlin(2026, 4, 20, 14, 0));

    // Waiting for the Kommune from Tuesday 10:00: the clock stands still.
    let tue = berlin(2026, 4, 7, 10, 0);
    for s in [CaseStatus::Triage, CaseStatus::InProgress, CaseStatus::Waiting] {
        set_status(&app, &advisor, id, s, tue).await;
    }
    let settings = sla::settings(&app.db).await.expect("settings");
    let later = berlin(2026, 4, 9, 9, 0);
    let t = sla::timers(&settings, &cases::load(&app.db, id).await.expect("case"), later);
    assert_eq!(t[0].state, "paused");
    assert_eq!(t[0].remaining_minutes, Some(12 * 60), "Tuesday 10–16 and Wednesday 8–14 were left when the clock stopped");

    // The Kommune answers on Thursday 10:00: 16 working hours of pause move both deadlines.
    let thu = berlin(2026, 4, 9, 10, 0);
    let actor = workflow::Actor::at(&clerk, &clerk_scope, &app.state.config, thu);
    workflow::add_message(&app.db, &actor, id, "Unterlagen anbei", false, false).await.expect("reply");
    let c = cases::load(&app.db, id).await.expect("case");
    assert_eq!(c.status, "in_progress");
    assert_eq!(c.paused_minutes, 16 * 60);
    assert_eq!(c.response_due_at, berlin(2026, 4, 10, 14, 0));
    assert_eq!(c.resolution_due_at, berlin(2026, 4, 22, 14, 0));

    // The first public answer comes at 15:00 on Friday: one hour late.
    let fri = berlin(2026, 4, 10, 15, 0);
    let actor = workflow::Actor::at(&advisor, &advisor_scope, &app.state.config, fri);
    workflow::add_message(&app.db, &actor, id, "intern", true, false).await.expect("note");
    assert!(cases::load(&app.db, id).await.expect("case").first_response_at.is_none(), "an internal note is no answer");
    workflow::add_message(&app.db, &actor, id, "Antwort", false, false).await.expect("answer");
    let t = sla::timers(&settings, &cases::load(&app.db, id).await.expect("case"), fri);
    assert_eq!(t[0].state, "breached");
    assert_eq!(t[1].state, "running");
    assert_eq!(t[1].remaining_minutes, Some(settings.calendar.minutes_between(fri, berlin(2026, 4, 22, 14, 0))));

    // Raising the priority recomputes both deadlines from filing, keeping the pause.
    let actor = workflow::Actor::at(&advisor, &advisor_scope, &app.state.config, berlin(2026, 4, 10, 15, 30));
    let version = cases::load(&app.db, id).await.expect("case").version;
    workflow::patch(&app.db, &actor, id, &CasePatch { version, priority: Some(Priority::Urgent), ..Default::default() }).await.expect("priority");
    let c = cases::load(&app.db, id).await.expect("case");
    assert_eq!(c.response_due_at, berlin(2026, 4, 9, 10, 0), "4 h + 16 h pause");
    assert_eq!(c.resolution_due_at, berlin(2026, 4, 10, 14, 0), "16 h + 16 h pause");

    // Escalation: the resolution timer is breached and running; it escalates once.
    let lead_email = app.user(Role::Advisor, "LAND").await;
    let lead = current(&app, &lead_email).await;
    let team = app::core::entities::case_team::Entity::find().one(&app.db).await.expect("db").expect("seeded team");
    let team_id = team.id.clone();
    let mut am = team.into_active_model();
    am.lead_user_id = Set(Some(lead.id.clone()));
    am.update(&app.db).await.expect("lead");
    let version = cases::load(&app.db, id).await.expect("case").version;
    workflow::patch(&app.db, &actor, id, &CasePatch { version, owner_id: Some(advisor.id.clone()), team: Some(team_id), ..Default::default() })
        .await
        .expect("assign");
    let at = berlin(2026, 4, 10, 16, 0);
    let report = jobs::run(&app.db, &app.state.config, at).await.expect("jobs");
    assert_eq!(report.escalated, 1, "only the running resolution timer escalates; the response was given");
    assert_eq!(jobs::run(&app.db, &app.state.config, at).await.expect("jobs").escalated, 0, "once");
    for who in [&advisor.id, &lead.id] {
        let n = app::core::notify::list(&app.db, who).await.expect("notifications");
        assert!(n.iter().any(|x| x.kind == "escalation"), "{who} is told");
    }

    // Solved on Monday 13 April 9:00; closed automatically 14 days later, not before.
    set_status(&app, &advisor, id, CaseStatus::Solved, berlin(2026, 4, 13, 9, 0)).await;
    let t = sla::timers(&settings, &cases::load(&app.db, id).await.expect("case"), berlin(2026, 4, 13, 9, 0));
    assert_eq!(t[1].state, "breached", "solved after its deadline");
    assert_eq!(jobs::run(&app.db, &app.state.config, berlin(2026, 4, 27, 8, 59)).await.expect("jobs").closed, 0);
    assert_eq!(jobs::run(&app.db, &app.state.config, berlin(2026, 4, 27, 9, 1)).await.expect("jobs").closed, 1);
    let c = cases::load(&app.db, id).await.expect("case");
    assert_eq!(c.status, "closed");
}

#[tokio::test]
async fn reopening_a_solved_case_resumes_the_resolution_clock() {
    let app = spawn().await;
    let clerk = current(&app, &app.user(Role::Clerk, MAGDEBURG).await).await;
    let advisor = current(&app, &app.user(Role::Advisor, "LAND").await).await;
    let scope = Scope::of(Some(&clerk));
    let filed = berlin(2026, 11, 23, 8, 0);
    let actor = workflow::Actor::at(&clerk, &scope, &app.state.config, filed);
    let input = NewCase { subject: "Wieder offen".into(), category: "recht".into(), description: "x".into(), ..Default::default() };
    let id = workflow::create(&app.db, &actor, &input).await.expect("filed");
    let due = cases::load(&app.db, id).await.expect("case").resolution_due_at;
    for s in [CaseStatus::Triage, CaseStatus::InProgress, CaseStatus::Solved] {
        set_status(&app, &advisor, id, s, berlin(2026, 11, 24, 9, 0)).await;
    }
    // Reopened by the Kommune one working day later: the deadline moves by 8 h (Tue 9–16, Wed 8–9).
    let actor = workflow::Actor::at(&clerk, &scope, &app.state.config, berlin(2026, 11, 25, 9, 0));
    workflow::add_message(&app.db, &actor, id, "Geht noch nicht", false, false).await.expect("reopen");
    let c = cases::load(&app.db, id).await.expect("case");
    assert_eq!(c.status, "in_progress");
    assert!(c.solved_at.is_none());
    assert_eq!(c.paused_minutes, 8 * 60);
    let settings = sla::settings(&app.db).await.expect("settings");
    assert_eq!(c.resolution_due_at, settings.calendar.add_minutes(due, 8 * 60));
    let events = cases::detail(&app.db, &Scope::of(Some(&clerk)), &clerk, id, berlin(2026, 11, 25, 9, 0)).await.expect("detail").events;
    assert!(events.iter().any(|e| e.text.contains("wiedereröffnet")));
}

#[tokio::test]
async fn mail_goes_through_smtp_and_waits_in_the_outbox_while_the_server_is_down() {
    let mut config = test_config();
    config.mail_enabled = true;
    let app = spawn_with(config, false).await;
    let (clerk, clerk_email) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let id = file(&app, &clerk, "Mailtest", "x").await;
    assert_eq!(message(&app, &advisor, id, "Ihre Antwort ist da", false).await.status(), 201);
    assert_eq!(app.count("mail_outbox").await, 1, "the reply is queued for the Kommune's clerk");

    // A port with nothing listening: the mail stays and is tried again later.
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = probe.local_addr().expect("addr").port();
    drop(probe);
    let cfg = server::ops::mail::SmtpConfig { max_attempts: 10, ..server::ops::mail::SmtpConfig::unencrypted("127.0.0.1", port, "portal@sachsen-anhalt.example") };
    let now = app::core::time::now();
    let d = server::ops::mail::deliver_due(&app.db, &cfg, now).await.expect("deliver");
    assert_eq!((d.sent, d.failed), (0, 1));
    let row = app::core::entities::mail_outbox::Entity::find().one(&app.db).await.expect("db").expect("row");
    assert!(row.sent_at.is_none());
    assert_eq!(row.attempts, 1);
    assert!(row.next_attempt_at > now);
    assert!(row.last_error.is_some());
    // Not due yet: nothing is tried.
    assert_eq!(server::ops::mail::deliver_due(&app.db, &cfg, now).await.expect("deliver"), server::ops::mail::Delivery::default());

    // The mail server is back: the retry delivers through a real SMTP conversation.
    let mut listener = None;
    for _ in 0..50 {
        if let Ok(l) = tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
            listener = Some(l);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let sink = start_sink(listener.expect("port free again")).await;
    let d = server::ops::mail::deliver_due(&app.db, &cfg, now + chrono::Duration::minutes(2)).await.expect("deliver");
    assert_eq!((d.sent, d.failed), (1, 0));
    let got = sink.received.lock().expect("lock").clone();
    assert_eq!(got.len(), 1);
    assert!(got[0].lines().any(|l| l == format!("To: {clerk_email}")), "{}", got[0]);
    assert!(got[0].lines().any(|l| l.starts_with("Subject: ") && l.to_lowercase().contains("=?utf-8?b?")), "{}", got[0]);
    use base64::Engine;
    let body_b64: String = got[0].split("\n\n").nth(1).expect("body").lines().collect();
    let body = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(body_b64).expect("base64")).expect("utf8");
    assert!(body.contains("Neue Antwort zu Fall"), "{body}");
    assert!(body.contains(&format!("/faelle/{id}")));
    let row = app::core::entities::mail_outbox::Entity::find().one(&app.db).await.expect("db").expect("row");
    assert!(row.sent_at.is_some());
    // A user who switched e-mail off for replies gets in-app notifications only.
    let clerk_user = app::accounts::service::users::find_by_email(&app.db, &clerk_email).await.expect("db").expect("clerk");
    app::core::notify::set_prefs(&app.db, &clerk_user.id, &[], &[]).await.expect("prefs");
    assert_eq!(message(&app, &advisor, id, "Zweite Antwort", false).await.status(), 201);
    assert_eq!(app.count("mail_outbox").await, 1, "no new mail");
    assert!(app.count("notification").await >= 2, "but the in-app notification");
}

#[tokio::test]
async fn without_smtp_notifications_stay_in_the_app() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let id = file(&app, &clerk, "Ohne Mail", "x").await;
    assert_eq!(message(&app, &advisor, id, "Antwort", false).await.status(), 201);
    assert_eq!(app.count("mail_outbox").await, 0);
    assert_eq!(app.count("notification").await, 1);
    let html = clerk.get(app.url("/benachrichtigungen")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("Neue Antwort zu Fall"));
    let me: serde_json::Value = app.server_fn(&clerk, "me", &[]).await.json().await.expect("json");
    assert_eq!(me["unread_notifications"], 1, "the header shows one unread notification");
}

#[tokio::test]
async fn the_kommunes_next_message_starts_a_followup_timer_that_pauses_escalates_and_stops() {
    use app::cases::model::CaseFilter;
    use app::cases::service::inbox;
    let app = spawn().await;
    let clerk = current(&app, &app.user(Role::Clerk, MAGDEBURG).await).await;
    let advisor = current(&app, &app.user(Role::Advisor, "LAND").await).await;
    let (clerk_scope, advisor_scope) = (Scope::of(Some(&clerk)), Scope::of(Some(&advisor)));
    // Normal priority owes a follow-up answer within 4 working hours here.
    let mut target = app::core::entities::sla_target::Entity::find_by_id("normal".to_string()).one(&app.db).await.expect("db").expect("target").into_active_model();
    target.followup_minutes = Set(240);
    target.update(&app.db).await.expect("target");
    let settings = sla::settings(&app.db).await.expect("settings");
    let filed = berlin(2026, 4, 29, 9, 0);
    let input = NewCase { subject: "Nachfrage".into(), category: "technik".into(), description: "x".into(), ..Default::default() };
    let id = workflow::create(&app.db, &workflow::Actor::at(&clerk, &clerk_scope, &app.state.config, filed), &input).await.expect("filed");
    let write = |who: &'static str, at: DateTime<Utc>| {
        let (user, scope) = if who == "kommune" { (&clerk, &clerk_scope) } else { (&advisor, &advisor_scope) };
        let actor = workflow::Actor::at(user, scope, &app.state.config, at);
        let db = app.db.clone();
        async move { workflow::add_message(&db, &actor, id, "Text", false, false).await.expect("message") }
    };
    let timers = |at| {
        let db = app.db.clone();
        let settings = settings.clone();
        async move { sla::timers(&settings, &cases::load(&db, id).await.expect("case"), at) }
    };
    // Before the Land answered, a second message of the Kommune owes nothing new.
    write("kommune", berlin(2026, 4, 29, 10, 0)).await;
    assert_eq!(timers(berlin(2026, 4, 29, 10, 0)).await.len(), 2, "the first response covers it");
    write("land", berlin(2026, 4, 29, 11, 0)).await;

    // The Kommune writes again on Thursday 14:00: Thursday 14–16, 1 May (a holiday) and the
    // weekend do not count, Monday 8–10 does.
    write("kommune", berlin(2026, 4, 30, 14, 0)).await;
    let t = timers(berlin(2026, 4, 30, 15, 0)).await;
    assert_eq!(t.iter().map(|t| t.kind.as_str()).collect::<Vec<_>>(), ["first_response", "followup", "resolution"]);
    assert_eq!((t[1].label.as_str(), t[1].state.as_str(), t[1].remaining_minutes), ("Folgeantwort", "running", Some(180)));
    assert_eq!(cases::load(&app.db, id).await.expect("case").followup_due_at, Some(berlin(2026, 5, 4, 10, 0)));
    assert_eq!(sla::badge(&t, settings.day_minutes()).as_deref(), Some("Folgeantwort fällig in 3\u{a0}Std."));
    // A further message while the answer is owed keeps the deadline.
    write("kommune", berlin(2026, 4, 30, 15, 0)).await;
    assert_eq!(cases::load(&app.db, id).await.expect("case").followup_due_at, Some(berlin(2026, 5, 4, 10, 0)));

    // Waiting for the Kommune from Monday 9:00 pauses it; the Kommune's reply at 13:00 resumes
    // it four working hours later, at 14:00.
    set_status(&app, &advisor, id, CaseStatus::Waiting, berlin(2026, 5, 4, 9, 0)).await;
    let t = timers(berlin(2026, 5, 4, 12, 0)).await;
    assert_eq!((t[1].state.as_str(), t[1].remaining_minutes), ("paused", Some(60)));
    assert_eq!(jobs::run(&app.db, &app.state.config, berlin(2026, 5, 4, 12, 0)).await.expect("jobs").escalated, 0, "a paused timer does not escalate");
    write("kommune", berlin(2026, 5, 4, 13, 0)).await;
    assert_eq!(cases::load(&app.db, id).await.expect("case").followup_due_at, Some(berlin(2026, 5, 4, 14, 0)));

    // Past its deadline it escalates once, to the owner (who took the case with the answer), and
    // the inbox's view "überfällig" lists the case.
    let late = berlin(2026, 5, 4, 14, 30);
    assert_eq!(jobs::run(&app.db, &app.state.config, late).await.expect("jobs").escalated, 1);
    assert_eq!(jobs::run(&app.db, &app.state.config, late).await.expect("jobs").escalated, 0, "once");
    let n = app::core::notify::list(&app.db, &advisor.id).await.expect("notifications");
    assert!(n.iter().any(|x| x.kind == "escalation" && x.text.contains("Folgeantwort")), "the owner is told");
    let overdue = CaseFilter { view: Some("overdue".into()), ..Default::default() };
    let page = inbox::list(&app.db, &advisor_scope, &advisor, &overdue, late).await.expect("inbox");
    assert_eq!(page.cases.iter().map(|c| c.id).collect::<Vec<_>>(), [id]);
    assert_eq!(sla::badge(&page.cases[0].sla, settings.day_minutes()).as_deref(), Some("Folgeantwort überfällig seit 30\u{a0}Min."));

    // The Land's answer at 15:00 stops it, late; the view no longer lists the case.
    write("land", berlin(2026, 5, 4, 15, 0)).await;
    let t = timers(berlin(2026, 5, 4, 15, 0)).await;
    assert_eq!((t[1].state.as_str(), t[1].breached, t[1].remaining_minutes), ("breached", true, None));
    assert!(inbox::list(&app.db, &advisor_scope, &advisor, &overdue, berlin(2026, 5, 4, 15, 0)).await.expect("inbox").cases.is_empty());

    // The next message of the Kommune owes a new answer, which comes in time.
    write("kommune", berlin(2026, 5, 5, 9, 0)).await;
    let c = cases::load(&app.db, id).await.expect("case");
    assert_eq!((c.followup_due_at, c.followup_breached_at, c.followup_answered_at), (Some(berlin(2026, 5, 5, 13, 0)), None, None));
    let soon = CaseFilter { view: Some("due_soon".into()), ..Default::default() };
    assert_eq!(inbox::list(&app.db, &advisor_scope, &advisor, &soon, berlin(2026, 5, 5, 9, 0)).await.expect("inbox").cases.len(), 1, "due within the day");
    write("land", berlin(2026, 5, 5, 10, 0)).await;
    let t = timers(berlin(2026, 5, 5, 10, 0)).await;
    assert_eq!((t[1].state.as_str(), t[1].breached), ("met", false));
    let events = cases::detail(&app.db, &advisor_scope, &advisor, id, berlin(2026, 5, 5, 10, 0)).await.expect("detail").events;
    assert_eq!(events.iter().filter(|e| e.text.contains("»Folgeantwort« überschritten")).count(), 1);
}
