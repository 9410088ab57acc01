//! The Kommune rates the help on its solved case: once solved, 1–5 with a comment, changeable
//! until closed; no other Kommune nor the Land rates it; the Land reads the figures per team,
//! category and month, and the Lagebild the Land's average.

use crate::common::cases::{HALLE, MAGDEBURG, case_json, file};
use crate::common::db::current;
use crate::common::{TestApp, spawn};
use app::access::scope::Scope;
use app::cases::model::{CasePatch, CaseStatus};
use app::cases::service::{self as cases, workflow};
use app::core::session::CurrentUser;
use app::identity::Role;
use serde_json::Value;

async fn set_status(app: &TestApp, who: &CurrentUser, id: i64, to: CaseStatus) {
    let scope = Scope::of(Some(who));
    let actor = workflow::Actor::new(who, &scope, &app.state.config);
    let version = cases::load(&app.db, id).await.expect("case").version;
    workflow::patch(&app.db, &actor, id, &CasePatch { version, status: Some(to), ..Default::default() }).await.expect("transition");
}

async fn solve(app: &TestApp, advisor: &CurrentUser, id: i64) {
    for s in [CaseStatus::Triage, CaseStatus::InProgress, CaseStatus::Solved] {
        set_status(app, advisor, id, s).await;
    }
}

async fn rate(app: &TestApp, c: &reqwest::Client, id: i64, stars: &str, comment: &str) -> reqwest::Response {
    app.server_fn(c, "rate_case", &[("id", &id.to_string()), ("sterne", stars), ("kommentar", comment)]).await
}

/// The rating's section of a case page.
fn section(html: &str) -> &str {
    let start = html.find("bewertung-title").unwrap_or(html.len());
    let end = html[start..].find("</section>").map_or(html.len(), |e| start + e);
    &html[start..end]
}

async fn page(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let res = c.get(app.url(path)).send().await.expect("request");
    (res.status().as_u16(), res.text().await.expect("text"))
}

#[tokio::test]
async fn the_kommune_rates_its_solved_case_and_only_the_land_reads_the_figures() {
    let app = spawn().await;
    let (clerk, clerk_email) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (other, _) = app.signed_in(Role::Clerk, HALLE).await;
    let (adv, advisor_email) = app.signed_in(Role::Advisor, "LAND").await;
    let (sgsa, _) = app.signed_in(Role::Association, "SGSA").await;
    let advisor = current(&app, &advisor_email).await;
    let rater = current(&app, &clerk_email).await;
    let id = file(&app, &clerk, "Bewertete Hilfe", "x").await;

    // Before the solution: refused in German, nothing stored.
    let res = rate(&app, &clerk, id, "4", "").await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.expect("text").contains("sobald der Fall gelöst ist"));
    solve(&app, &advisor, id).await;
    let res = rate(&app, &clerk, id, "6", "zu gut").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("text").contains("Bewertung von 1 (nicht hilfreich) bis 5"));
    assert_eq!(app.count("case_rating").await, 0);
    // Nobody but the case's Kommune rates it.
    assert_eq!(rate(&app, &other, id, "1", "").await.status(), 403, "another Kommune");
    assert_eq!(rate(&app, &adv, id, "5", "").await.status(), 403, "the Land");
    assert_eq!(rate(&app, &sgsa, id, "5", "").await.status(), 403, "an association");
    assert_eq!(app.count("case_rating").await, 0);

    // Rated, then changed while solved: one rating.
    assert_eq!(rate(&app, &clerk, id, "2", "Zu langsam").await.status(), 200);
    assert_eq!(rate(&app, &clerk, id, "4", "Am Ende gut gelöst").await.status(), 200);
    assert_eq!(app.count("case_rating").await, 1);
    let (_, html) = page(&app, &clerk, &format!("/faelle/{id}")).await;
    assert!(html.contains("Ihre Bewertung: </strong>4 von 5 (hilfreich)") && html.contains("Am Ende gut gelöst"), "the Kommune sees its rating");
    assert!(!section(&html).contains(&rater.name), "without the rater's name");
    assert_eq!(case_json(&app, &clerk, id).await["rating"]["rated_by"], Value::Null);
    // The Land sees who rated; the history notes it for the Land only.
    let (_, html) = page(&app, &adv, &format!("/faelle/{id}")).await;
    assert!(section(&html).contains("Bewertung: </strong>4 von 5 (hilfreich)") && section(&html).contains(&format!("von {}", rater.name)), "{}", section(&html));
    assert!(html.contains("Bewertung der Kommune geändert: 4 von 5"));
    let (status, _) = page(&app, &other, &format!("/faelle/{id}")).await;
    assert_eq!(status, 403, "another Kommune does not read the case");

    // The Land's figures: per team, category and month.
    let res = app.server_fn(&adv, "case_ratings_page", &[]).await;
    assert_eq!(res.status(), 200);
    let s: Value = res.json().await.expect("json");
    assert_eq!((s["total"]["count"].as_i64(), s["total"]["average"].as_f64()), (Some(1), Some(4.0)));
    assert_eq!(s["categories"][0]["label"], "Technik/Anbindung");
    assert_eq!(s["teams"][0]["label"], "ohne Team");
    assert_eq!(s["months"].as_array().map(Vec::len), Some(1));
    assert_eq!(s["newest"][0]["case_id"], id);
    let (status, html) = page(&app, &adv, "/faelle/bewertungen").await;
    assert_eq!(status, 200);
    assert!(html.contains("1 Bewertung in den letzten zwölf Monaten, im Durchschnitt 4,0 von 5."), "the page");
    for c in [&clerk, &sgsa] {
        assert_eq!(app.server_fn(c, "case_ratings_page", &[]).await.status(), 403);
        assert_eq!(page(&app, c, "/faelle/bewertungen").await.0, 403);
    }

    // Closed: the rating stands.
    assert_eq!(app.server_fn(&clerk, "confirm_case", &[("id", &id.to_string())]).await.status(), 200);
    let res = rate(&app, &clerk, id, "5", "").await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.expect("text").contains("kann nicht mehr geändert werden"));
    // A case closed before anyone rated it is rated once.
    let late = file(&app, &clerk, "Spät bewertet", "x").await;
    solve(&app, &advisor, late).await;
    assert_eq!(app.server_fn(&clerk, "confirm_case", &[("id", &late.to_string())]).await.status(), 200);
    assert_eq!(rate(&app, &clerk, late, "5", "").await.status(), 200);
    assert_eq!(rate(&app, &clerk, late, "3", "").await.status(), 409);
    // Closed without a solution (as a duplicate is): nothing to rate.
    let dropped = file(&app, &clerk, "Doppelt", "x").await;
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    let mut am = cases::load(&app.db, dropped).await.expect("case").into_active_model();
    am.status = Set(CaseStatus::Closed.code().into());
    am.closed_at = Set(Some(app::core::time::now()));
    am.update(&app.db).await.expect("closed");
    assert_eq!(rate(&app, &clerk, dropped, "3", "").await.status(), 409);

    // The Lagebild shows the Land's average to the Land; the public only once enough Kommunen rated.
    app::lagebild::service::case_stats::refresh(&app.db, 3, app::core::time::now(), true).await.expect("case stats");
    let names = std::collections::HashMap::new();
    let land = app::lagebild::service::case_stats::view(&app.db, "15", true, false, &names).await.expect("view").expect("figures");
    let r = land.rating.expect("the Land's average");
    assert_eq!((r.ratings, r.average), (2, 4.5));
    let public = app::lagebild::service::case_stats::view(&app.db, "15", false, false, &names).await.expect("view").expect("figures");
    assert_eq!(public.rating, None, "one Kommune rated: below the threshold of 3");
    let kreis = app::lagebild::service::case_stats::view(&app.db, "15003", true, false, &names).await.expect("view");
    assert!(kreis.is_none_or(|k| k.rating.is_none()), "the Land's page only");
}
