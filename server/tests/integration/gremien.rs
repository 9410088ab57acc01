//! Gremien: decisions are numbered per body and year without gap or twin even when recorded at
//! once; a body and its decisions reach exactly whom their visibility names (members, the signed-
//! in, the public, partners), as pages, server functions and open data; a member removed loses
//! access with the next request; bad input is refused in German and changes nothing.

use crate::common::{TestApp, client, spawn};
use app::access::scope::Scope;
use app::error::AppError;
use app::gremien::model::{DecisionForm, GremiumForm, MemberForm};
use app::gremien::service::{Reader, bodies, decisions, members};
use app::identity::Role;

const PARTNER: &str = "ITDL-TEST";

async fn id_of(app: &TestApp, email: &str) -> String {
    crate::common::db::current(app, email).await.id
}

fn body(name: &str, visibility: &str) -> GremiumForm {
    GremiumForm { name: name.into(), purpose: "Zusammenarbeit von Land und Kommunen.".into(), kind: "arbeitsgruppe".into(), visibility: visibility.into() }
}

fn decision(title: &str, on: &str, visibility: &str) -> DecisionForm {
    DecisionForm { title: title.into(), text: format!("Wortlaut: {title}"), decided_on: on.into(), yes: "5".into(), no: "1".into(), abstain: "0".into(), visibility: visibility.into(), meeting: String::new() }
}

/// A partner organisation and a signed-in person of it.
async fn partner(app: &TestApp) -> (reqwest::Client, String) {
    if app::catalogue::service::orgs::by_key(&app.db, PARTNER).await.expect("db").is_none() {
        app::catalogue::service::partners::save(&app.db, None, PARTNER, "Test-Dienstleister").await.expect("partner");
    }
    app.signed_in(Role::Partner, PARTNER).await
}

fn url_of(app: &TestApp, path: &str) -> String {
    app.url(path)
}

async fn status(c: &reqwest::Client, url: String) -> (u16, String) {
    let res = c.get(url).send().await.expect("request");
    (res.status().as_u16(), res.text().await.expect("body"))
}

#[tokio::test]
async fn decisions_are_numbered_per_body_and_year_without_gap_or_twin_when_recorded_at_once() {
    let app = spawn().await;
    let email = app.user(Role::Advisor, "LAND").await;
    let advisor = id_of(&app, &email).await;
    let now = app::core::time::now();
    let g = bodies::create(&app.db, &advisor, body("Lenkungskreis Zählung", "oeffentlich").try_into().expect("form"), now).await.expect("body");
    let other = bodies::create(&app.db, &advisor, body("Arbeitsgruppe Zählung", "oeffentlich").try_into().expect("form"), now).await.expect("body");
    let who = Reader { scope: &Scope::Land, user_id: Some(&advisor) };
    // Twelve decisions of one body at once, and two of another body among them.
    let mut tasks = Vec::new();
    for i in 0..12 {
        let db = app.db.clone();
        let advisor = advisor.clone();
        let target = if i % 6 == 5 { other } else { g };
        tasks.push(tokio::spawn(async move {
            let who = Reader { scope: &Scope::Land, user_id: Some(&advisor) };
            decisions::record(&db, who, target, decision(&format!("Beschluss {i}"), "2026-03-10", "oeffentlich").try_into().expect("form"), app::core::time::now()).await
        }));
    }
    for t in tasks {
        t.await.expect("task").expect("recorded");
    }
    let numbers = |rows: Vec<app::gremien::model::DecisionView>, gid: i64, year: i32| {
        let mut n: Vec<i32> = rows.into_iter().filter(|d| d.gremium_id == gid && d.year == year).map(|d| d.number).collect();
        n.sort_unstable();
        n
    };
    let all = decisions::public(&app.db, 1000).await.expect("list");
    assert_eq!(numbers(all.clone(), g, 2026), (1..=10).collect::<Vec<_>>(), "ten numbers of one body, none missing, none twice");
    assert_eq!(numbers(all, other, 2026), vec![1, 2], "each body counts its own");
    // A refused decision takes no number; the next year starts at 1, the year after the gap-free 11.
    let too_wide: Result<app::gremien::model::DecisionInput, AppError> = decision("Zu weit", "2026-04-01", "unbekannt").try_into();
    assert!(matches!(too_wide, Err(AppError::Validation(_))));
    decisions::record(&app.db, who, g, decision("Im nächsten Jahr", "2027-01-05", "oeffentlich").try_into().expect("form"), now).await.expect("2027");
    decisions::record(&app.db, who, g, decision("Noch 2026", "31.12.2026", "oeffentlich").try_into().expect("form"), now).await.expect("2026");
    let all = decisions::public(&app.db, 1000).await.expect("list");
    assert_eq!(numbers(all.clone(), g, 2027), vec![1]);
    assert_eq!(numbers(all.clone(), g, 2026), (1..=11).collect::<Vec<_>>());
    assert!(all.iter().any(|d| d.reference == "Beschluss 11/2026" && d.title == "Noch 2026"));
    assert_eq!(app.count("audit_log WHERE action = 'decision_recorded'").await, 14, "every decision audited");
}

#[tokio::test]
async fn a_body_and_its_decisions_reach_exactly_whom_their_visibility_names() {
    let app = spawn().await;
    let (advisor_c, advisor_email) = app.signed_in(Role::Advisor, "LAND").await;
    let advisor = id_of(&app, &advisor_email).await;
    let (clerk_c, clerk_email) = app.signed_in(Role::Clerk, "15003000").await;
    let (outsider_c, _) = app.signed_in(Role::Clerk, "15002000").await;
    let (partner_c, partner_email) = partner(&app).await;
    let (stranger_c, _) = partner(&app).await;
    let anon = client();
    let now = app::core::time::now();
    let who = Reader { scope: &Scope::Land, user_id: Some(&advisor) };
    // A public steering group: a public decision, one for the Kommunen, one for its members.
    let public = bodies::create(&app.db, &advisor, body("Lenkungskreis Sichtbarkeit", "oeffentlich").try_into().expect("form"), now).await.expect("body");
    let open = decisions::record(&app.db, who, public, decision("Öffentlich beschlossen", "2026-05-01", "oeffentlich").try_into().expect("form"), now).await.expect("d");
    let kommunen = decisions::record(&app.db, who, public, decision("Für die Kommunen", "2026-05-02", "kommunen").try_into().expect("form"), now).await.expect("d");
    let inner = decisions::record(&app.db, who, public, decision("Nur intern", "2026-05-03", "mitglieder").try_into().expect("form"), now).await.expect("d");
    // A working group for its members only, with a clerk and a partner in it.
    let closed = bodies::create(&app.db, &advisor, body("AG Verschlossen", "mitglieder").try_into().expect("form"), now).await.expect("body");
    for e in [&clerk_email, &partner_email] {
        members::add(&app.db, who, closed, MemberForm { email: e.to_string(), role: "mitglied".into() }.try_into().expect("form"), now).await.expect("member");
    }
    let secret = decisions::record(&app.db, who, closed, decision("Geheime Testumgebung", "2026-05-04", "mitglieder").try_into().expect("form"), now).await.expect("d");
    // A body for the signed-in: the public sector reads it, a partner who is no member does not.
    let circle = bodies::create(&app.db, &advisor, body("Netzwerk Angemeldete", "angemeldet").try_into().expect("form"), now).await.expect("body");
    assert_eq!(status(&outsider_c, url_of(&app, &format!("/gremien/{circle}"))).await.0, 200);
    assert_eq!(status(&stranger_c, url_of(&app, &format!("/gremien/{circle}"))).await.0, 403);
    assert!(!status(&stranger_c, url_of(&app, "/gremien")).await.1.contains("Netzwerk Angemeldete"));
    // A decision never reaches further than its body.
    let refused = decisions::record(&app.db, who, closed, decision("Zu weit", "2026-05-05", "oeffentlich").try_into().expect("form"), now).await;
    assert!(matches!(&refused, Err(AppError::Validation(m)) if m["visibility"][0].contains("nicht weiter reichen")), "{refused:?}");
    assert_eq!(app.count("gremium_decision").await, 4, "the refused decision is not stored");

    let url = |p: &str| app.url(p);
    // Visitors: the public body with its public decision, organisations instead of names.
    let (s, html) = status(&anon, url(&format!("/gremien/{public}"))).await;
    assert_eq!(s, 200);
    assert!(html.contains("Öffentlich beschlossen") && !html.contains("Für die Kommunen") && !html.contains("Nur intern"));
    assert!(!html.contains("Test Beratung Land"), "no names of people for visitors");
    assert_eq!(status(&anon, url(&format!("/gremien/{closed}"))).await.0, 404, "a members-only body is not disclosed");
    assert_eq!(status(&anon, url(&format!("/beschluesse/{kommunen}"))).await.0, 404);
    let (_, list) = status(&anon, url("/gremien")).await;
    assert!(list.contains("Lenkungskreis Sichtbarkeit") && !list.contains("AG Verschlossen"));
    // A clerk who is not a member: public and Kommunen decisions of the public body, not the group.
    let (_, register) = status(&outsider_c, url("/beschluesse")).await;
    assert!(register.contains("Öffentlich beschlossen") && register.contains("Für die Kommunen") && !register.contains("Nur intern") && !register.contains("Geheime Testumgebung"));
    assert_eq!(status(&outsider_c, url(&format!("/gremien/{closed}"))).await.0, 404);
    // The register's search (full text, words as beginnings, title and text) stays within reach.
    let (_, found) = status(&outsider_c, url("/beschluesse?suche=Testumgeb")).await;
    assert!(!found.contains("Geheime Testumgebung") && found.contains("Keine Beschlüsse"), "a members-only decision is not found by others");
    let (_, found) = status(&clerk_c, url("/beschluesse?suche=Testumgeb")).await;
    assert!(found.contains("Geheime Testumgebung") && !found.contains("Öffentlich beschlossen"));
    let (_, found) = status(&outsider_c, url("/beschluesse?suche=wortlaut+kommunen")).await;
    assert!(found.contains("Für die Kommunen") && !found.contains("Öffentlich beschlossen") && !found.contains("Nur intern"));
    assert_eq!(status(&outsider_c, url(&format!("/beschluesse/{inner}"))).await.0, 404);
    // A partner who is not a member reads what is public only, not what is for the Kommunen.
    let (_, register) = status(&stranger_c, url("/beschluesse")).await;
    assert!(register.contains("Öffentlich beschlossen") && !register.contains("Für die Kommunen") && !register.contains("Geheime Testumgebung"));
    assert_eq!(status(&stranger_c, url(&format!("/beschluesse/{kommunen}"))).await.0, 404);
    // The members of the group read it and its decision, with the other members' names.
    for c in [&clerk_c, &partner_c] {
        let (s, html) = status(c, url(&format!("/gremien/{closed}"))).await;
        assert_eq!(s, 200);
        assert!(html.contains("Geheime Testumgebung") && html.contains("Test-Dienstleister"));
        assert_eq!(status(c, url(&format!("/beschluesse/{secret}"))).await.0, 200);
    }
    // Open data: only the public decision of the public body.
    let json: serde_json::Value = anon.get(url("/api/v1/public/decisions")).send().await.expect("json").json().await.expect("json");
    let ids: Vec<i64> = json.as_array().expect("list").iter().map(|d| d["id"].as_i64().expect("id")).collect();
    assert_eq!(ids, vec![open]);
    assert_eq!(json[0]["reference"], "Beschluss 1/2026");
    let (s, csv) = status(&anon, url("/beschluesse.csv")).await;
    assert_eq!(s, 200);
    assert!(csv.contains("Öffentlich beschlossen") && !csv.contains("Für die Kommunen") && !csv.contains("Geheime"));
    let (s, feed) = status(&anon, url("/beschluesse.atom")).await;
    assert_eq!(s, 200);
    assert!(feed.starts_with("<?xml") && feed.contains("<feed") && feed.contains("Öffentlich beschlossen") && !feed.contains("Für die Kommunen"));
    // The advisor who is no member of the group: not found either.
    assert_eq!(status(&advisor_c, url(&format!("/gremien/{closed}"))).await.0, 200, "the advisor founded it and is its Geschäftsstelle");
}

#[tokio::test]
async fn a_member_removed_loses_access_with_the_next_request() {
    let app = spawn().await;
    let (advisor_c, advisor_email) = app.signed_in(Role::Advisor, "LAND").await;
    let (clerk_c, clerk_email) = app.signed_in(Role::Clerk, "15003000").await;
    let fn_call = |c: &reqwest::Client, name: &str, form: Vec<(&str, String)>| {
        let req = c.post(app.url(&format!("/api/{name}"))).header("accept", "application/json").form(&form);
        async move { req.send().await.expect("call") }
    };
    // Set up through the server functions, as the page's forms do.
    let res = fn_call(&advisor_c, "create_gremium", vec![("name", "AG Zugang".into()), ("purpose", "Zugänge testen.".into()), ("kind", "arbeitsgruppe".into()), ("visibility", "mitglieder".into())]).await;
    assert!(res.status().is_success(), "{}", res.status());
    let id = app::core::entities::gremium::Entity::find().one(&app.db).await.expect("db").expect("body").id;
    use sea_orm::EntityTrait;
    let res = fn_call(&advisor_c, "add_gremium_member", vec![("gremium", id.to_string()), ("email", clerk_email.clone()), ("role", "mitglied".into())]).await;
    assert!(res.status().is_success());
    let res = fn_call(&advisor_c, "record_decision", vec![("gremium", id.to_string()), ("title", "Zugangsregel".into()), ("text", "Text".into()), ("decided_on", "02.03.2026".into()), ("visibility", "mitglieder".into())]).await;
    assert!(res.status().is_success());
    let d = app::core::entities::gremium_decision::Entity::find().one(&app.db).await.expect("db").expect("decision").id;
    assert_eq!(status(&clerk_c, app.url(&format!("/gremien/{id}"))).await.0, 200);
    assert_eq!(status(&clerk_c, app.url(&format!("/beschluesse/{d}"))).await.0, 200);
    let (_, start) = status(&clerk_c, app.url("/")).await;
    assert!(start.contains("Ihre Gremien") && start.contains("AG Zugang"), "the start page names the body");
    // A member may not run the body.
    let res = fn_call(&clerk_c, "end_gremium_member", vec![("gremium", id.to_string()), ("member", "1".into())]).await;
    assert_eq!(res.status(), 403);
    // The Geschäftsstelle ends the clerk's membership.
    let clerk_id = id_of(&app, &clerk_email).await;
    let membership = app::core::entities::gremium_member::Entity::find().all(&app.db).await.expect("db").into_iter().find(|m| m.user_id == clerk_id).expect("membership").id;
    let res = fn_call(&advisor_c, "end_gremium_member", vec![("gremium", id.to_string()), ("member", membership.to_string())]).await;
    assert!(res.status().is_success());
    assert_eq!(status(&clerk_c, app.url(&format!("/gremien/{id}"))).await.0, 404);
    assert_eq!(status(&clerk_c, app.url(&format!("/beschluesse/{d}"))).await.0, 404);
    let res = fn_call(&clerk_c, "load_gremium", vec![("id", id.to_string())]).await;
    assert_eq!(res.status(), 404);
    let (_, register) = status(&clerk_c, app.url("/beschluesse")).await;
    assert!(!register.contains("Zugangsregel"));
    let (_, start) = status(&clerk_c, app.url("/")).await;
    assert!(!start.contains("AG Zugang"));
    // The ended membership stays as history for those who run the body, dated and audited.
    let (_, page) = status(&advisor_c, app.url(&format!("/gremien/{id}"))).await;
    assert!(page.contains("Beendete Mitgliedschaften"));
    assert_eq!(app.count("audit_log WHERE action = 'gremium_member_ended'").await, 1);
    // The last one who runs the body cannot leave it without a successor.
    let advisor_id = id_of(&app, &advisor_email).await;
    let own = app::core::entities::gremium_member::Entity::find().all(&app.db).await.expect("db").into_iter().find(|m| m.user_id == advisor_id).expect("own").id;
    let res = fn_call(&advisor_c, "end_gremium_member", vec![("gremium", id.to_string()), ("member", own.to_string())]).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.expect("text").contains("mindestens einen Vorsitz oder eine Geschäftsstelle"));
}

#[tokio::test]
async fn bad_input_to_the_gremien_is_refused_in_german_and_changes_nothing() {
    let app = spawn().await;
    let (advisor_c, _) = app.signed_in(Role::Advisor, "LAND").await;
    let (clerk_c, _) = app.signed_in(Role::Clerk, "15003000").await;
    let (admin_c, _) = app.signed_in(Role::Admin, "LAND").await;
    let call = |c: &reqwest::Client, name: &str, form: Vec<(&str, String)>| {
        let req = c.post(app.url(&format!("/api/{name}"))).header("accept", "application/json").form(&form);
        async move {
            let res = req.send().await.expect("call");
            (res.status().as_u16(), res.text().await.expect("text"))
        }
    };
    let (s, text) = call(&advisor_c, "create_gremium", vec![("name", "AG".into()), ("purpose", "".into()), ("kind", "verein".into()), ("visibility", "alle".into())]).await;
    assert_eq!(s, 422);
    for message in ["3 bis 200 Zeichen", "Zweck", "Art des Gremiums", "wer das Gremium sieht"] {
        assert!(text.contains(message), "{message}: {text}");
    }
    // Clerks and partners do not set up bodies.
    let (s, _) = call(&clerk_c, "create_gremium", vec![("name", "AG der Kommune".into()), ("purpose", "x".into()), ("kind", "arbeitsgruppe".into()), ("visibility", "mitglieder".into())]).await;
    assert_eq!(s, 403);
    assert_eq!(app.count("gremium").await, 0);
    let (s, _) = call(&advisor_c, "create_gremium", vec![("name", "AG Eingaben".into()), ("purpose", "Eingaben prüfen.".into()), ("kind", "arbeitsgruppe".into()), ("visibility", "angemeldet".into())]).await;
    assert_eq!(s, 200);
    let (s, _) = call(&advisor_c, "create_gremium", vec![("name", "AG Eingaben".into()), ("purpose", "Noch einmal.".into()), ("kind", "arbeitsgruppe".into()), ("visibility", "angemeldet".into())]).await;
    assert_eq!(s, 422, "a name is unique");
    use sea_orm::EntityTrait;
    let id = app::core::entities::gremium::Entity::find().one(&app.db).await.expect("db").expect("body").id.to_string();
    let (s, text) = call(&advisor_c, "add_gremium_member", vec![("gremium", id.clone()), ("email", "niemand@example.org".into()), ("role", "mitglied".into())]).await;
    assert_eq!(s, 422);
    assert!(text.contains("kein aktives Konto"), "{text}");
    let (s, text) = call(&advisor_c, "record_decision", vec![("gremium", id.clone()), ("title", "Beschluss".into()), ("text", "".into()), ("decided_on", "32.13.2026".into()), ("yes", "viele".into()), ("visibility", "oeffentlich".into())]).await;
    assert_eq!(s, 422);
    for message in ["Wortlaut", "TT.MM.JJJJ", "Zustimmungen"] {
        assert!(text.contains(message), "{message}: {text}");
    }
    let (s, text) = call(&advisor_c, "record_decision", vec![("gremium", id.clone()), ("title", "Beschluss".into()), ("text", "Text".into()), ("decided_on", "01.02.2026".into()), ("visibility", "oeffentlich".into())]).await;
    assert_eq!(s, 422, "a body for the signed-in publishes nothing to the public");
    assert!(text.contains("nicht weiter reichen"));
    assert_eq!(app.count("gremium_decision").await, 0);
    assert_eq!(app.count("gremium_decision_counter WHERE last > 0").await, 0, "no number was taken");
    // A stale edit of the body is refused.
    let (s, _) = call(&advisor_c, "update_gremium", vec![("gremium", id.clone()), ("version", "0".into()), ("name", "AG Neu".into()), ("purpose", "x".into()), ("kind", "board".into()), ("visibility", "angemeldet".into())]).await;
    assert_eq!(s, 409);
    // Partner organisations: administrators only, keys checked.
    let (s, text) = call(&admin_c, "admin_save_partner", vec![("key", "x".into()), ("name", "IT".into())]).await;
    assert_eq!(s, 422);
    assert!(text.contains("2 bis 20 Zeichen") && text.contains("3 bis 200 Zeichen"));
    let (s, text) = call(&admin_c, "admin_save_partner", vec![("key", "SGSA".into()), ("name", "Übernahme".into())]).await;
    assert_eq!(s, 422, "{text}");
    assert!(text.contains("gehört schon zu"));
    let (s, _) = call(&advisor_c, "admin_save_partner", vec![("key", "ITDZ".into()), ("name", "Dienstleister".into())]).await;
    assert_eq!(s, 403);
    assert_eq!(app.count("organisation WHERE kind = 'partner'").await, 0);
    let (s, _) = call(&admin_c, "admin_save_partner", vec![("key", "itdz-lsa".into()), ("name", "IT-Dienstleister Sachsen-Anhalt".into())]).await;
    assert_eq!(s, 200);
    assert_eq!(app.count("organisation WHERE kind = 'partner' AND key = 'ITDZ-LSA'").await, 1);
}

#[tokio::test]
async fn a_partner_reads_no_single_kommune_and_no_figure_beyond_the_public_ones() {
    let app = spawn().await;
    let (c, email) = partner(&app).await;
    let me: serde_json::Value = c.get(app.url("/api/v1/me")).send().await.expect("me").json().await.expect("json");
    assert_eq!(me["role"], "partner");
    assert_eq!(me["organisations"][0]["kind"], "partner");
    for path in ["/kommunen", "/api/v1/municipalities/15003000/services"] {
        let s = c.get(app.url(path)).send().await.expect("get").status().as_u16();
        assert!(s == 403 || s == 404, "{path}: {s}");
    }
    // Cases: only those shared with the partner's organisation (none here).
    let listed: serde_json::Value = c.get(app.url("/api/v1/cases")).send().await.expect("get").json().await.expect("json");
    assert_eq!(listed["total"], 0, "{listed}");
    // A partner's account cannot be given a Kommune.
    let err = app::accounts::service::users::create(
        &app.db,
        &app.state.hasher,
        None,
        app::accounts::service::users::NewUser { email: "p2@test.example".into(), name: "P".into(), role: Role::Partner, org_keys: vec!["15003000".into()], password: "ein langes Passwort 1".into(), is_demo: false },
    )
    .await
    .expect_err("refused");
    assert!(err.summary().join(" ").contains("passt nicht zur Organisation"), "{email}");
}
