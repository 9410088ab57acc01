//! Results of the Abfragen: the tally counts each submitted answer once and forgets a reopened
//! one, the Land reads every figure live with the rate per Kreis and kind, associations and the
//! public read suppressed aggregates only after the deadline (no free text, no count that tells
//! single answers), and neither two published surveys nor an association's members beside the
//! published results may differ by one or two Kommunen.

use crate::common::{TestApp, spawn_with, test_config};
use app::access::scope::Scope;
use app::error::AppError;
use app::identity::Role;
use app::surveys::model::*;
use app::surveys::results::{Audience, Summary, SurveyResults};
use app::surveys::service::{answers, build, publish, release, results, tally};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Statement};
use std::collections::BTreeMap;

async fn strings(app: &TestApp, sql: &str) -> Vec<String> {
    let rows = app.db.query_all_raw(Statement::from_string(app.db.get_database_backend(), sql.to_string())).await.expect(sql);
    rows.iter().map(|r| r.try_get_by_index::<String>(0).expect("text")).collect()
}

struct Survey {
    id: i64,
    section: i64,
    yes_no: i64,
    number: i64,
    text: i64,
    multiple: i64,
    options: Vec<String>,
}

/// A survey to every Einheitsgemeinde, open now: Ja/Nein, a number, a text, a multiple choice.
async fn survey(app: &TestApp, actor: &str, title: &str, now: DateTime<Utc>) -> Survey {
    survey_to(app, actor, title, "einheitsgemeinde", now).await
}

/// The same survey to Kommunen of the given kinds (comma-separated codes).
async fn survey_to(app: &TestApp, actor: &str, title: &str, kinds: &str, now: DateTime<Utc>) -> Survey {
    let today = now.date_naive();
    let form = SurveyForm {
        title: title.into(),
        description: String::new(),
        opens: today.format("%Y-%m-%d").to_string(),
        closes: (today + chrono::Duration::days(30)).format("%Y-%m-%d").to_string(),
        target: "arten".into(),
        value: kinds.into(),
        answering: String::new(),
        reminder_days: "0".into(),
        purpose: String::new(),
    };
    let id = build::create(&app.db, actor, form.try_into().expect("form"), now).await.expect("create");
    let section = build::add_section(&app.db, actor, id, SectionForm { title: "Teil".into(), intro: String::new() }.try_into().expect("section")).await.expect("section");
    let q = |kind: &str, text: &str| QuestionForm { section: section.to_string(), kind: kind.into(), text: text.into(), ..Default::default() };
    let add = |f: QuestionForm| async move { build::add_question(&app.db, actor, id, f.try_into().expect("question")).await.expect("add") };
    let yes_no = add(q("ja_nein", "Gibt es eine Strategie?")).await;
    let number = add(QuestionForm { min: "0".into(), max: "1000".into(), unit: "Stellen".into(), ..q("zahl", "Wie viele Stellen?") }).await;
    let text = add(q("kurztext", "Was fehlt?")).await;
    let multiple = add(QuestionForm { options: "Personal\nGeld\nTechnik".into(), ..q("mehrfach", "Was bremst?") }).await;
    let options = strings(app, &format!("SELECT CAST(id AS TEXT) FROM survey_option WHERE question_id = {multiple} ORDER BY position")).await;
    release::release(&app.db, actor, id, 1, now).await.expect("release");
    Survey { id, section, yes_no, number, text, multiple, options }
}

/// The Einheitsgemeinden the survey asks, by key, and a clerk's scope over all of them.
async fn kommunen(app: &TestApp, n: usize) -> (Vec<String>, app::core::session::CurrentUser, Scope) {
    let keys = strings(app, &format!("SELECT key FROM organisation WHERE kind = 'einheitsgemeinde' ORDER BY key LIMIT {n}")).await;
    let ids = strings(app, &format!("SELECT id FROM organisation WHERE kind = 'einheitsgemeinde' ORDER BY key LIMIT {n}")).await;
    let email = app.user(Role::Clerk, &keys[0]).await;
    let user = crate::common::db::current(app, &email).await;
    (keys, user, Scope::Municipal { org_ids: ids.into_iter().collect() })
}

async fn answer(app: &TestApp, s: &Survey, user: &app::core::session::CurrentUser, scope: &Scope, key: &str, yes: bool, number: &str, chosen: &[usize], now: DateTime<Utc>) {
    let mut form: BTreeMap<String, String> = BTreeMap::new();
    form.insert(format!("q{}", s.yes_no), if yes { "ja" } else { "nein" }.into());
    form.insert(format!("q{}", s.number), number.into());
    form.insert(format!("q{}", s.text), format!("Antwort von {key}"));
    for &c in chosen {
        form.insert(format!("q{}_o{}", s.multiple, s.options[c]), "on".into());
    }
    answers::save_section(&app.db, user, scope, s.id, key, s.section, 0, form, now).await.expect("save");
    answers::submit(&app.db, user, scope, s.id, key, 1, now).await.expect("submit");
}

fn question<'a>(r: &'a SurveyResults, id: i64) -> &'a app::surveys::results::QuestionResult {
    r.sections.iter().flat_map(|s| &s.questions).find(|q| q.id == id).expect("question")
}

fn counts(r: &SurveyResults, id: i64) -> Vec<Option<i64>> {
    match &question(r, id).summary {
        Summary::Counts { counts } => counts.iter().map(|c| c.n).collect(),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_land_reads_every_figure_live_and_the_tally_forgets_a_reopened_answer() {
    let app = spawn_with(test_config(), true).await;
    let actor = crate::common::db::current(&app, &app.user(Role::Advisor, "LAND").await).await.id;
    let now = app::core::time::now();
    let s = survey(&app, &actor, "Stand 2026", now).await;
    let (keys, user, scope) = kommunen(&app, 4).await;
    answer(&app, &s, &user, &scope, &keys[0], true, "10", &[0, 1], now).await;
    answer(&app, &s, &user, &scope, &keys[1], true, "20", &[0], now).await;
    answer(&app, &s, &user, &scope, &keys[2], false, "60", &[2], now).await;
    // A draft does not count.
    answers::save_section(&app.db, &user, &scope, s.id, &keys[3], s.section, 0, [(format!("q{}", s.yes_no), "ja".to_string())].into(), now).await.expect("draft");
    let r = results::land(&app.db, s.id, 3, now).await.expect("land");
    assert_eq!((r.audience, r.submitted, r.asked > 4), (Audience::Land, 3, true));
    assert_eq!(counts(&r, s.yes_no), [Some(2), Some(1)], "Ja 2, Nein 1: the Land sees small counts");
    assert_eq!(counts(&r, s.multiple), [Some(2), Some(1), Some(1)]);
    assert_eq!(question(&r, s.number).summary, Summary::Numbers { mean: Some(30.0), median: Some(20.0), min: Some(10.0), max: Some(60.0), unit: Some("Stellen".into()) });
    assert_eq!((question(&r, s.text).answered, &question(&r, s.text).summary), (3, &Summary::Answered));
    let kind = r.by_kind.iter().find(|k| k.label == "Einheitsgemeinden").expect("kind");
    assert_eq!(kind.submitted, 3);
    assert_eq!(r.by_kreis.iter().map(|k| k.submitted).sum::<i64>(), 3);
    assert_eq!(r.by_kreis.iter().map(|k| k.asked).sum::<i64>(), r.asked);
    // Reopened: the answer leaves the tally until it is submitted again.
    answers::reopen(&app.db, &user, &scope, s.id, &keys[2], now).await.expect("reopen");
    let r = results::land(&app.db, s.id, 3, now).await.expect("land");
    assert_eq!((r.submitted, counts(&r, s.yes_no)), (2, vec![Some(2), Some(0)]));
    // The kept tally equals a count of the stored answers.
    let sections = app::surveys::service::sections(&app.db, s.id).await.expect("sections");
    let ids = strings(&app, "SELECT id FROM organisation WHERE kind = 'einheitsgemeinde'").await;
    let (fresh, counted) = tally::of_kommunen(&app.db, s.id, &ids, &app::surveys::service::questions(&sections)).await.expect("recount");
    assert_eq!(counted.len(), 2);
    assert_eq!(tally::of_survey(&app.db, s.id).await.expect("kept"), fresh);
}

#[tokio::test]
async fn associations_and_the_public_read_suppressed_aggregates_only_after_the_deadline() {
    let app = spawn_with(test_config(), true).await;
    let actor = crate::common::db::current(&app, &app.user(Role::Advisor, "LAND").await).await.id;
    let now = app::core::time::now();
    let later = now + chrono::Duration::days(40);
    let s = survey(&app, &actor, "Stand 2026", now).await;
    let (keys, user, scope) = kommunen(&app, 8).await;
    // Eight answers: all Ja; numbers 10..80; »Personal« 6 times, »Geld« twice, »Technik« never.
    for (i, key) in keys.iter().enumerate() {
        let chosen: Vec<usize> = if i < 2 { vec![0, 1] } else if i < 6 { vec![0] } else { vec![] };
        answer(&app, &s, &user, &scope, key, true, &format!("{}", (i + 1) * 10), &chosen, now).await;
    }
    let sgsa = Scope::Association { org_keys: ["SGSA".to_string()].into() };
    let lkt = Scope::Association { org_keys: ["LKT".to_string()].into() };
    // While the survey runs the association waits; the public finds nothing.
    let r = results::read(&app.db, &sgsa, s.id, None, 3, now).await.expect("members");
    assert_eq!((r.audience, r.sections.len()), (Audience::Members, 0));
    assert!(r.withheld.as_deref().is_some_and(|w| w.contains("nach dem Ende der Frist")));
    assert!(matches!(results::read(&app.db, &Scope::Public, s.id, None, 3, now).await, Err(AppError::NotFound)));
    let e = publish::set(&app.db, &actor, s.id, true, 3, now).await.expect_err("still open");
    assert!(e.field_messages("publish")[0].contains("nach dem Ende der Frist"));
    // The Landkreistag's members (the Landkreise) were not asked: it reads nothing of it.
    assert!(matches!(results::read(&app.db, &lkt, s.id, None, 3, later).await, Err(AppError::NotFound)));

    // After the deadline: the members' aggregates, suppressed.
    let r = results::read(&app.db, &sgsa, s.id, None, 3, later).await.expect("members");
    assert_eq!((r.submitted, r.withheld.clone()), (8, None));
    assert_eq!(counts(&r, s.yes_no), [None, None], "all said Ja: a count would tell every answer");
    assert_eq!(counts(&r, s.multiple), [None, None, Some(0)], "6 of 8 leaves 2 without: hidden; 2 hidden; none shown as 0");
    match &question(&r, s.number).summary {
        Summary::Numbers { mean, median, min, max, .. } => assert_eq!((*mean, *median, *min, *max), (Some(45.0), Some(40.0), None, None), "no extremes"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(&question(&r, s.text).summary, Summary::Withheld { reason } if reason.contains("Freitext")));
    let json = serde_json::to_string(&r).expect("json");
    assert!(!json.contains("Antwort von"), "no free text reaches an association");

    // Published: the same suppression for everyone.
    publish::set(&app.db, &actor, s.id, true, 3, later).await.expect("publish");
    let r = results::read(&app.db, &Scope::Public, s.id, None, 3, later).await.expect("public");
    assert_eq!((r.audience, counts(&r, s.yes_no)), (Audience::Public, vec![None, None]));
    assert!(!serde_json::to_string(&r).expect("json").contains("Antwort von"));
    let list = results::list(&app.db, &Scope::Public, later).await.expect("list");
    assert_eq!(list.iter().map(|l| l.id).collect::<Vec<_>>(), [s.id]);
    assert_eq!(app.count("audit_log WHERE action = 'survey_published'").await, 1);
    publish::set(&app.db, &actor, s.id, false, 3, later).await.expect("withdraw");
    assert!(matches!(results::read(&app.db, &Scope::Public, s.id, None, 3, later).await, Err(AppError::NotFound)));
}

#[tokio::test]
async fn results_that_side_by_side_would_tell_one_kommunes_answer_are_not_shown() {
    let app = spawn_with(test_config(), true).await;
    let actor = crate::common::db::current(&app, &app.user(Role::Advisor, "LAND").await).await.id;
    let now = app::core::time::now();
    let later = now + chrono::Duration::days(40);
    // Two surveys asking the same questions at once; nine Kommunen answer the first, the same
    // nine and one more the second: their difference would be the tenth Kommune's answer.
    let first = survey(&app, &actor, "Erste Runde", now).await;
    let second = survey(&app, &actor, "Zweite Runde", now).await;
    let (keys, user, scope) = kommunen(&app, 10).await;
    for (i, key) in keys.iter().enumerate() {
        if i < 9 {
            answer(&app, &first, &user, &scope, key, i % 2 == 0, "10", &[0], now).await;
        }
        answer(&app, &second, &user, &scope, key, i % 2 == 0, "10", &[0], now).await;
    }
    // Either alone is safe; published at the same instant, one of them is refused (on every
    // database: the check of one sees the other).
    let (a, b) = tokio::join!(publish::set(&app.db, &actor, first.id, true, 3, later), publish::set(&app.db, &actor, second.id, true, 3, later));
    let (winner, loser, e) = match (a, b) {
        (Ok(()), Err(e)) => ("»Erste Runde«", second.id, e),
        (Err(e), Ok(())) => ("»Zweite Runde«", first.id, e),
        other => panic!("exactly one publication passes: {other:?}"),
    };
    assert!(e.field_messages("publish")[0].contains(winner), "{e:?}");
    assert_eq!(strings(&app, &format!("SELECT CASE WHEN published_at IS NULL THEN 'nein' ELSE 'ja' END FROM survey WHERE id = {loser}")).await, ["nein"], "nothing changed");
    // The association sees the published results beside its members' answers to the other
    // survey: withheld, with the reason.
    let sgsa = Scope::Association { org_keys: ["SGSA".to_string()].into() };
    let r = results::read(&app.db, &sgsa, loser, None, 3, later).await.expect("members");
    assert!(r.sections.is_empty());
    assert!(r.withheld.as_deref().is_some_and(|w| w.contains(winner)), "{:?}", r.withheld);
    // A survey answered by fewer than three Kommunen is never published.
    let third = survey(&app, &actor, "Dritte Runde", now).await;
    answer(&app, &third, &user, &scope, &keys[0], true, "10", &[0], now).await;
    let e = publish::set(&app.db, &actor, third.id, true, 3, later).await.expect_err("too few");
    assert!(e.field_messages("publish")[0].contains("Weniger als 3 Kommunen"));
}

#[tokio::test]
async fn an_associations_members_beside_the_published_results_may_not_differ_by_one_or_two_kommunen() {
    let app = spawn_with(test_config(), true).await;
    let actor = crate::common::db::current(&app, &app.user(Role::Advisor, "LAND").await).await.id;
    let now = app::core::time::now();
    let later = now + chrono::Duration::days(40);
    let (keys, user, scope) = kommunen(&app, 10).await;
    let sgsa = Scope::Association { org_keys: ["SGSA".to_string()].into() };
    // Ten Einheitsgemeinden and two Landkreise answer a published survey: beside it, the
    // Städte- und Gemeindebund's members' figures would give the two Landkreise' answers.
    let mixed = survey_to(&app, &actor, "Gemischte Runde", "einheitsgemeinde,landkreis", now).await;
    for key in &keys {
        answer(&app, &mixed, &user, &scope, key, true, "10", &[0], now).await;
    }
    let landkreise = strings(&app, "SELECT key FROM organisation WHERE kind = 'landkreis' ORDER BY key LIMIT 2").await;
    let lk_ids = strings(&app, "SELECT id FROM organisation WHERE kind = 'landkreis' ORDER BY key LIMIT 2").await;
    let lk_scope = Scope::Municipal { org_ids: lk_ids.into_iter().collect() };
    for key in &landkreise {
        answer(&app, &mixed, &user, &lk_scope, key, false, "20", &[1], now).await;
    }
    assert!(results::read(&app.db, &sgsa, mixed.id, None, 3, later).await.expect("members").withheld.is_none(), "not published: the members' figures stand alone");
    publish::set(&app.db, &actor, mixed.id, true, 3, later).await.expect("publish twelve");
    let r = results::read(&app.db, &sgsa, mixed.id, None, 3, later).await.expect("members");
    assert!(r.sections.is_empty() && r.withheld.as_deref().is_some_and(|w| w.contains("veröffentlichten Ergebnisse von »Gemischte Runde«")), "{:?}", r.withheld);
}

/// A survey that ran last month, answered by eight Einheitsgemeinden, its results published.
#[tokio::test]
async fn the_land_reads_one_kommunes_answer_by_key_or_name_and_cannot_change_it() {
    let app = spawn_with(test_config(), true).await;
    let advisor = crate::common::db::current(&app, &app.user(Role::Advisor, "LAND").await).await;
    let now = app::core::time::now();
    let s = survey(&app, &advisor.id, "Stand 2026", now).await;
    let (keys, user, scope) = kommunen(&app, 2).await;
    answer(&app, &s, &user, &scope, &keys[0], true, "12", &[1], now).await;
    let name = strings(&app, &format!("SELECT name FROM organisation WHERE key = '{}'", keys[0])).await.remove(0);
    for named in [keys[0].clone(), name.to_uppercase()] {
        let sheet = answers::sheet(&app.db, &Scope::Land, s.id, Some(&named), now).await.expect("the Land reads");
        assert!(sheet.readonly, "read only");
        assert_eq!((sheet.kommune.0.as_str(), sheet.state), (keys[0].as_str(), ResponseState::Submitted));
        assert_eq!(sheet.values.get(&format!("q{}", s.number)).map(String::as_str), Some("12"));
    }
    // A Kommune the survey does not ask, or none named: a German message.
    for named in [Some("Atlantis"), None] {
        let e = answers::sheet(&app.db, &Scope::Land, s.id, named, now).await.expect_err("not asked");
        assert!(e.field_messages("kommune")[0].contains("Kommune"), "{e:?}");
    }
    // Reading is all: the Land neither saves, submits nor reopens.
    let e = answers::save_section(&app.db, &advisor, &Scope::Land, s.id, &keys[1], s.section, 0, BTreeMap::new(), now).await.expect_err("no save");
    assert!(matches!(e, AppError::Forbidden), "{e:?}");
    assert!(matches!(answers::reopen(&app.db, &advisor, &Scope::Land, s.id, &keys[0], now).await, Err(AppError::Forbidden)));
    // The builder lists the answer changed last, to open it.
    let view = app::surveys::service::load(&app.db, s.id, now).await.expect("load");
    assert_eq!(view.latest.first().map(|l| (l.0.as_str(), l.2.as_str())), Some((keys[0].as_str(), "eingereicht")));
}

pub(crate) async fn published_survey(app: &TestApp) -> i64 {
    let actor = crate::common::db::current(app, &app.user(Role::Advisor, "LAND").await).await.id;
    let then = app::core::time::now() - chrono::Duration::days(45);
    let s = survey(app, &actor, "Vorjahr", then).await;
    let (keys, user, scope) = kommunen(app, 8).await;
    for (i, key) in keys.iter().enumerate() {
        answer(app, &s, &user, &scope, key, i % 2 == 0, &format!("{}", i * 3), &[i % 3], then).await;
    }
    publish::set(&app.db, &actor, s.id, true, 3, app::core::time::now()).await.expect("publish");
    s.id
}
