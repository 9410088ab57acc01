//! Wissensportal articles to work with: written, reviewed and published by two advisors.

use crate::common::TestApp;
use crate::common::db::user_id;
use app::identity::Role;
use app::knowledge::service::store;

pub fn input(title: &str, body: &str, audience: &str, ozg: &[&str], fields: &[String]) -> store::ArticleInput {
    store::ArticleInput {
        title: title.into(),
        summary: format!("Kurz: {title}"),
        body: body.into(),
        category: "Umsetzung".into(),
        tags: "Test".into(),
        audience: app::knowledge::model::Audience::from_code(audience),
        ozg_ids: ozg.iter().map(|s| s.to_string()).collect(),
        themenfelder: fields.to_vec(),
        version: 0,
    }
}

/// Publishes an article written by `author` with a second advisor's review; returns its id.
pub async fn published(app: &TestApp, author: &str, reviewer: &str, i: store::ArticleInput) -> i64 {
    let now = app::core::time::now();
    let id = store::create(&app.db, author, i, None, now).await.expect("create");
    store::step(&app.db, &app.state.config, author, id, store::Step::Submit, None, now).await.expect("submit");
    store::step(&app.db, &app.state.config, reviewer, id, store::Step::Publish, Some(1), now).await.expect("publish");
    id
}

/// A public article, one for the Kommunen, and a draft (for the scope matrix).
pub async fn seed_articles(app: &TestApp) -> [i64; 3] {
    let a = user_id(app, &app.user(Role::Advisor, "LAND").await).await;
    let b = user_id(app, &app.user(Role::Advisor, "LAND").await).await;
    let public = published(app, &a, &b, input("Öffentlicher Artikel", "Text", "oeffentlich", &[], &[])).await;
    let kommunen = published(app, &a, &b, input("Artikel für Kommunen", "Text", "kommunen", &[], &[])).await;
    let draft = store::create(&app.db, &a, input("Entwurf", "Text", "oeffentlich", &[], &[]), None, app::core::time::now()).await.expect("draft");
    [public, kommunen, draft]
}
