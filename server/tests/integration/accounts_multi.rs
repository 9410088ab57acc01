//! A person in several organisations: a clerk acting for two Kommunen works for both and for no
//! third, chooses the Kommune where a form acts for one, and sees both in the header and on the
//! start page; an advisor also in a working group's partner organisation keeps the Land's scope,
//! and the partner's own people gain nothing from it.

use crate::common::cases::{HALLE, MAGDEBURG};
use crate::common::{PASSWORD, TestApp, client, spawn_with, test_config};
use app::accounts::service::users::{self, NewUser};
use app::identity::Role;
use serde_json::{Value, json};

const DESSAU: &str = "15001000";

async fn person(app: &TestApp, email: &str, role: Role, orgs: &[&str]) -> Result<reqwest::Client, app::error::AppError> {
    let new = NewUser { email: email.into(), name: format!("Person {email}"), role, org_keys: orgs.iter().map(|o| o.to_string()).collect(), password: PASSWORD.into(), is_demo: false };
    users::create(&app.db, &app.state.hasher, None, new).await?;
    let c = client();
    assert_eq!(app.login(&c, email, PASSWORD).await.status(), 204);
    Ok(c)
}

/// From `marker` to the end of its paragraph.
fn paragraph<'a>(html: &'a str, marker: &str) -> &'a str {
    let start = html.find(marker).unwrap_or(html.len());
    let end = html[start..].find("</p>").map_or(html.len(), |e| start + e);
    &html[start..end]
}

async fn name_of(app: &TestApp, key: &str) -> String {
    app::catalogue::service::orgs::by_key(&app.db, key).await.expect("db").expect("org").name
}

async fn file(app: &TestApp, c: &reqwest::Client, kommune: Option<&str>) -> reqwest::Response {
    let mut body = json!({ "subject": "Frage", "category": "technik", "description": "x" });
    if let Some(k) = kommune {
        body["municipality"] = json!(k);
    }
    c.post(app.url("/api/v1/cases")).json(&body).send().await.expect("request")
}

fn planned(version: i64) -> Value {
    json!({ "offered": false, "responsibility": "own", "stage": "planned", "stage_dates": { "planned": "2025-01-15" }, "version": version })
}

#[tokio::test]
async fn a_clerk_of_two_kommunen_works_for_both_chooses_between_them_and_reaches_no_third() {
    let app = spawn_with(test_config(), true).await;
    let both = person(&app, "zwei@test.example", Role::Clerk, &[MAGDEBURG, HALLE]).await.expect("two Kommunen");
    let (magdeburg, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (halle, _) = app.signed_in(Role::Clerk, HALLE).await;
    let (md, ha) = (name_of(&app, MAGDEBURG).await, name_of(&app, HALLE).await);

    // The header and the start page name both.
    let html = both.get(app.url("/")).send().await.expect("start").text().await.expect("text");
    let header = paragraph(&html, "user-org");
    assert!(header.contains(&md) && header.contains(&ha), "the header names both: {header}");
    let section = &html[html.find("Kommunen, für die Sie handeln").expect("the start page's list")..];
    assert!(section.contains(&md) && section.contains(&ha));

    // A form acting for one Kommune makes the person choose.
    let form: Value = app.server_fn(&both, "filing_form", &[("subject", "Frage")]).await.json().await.expect("json");
    assert_eq!(form["choose"], true);
    assert_eq!(form["municipalities"].as_array().map(Vec::len), Some(2));
    let res = file(&app, &both, None).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("text").contains("Sie handeln für mehrere Kommunen"));
    let single: Value = app.server_fn(&magdeburg, "filing_form", &[("subject", "Frage")]).await.json().await.expect("json");
    assert_eq!(single["choose"], false, "one Kommune: nothing to choose");
    // So does a funding application: no Kommune is preselected, and none given is refused.
    let p = crate::common::funding::programme(&app, "Digitale Kommune", "100.000,00").await;
    let choose = r#"<option value="">– bitte wählen –</option>"#;
    let form = both.get(app.url(&format!("/foerderung/antrag/neu?programm={p}"))).send().await.expect("form").text().await.expect("text");
    assert!(form.contains(choose) && form.contains(&md) && form.contains(&ha), "both Kommunen, none chosen");
    let form = magdeburg.get(app.url(&format!("/foerderung/antrag/neu?programm={p}"))).send().await.expect("form").text().await.expect("text");
    assert!(!form.contains(choose), "one Kommune: nothing to choose");
    let (status, _) = crate::common::funding::apply(&app, &both, p, "", "Vorhaben; 40.000,00", "10.000,00").await;
    assert_eq!(status, 422);

    // Both scopes work: a case and a register entry for each.
    let mut ids = Vec::new();
    for k in [MAGDEBURG, HALLE] {
        let res = file(&app, &both, Some(k)).await;
        assert_eq!(res.status(), 201, "{k}");
        ids.push(res.json::<Value>().await.expect("json")["id"].as_i64().expect("id"));
        let res = both.put(app.url(&format!("/api/v1/municipalities/{k}/services/10000"))).json(&planned(0)).send().await.expect("put");
        assert_eq!(res.status(), 200, "register of {k}");
    }
    let inbox: Value = both.get(app.url("/api/v1/cases")).send().await.expect("inbox").json().await.expect("json");
    assert_eq!(inbox["total"], 2, "both Kommunen's cases");
    // No third Kommune.
    assert_eq!(file(&app, &both, Some(DESSAU)).await.status(), 403);
    assert_eq!(both.put(app.url(&format!("/api/v1/municipalities/{DESSAU}/services/10000"))).json(&planned(0)).send().await.expect("put").status(), 403);

    // Nothing leaks between the two: each Kommune's own clerk sees its case only.
    for (c, own, other) in [(&magdeburg, ids[0], ids[1]), (&halle, ids[1], ids[0])] {
        assert_eq!(c.get(app.url(&format!("/api/v1/cases/{own}"))).send().await.expect("own").status(), 200);
        assert_eq!(c.get(app.url(&format!("/api/v1/cases/{other}"))).send().await.expect("other").status(), 403);
        let list: Value = c.get(app.url("/api/v1/cases")).send().await.expect("inbox").json().await.expect("json");
        assert_eq!(list["total"], 1);
    }
}

#[tokio::test]
async fn an_advisor_also_in_a_partner_organisation_keeps_the_lands_scope_and_shows_both() {
    let app = spawn_with(test_config(), false).await;
    app::catalogue::service::partners::save(&app.db, None, "AG-PARTNER", "Arbeitsgruppe Partner GmbH").await.expect("partner");
    let advisor = person(&app, "beide@test.example", Role::Advisor, &["LAND", "AG-PARTNER"]).await.expect("advisor in two");
    let land = name_of(&app, "LAND").await;
    let html = advisor.get(app.url("/")).send().await.expect("start").text().await.expect("text");
    for (what, text) in [("the start page", paragraph(&html, "Ihre Organisationen")), ("the header", paragraph(&html, "user-org"))] {
        assert!(text.contains(&land) && text.contains("Arbeitsgruppe Partner GmbH"), "{what} names both: {text}");
    }
    assert_eq!(advisor.get(app.url("/api/v1/cases")).send().await.expect("inbox").status(), 200, "the Land's scope");
    // The partner's own people gain nothing from it.
    let partner = person(&app, "partner@test.example", Role::Partner, &["AG-PARTNER"]).await.expect("partner");
    // It lists the cases shared with its organisation only: none here, not the Land's.
    let listed: serde_json::Value = partner.get(app.url("/api/v1/cases")).send().await.expect("inbox").json().await.expect("json");
    assert_eq!(listed["total"], 0, "{listed}");
    // The partner organisation comes beside the Land, never instead of it.
    let refused = person(&app, "nurpartner@test.example", Role::Advisor, &["AG-PARTNER"]).await;
    assert!(matches!(&refused, Err(app::error::AppError::Validation(e)) if e["org"][0].contains("Organisation des Landes")), "{refused:?}");
}
