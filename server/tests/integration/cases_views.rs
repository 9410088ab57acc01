//! An advisor's own saved inbox views: saved, applied, renamed and deleted; personal to their
//! owner; and still readable once the team or category they filter by is gone.

use crate::common::cases::{MAGDEBURG, file};
use crate::common::{TestApp, spawn};
use app::core::entities::{case_category, case_team, saved_view};
use app::identity::Role;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

async fn views_of(app: &TestApp, email: &str) -> Vec<saved_view::Model> {
    let user = app::core::entities::app_user::Entity::find()
        .filter(app::core::entities::app_user::Column::Email.eq(email))
        .one(&app.db)
        .await
        .expect("query")
        .expect("user");
    saved_view::Entity::find().filter(saved_view::Column::UserId.eq(user.id)).all(&app.db).await.expect("views")
}

async fn inbox(app: &TestApp, c: &reqwest::Client, filter: &[(&str, &str)]) -> Value {
    let res = app.server_fn(c, "inbox_page", filter).await;
    assert_eq!(res.status(), 200);
    res.json().await.expect("json")
}

#[tokio::test]
async fn an_advisors_views_are_saved_applied_renamed_and_deleted_and_no_one_elses() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (a, a_email) = app.signed_in(Role::Advisor, "LAND").await;
    let (b, b_email) = app.signed_in(Role::Advisor, "LAND").await;
    let technik = file(&app, &clerk, "Schnittstelle zum Fachverfahren", "x").await;
    let res = clerk.post(app.url("/api/v1/cases")).json(&json!({ "subject": "Frage zur Satzung", "category": "recht", "description": "x" })).send().await.expect("request");
    assert_eq!(res.status(), 201);

    // Saved: only the inbox's own parameters are kept, the page number is not.
    let res = app.server_fn(&a, "save_view", &[("name", " Technik offen "), ("query", "ansicht=open&kategorie=technik&fremd=1&seite=2")]).await;
    assert_eq!(res.status(), 200);
    let mine = views_of(&app, &a_email).await;
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].name.as_str(), mine[0].query.as_str()), ("Technik offen", "ansicht=open&kategorie=technik"));
    let id = mine[0].id.clone();

    // Applied: the page lists the view among the tabs, and its filter finds the one case.
    let page = a.get(app.url("/faelle")).send().await.expect("request").text().await.expect("text");
    assert!(page.contains(r#"href="/faelle?ansicht=open&amp;kategorie=technik""#) && page.contains("Technik offen"), "the view is offered");
    let found = inbox(&app, &a, &[("ansicht", "open"), ("kategorie", "technik")]).await;
    assert_eq!(found["page"]["total"], 1);
    assert_eq!(found["page"]["cases"][0]["id"], technik);
    assert_eq!(found["saved_views"][0][1], "Technik offen");

    // Another advisor neither sees, renames nor deletes it.
    assert_eq!(inbox(&app, &b, &[]).await["saved_views"], json!([]));
    let page = b.get(app.url("/faelle")).send().await.expect("request").text().await.expect("text");
    assert!(!page.contains("Technik offen"));
    assert_eq!(app.server_fn(&b, "rename_view", &[("id", &id), ("name", "Gekapert")]).await.status(), 404);
    assert_eq!(app.server_fn(&b, "delete_view", &[("id", &id)]).await.status(), 404);
    assert!(views_of(&app, &b_email).await.is_empty());
    assert_eq!(views_of(&app, &a_email).await[0].name, "Technik offen");

    // Renamed: an empty name is refused in German and changes nothing.
    let res = app.server_fn(&a, "rename_view", &[("id", &id), ("name", "  ")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("text").contains("Bitte geben Sie der Ansicht einen Namen"));
    assert_eq!(views_of(&app, &a_email).await[0].name, "Technik offen");
    assert_eq!(app.server_fn(&a, "rename_view", &[("id", &id), ("name", "Anbindung")]).await.status(), 200);
    assert_eq!(views_of(&app, &a_email).await[0].name, "Anbindung");

    // Deleted.
    assert_eq!(app.server_fn(&a, "delete_view", &[("id", &id)]).await.status(), 200);
    assert!(views_of(&app, &a_email).await.is_empty());
    assert_eq!(app.server_fn(&a, "delete_view", &[("id", &id)]).await.status(), 404);
}

#[tokio::test]
async fn a_view_whose_team_or_category_is_gone_opens_with_a_german_note() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (a, a_email) = app.signed_in(Role::Advisor, "LAND").await;
    let case = file(&app, &clerk, "Schnittstelle", "x").await;
    case_team::ActiveModel { id: Set("team-weg".into()), name: Set("Team Weg".into()), lead_user_id: Set(None), active: Set(true) }.insert(&app.db).await.expect("team");
    case_category::ActiveModel { id: Set("kat-weg".into()), code: Set("weg".into()), label: Set("Entfällt".into()), position: Set(99), active: Set(true) }
        .insert(&app.db)
        .await
        .expect("category");
    for (name, query) in [("Team Weg", "team=team-weg"), ("Kategorie Weg", "kategorie=weg&status=new")] {
        assert_eq!(app.server_fn(&a, "save_view", &[("name", name), ("query", query)]).await.status(), 200);
    }
    assert_eq!(inbox(&app, &a, &[("team", "team-weg")]).await["notes"], json!([]), "while the team exists, nothing is noted");
    case_team::Entity::delete_by_id("team-weg").exec(&app.db).await.expect("team deleted");
    case_category::Entity::delete_by_id("kat-weg").exec(&app.db).await.expect("category deleted");
    assert_eq!(views_of(&app, &a_email).await.len(), 2, "the views outlive them");

    // The page opens (no error page) and says what was left out; the rest of the filter holds.
    for (query, note) in [
        ("team=team-weg", "Das Team dieser Ansicht gibt es nicht mehr"),
        ("kategorie=weg&status=new", "Die Kategorie »weg« dieser Ansicht gibt es nicht mehr"),
    ] {
        let res = a.get(app.url(&format!("/faelle?{query}"))).send().await.expect("request");
        assert_eq!(res.status(), 200, "{query}");
        let html = res.text().await.expect("text");
        assert!(html.contains(note), "{query}: {note}");
        assert!(html.contains(&format!(r#"href="/faelle/{case}""#)), "{query}: the other filters still list the case");
    }
    let found = inbox(&app, &a, &[("kategorie", "weg"), ("status", "closed")]).await;
    assert_eq!(found["page"]["total"], 0, "the status filter still applies");
    assert_eq!(found["notes"].as_array().map(Vec::len), Some(1));
}
