//! The Selbstcheck: open to every Kommune, each submit keeps the Kommune's weighted scores, the
//! profile compares with the latest results of at least the threshold of *other* Kommunen of
//! the same kind and size class, recommends what the weakest sections point to, keeps earlier
//! results, and is the Kommune's own.

use crate::common::{TestApp, spawn_with, test_config};
use app::access::scope::Scope;
use app::error::AppError;
use app::identity::Role;
use app::surveys::model::*;
use app::surveys::selfcheck::{SectionSettingsForm, SectionSettingsInput};
use app::surveys::service::{answers, build, notices, release, selfcheck};
use chrono::{DateTime, Utc};
use app::core::entities::{article, funding_programme};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set, Statement};
use std::collections::BTreeMap;

async fn strings(app: &TestApp, sql: &str) -> Vec<String> {
    let rows = app.db.query_all_raw(Statement::from_string(app.db.get_database_backend(), sql.to_string())).await.expect(sql);
    rows.iter().map(|r| r.try_get_by_index::<String>(0).expect("text")).collect()
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let row = app.db.query_one_raw(Statement::from_string(app.db.get_database_backend(), sql.to_string())).await.expect(sql).expect("row");
    row.try_get_by_index::<i64>(0).expect("number")
}

struct Check {
    id: i64,
    sections: [i64; 2],
    yes: i64,
    stage: i64,
    stage_options: Vec<String>,
    number: i64,
}

/// A Selbstcheck: »Steuerung« (weight 3: Ja/Nein, a choice of three) and »Leistungen« (weight
/// 1: a number from 0 to 10); the first section recommends an article and a programme.
async fn selfcheck_of(app: &TestApp, actor: &str, now: DateTime<Utc>) -> Check {
    let today = now.date_naive();
    let form = SurveyForm {
        title: "Selbstcheck Digitalisierung".into(),
        opens: today.format("%Y-%m-%d").to_string(),
        closes: (today + chrono::Duration::days(300)).format("%Y-%m-%d").to_string(),
        purpose: "selbstcheck".into(),
        ..Default::default()
    };
    let input: SurveyInput = form.try_into().expect("a Selbstcheck needs no selection");
    assert_eq!((input.target, input.answering, input.reminder_days), (Target::All, Answering::Members, 0), "open to every Kommune itself, reminding no one");
    let id = build::create(&app.db, actor, input, now).await.expect("create");
    let mut sections = [0; 2];
    for (n, title) in ["Steuerung", "Leistungen"].into_iter().enumerate() {
        sections[n] = build::add_section(&app.db, actor, id, SectionForm { title: title.into(), intro: String::new() }.try_into().expect("section")).await.expect("section");
    }
    let q = |section: i64, kind: &str, text: &str| QuestionForm { section: section.to_string(), kind: kind.into(), text: text.into(), ..Default::default() };
    let add = |f: QuestionForm| async move { build::add_question(&app.db, actor, id, f.try_into().expect("question")).await.expect("add") };
    let yes = add(q(sections[0], "ja_nein", "Gibt es eine Strategie?")).await;
    let stage = add(QuestionForm { options: "keine\nnebenbei\nfeste Stelle".into(), other: Some("on".into()), ..q(sections[0], "einfach", "Wer steuert?") }).await;
    let number = add(QuestionForm { min: "0".into(), max: "10".into(), ..q(sections[1], "zahl", "Wie viele Leistungen online?") }).await;
    add(q(sections[1], "langtext", "Was fehlt?")).await;
    let stage_options = strings(app, &format!("SELECT CAST(id AS TEXT) FROM survey_option WHERE question_id = {stage} ORDER BY position")).await;
    Check { id, sections, yes, stage, stage_options, number }
}

fn settings(weight: &str, articles: Vec<String>, programmes: Vec<String>) -> Result<SectionSettingsInput, AppError> {
    SectionSettingsForm { weight: weight.into(), articles, programmes }.try_into()
}

/// A clerk of the given Kommunen (keys) and its scope over them.
async fn clerk(app: &TestApp, keys: &[String]) -> (app::core::session::CurrentUser, Scope) {
    let list = keys.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(",");
    let ids = strings(app, &format!("SELECT id FROM organisation WHERE key IN ({list})")).await;
    let email = app.user(Role::Clerk, &keys[0]).await;
    (crate::common::db::current(app, &email).await, Scope::Municipal { org_ids: ids.into_iter().collect() })
}

/// A Kommune takes the Selbstcheck: Ja/Nein, the option at `place`, the number; submits.
async fn take(app: &TestApp, c: &Check, user: &app::core::session::CurrentUser, scope: &Scope, key: &str, yes: bool, place: usize, number: &str, now: DateTime<Utc>) {
    let version = answers::sheet(&app.db, scope, c.id, Some(key), now).await.expect("sheet").version;
    let first: BTreeMap<String, String> = [(format!("q{}", c.yes), if yes { "ja" } else { "nein" }.to_string()), (format!("q{}", c.stage), c.stage_options[place].clone())].into();
    answers::save_section(&app.db, user, scope, c.id, key, c.sections[0], version, first, now).await.expect("save");
    answers::save_section(&app.db, user, scope, c.id, key, c.sections[1], version + 1, [(format!("q{}", c.number), number.to_string())].into(), now).await.expect("save");
    let purpose = answers::submit(&app.db, user, scope, c.id, key, version + 2, now).await.expect("submit");
    assert_eq!(purpose, SurveyPurpose::SelfCheck);
}

#[tokio::test]
async fn a_selfcheck_scores_each_result_and_compares_only_with_enough_kommunen_of_its_kind_and_size() {
    let app = spawn_with(test_config(), true).await;
    let actor = crate::common::db::current(&app, &app.user(Role::Advisor, "LAND").await).await.id;
    let now = app::core::time::now();
    let c = selfcheck_of(&app, &actor, now).await;
    // What the sections recommend: a published article, a programme open today; weights 3 and 1.
    let published = |title: &str, status: app::vocabulary::knowledge::ArticleStatus| article::ActiveModel {
        title: Set(title.into()),
        summary: Set(String::new()),
        body: Set("Text".into()),
        category: Set("organisation".into()),
        tags: Set(String::new()),
        audience: Set(app::vocabulary::knowledge::Audience::default()),
        status: Set(status),
        version: Set(1),
        demo: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    published("Strategie schreiben", app::vocabulary::knowledge::ArticleStatus::Published).insert(&app.db).await.expect("article");
    published("Entwurf", app::vocabulary::knowledge::ArticleStatus::Draft).insert(&app.db).await.expect("draft article");
    let today = now.date_naive();
    funding_programme::ActiveModel {
        name: Set("Digitale Kommune".into()),
        description: Set(String::new()),
        budget_cents: Set(100_000_000),
        rate_percent: Set(80),
        max_cents: Set(5_000_000),
        opens_on: Set(today - chrono::Duration::days(10)),
        closes_on: Set(today + chrono::Duration::days(100)),
        committed_cents: Set(0),
        disbursed_cents: Set(0),
        active: Set(true),
        demo: Set(false),
        version: Set(1),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("programme");
    let article = strings(&app, "SELECT CAST(id AS TEXT) FROM article WHERE status = 'veroeffentlicht'").await;
    let draft = strings(&app, "SELECT CAST(id AS TEXT) FROM article WHERE status = 'entwurf'").await;
    let programme = strings(&app, "SELECT CAST(id AS TEXT) FROM funding_programme").await;
    // Bad settings are refused in German and change nothing.
    let e = settings("11", vec![], vec![]).expect_err("weight out of range");
    assert!(e.to_string().contains("0 bis 10") || format!("{e:?}").contains("0 bis 10"), "{e:?}");
    let e = selfcheck::set_section(&app.db, &actor, c.id, c.sections[0], settings("3", draft.clone(), vec![]).expect("form")).await.expect_err("a draft article");
    assert!(format!("{e:?}").contains("veröffentlichte Wissensartikel"), "{e:?}");
    assert_eq!(scalar(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM survey_section_link").await, 0);
    selfcheck::set_section(&app.db, &actor, c.id, c.sections[0], settings("3", article.clone(), programme.clone()).expect("form")).await.expect("weights");
    release::release(&app.db, &actor, c.id, 1, now).await.expect("release");
    let asked = |kind: &str| format!("SELECT CAST(COUNT(*) AS BIGINT) FROM survey_target t JOIN organisation o ON o.id = t.organisation_id WHERE t.survey_id = {} AND o.kind = '{kind}'", c.id);
    assert!(scalar(&app, &asked("verbandsgemeinde")).await > 0 && scalar(&app, &asked("mitgliedsgemeinde")).await > 0, "a Verbandsgemeinde and its members each take it for themselves");
    // No one is reminded of a Selbstcheck.
    let e = notices::remind_missing(&app.db, &app.state.config, &actor, c.id, now).await.expect_err("no reminder");
    assert!(matches!(e, AppError::Conflict(ref m) if m.contains("nicht erinnert")), "{e:?}");

    // Six Einheitsgemeinden of 5.000 to 20.000 inhabitants, and one larger one.
    let group = strings(&app, "SELECT key FROM organisation WHERE kind = 'einheitsgemeinde' AND population >= 5000 AND population < 20000 ORDER BY key LIMIT 6").await;
    let larger = strings(&app, "SELECT key FROM organisation WHERE kind = 'einheitsgemeinde' AND population >= 20000 ORDER BY key LIMIT 1").await;
    assert_eq!((group.len(), larger.len()), (6, 1));
    let mut all = group.clone();
    all.extend(larger.clone());
    let (user, scope) = clerk(&app, &all).await;
    let me = &group[0];
    // Ja (1), the middle option (0.5), 5 of 10 (0.5): Steuerung 75, Leistungen 50, total (3·75 + 50) / 4.
    take(&app, &c, &user, &scope, me, true, 1, "5", now).await;
    // The questionnaire is kept between requests; a question added after release shows at once.
    let before = answers::sheet(&app.db, &scope, c.id, Some(me), now).await.expect("sheet").total;
    build::add_question(&app.db, &actor, c.id, QuestionForm { section: c.sections[1].to_string(), kind: "ja_nein".into(), text: "Gibt es ein Bürgerportal?".into(), ..Default::default() }.try_into().expect("question")).await.expect("optional question");
    assert_eq!(answers::sheet(&app.db, &scope, c.id, Some(me), now).await.expect("sheet").total, before + 1);
    let p = selfcheck::profile(&app.db, &scope, c.id, Some(me), 3, now).await.expect("profile");
    assert_eq!(p.sections.iter().map(|s| (s.weight, s.score)).collect::<Vec<_>>(), [(3, Some(75)), (1, Some(50))]);
    assert_eq!(p.total, Some(69), "68.75 rounded");
    assert_eq!((p.peers, p.peers_total, p.sections[0].peers), (0, None, None), "no one to compare with");
    assert_eq!(p.advice.iter().map(|a| a.section.as_str()).collect::<Vec<_>>(), ["Leistungen", "Steuerung"], "the weakest first");
    let steering = &p.advice[1];
    assert_eq!((steering.articles.len(), steering.programmes.len()), (1, 1), "a published article and an open programme");
    assert!(p.advice[0].articles.is_empty() && p.advice[0].programmes.is_empty());

    // Two others of the group and the larger one: still fewer than three others of the group.
    take(&app, &c, &user, &scope, &group[1], false, 0, "0", now).await;
    take(&app, &c, &user, &scope, &group[2], true, 2, "10", now).await;
    take(&app, &c, &user, &scope, &larger[0], false, 0, "0", now).await;
    let p = selfcheck::profile(&app.db, &scope, c.id, Some(me), 3, now).await.expect("profile");
    assert_eq!((p.peers, p.peers_total, p.sections[0].peers, p.sections[1].peers), (2, None, None, None), "two others are too few");
    // A third: the group's mean appears (Steuerung 0, 100, 50 → 50; Leistungen 0, 100, 30 → 43).
    take(&app, &c, &user, &scope, &group[3], false, 2, "3", now).await;
    let p = selfcheck::profile(&app.db, &scope, c.id, Some(me), 3, now).await.expect("profile");
    assert_eq!((p.peers, p.sections[0].peers, p.sections[1].peers), (3, Some(50), Some(43)));
    assert_eq!(p.peers_total, Some(((0.0 + 100.0 + (3.0 * 50.0 + 30.0) / 4.0) / 3.0_f64).round() as i64));
    assert_eq!(p.size_class, app::vocabulary::surveys::SizeClass::Medium);

    // Taken again: the profile shows the new result and keeps the earlier one; the others'
    // comparison counts each Kommune once, with its latest result.
    answers::reopen(&app.db, &user, &scope, c.id, me, now).await.expect("reopen");
    take(&app, &c, &user, &scope, me, true, 2, "10", now).await;
    let p = selfcheck::profile(&app.db, &scope, c.id, Some(me), 3, now).await.expect("profile");
    assert_eq!((p.total, p.history.iter().map(|h| h.1).collect::<Vec<_>>()), (Some(100), vec![Some(69)]));
    assert!(p.advice.is_empty(), "nothing weak left");
    let other = selfcheck::profile(&app.db, &scope, c.id, Some(&group[1]), 3, now).await.expect("profile");
    assert_eq!(other.peers, 3, "the retaken result counts once");
    assert_eq!(scalar(&app, &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM selfcheck_take WHERE survey_id = {} AND latest", c.id)).await, 5);

    // The profile is the Kommune's own: another Kommune's clerk, the Land and associations get none.
    let (_, stranger_scope) = clerk(&app, &group[4..5]).await;
    let e = selfcheck::profile(&app.db, &stranger_scope, c.id, Some(me), 3, now).await.expect_err("another Kommune");
    assert!(matches!(e, AppError::NotFound), "{e:?}");
    for scope in [Scope::Land, Scope::Association { org_keys: Default::default() }, Scope::Public] {
        assert!(selfcheck::profile(&app.db, &scope, c.id, Some(me), 3, now).await.is_err());
    }
    // Copied for next year with its weights and recommendations.
    let copy = release::copy(&app.db, &actor, c.id, now).await.expect("copy");
    assert_eq!(scalar(&app, &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM survey_section_link l JOIN survey_section s ON s.id = l.section_id WHERE s.survey_id = {copy}")).await, 2);
    assert_eq!(scalar(&app, &format!("SELECT CAST(SUM(weight) AS BIGINT) FROM survey_section WHERE survey_id = {copy}")).await, 4);
    assert_eq!(strings(&app, &format!("SELECT purpose FROM survey WHERE id = {copy}")).await, ["selbstcheck"]);
}

#[tokio::test]
async fn an_abfrage_has_no_profile_and_no_weights() {
    let app = spawn_with(test_config(), true).await;
    let actor = crate::common::db::current(&app, &app.user(Role::Advisor, "LAND").await).await.id;
    let now = app::core::time::now();
    let today = now.date_naive();
    let form = SurveyForm { title: "Abfrage".into(), opens: today.format("%Y-%m-%d").to_string(), closes: (today + chrono::Duration::days(3)).format("%Y-%m-%d").to_string(), target: "alle".into(), ..Default::default() };
    let id = build::create(&app.db, &actor, form.try_into().expect("form"), now).await.expect("create");
    let section = build::add_section(&app.db, &actor, id, SectionForm { title: "Teil".into(), intro: String::new() }.try_into().expect("section")).await.expect("section");
    let e = selfcheck::set_section(&app.db, &actor, id, section, settings("2", vec![], vec![]).expect("form")).await.expect_err("not a Selbstcheck");
    assert!(format!("{e:?}").contains("nur bei einem Selbstcheck"), "{e:?}");
    // A section of another survey is not this survey's.
    let check = selfcheck_of(&app, &actor, now).await;
    let e = selfcheck::set_section(&app.db, &actor, check.id, section, settings("2", vec![], vec![]).expect("form")).await.expect_err("foreign section");
    assert!(matches!(e, AppError::NotFound), "{e:?}");
    build::add_question(&app.db, &actor, id, QuestionForm { section: section.to_string(), kind: "ja_nein".into(), text: "Gibt es eine Strategie?".into(), ..Default::default() }.try_into().expect("question")).await.expect("add");
    release::release(&app.db, &actor, id, 1, now).await.expect("release");
    let key = "15003000".to_string();
    let (_, scope) = clerk(&app, std::slice::from_ref(&key)).await;
    assert!(matches!(selfcheck::profile(&app.db, &scope, id, Some(&key), 3, now).await, Err(AppError::NotFound)));
    let bad: Result<SurveyInput, _> = SurveyForm { purpose: "umfrage".into(), ..Default::default() }.try_into();
    assert!(format!("{:?}", bad.expect_err("unknown purpose")).contains("zwischen Abfrage und Selbstcheck"));
}
