//! Beratungsfälle through the real router: filing, the typed workflow, internal notes, replies,
//! conflicts, bulk actions, search, attachments and the inbox views.

use crate::common::cases::{HALLE, MAGDEBURG, case_json, file, message, patch, version};
use crate::common::{TestApp, spawn};
use app::identity::Role;
use serde_json::{Value, json};

async fn status_of(app: &TestApp, c: &reqwest::Client, id: i64) -> String {
    case_json(app, c, id).await["case"]["status"].as_str().expect("status").to_string()
}

#[tokio::test]
async fn a_double_submitted_case_is_created_once() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let body = json!({ "subject": "Anbindung ePayment", "category": "technik", "description": "Wie binden wir ePayment an?", "idempotency_key": "k-123" });
    let a = clerk.post(app.url("/api/v1/cases")).json(&body).send().await.expect("first");
    let b = clerk.post(app.url("/api/v1/cases")).json(&body).send().await.expect("second");
    assert_eq!(a.status(), 201);
    assert_eq!(b.status(), 201);
    let (a, b): (Value, Value) = (a.json().await.expect("json"), b.json().await.expect("json"));
    assert_eq!(a["id"], b["id"]);
    assert_eq!(app.count("support_case").await, 1);
    assert_eq!(a["status"], "new");
    assert_eq!(a["municipality"], MAGDEBURG);
    assert!(a["priority"].is_null(), "the Kommune does not see the advisors' priority");
}

#[tokio::test]
async fn bad_input_gets_german_messages_and_stores_nothing() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let res = clerk
        .post(app.url("/api/v1/cases"))
        .json(&json!({ "subject": " ", "category": "gibtsnicht", "description": "", "desired_date": "2020-01-01" }))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 422);
    let v: Value = res.json().await.expect("json");
    for f in ["subject", "category", "description", "desired_date"] {
        assert!(v["fields"][f].is_array(), "message for {f}: {v}");
    }
    assert!(v["fields"]["desired_date"][0].as_str().expect("text").contains("Vergangenheit"));
    assert_eq!(app.count("support_case").await, 0);
    // Filing for a Kommune the clerk does not act for is refused.
    let res = clerk
        .post(app.url("/api/v1/cases"))
        .json(&json!({ "subject": "x", "category": "technik", "description": "y", "municipality": HALLE }))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 403);
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let res = advisor.post(app.url("/api/v1/cases")).json(&json!({ "subject": "x", "category": "technik", "description": "y" })).send().await.expect("request");
    assert_eq!(res.status(), 403, "advisors do not file cases");
    assert_eq!(app.count("support_case").await, 0);
}

#[tokio::test]
async fn every_transition_is_checked_on_the_server() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let id = file(&app, &clerk, "Workflow", "Test").await;
    let all = ["new", "triage", "in_progress", "waiting", "solved", "closed"];
    let allowed: &[(&str, &[&str])] = &[
        ("new", &["triage"]),
        ("triage", &["in_progress"]),
        ("in_progress", &["waiting", "solved"]),
        ("waiting", &["in_progress", "solved"]),
        ("solved", &["in_progress", "closed"]),
        ("closed", &[]),
    ];
    // Walk the chain; at each state try every other target and check the answer.
    let path = ["triage", "in_progress", "waiting", "in_progress", "solved", "in_progress", "solved", "closed"];
    let mut state = "new".to_string();
    for next in path {
        let ok: Vec<&str> = allowed.iter().find(|(s, _)| *s == state).expect("state").1.to_vec();
        for target in all {
            if target == state || target == next {
                continue;
            }
            if ok.contains(&target) {
                continue; // allowed, but not the path we walk
            }
            let res = patch(&app, &advisor, id, json!({ "status": target })).await;
            assert_eq!(res.status(), 422, "{state} → {target} must be refused");
            let v: Value = res.json().await.expect("json");
            assert!(v["fields"]["status"][0].as_str().expect("msg").contains("kein Wechsel"), "{v}");
            assert_eq!(status_of(&app, &advisor, id).await, state, "a refused transition changes nothing");
        }
        assert!(ok.contains(&next), "test path: {state} → {next}");
        let res = patch(&app, &advisor, id, json!({ "status": next })).await;
        assert_eq!(res.status(), 200, "{state} → {next}");
        state = next.to_string();
    }
    for target in all.iter().filter(|t| **t != "closed") {
        let res = patch(&app, &advisor, id, json!({ "status": target })).await;
        assert_eq!(res.status(), 422, "closed → {target}");
    }
    // The Kommune cannot change the status through the API at all.
    let res = patch(&app, &clerk, id, json!({ "status": "new" })).await;
    assert_eq!(res.status(), 403);
    let history = case_json(&app, &clerk, id).await["events"].as_array().expect("events").len();
    assert!(history >= 9, "every status change is in the history ({history})");
}

#[tokio::test]
async fn internal_notes_never_reach_the_kommune() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let id = file(&app, &clerk, "Förderantrag Digitalisierung", "Welche Fördermittel gibt es?").await;
    assert_eq!(message(&app, &advisor, id, "Vertraulich: Zauberwort Quittengelee", true).await.status(), 201);
    assert_eq!(message(&app, &advisor, id, "Öffentliche Antwort: siehe Förderrichtlinie", false).await.status(), 201);
    // The Kommune may not write internal notes.
    assert_eq!(message(&app, &clerk, id, "Versuch", true).await.status(), 403);
    let secret = "Quittengelee";
    let bodies = [
        clerk.get(app.url(&format!("/api/v1/cases/{id}"))).send().await.expect("read").text().await.expect("text"),
        clerk.get(app.url(&format!("/api/v1/cases/{id}/messages"))).send().await.expect("messages").text().await.expect("text"),
        clerk.get(app.url("/api/v1/cases?view=all")).send().await.expect("list").text().await.expect("text"),
        clerk.get(app.url(&format!("/faelle/{id}"))).send().await.expect("page").text().await.expect("text"),
        clerk.get(app.url("/faelle?ansicht=all")).send().await.expect("inbox").text().await.expect("text"),
        app.server_fn(&clerk, "load_case", &[("id", &id.to_string())]).await.text().await.expect("text"),
    ];
    for (i, b) in bodies.iter().enumerate() {
        assert!(!b.contains(secret), "response {i} leaks the internal note");
        assert!(!b.contains("Interne Notiz hinzugefügt"), "response {i} leaks the note's history entry");
    }
    assert!(bodies[0].contains("Öffentliche Antwort"), "the public reply is there");
    assert!(bodies[3].contains("Öffentliche Antwort"), "the page shows the public reply");
    // Search: the advisor finds the case by the note; the Kommune does not.
    let found: Value = advisor.get(app.url(&format!("/api/v1/cases?view=all&q={secret}"))).send().await.expect("search").json().await.expect("json");
    assert_eq!(found["total"], 1, "advisor search over internal notes");
    let found: Value = clerk.get(app.url(&format!("/api/v1/cases?view=all&q={secret}"))).send().await.expect("search").json().await.expect("json");
    assert_eq!(found["total"], 0, "the Kommune cannot find a case by an internal note");
    let found: Value = clerk.get(app.url("/api/v1/cases?view=all&q=Foerderrichtlinie")).send().await.expect("search").json().await.expect("json");
    let _ = found;
    let found: Value = clerk.get(app.url("/api/v1/cases?view=all&q=F%C3%B6rderrichtl")).send().await.expect("search").json().await.expect("json");
    assert_eq!(found["total"], 1, "prefix search over public replies");
    // The advisor's page shows the note, marked as internal.
    let page = advisor.get(app.url(&format!("/faelle/{id}"))).send().await.expect("page").text().await.expect("text");
    assert!(page.contains(secret));
    assert!(page.contains("Interne Notiz – für die Kommune nicht sichtbar"));
}

#[tokio::test]
async fn the_kommunes_reply_resumes_waiting_and_reopens_a_solved_case_within_14_days() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (colleague, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let id = file(&app, &clerk, "Rückfrage", "Bitte um Hilfe").await;
    for s in ["triage", "in_progress", "waiting"] {
        assert_eq!(patch(&app, &advisor, id, json!({ "status": s })).await.status(), 200);
    }
    // Any clerk of the Kommune sees the case and may answer.
    assert_eq!(message(&app, &colleague, id, "Hier die Unterlagen", false).await.status(), 201);
    assert_eq!(status_of(&app, &advisor, id).await, "in_progress");
    assert_eq!(patch(&app, &advisor, id, json!({ "status": "solved" })).await.status(), 200);
    assert_eq!(message(&app, &clerk, id, "Doch noch ein Problem", false).await.status(), 201);
    assert_eq!(status_of(&app, &advisor, id).await, "in_progress", "reopened");
    assert_eq!(patch(&app, &advisor, id, json!({ "status": "solved" })).await.status(), 200);
    // More than 14 days after the solution the Kommune can no longer reopen.
    app.db
        .execute_unprepared(&format!("UPDATE support_case SET solved_at = '2020-01-01T00:00:00+00:00' WHERE id = {id}"))
        .await
        .expect("age the solution");
    let res = message(&app, &clerk, id, "Zu spät", false).await;
    assert_eq!(res.status(), 409);
    let v: Value = res.json().await.expect("json");
    assert!(v["error"].as_str().expect("msg").contains("neuen Fall"));
    // Confirming the solution closes the case.
    app.db.execute_unprepared(&format!("UPDATE support_case SET solved_at = CURRENT_TIMESTAMP WHERE id = {id}")).await.expect("reset");
    let res = clerk.post(app.url(&format!("/api/v1/cases/{id}/confirm"))).send().await.expect("confirm");
    assert_eq!(res.status(), 204);
    assert_eq!(status_of(&app, &clerk, id).await, "closed");
    assert_eq!(message(&app, &clerk, id, "nach Abschluss", false).await.status(), 409);
}

use sea_orm::ConnectionTrait;

#[tokio::test]
async fn a_stale_change_gets_a_conflict_and_changes_nothing() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let id = file(&app, &clerk, "Konflikt", "Test").await;
    let v = version(&app, &advisor, id).await;
    let first = advisor.patch(app.url(&format!("/api/v1/cases/{id}"))).json(&json!({ "version": v, "priority": "high" })).send().await.expect("first");
    assert_eq!(first.status(), 200);
    let second = advisor.patch(app.url(&format!("/api/v1/cases/{id}"))).json(&json!({ "version": v, "priority": "low" })).send().await.expect("second");
    assert_eq!(second.status(), 409);
    let msg: Value = second.json().await.expect("json");
    assert!(msg["error"].as_str().expect("text").contains("inzwischen"));
    assert_eq!(case_json(&app, &advisor, id).await["case"]["priority"], "high");
}

#[tokio::test]
async fn assignment_takes_only_active_advisors_and_notifies_the_owner() {
    let app = spawn().await;
    let (clerk, clerk_email) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, advisor_email) = app.signed_in(Role::Advisor, "LAND").await;
    let id = file(&app, &clerk, "Zuweisung", "Test").await;
    let clerk_id = app::accounts::service::users::find_by_email(&app.db, &clerk_email).await.expect("db").expect("clerk").id;
    let advisor_id = app::accounts::service::users::find_by_email(&app.db, &advisor_email).await.expect("db").expect("advisor").id;
    let res = patch(&app, &advisor, id, json!({ "owner_id": clerk_id })).await;
    assert_eq!(res.status(), 422, "a clerk cannot own a case");
    let (other, _) = app.signed_in(Role::Advisor, "LAND").await;
    let res = patch(&app, &other, id, json!({ "owner_id": advisor_id, "tags": ["ePayment", "epayment", "Förderung"] })).await;
    assert_eq!(res.status(), 200);
    let c = case_json(&app, &advisor, id).await;
    assert_eq!(c["case"]["owner_id"], json!(advisor_id));
    assert_eq!(c["case"]["tags"], json!(["ePayment", "Förderung"]), "tags deduplicated ignoring case");
    let n: Value = advisor.get(app.url("/api/v1/notifications")).send().await.expect("list").json().await.expect("json");
    assert!(n.as_array().expect("list").iter().any(|x| x["kind"] == "assigned"), "{n}");
    // Assigned cases show up in "Meine Fälle", no longer in "Unzugewiesen".
    let mine: Value = advisor.get(app.url("/api/v1/cases?view=mine")).send().await.expect("mine").json().await.expect("json");
    assert_eq!(mine["total"], 1);
    let unassigned: Value = advisor.get(app.url("/api/v1/cases?view=unassigned")).send().await.expect("un").json().await.expect("json");
    assert_eq!(unassigned["total"], 0);
    let tagged: Value = advisor.get(app.url("/api/v1/cases?view=all&tag=F%C3%B6rderung")).send().await.expect("tag").json().await.expect("json");
    assert_eq!(tagged["total"], 1);
    // The Kommune is told about public replies.
    assert_eq!(message(&app, &advisor, id, "Antwort", false).await.status(), 201);
    let n: Value = clerk.get(app.url("/api/v1/notifications")).send().await.expect("list").json().await.expect("json");
    assert!(n.as_array().expect("list").iter().any(|x| x["kind"] == "reply"), "{n}");
}

#[tokio::test]
async fn bulk_actions_apply_to_all_cases_or_none() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, advisor_email) = app.signed_in(Role::Advisor, "LAND").await;
    let advisor_id = app::accounts::service::users::find_by_email(&app.db, &advisor_email).await.expect("db").expect("advisor").id;
    let a = file(&app, &clerk, "Fall A", "a").await;
    let b = file(&app, &clerk, "Fall B", "b").await;
    let c = file(&app, &clerk, "Fall C", "c").await;
    let res = advisor
        .post(app.url("/api/v1/cases/bulk"))
        .json(&json!({ "ids": [a, b], "owner_id": advisor_id, "priority": "high", "add_tag": "Sammel", "reply": "Wir kümmern uns." }))
        .send()
        .await
        .expect("bulk");
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.expect("json")["changed"], 2);
    for id in [a, b] {
        let v = case_json(&app, &advisor, id).await;
        assert_eq!(v["case"]["priority"], "high");
        assert_eq!(v["case"]["tags"], json!(["Sammel"]));
        assert_eq!(v["messages"].as_array().expect("m").len(), 1, "the bulk reply reached case {id}");
        assert!(v["case"]["sla"][0]["stopped_at"].is_string(), "the bulk reply is the first response");
    }
    assert_eq!(case_json(&app, &advisor, c).await["messages"].as_array().expect("m").len(), 0);
    // One refused transition: nothing changes anywhere.
    for id in [a, b] {
        assert_eq!(patch(&app, &advisor, id, json!({ "status": "triage" })).await.status(), 200);
    }
    let before = app.count("case_event").await;
    let res = advisor.post(app.url("/api/v1/cases/bulk")).json(&json!({ "ids": [a, b, c], "status": "in_progress" })).send().await.expect("bulk");
    assert_eq!(res.status(), 422);
    let v: Value = res.json().await.expect("json");
    assert!(v["error"].as_str().expect("msg").contains(&format!("Fall {c}")), "{v}");
    assert_eq!(app.count("case_event").await, before, "nothing written");
    assert_eq!(status_of(&app, &advisor, a).await, "triage");
    // All results of a filter.
    let res = advisor
        .post(app.url("/api/v1/cases/bulk"))
        .json(&json!({ "filter": { "view": "all", "tag": "Sammel" }, "status": "in_progress" }))
        .send()
        .await
        .expect("bulk");
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.expect("json")["changed"], 2);
    // Bulk-close two solved cases.
    for id in [a, b] {
        assert_eq!(patch(&app, &advisor, id, json!({ "status": "solved" })).await.status(), 200);
    }
    let res = advisor.post(app.url("/api/v1/cases/bulk")).json(&json!({ "ids": [a, b], "status": "closed" })).send().await.expect("bulk");
    assert_eq!(res.status(), 200);
    assert_eq!(status_of(&app, &advisor, a).await, "closed");
    assert_eq!(status_of(&app, &advisor, b).await, "closed");
    // Clerks have no bulk actions.
    let res = clerk.post(app.url("/api/v1/cases/bulk")).json(&json!({ "ids": [c], "status": "triage" })).send().await.expect("bulk");
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn the_bulk_form_works_as_a_plain_form_post() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let a = file(&app, &clerk, "Form A", "a").await;
    let b = file(&app, &clerk, "Form B", "b").await;
    let bulk_form = |body: String| advisor.post(app.url("/faelle/sammelaktion")).header("content-type", "application/x-www-form-urlencoded").body(body).send();
    let res = bulk_form(format!("filter=ansicht%3Dall&fall={a}&fall={b}&status=triage&owner_id=-&team=-&priority=urgent&reply=Eingegangen")).await.expect("form");
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/faelle?ansicht=all&sammel=2");
    for id in [a, b] {
        let v = case_json(&app, &advisor, id).await;
        assert_eq!(v["case"]["status"], "triage");
        assert_eq!(v["case"]["priority"], "urgent");
    }
    let res = bulk_form(format!("fall={a}&status=closed")).await.expect("form");
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("html").contains("kein Wechsel"));
}

#[tokio::test]
async fn a_clerk_cannot_reach_another_kommunes_case() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (stranger, _) = app.signed_in(Role::Clerk, HALLE).await;
    let (association, _) = app.signed_in(Role::Association, "SGSA").await;
    let id = file(&app, &clerk, "Nur für Magdeburg", "Inhalt").await;
    for c in [&stranger, &association] {
        for path in [format!("/api/v1/cases/{id}"), format!("/api/v1/cases/{id}/messages"), format!("/api/v1/cases/{id}/attachments")] {
            assert_eq!(c.get(app.url(&path)).send().await.expect("get").status(), 403, "{path}");
        }
        assert_eq!(message(&app, c, id, "fremd", false).await.status(), 403);
        let page = c.get(app.url(&format!("/faelle/{id}"))).send().await.expect("page");
        assert_eq!(page.status(), 403);
        assert!(!page.text().await.expect("html").contains("Nur für Magdeburg"));
    }
    let list: Value = stranger.get(app.url("/api/v1/cases?view=all")).send().await.expect("list").json().await.expect("json");
    assert_eq!(list["total"], 0, "another Kommune's list does not contain the case");
    assert_eq!(association.get(app.url("/api/v1/cases")).send().await.expect("list").status(), 403, "associations see no case list");
}

#[tokio::test]
async fn a_verbandsgemeinde_clerk_files_for_a_member_gemeinde() {
    let app = spawn().await;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let vg = app::core::entities::organisation::Entity::find()
        .filter(app::core::entities::organisation::Column::Kind.eq("verbandsgemeinde"))
        .one(&app.db)
        .await
        .expect("db")
        .expect("a Verbandsgemeinde");
    let member = app::core::entities::organisation::Entity::find()
        .filter(app::core::entities::organisation::Column::VerbandId.eq(vg.id.clone()))
        .one(&app.db)
        .await
        .expect("db")
        .expect("a member");
    let (clerk, _) = app.signed_in(Role::Clerk, &vg.key).await;
    let res = clerk
        .post(app.url("/api/v1/cases"))
        .json(&json!({ "subject": "Für die Mitgliedsgemeinde", "category": "recht", "description": "x", "municipality": member.key }))
        .send()
        .await
        .expect("file");
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.expect("json");
    assert_eq!(v["municipality"], json!(member.key), "the case belongs to the member Gemeinde");
    let (member_clerk, _) = app.signed_in(Role::Clerk, &member.key).await;
    let list: Value = member_clerk.get(app.url("/api/v1/cases?view=all")).send().await.expect("list").json().await.expect("json");
    assert_eq!(list["total"], 1, "the member's own clerks see it too");
}

#[tokio::test]
async fn duplicates_close_and_point_to_where_the_case_continues() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (other_clerk, _) = app.signed_in(Role::Clerk, HALLE).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let main = file(&app, &clerk, "Hauptfall", "x").await;
    let dup = file(&app, &clerk, "Doppelt gemeldet", "x").await;
    let foreign = file(&app, &other_clerk, "Halle", "x").await;
    let v = version(&app, &advisor, dup).await;
    let res = advisor.post(app.url(&format!("/api/v1/cases/{dup}/duplicate"))).json(&json!({ "of": foreign, "version": v })).send().await.expect("dup");
    assert_eq!(res.status(), 422, "only within one Kommune");
    let res = advisor.post(app.url(&format!("/api/v1/cases/{dup}/duplicate"))).json(&json!({ "of": main, "version": v })).send().await.expect("dup");
    assert_eq!(res.status(), 204);
    let seen = case_json(&app, &clerk, dup).await;
    assert_eq!(seen["case"]["status"], "closed");
    assert_eq!(seen["case"]["duplicate_of"], main);
    assert!(seen["links"].as_array().expect("links").iter().any(|l| l["kind"] == "duplicate_of" && l["case_id"] == main));
    let res = advisor.post(app.url(&format!("/api/v1/cases/{main}/links"))).json(&json!({ "other": foreign })).send().await.expect("link");
    assert_eq!(res.status(), 204);
    let links = case_json(&app, &advisor, foreign).await["links"].clone();
    assert!(links.as_array().expect("links").iter().any(|l| l["case_id"] == main), "links go both ways");
    assert_eq!(clerk.post(app.url(&format!("/api/v1/cases/{main}/links"))).json(&json!({ "other": dup })).send().await.expect("link").status(), 403);
}

#[tokio::test]
async fn attachments_are_checked_by_size_and_content_and_served_only_as_downloads() {
    let mut config = crate::common::test_config();
    config.attachment_max_bytes = 1024;
    let app = crate::common::spawn_with(config, false).await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (stranger, _) = app.signed_in(Role::Clerk, HALLE).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let id = file(&app, &clerk, "Mit Anhang", "x").await;
    let upload = |c: &reqwest::Client, name: &str, data: Vec<u8>, internal: bool| {
        let part = reqwest::multipart::Part::bytes(data).file_name(name.to_string());
        let mut form = reqwest::multipart::Form::new().part("datei", part);
        if internal {
            form = form.text("internal", "true");
        }
        c.post(app.url(&format!("/api/v1/cases/{id}/attachments"))).multipart(form).send()
    };
    let res = upload(&clerk, "gross.pdf", [b"%PDF-1.7 ".to_vec(), vec![b'x'; 2000]].concat(), false).await.expect("upload");
    assert_eq!(res.status(), 422);
    assert!(res.json::<Value>().await.expect("json")["fields"]["datei"][0].as_str().expect("msg").contains("zu groß"));
    let res = upload(&clerk, "programm.pdf", b"MZ\x90\x00\x03".to_vec(), false).await.expect("upload");
    assert_eq!(res.status(), 422, "an executable named .pdf");
    assert_eq!(app.count("attachment").await, 0, "nothing stored");
    assert_eq!(app.count("attachment_blob").await, 0);
    let res = upload(&clerk, "Bescheid.pdf", b"%PDF-1.7 kleiner Bescheid".to_vec(), false).await.expect("upload");
    assert_eq!(res.status(), 201);
    let att: Value = res.json().await.expect("json");
    let aid = att[0]["id"].as_str().expect("id").to_string();
    let url = app.url(&format!("/api/v1/cases/{id}/attachments/{aid}"));
    let res = advisor.get(&url).send().await.expect("download");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(res.headers()["content-disposition"].to_str().expect("header").starts_with("attachment;"));
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), b"%PDF-1.7 kleiner Bescheid");
    assert_eq!(stranger.get(&url).send().await.expect("download").status(), 403);
    // The page route serves the same file to the case's Kommune.
    let res = clerk.get(app.url(&format!("/faelle/{id}/anhaenge/{aid}"))).send().await.expect("download");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().expect("header").starts_with("attachment;"));
    // An advisor's internal file is invisible to the Kommune.
    let res = upload(&advisor, "intern.txt", b"nur intern".to_vec(), true).await.expect("upload");
    assert_eq!(res.status(), 201);
    let internal_id = res.json::<Value>().await.expect("json")[0]["id"].as_str().expect("id").to_string();
    let listed = clerk.get(app.url(&format!("/api/v1/cases/{id}/attachments"))).send().await.expect("list").text().await.expect("text");
    assert!(!listed.contains("intern.txt"));
    assert_eq!(clerk.get(app.url(&format!("/api/v1/cases/{id}/attachments/{internal_id}"))).send().await.expect("get").status(), 404);
    let res = upload(&clerk, "notiz.txt", b"x".to_vec(), true).await.expect("upload");
    assert_eq!(res.status(), 403, "the Kommune cannot upload internal files");
    // The plain form: a refused file gets a German page, an accepted one a redirect.
    let form_upload = |name: &str, data: &[u8]| {
        let part = reqwest::multipart::Part::bytes(data.to_vec()).file_name(name.to_string());
        clerk.post(app.url(&format!("/faelle/{id}/anhaenge"))).multipart(reqwest::multipart::Form::new().part("datei", part)).send()
    };
    let res = form_upload("seite.html", b"<html>").await.expect("form");
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("html").contains("nicht angenommen"));
    let res = form_upload("liste.csv", b"Name;Wert\n").await.expect("form");
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn inbox_filters_sort_and_page() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (halle, _) = app.signed_in(Role::Clerk, HALLE).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    for i in 0..55 {
        file(&app, &clerk, &format!("Magdeburg {i}"), "Serienfall").await;
    }
    let h = file(&app, &halle, "Halle", "Einzelfall").await;
    let page: Value = advisor.get(app.url("/api/v1/cases")).send().await.expect("inbox").json().await.expect("json");
    assert_eq!(page["total"], 56);
    assert_eq!(page["pages"], 2);
    assert_eq!(page["cases"].as_array().expect("cases").len(), 50);
    let p2: Value = advisor.get(app.url("/api/v1/cases?page=2")).send().await.expect("inbox").json().await.expect("json");
    assert_eq!(p2["cases"].as_array().expect("cases").len(), 6);
    let by_kommune: Value = advisor.get(app.url(&format!("/api/v1/cases?municipality={HALLE}"))).send().await.expect("inbox").json().await.expect("json");
    assert_eq!(by_kommune["total"], 1);
    assert_eq!(by_kommune["cases"][0]["id"], h);
    let by_kreis: Value = advisor.get(app.url("/api/v1/cases?kreis=15002")).send().await.expect("inbox").json().await.expect("json");
    assert_eq!(by_kreis["total"], 1, "Halle is its own Kreis");
    let bad = advisor.get(app.url("/api/v1/cases?status=unsinn")).send().await.expect("inbox");
    assert_eq!(bad.status(), 422);
    // Unread: new for the advisor until opened.
    assert_eq!(by_kommune["cases"][0]["unread"], true);
    case_json(&app, &advisor, h).await;
    let again: Value = advisor.get(app.url(&format!("/api/v1/cases?municipality={HALLE}"))).send().await.expect("inbox").json().await.expect("json");
    assert_eq!(again["cases"][0]["unread"], false);
    // The inbox page renders with its views and the bulk form for advisors.
    let html = advisor.get(app.url("/faelle?ansicht=unassigned")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("Unzugewiesen"));
    assert!(html.contains("Sammelaktion"));
    assert!(html.contains("56 Fälle gefunden"));
    let html = clerk.get(app.url("/faelle")).send().await.expect("page").text().await.expect("html");
    assert!(!html.contains("Sammelaktion"));
    assert!(html.contains("55 Fälle gefunden"));
}

#[tokio::test]
async fn administrators_configure_categories_teams_targets_and_hours() {
    let app = spawn().await;
    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    let (advisor, advisor_email) = app.signed_in(Role::Advisor, "LAND").await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let form = [("code", "testkat"), ("label", "Testkategorie"), ("position", "50"), ("active", "ja")];
    assert_eq!(app.server_fn(&advisor, "admin_save_category", &form).await.status(), 403, "advisors do not configure");
    assert_eq!(app.server_fn(&admin, "admin_save_category", &form).await.status(), 200);
    let res = clerk.post(app.url("/api/v1/cases")).json(&json!({ "subject": "x", "category": "testkat", "description": "y" })).send().await.expect("file");
    assert_eq!(res.status(), 201, "the new category is offered");
    assert_eq!(app.server_fn(&admin, "admin_save_category", &[("code", "testkat"), ("label", "Testkategorie"), ("position", "50")]).await.status(), 200);
    let res = clerk.post(app.url("/api/v1/cases")).json(&json!({ "subject": "x", "category": "testkat", "description": "y" })).send().await.expect("file");
    assert_eq!(res.status(), 422, "a retired category is no longer offered");
    let bad = app.server_fn(&admin, "admin_save_category", &[("code", "Mit Leerzeichen"), ("label", "x"), ("position", "1")]).await;
    assert_eq!(bad.status(), 422);
    // Targets in working hours: normal priority answers within one hour.
    assert_eq!(app.server_fn(&admin, "admin_save_sla", &[("priority", "normal"), ("first_hours", "1"), ("followup_hours", "2"), ("resolution_hours", "0,5")]).await.status(), 422);
    assert_eq!(app.server_fn(&admin, "admin_save_sla", &[("priority", "normal"), ("first_hours", "1"), ("followup_hours", "0"), ("resolution_hours", "2,5")]).await.status(), 422);
    assert_eq!(app.server_fn(&admin, "admin_save_sla", &[("priority", "normal"), ("first_hours", "1"), ("followup_hours", "2"), ("resolution_hours", "2,5")]).await.status(), 200);
    let s = app::cases::service::sla::settings(&app.db).await.expect("settings");
    assert_eq!(s.target(app::cases::model::Priority::Normal), app::cases::service::sla::Targets { first: 60, resolution: 150, followup: 120 });
    // Working hours: Saturday becomes a working day, 07:00–19:00.
    let hours = [("start", "07:00"), ("end", "19:00"), ("d1", "ja"), ("d2", "ja"), ("d3", "ja"), ("d4", "ja"), ("d5", "ja"), ("d6", "ja")];
    assert_eq!(app.server_fn(&admin, "admin_save_hours", &hours).await.status(), 200);
    let s = app::cases::service::sla::settings(&app.db).await.expect("settings");
    assert_eq!((s.calendar.start_minute, s.calendar.end_minute), (7 * 60, 19 * 60));
    assert_eq!(s.calendar.weekdays, [true, true, true, true, true, true, false]);
    assert_eq!(app.server_fn(&admin, "admin_save_hours", &[("start", "07:00"), ("end", "19:00")]).await.status(), 422, "at least one day");
    // Teams with a lead.
    let lead = app::accounts::service::users::find_by_email(&app.db, &advisor_email).await.expect("db").expect("advisor").id;
    assert_eq!(app.server_fn(&admin, "admin_save_team", &[("name", "Team Nord"), ("lead", &lead), ("active", "ja")]).await.status(), 200);
    assert_eq!(app.server_fn(&admin, "admin_save_team", &[("name", "Team Nord"), ("active", "ja")]).await.status(), 409, "names are unique");
    let teams: Value = advisor.get(app.url("/api/v1/case-teams")).send().await.expect("teams").json().await.expect("json");
    assert!(teams.as_array().expect("teams").iter().any(|t| t["name"] == "Team Nord" && t["lead_id"] == json!(lead)));
    assert!(app.count("audit_log WHERE action LIKE 'case_%' OR action IN ('sla_target_changed', 'work_hours_changed')").await >= 5);
    let page = admin.get(app.url("/verwaltung/beratung")).send().await.expect("page");
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("html").contains("Team Nord"));
    assert_eq!(advisor.get(app.url("/verwaltung/beratung")).send().await.expect("page").status(), 403);
}

#[tokio::test]
async fn a_search_counts_up_to_its_limit_and_lists_the_newest_first() {
    use app::cases::model::{NewCase, SEARCH_COUNT_LIMIT};
    use app::cases::service::workflow;
    let app = spawn().await;
    let clerk_email = app.user(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let clerk = crate::common::db::current(&app, &clerk_email).await;
    let scope = app::access::scope::Scope::of(Some(&clerk));
    let actor = workflow::Actor::new(&clerk, &scope, &app.state.config);
    let mut last = 0;
    for i in 0..=SEARCH_COUNT_LIMIT {
        let input = NewCase { subject: format!("Serienanfrage {i}"), category: "technik".into(), description: "Schnittstelle".into(), ..Default::default() };
        last = workflow::create(&app.db, &actor, &input).await.expect("filed");
    }
    let page: Value = advisor.get(app.url("/api/v1/cases?view=all&q=Serienanfrage")).send().await.expect("search").json().await.expect("json");
    assert_eq!(page["total"], SEARCH_COUNT_LIMIT);
    assert_eq!(page["total_capped"], true);
    assert_eq!(page["cases"][0]["id"], last, "newest first");
    let exact: Value = advisor.get(app.url("/api/v1/cases?view=all")).send().await.expect("list").json().await.expect("json");
    assert_eq!(exact["total"], SEARCH_COUNT_LIMIT + 1, "without a search the count is exact");
    assert_eq!(exact["total_capped"], false);
    let html = advisor.get(app.url("/faelle?ansicht=all&suche=Serienanfrage")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("Mehr als 200 Fälle gefunden"));
    // Rarer words take another path on PostgreSQL (matches from the index first); with
    // statistics in place both paths must give the same kind of answer.
    let mut rare = Vec::new();
    for i in 0..3 {
        let input = NewCase { subject: format!("Einzelstück {i}"), category: "recht".into(), description: "Satzung".into(), ..Default::default() };
        rare.push(workflow::create(&app.db, &actor, &input).await.expect("filed"));
    }
    if app.db.get_database_backend() == sea_orm::DbBackend::Postgres {
        app.db.execute_unprepared("ANALYZE case_search").await.expect("statistics");
    }
    let clerk_client = crate::common::client();
    assert_eq!(app.login(&clerk_client, &clerk_email, crate::common::PASSWORD).await.status(), 204);
    for client in [&advisor, &clerk_client] {
        let found: Value = client.get(app.url("/api/v1/cases?view=all&q=Einzelst%C3%BCck")).send().await.expect("search").json().await.expect("json");
        let ids: Vec<i64> = found["cases"].as_array().expect("cases").iter().map(|c| c["id"].as_i64().expect("id")).collect();
        assert_eq!(ids, rare.iter().rev().copied().collect::<Vec<_>>(), "exactly the rare cases, newest first");
        assert_eq!(found["total"], 3);
        let first: Value = client.get(app.url("/api/v1/cases?view=all&q=Serienanfrage")).send().await.expect("search").json().await.expect("json");
        let second: Value = client.get(app.url("/api/v1/cases?view=all&q=Serienanfrage&page=2")).send().await.expect("search").json().await.expect("json");
        assert_eq!(first["cases"][0]["id"], last);
        assert_eq!(second["cases"][0]["id"], last - 50, "page 2 continues where page 1 ended");
        assert_eq!(second["cases"].as_array().expect("cases").len(), 50);
        let none: Value = client.get(app.url("/api/v1/cases?view=all&q=Serienanfrage+Einzelst%C3%BCck")).send().await.expect("search").json().await.expect("json");
        assert_eq!(none["total"], 0, "all words must match");
    }
}

#[tokio::test]
async fn a_status_change_marks_the_case_unread_for_the_kommune_and_admins_get_no_bulk_form() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    let id = file(&app, &clerk, "Ungelesen", "x").await;
    case_json(&app, &clerk, id).await;
    let list: Value = clerk.get(app.url("/api/v1/cases?view=all")).send().await.expect("list").json().await.expect("json");
    assert_eq!(list["cases"][0]["unread"], false, "read after opening");
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    assert_eq!(patch(&app, &advisor, id, json!({ "status": "triage" })).await.status(), 200);
    let list: Value = clerk.get(app.url("/api/v1/cases?view=all")).send().await.expect("list").json().await.expect("json");
    assert_eq!(list["cases"][0]["unread"], true, "the status change is news for the Kommune");
    let html = admin.get(app.url("/faelle?ansicht=all")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("Ungelesen"), "administrators read the inbox");
    assert!(!html.contains("Sammelaktion"), "but get no bulk actions");
}

/// The time a person last read a case, as stored.
async fn read_at(app: &TestApp, case: i64) -> Vec<String> {
    use app::core::entities::case_read;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mut v: Vec<String> = case_read::Entity::find().filter(case_read::Column::CaseId.eq(case)).all(&app.db).await.expect("read markers").into_iter().map(|r| format!("{}:{}", r.user_id, r.read_at.to_rfc3339())).collect();
    v.sort();
    v
}

#[tokio::test]
async fn viewing_a_case_already_read_writes_nothing_and_news_is_marked_read_on_the_next_view() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let id = file(&app, &clerk, "Gelesen", "Wann gilt ein Fall als gelesen?").await;
    case_json(&app, &advisor, id).await;
    let first = read_at(&app, id).await;
    assert_eq!(first.len(), 2, "the filing clerk and the advisor have read it");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    // Viewed again without news, through the page and the API: nothing is written.
    assert_eq!(advisor.get(app.url(&format!("/faelle/{id}"))).send().await.expect("page").status(), 200);
    case_json(&app, &advisor, id).await;
    assert_eq!(read_at(&app, id).await, first, "a case already read is not written again");
    // A reply from the Kommune is news for the advisor until the next view.
    assert_eq!(message(&app, &clerk, id, "Nachtrag der Kommune", false).await.status(), 201);
    let inbox: Value = advisor.get(app.url("/api/v1/cases?view=all")).send().await.expect("inbox").json().await.expect("json");
    assert_eq!(inbox["cases"][0]["unread"], true);
    case_json(&app, &advisor, id).await;
    let inbox: Value = advisor.get(app.url("/api/v1/cases?view=all")).send().await.expect("inbox").json().await.expect("json");
    assert_eq!(inbox["cases"][0]["unread"], false, "read after the view that followed the news");
    assert_ne!(read_at(&app, id).await, first);
}
