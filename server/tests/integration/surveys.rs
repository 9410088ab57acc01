//! Abfragen: an advisor builds a survey of every question kind, bad questions are refused in
//! German and change nothing, a released survey keeps its questions, a Verbandsgemeinde answers
//! for its members or each member itself, and a copy repeats a survey a year later.

use crate::common::{TestApp, spawn_with, test_config};
use app::error::AppError;
use app::identity::Role;
use app::surveys::model::*;
use app::surveys::service::{self, build, release};
use sea_orm::{ConnectionTrait, Statement};

async fn advisor(app: &TestApp) -> String {
    let email = app.user(Role::Advisor, "LAND").await;
    crate::common::db::current(app, &email).await.id
}

async fn strings(app: &TestApp, sql: &str) -> Vec<String> {
    let rows = app.db.query_all_raw(Statement::from_string(app.db.get_database_backend(), sql.to_string())).await.expect(sql);
    rows.iter().map(|r| r.try_get_by_index::<String>(0).expect("text")).collect()
}

fn survey_form(title: &str, target: &str, value: &str, answering: &str) -> SurveyForm {
    let today = chrono::Utc::now().date_naive();
    SurveyForm {
        title: title.into(),
        description: "Bitte bis zur Frist beantworten.".into(),
        opens: today.format("%Y-%m-%d").to_string(),
        closes: (today + chrono::Duration::days(30)).format("%d.%m.%Y").to_string(),
        target: target.into(),
        value: value.into(),
        answering: answering.into(),
        reminder_days: String::new(),
        purpose: String::new(),
    }
}

fn question(section: i64, kind: &str, text: &str) -> QuestionForm {
    QuestionForm { section: section.to_string(), kind: kind.into(), text: text.into(), ..Default::default() }
}

async fn add(app: &TestApp, actor: &str, survey: i64, f: QuestionForm) -> Result<i64, AppError> {
    build::add_question(&app.db, actor, survey, f.try_into()?).await
}

fn field_of(e: &AppError) -> Vec<String> {
    match e {
        AppError::Validation(map) => map.keys().cloned().collect(),
        other => vec![format!("{other:?}")],
    }
}

#[tokio::test]
async fn an_advisor_builds_a_survey_of_every_question_kind_and_reads_it_back() {
    let app = spawn_with(test_config(), true).await;
    let actor = advisor(&app).await;
    let now = app::core::time::now();
    let ozg = strings(&app, "SELECT ozg_id FROM ozg_service ORDER BY ozg_id LIMIT 2").await;
    let id = build::create(&app.db, &actor, survey_form("Stand der Digitalisierung 2026", "alle", "", "").try_into().expect("form"), now).await.expect("create");
    let first = build::add_section(&app.db, &actor, id, SectionForm { title: "Allgemeines".into(), intro: String::new() }.try_into().expect("section")).await.expect("section");
    let second = build::add_section(&app.db, &actor, id, SectionForm { title: "Leistungen".into(), intro: "Je OZG-Leistung".into() }.try_into().expect("section")).await.expect("section");
    let yes_no = add(&app, &actor, id, QuestionForm { required: Some("on".into()), ..question(first, "ja_nein", "Gibt es eine Digitalisierungsstrategie?") }).await.expect("yes/no");
    let single = add(&app, &actor, id, QuestionForm { options: "Bürgermeister\nHauptamt\n\nIT-Abteilung".into(), other: Some("on".into()), ..question(first, "einfach", "Wer verantwortet die Digitalisierung?") }).await.expect("single");
    add(&app, &actor, id, QuestionForm { options: "Personal\nGeld\nWissen".into(), ..question(first, "mehrfach", "Was fehlt Ihnen?") }).await.expect("multiple");
    add(&app, &actor, id, QuestionForm { unit: "Vollzeitstellen".into(), min: "0".into(), max: "1.000,5".into(), ..question(first, "zahl", "Wie viele Stellen hat die IT?") }).await.expect("number");
    add(&app, &actor, id, question(first, "datum", "Seit wann gibt es die Strategie?")).await.expect("date");
    add(&app, &actor, id, QuestionForm { condition_question: yes_no.to_string(), condition_value: "ja".into(), ..question(first, "kurztext", "Wie heißt die Strategie?") }).await.expect("short, shown after yes");
    add(&app, &actor, id, question(first, "langtext", "Was wünschen Sie sich vom Land?")).await.expect("long");
    add(&app, &actor, id, question(first, "datei", "Ihre Strategie als Datei")).await.expect("file");
    add(&app, &actor, id, QuestionForm { cell_kind: "ja_nein".into(), rows: ozg.join(", ").to_lowercase(), ..question(second, "matrix", "Nachnutzung geplant?") }).await.expect("matrix");
    add(&app, &actor, id, QuestionForm { binding: "stand".into(), binding_ozg_id: ozg[0].clone(), ..question(second, "einfach", "Wie weit ist die Leistung?") }).await.expect("bound to the register");

    let v = service::load(&app.db, id, now).await.expect("load");
    assert_eq!(v.phase, SurveyPhase::Draft);
    assert_eq!(v.sections.len(), 2);
    let kinds: Vec<QuestionKind> = v.sections.iter().flat_map(|s| s.questions.iter().map(|q| q.kind)).collect();
    assert_eq!(kinds.len(), 10);
    assert_eq!(kinds.iter().collect::<std::collections::BTreeSet<_>>().len(), 9, "every kind of question");
    let q = |text: &str| v.sections.iter().flat_map(|s| &s.questions).find(|q| q.text.starts_with(text)).cloned().expect(text);
    let who = q("Wer verantwortet");
    assert_eq!(who.id, single);
    assert_eq!(who.options.iter().map(|o| o.1.as_str()).collect::<Vec<_>>(), ["Bürgermeister", "Hauptamt", "IT-Abteilung", "Sonstiges"]);
    assert!(who.options[3].2, "»Sonstiges« asks for a text");
    let number = q("Wie viele Stellen");
    assert_eq!((number.unit.as_deref(), number.min, number.max), (Some("Vollzeitstellen"), Some(0.0), Some(1000.5)));
    assert_eq!(q("Wie heißt").condition.as_deref(), Some("nur nach »Ja« bei »Gibt es eine Digitalisierungsstrategie?«"));
    let matrix = q("Nachnutzung");
    assert_eq!(matrix.cell_kind, Some(QuestionKind::YesNo));
    assert_eq!(matrix.rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(), ozg);
    let bound = q("Wie weit");
    assert_eq!(bound.binding.as_ref().map(|b| b.0), Some(Binding::Stage));
    assert_eq!(bound.options.len(), app::register::model::Stage::ALL.len(), "the register's stages are the options");
    assert!(q("Gibt es").required && !q("Was fehlt").required);
    assert_eq!(app.count("audit_log WHERE action = 'survey_question_added'").await, 10);
}

#[tokio::test]
async fn bad_questions_get_german_errors_and_change_nothing() {
    let app = spawn_with(test_config(), true).await;
    let actor = advisor(&app).await;
    let now = app::core::time::now();
    let bad_survey: Result<SurveyInput, _> = SurveyForm { title: "X".into(), opens: "morgen".into(), closes: "01.01.2020".into(), target: "niemand".into(), ..Default::default() }.try_into();
    let e = bad_survey.expect_err("refused");
    assert_eq!(field_of(&e), ["opens", "target", "title"]);
    assert!(e.field_messages("title")[0].contains("3 bis 200 Zeichen"));
    let closes_first: Result<SurveyInput, _> = SurveyForm { closes: "2026-01-01".into(), opens: "2026-02-01".into(), ..survey_form("Abfrage", "alle", "", "") }.try_into();
    assert_eq!(closes_first.expect_err("refused").field_messages("closes"), ["Die Frist liegt nicht vor dem Beginn."]);

    let id = build::create(&app.db, &actor, survey_form("Abfrage", "alle", "", "").try_into().expect("form"), now).await.expect("create");
    let other = build::create(&app.db, &actor, survey_form("Andere Abfrage", "alle", "", "").try_into().expect("form"), now).await.expect("create");
    let sec = build::add_section(&app.db, &actor, id, SectionForm { title: "Teil 1".into(), intro: String::new() }.try_into().expect("section")).await.expect("section");
    let foreign = build::add_section(&app.db, &actor, other, SectionForm { title: "Teil 1".into(), intro: String::new() }.try_into().expect("section")).await.expect("section");
    let long = add(&app, &actor, id, question(sec, "langtext", "Was noch?")).await.expect("long");
    let before = app.count("survey_question").await;
    for (form, field, words) in [
        (question(sec, "raten", "Eine Frage?"), "kind", "Art der Frage"),
        (question(sec, "ja_nein", "?"), "text", "3 bis 500 Zeichen"),
        (QuestionForm { options: "Nur eine".into(), ..question(sec, "einfach", "Welche?") }, "options", "2 bis 50"),
        (QuestionForm { options: "A\na".into(), ..question(sec, "mehrfach", "Welche?") }, "options", "nur einmal"),
        (QuestionForm { min: "10".into(), max: "1".into(), ..question(sec, "zahl", "Wie viele?") }, "max", "nicht unter dem kleinsten"),
        (QuestionForm { min: "zehn".into(), ..question(sec, "zahl", "Wie viele?") }, "min", "eine Zahl"),
        (QuestionForm { cell_kind: "datei".into(), rows: "99999".into(), ..question(sec, "matrix", "Je Leistung?") }, "cell_kind", "keine Datei"),
        (QuestionForm { cell_kind: "ja_nein".into(), ..question(sec, "matrix", "Je Leistung?") }, "rows", "1 bis 100"),
        (QuestionForm { cell_kind: "ja_nein".into(), rows: "XYZ99".into(), ..question(sec, "matrix", "Je Leistung?") }, "rows", "XYZ99 steht nicht im Katalog"),
        (QuestionForm { binding: "stand".into(), ..question(sec, "ja_nein", "Wie weit?") }, "binding", "Einfachauswahl"),
        (question(foreign, "ja_nein", "Falscher Abschnitt?"), "section", "Abschnitt dieser Abfrage"),
        (QuestionForm { condition_question: long.to_string(), condition_value: "ja".into(), ..question(sec, "ja_nein", "Danach?") }, "condition_question", "Ja/Nein-Frage oder eine Auswahl"),
        (QuestionForm { condition_question: "999999".into(), condition_value: "ja".into(), ..question(sec, "ja_nein", "Danach?") }, "condition_question", "frühere Frage"),
        (QuestionForm { condition_question: long.to_string(), ..question(sec, "ja_nein", "Danach?") }, "condition_value", "Antwort"),
    ] {
        let e = add(&app, &actor, id, form.clone()).await.expect_err(&form.text);
        let messages = e.field_messages(field);
        assert!(messages.iter().any(|m| m.contains(words)), "{field}: {messages:?} ({e:?})");
    }
    assert_eq!(app.count("survey_question").await, before, "nothing was stored");
    let yes_no = add(&app, &actor, id, question(sec, "ja_nein", "Ja oder nein?")).await.expect("yes/no");
    let e = add(&app, &actor, id, QuestionForm { condition_question: yes_no.to_string(), condition_value: "vielleicht".into(), ..question(sec, "kurztext", "Warum?") }).await.expect_err("no such answer");
    assert_eq!(e.field_messages("condition_value"), ["Diese Antwort gibt es bei der gewählten Frage nicht."]);
}

#[tokio::test]
async fn a_released_survey_keeps_its_questions_and_whom_it_asks() {
    let app = spawn_with(test_config(), true).await;
    let actor = advisor(&app).await;
    let now = app::core::time::now();
    let kreis = strings(&app, "SELECT key FROM organisation WHERE kind = 'landkreis' ORDER BY key LIMIT 1").await.remove(0);
    let input: SurveyInput = survey_form("Kreisabfrage", "kreise", &kreis, "mitglieder").try_into().expect("form");
    let id = build::create(&app.db, &actor, input.clone(), now).await.expect("create");
    let e = release::release(&app.db, &actor, id, 1, now).await.expect_err("no questions yet");
    assert!(e.field_messages("release")[0].contains("ohne Fragen"));
    let sec = build::add_section(&app.db, &actor, id, SectionForm { title: "Teil 1".into(), intro: String::new() }.try_into().expect("section")).await.expect("section");
    let q = add(&app, &actor, id, QuestionForm { required: Some("on".into()), ..question(sec, "ja_nein", "Nutzen Sie das Bürgerkonto?") }).await.expect("question");
    // A change based on an old version is refused and changes nothing.
    build::update(&app.db, &actor, id, 1, SurveyInput { title: "Kreisabfrage 2026".into(), ..input.clone() }, now).await.expect("update");
    let e = build::update(&app.db, &actor, id, 1, SurveyInput { title: "Überschrieben".into(), ..input.clone() }, now).await.expect_err("stale");
    assert!(matches!(e, AppError::Conflict(_)));
    assert!(matches!(release::release(&app.db, &actor, id, 1, now).await, Err(AppError::Conflict(_))), "a release based on an old version");
    let asked = release::release(&app.db, &actor, id, 2, now).await.expect("release");
    let members = app.count(&format!("organisation WHERE kreis_key = '{kreis}' AND active = true AND kind IN ('landkreis', 'kreisfreie_stadt', 'einheitsgemeinde', 'mitgliedsgemeinde')")).await;
    assert_eq!(asked as i64, members, "each member answers itself; the Verbandsgemeinden are not asked");
    assert_eq!(app.count(&format!("survey_target WHERE survey_id = {id}")).await, members);
    let v = service::load(&app.db, id, now).await.expect("load");
    assert_eq!((v.phase, v.title.as_str(), v.kommunen as i64), (SurveyPhase::Open, "Kreisabfrage 2026", members));

    let e = build::remove_question(&app.db, &actor, id, q).await.expect_err("released");
    assert!(matches!(&e, AppError::Conflict(m) if m.contains("nicht mehr entfernt")), "{e:?}");
    let e = add(&app, &actor, id, QuestionForm { required: Some("on".into()), ..question(sec, "kurztext", "Neue Pflichtfrage?") }).await.expect_err("required after release");
    assert!(e.field_messages("required")[0].contains("freiwillig"));
    let added = add(&app, &actor, id, question(sec, "kurztext", "Neue freiwillige Frage?")).await.expect("optional after release");
    let v = service::load(&app.db, id, now).await.expect("load");
    assert!(v.sections[0].questions.iter().any(|x| x.id == added && x.added_after_release && !x.required));
    let e = build::update(&app.db, &actor, id, 3, SurveyInput { target: Target::All, value: Vec::new(), ..input.clone() }, now).await.expect_err("target fixed");
    assert!(e.field_messages("target")[0].contains("steht fest"));
    assert!(matches!(release::release(&app.db, &actor, id, 3, now).await, Err(AppError::Conflict(_))), "released once");
    assert_eq!(app.count("audit_log WHERE action = 'survey_released'").await, 1);
}

#[tokio::test]
async fn a_verbandsgemeinde_answers_for_its_members_when_the_survey_says_so() {
    let app = spawn_with(test_config(), true).await;
    let actor = advisor(&app).await;
    let now = app::core::time::now();
    let kreis = strings(&app, "SELECT kreis_key FROM organisation WHERE kind = 'verbandsgemeinde' ORDER BY key LIMIT 1").await.remove(0);
    let id = build::create(&app.db, &actor, survey_form("Für die Verbände", "kreise", &kreis, "verbandsgemeinde").try_into().expect("form"), now).await.expect("create");
    let sec = build::add_section(&app.db, &actor, id, SectionForm { title: "Teil".into(), intro: String::new() }.try_into().expect("section")).await.expect("section");
    add(&app, &actor, id, question(sec, "ja_nein", "Frage?")).await.expect("question");
    release::release(&app.db, &actor, id, 1, now).await.expect("release");
    let in_kreis = |kinds: &str| format!("organisation WHERE kreis_key = '{kreis}' AND active = true AND kind IN ({kinds})");
    let expected = app.count(&in_kreis("'landkreis', 'kreisfreie_stadt', 'einheitsgemeinde', 'verbandsgemeinde'")).await;
    assert_eq!(app.count(&format!("survey_target WHERE survey_id = {id}")).await, expected);
    let members_asked = app.count(&format!("survey_target t JOIN organisation o ON o.id = t.organisation_id WHERE t.survey_id = {id} AND o.kind = 'mitgliedsgemeinde'")).await;
    assert_eq!(members_asked, 0, "the members give way to their Verbandsgemeinde");
}

#[tokio::test]
async fn a_copy_repeats_a_survey_a_year_later_and_compares_question_by_question() {
    let app = spawn_with(test_config(), true).await;
    let actor = advisor(&app).await;
    let now = app::core::time::now();
    let id = build::create(&app.db, &actor, survey_form("Jahresabfrage", "alle", "", "").try_into().expect("form"), now).await.expect("create");
    let sec = build::add_section(&app.db, &actor, id, SectionForm { title: "Teil".into(), intro: String::new() }.try_into().expect("section")).await.expect("section");
    let choice = add(&app, &actor, id, QuestionForm { options: "Ja, sicher\nVielleicht".into(), ..question(sec, "einfach", "Planen Sie die Nachnutzung?") }).await.expect("choice");
    let option = strings(&app, &format!("SELECT CAST(id AS TEXT) FROM survey_option WHERE question_id = {choice} AND position = 2")).await.remove(0);
    add(&app, &actor, id, QuestionForm { condition_question: choice.to_string(), condition_value: option.clone(), ..question(sec, "langtext", "Was hält Sie ab?") }).await.expect("conditional");
    let copy = release::copy(&app.db, &actor, id, now).await.expect("copy");
    let old = service::load(&app.db, id, now).await.expect("old");
    let new = service::load(&app.db, copy, now).await.expect("new");
    assert_eq!(new.predecessor, Some((id, "Jahresabfrage".to_string())));
    assert_eq!(new.phase, SurveyPhase::Draft);
    let year = |d: &str| d[6..].parse::<i32>().expect("year");
    assert_eq!(year(&new.opens), year(&old.opens) + 1);
    assert_eq!(new.sections[0].questions.len(), 2);
    assert_eq!(new.sections[0].questions[1].condition.as_deref(), Some("nur nach »Vielleicht« bei »Planen Sie die Nachnutzung?«"), "the condition names the copy's option");
    let copied_condition = strings(&app, &format!("SELECT condition_value FROM survey_question WHERE survey_id = {copy} AND condition_value IS NOT NULL")).await.remove(0);
    assert_ne!(copied_condition, option, "the copy's condition points at the copied option");
    assert!(release::compare(&app.db, copy).await.expect("compare").iter().all(|c| c.unchanged == Some(true)));
    let sec_new = new.sections[0].id;
    add(&app, &actor, copy, question(sec_new, "zahl", "Wie viele Anträge?")).await.expect("new question");
    let compared = release::compare(&app.db, copy).await.expect("compare");
    assert_eq!(compared.iter().filter(|c| c.only_here).map(|c| c.text.as_str()).collect::<Vec<_>>(), ["Wie viele Anträge?"]);
    assert!(release::compare(&app.db, id).await.is_err(), "the first survey has no predecessor");
}

/// A survey to the kreisfreie Städte, open now: a required yes/no, a required question shown
/// only after »Ja«, a number from 0 to 100, a date, a single choice with »Sonstiges«, a matrix.
async fn open_survey(app: &TestApp, actor: &str) -> (i64, i64, [i64; 6]) {
    let now = app::core::time::now();
    let ozg = strings(app, "SELECT ozg_id FROM ozg_service ORDER BY ozg_id LIMIT 2").await;
    let id = build::create(&app.db, actor, survey_form("Offene Abfrage", "arten", "kreisfreie_stadt", "").try_into().expect("form"), now).await.expect("create");
    let sec = build::add_section(&app.db, actor, id, SectionForm { title: "Teil".into(), intro: String::new() }.try_into().expect("section")).await.expect("section");
    let yes_no = add(app, actor, id, QuestionForm { required: Some("on".into()), ..question(sec, "ja_nein", "Gibt es eine Strategie?") }).await.expect("q");
    let after = add(app, actor, id, QuestionForm { required: Some("on".into()), condition_question: yes_no.to_string(), condition_value: "ja".into(), ..question(sec, "kurztext", "Wie heißt sie?") }).await.expect("q");
    let number = add(app, actor, id, QuestionForm { min: "0".into(), max: "100".into(), unit: "Stellen".into(), ..question(sec, "zahl", "Wie viele Stellen?") }).await.expect("q");
    let date = add(app, actor, id, question(sec, "datum", "Seit wann?")).await.expect("q");
    let single = add(app, actor, id, QuestionForm { options: "A\nB".into(), other: Some("on".into()), ..question(sec, "einfach", "Welche?") }).await.expect("q");
    let matrix = add(app, actor, id, QuestionForm { cell_kind: "ja_nein".into(), rows: ozg.join(","), ..question(sec, "matrix", "Nachnutzung?") }).await.expect("q");
    release::release(&app.db, actor, id, 1, now).await.expect("release");
    (id, sec, [yes_no, after, number, date, single, matrix])
}

fn answers(pairs: &[(String, &str)]) -> std::collections::BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.clone(), v.to_string())).collect()
}

async fn clerk(app: &TestApp, org: &str) -> (app::core::session::CurrentUser, app::access::scope::Scope) {
    let email = app.user(Role::Clerk, org).await;
    let user = crate::common::db::current(app, &email).await;
    let scope = app::access::scope::Scope::of(Some(&user));
    (user, scope)
}

#[tokio::test]
async fn two_clerks_share_one_answer_and_the_later_save_gets_a_conflict_that_loses_nothing_stored() {
    use app::surveys::service::answers;
    let app = spawn_with(test_config(), true).await;
    let actor = advisor(&app).await;
    let now = app::core::time::now();
    let (id, sec, [yes_no, ..]) = open_survey(&app, &actor).await;
    let (a, scope_a) = clerk(&app, crate::common::cases::MAGDEBURG).await;
    let (b, scope_b) = clerk(&app, crate::common::cases::MAGDEBURG).await;
    let key = crate::common::cases::MAGDEBURG;
    let sheet = answers::sheet(&app.db, &scope_b, id, None, now).await.expect("sheet");
    assert_eq!((sheet.version, sheet.kommune.0.as_str(), sheet.answered, sheet.total), (0, key, 0, 5), "the conditional question is not shown yet");
    let v = answers::save_section(&app.db, &a, &scope_a, id, key, sec, 0, answers(&[(format!("q{yes_no}"), "nein")]), now).await.expect("a saves");
    assert_eq!(v, 1);
    let e = answers::save_section(&app.db, &b, &scope_b, id, key, sec, 0, answers(&[(format!("q{yes_no}"), "ja")]), now).await.expect_err("b saw version 0");
    assert!(matches!(&e, AppError::Conflict(m) if m.contains("inzwischen gespeichert")), "{e:?}");
    let sheet = answers::sheet(&app.db, &scope_b, id, None, now).await.expect("sheet");
    assert_eq!(sheet.values.get(&format!("q{yes_no}")).map(String::as_str), Some("nein"), "A's answer stands");
    assert_eq!(sheet.version, 1);
    // Both save at the same moment on version 1: one wins, one is told, one answer exists.
    let (ra, rb) = tokio::join!(
        answers::save_section(&app.db, &a, &scope_a, id, key, sec, 1, answers(&[(format!("q{yes_no}"), "ja")]), now),
        answers::save_section(&app.db, &b, &scope_b, id, key, sec, 1, answers(&[(format!("q{yes_no}"), "nein")]), now),
    );
    assert_eq!([&ra, &rb].iter().filter(|r| r.is_ok()).count(), 1, "{ra:?} {rb:?}");
    assert!([&ra, &rb].iter().any(|r| matches!(r, Err(AppError::Conflict(_)))));
    assert_eq!(app.count(&format!("survey_response WHERE survey_id = {id}")).await, 1, "one answer per Kommune");
}

#[tokio::test]
async fn bad_answers_are_refused_in_german_and_change_nothing() {
    use app::surveys::service::answers;
    let app = spawn_with(test_config(), true).await;
    let actor = advisor(&app).await;
    let now = app::core::time::now();
    let (id, sec, [yes_no, after, number, date, single, matrix]) = open_survey(&app, &actor).await;
    let (a, scope) = clerk(&app, crate::common::cases::MAGDEBURG).await;
    let key = crate::common::cases::MAGDEBURG;
    let ozg = strings(&app, "SELECT ozg_id FROM ozg_service ORDER BY ozg_id LIMIT 1").await.remove(0);
    let bad = answers(&[
        (format!("q{yes_no}"), "vielleicht"),
        (format!("q{number}"), "101"),
        (format!("q{date}"), "31.02.2026"),
        (format!("q{single}"), "999999"),
        (format!("q{matrix}_r{ozg}"), "egal"),
    ]);
    let e = answers::save_section(&app.db, &a, &scope, id, key, sec, 0, bad, now).await.expect_err("refused");
    assert_eq!(e.field_messages(&format!("q{yes_no}")), ["Bitte wählen Sie Ja oder Nein."]);
    assert_eq!(e.field_messages(&format!("q{number}")), ["Bitte geben Sie eine Zahl von 0 bis 100 Stellen an."]);
    assert_eq!(e.field_messages(&format!("q{date}")), ["Bitte geben Sie ein Datum an (TT.MM.JJJJ)."]);
    assert_eq!(e.field_messages(&format!("q{single}")), ["Diese Möglichkeit gibt es bei der Frage nicht."]);
    assert_eq!(e.field_messages(&format!("q{matrix}_r{ozg}")), ["Bitte wählen Sie Ja oder Nein."]);
    assert_eq!(app.count("survey_response").await, 0, "nothing stored");
    // A required question left empty is named at submit; a conditional one only once shown.
    answers::save_section(&app.db, &a, &scope, id, key, sec, 0, answers(&[(format!("q{number}"), "12,5")]), now).await.expect("partial save");
    let e = answers::submit(&app.db, &a, &scope, id, key, 1, now).await.expect_err("required missing");
    assert_eq!(e.field_messages(&format!("q{yes_no}")), ["Bitte beantworten Sie »Gibt es eine Strategie?« (Pflichtfrage)."]);
    assert!(e.field_messages(&format!("q{after}")).is_empty(), "not shown, not required");
    answers::save_section(&app.db, &a, &scope, id, key, sec, 1, answers(&[(format!("q{yes_no}"), "ja"), (format!("q{number}"), "12,5")]), now).await.expect("save");
    let e = answers::submit(&app.db, &a, &scope, id, key, 2, now).await.expect_err("now shown and required");
    assert_eq!(e.field_messages(&format!("q{after}")), ["Bitte beantworten Sie »Wie heißt sie?« (Pflichtfrage)."]);
    // After the deadline nothing is taken.
    let late = now + chrono::Duration::days(60);
    let e = answers::save_section(&app.db, &a, &scope, id, key, sec, 2, answers(&[(format!("q{after}"), "Digital 2030")]), late).await.expect_err("closed");
    assert!(e.field_messages("survey")[0].contains("Frist der Abfrage ist vorbei"));
    let sheet = answers::sheet(&app.db, &scope, id, None, now).await.expect("sheet");
    assert_eq!(sheet.version, 2);
    assert_eq!(sheet.values.get(&format!("q{number}")).map(String::as_str), Some("12,5"));
}

#[tokio::test]
async fn a_kommune_submits_reopens_until_the_deadline_and_only_the_asked_kommunen_answer() {
    use app::surveys::service::answers;
    let app = spawn_with(test_config(), true).await;
    let actor = advisor(&app).await;
    let now = app::core::time::now();
    let (id, sec, [yes_no, _, _, _, single, matrix]) = open_survey(&app, &actor).await;
    let (a, scope) = clerk(&app, crate::common::cases::MAGDEBURG).await;
    let key = crate::common::cases::MAGDEBURG;
    let ozg = strings(&app, "SELECT ozg_id FROM ozg_service ORDER BY ozg_id LIMIT 2").await;
    let form = answers(&[
        (format!("q{yes_no}"), "nein"),
        (format!("q{single}_sonstiges"), "Eigene Lösung"),
        (format!("q{matrix}_r{}", ozg[0]), "ja"),
        (format!("q{matrix}_r{}", ozg[1]), "nein"),
    ]);
    answers::save_section(&app.db, &a, &scope, id, key, sec, 0, form, now).await.expect("save");
    let open = answers::open_for(&app.db, &scope, now).await.expect("open");
    assert_eq!(open.len(), 1);
    assert_eq!((open[0].id, open[0].answered, open[0].total, open[0].state), (id, 3, 5, ResponseState::Draft));
    answers::submit(&app.db, &a, &scope, id, key, 1, now).await.expect("submit");
    let sheet = answers::sheet(&app.db, &scope, id, None, now).await.expect("sheet");
    assert_eq!((sheet.state, sheet.changed_after_submit), (ResponseState::Submitted, false));
    assert_eq!(sheet.values.get(&format!("q{single}_sonstiges")).map(String::as_str), Some("Eigene Lösung"), "»Sonstiges« with its text");
    let e = answers::save_section(&app.db, &a, &scope, id, key, sec, 2, answers(&[(format!("q{yes_no}"), "ja")]), now).await.expect_err("submitted");
    assert!(matches!(e, AppError::Conflict(_)));
    answers::reopen(&app.db, &a, &scope, id, key, now).await.expect("reopen");
    let sheet = answers::sheet(&app.db, &scope, id, None, now).await.expect("sheet");
    assert_eq!((sheet.state, sheet.changed_after_submit, sheet.version), (ResponseState::Draft, true, 3));
    let late = now + chrono::Duration::days(60);
    answers::submit(&app.db, &a, &scope, id, key, 3, now).await.expect("submit again");
    assert!(answers::reopen(&app.db, &a, &scope, id, key, late).await.is_err(), "not after the deadline");
    assert_eq!(app.count("audit_log WHERE action = 'survey_answer_submitted'").await, 2);

    // A Gemeinde the survey does not ask, and the Land, answer nothing.
    let gemeinde = strings(&app, "SELECT key FROM organisation WHERE kind = 'einheitsgemeinde' ORDER BY key LIMIT 1").await.remove(0);
    let (other, other_scope) = clerk(&app, &gemeinde).await;
    assert!(matches!(answers::sheet(&app.db, &other_scope, id, None, now).await, Err(AppError::NotFound)));
    assert!(matches!(answers::save_section(&app.db, &other, &other_scope, id, key, sec, 0, answers(&[]), now).await, Err(AppError::NotFound)));
    let land = crate::common::db::current(&app, &app.user(Role::Advisor, "LAND").await).await;
    let land_scope = app::access::scope::Scope::of(Some(&land));
    assert!(matches!(answers::save_section(&app.db, &land, &land_scope, id, key, sec, 0, answers(&[]), now).await, Err(AppError::Forbidden)));
    assert!(answers::open_for(&app.db, &other_scope, now).await.expect("open").is_empty());
}

#[tokio::test]
async fn the_kommunen_hear_of_an_opened_survey_once_and_only_those_without_an_answer_are_reminded() {
    use app::surveys::service::{answers, notices};
    let app = spawn_with(test_config(), true).await;
    let actor = advisor(&app).await;
    let now = app::core::time::now();
    let (id, sec, [yes_no, ..]) = open_survey(&app, &actor).await;
    let (magdeburg, scope) = clerk(&app, crate::common::cases::MAGDEBURG).await;
    let (halle, _) = clerk(&app, crate::common::cases::HALLE).await;
    let told = |user: &str, start: &str| format!("notification WHERE user_id = '{user}' AND kind = 'survey' AND text LIKE '{start}%'");
    assert_eq!(notices::run(&app.db, &app.state.config, now).await.expect("run"), (1, 0));
    assert_eq!(notices::run(&app.db, &app.state.config, now).await.expect("again"), (0, 0), "once");
    for user in [&magdeburg.id, &halle.id] {
        assert_eq!(app.count(&told(user, "Neue Abfrage des Landes")).await, 1);
    }
    answers::save_section(&app.db, &magdeburg, &scope, id, crate::common::cases::MAGDEBURG, sec, 0, answers(&[(format!("q{yes_no}"), "nein")]), now).await.expect("save");
    answers::submit(&app.db, &magdeburg, &scope, id, crate::common::cases::MAGDEBURG, 1, now).await.expect("submit");
    // Thirty days to go, reminded seven days before: not yet; six days before: once.
    assert_eq!(notices::run(&app.db, &app.state.config, now + chrono::Duration::days(20)).await.expect("run"), (0, 0));
    let near = now + chrono::Duration::days(25);
    assert_eq!(notices::run(&app.db, &app.state.config, near).await.expect("run"), (0, 1));
    assert_eq!(notices::run(&app.db, &app.state.config, near).await.expect("run"), (0, 0));
    assert_eq!(app.count(&told(&halle.id, "Erinnerung")).await, 1, "Halle has not submitted");
    assert_eq!(app.count(&told(&magdeburg.id, "Erinnerung")).await, 0, "Magdeburg has");
    // An advisor reminds the missing ones by hand: Halle and Dessau-Roßlau.
    assert_eq!(notices::remind_missing(&app.db, &app.state.config, &actor, id, now).await.expect("remind"), 2);
    assert_eq!(app.count(&told(&halle.id, "Erinnerung")).await, 2);
    assert_eq!(app.count(&told(&magdeburg.id, "Erinnerung")).await, 0);
    let v = service::load(&app.db, id, now).await.expect("load");
    assert_eq!((v.submitted, v.drafts, v.missing.len()), (1, 0, 2));
}

#[tokio::test]
async fn the_land_exports_every_answer_one_row_per_asked_kommune_as_csv_and_xlsx_with_formulas_neutralised() {
    use app::surveys::service::{answers, export};
    let app = spawn_with(test_config(), true).await;
    let actor = advisor(&app).await;
    let now = app::core::time::now();
    let (id, sec, [yes_no, after, number, _, single, matrix]) = open_survey(&app, &actor).await;
    let (a, scope) = clerk(&app, crate::common::cases::MAGDEBURG).await;
    let ozg = strings(&app, "SELECT ozg_id FROM ozg_service ORDER BY ozg_id LIMIT 2").await;
    let single_b = strings(&app, &format!("SELECT CAST(id AS TEXT) FROM survey_option WHERE question_id = {single} AND label = 'B'")).await.remove(0);
    let form = answers(&[
        (format!("q{yes_no}"), "ja"),
        (format!("q{after}"), "=HYPERLINK(\"http://x\")"),
        (format!("q{number}"), "12,5"),
        (format!("q{single}"), &single_b),
        (format!("q{matrix}_r{}", ozg[0]), "nein"),
    ]);
    answers::save_section(&app.db, &a, &scope, id, crate::common::cases::MAGDEBURG, sec, 0, form, now).await.expect("save");
    answers::submit(&app.db, &a, &scope, id, crate::common::cases::MAGDEBURG, 1, now).await.expect("submit");
    let bytes = export::csv(&app.db, id).await.expect("csv");
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(bytes.as_slice());
    let header: Vec<String> = reader.headers().expect("header").iter().map(String::from).collect();
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.expect("row").iter().map(String::from).collect()).collect();
    assert_eq!(rows.len(), 3, "every kreisfreie Stadt, answered or not");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {header:?}"));
    let magdeburg = rows.iter().find(|r| r[0] == crate::common::cases::MAGDEBURG).expect("Magdeburg");
    assert_eq!(magdeburg[col("Stand der Antwort")], "eingereicht");
    assert_eq!(magdeburg[col("Gibt es eine Strategie?")], "Ja");
    assert_eq!(magdeburg[col("Wie heißt sie?")], "'=HYPERLINK(\"http://x\")", "a formula is written as text");
    assert_eq!(app::core::csv_out::restore(&magdeburg[col("Wie heißt sie?")]), "=HYPERLINK(\"http://x\")");
    assert_eq!(magdeburg[col("Wie viele Stellen?")], "12,5");
    assert_eq!(magdeburg[col("Welche?")], "B");
    assert_eq!(magdeburg[col("Welche? – Sonstiges")], "");
    let cell = header.iter().position(|h| h.starts_with("Nachnutzung? – ") && h.ends_with(&format!("({})", ozg[0]))).expect("matrix column");
    assert_eq!(magdeburg[cell], "Nein");
    assert!(rows.iter().filter(|r| r[0] != crate::common::cases::MAGDEBURG).all(|r| r[col("Stand der Antwort")] == "nicht begonnen"));
    // Only the Land's advisors download it.
    let (clerk_client, _) = app.signed_in(Role::Clerk, crate::common::cases::MAGDEBURG).await;
    let res = clerk_client.get(app.url(&format!("/abfragen/{id}/antworten.csv"))).send().await.expect("request");
    assert_eq!(res.status(), 403);
    let (advisor_client, _) = app.signed_in(Role::Advisor, "LAND").await;
    let res = advisor_client.get(app.url(&format!("/abfragen/{id}/antworten.csv"))).send().await.expect("request");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().expect("type").starts_with("text/csv"));
    // The same table as XLSX: the formula answer a text cell, the number a number.
    let bytes = export::xlsx(&app.db, id).await.expect("xlsx");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an XLSX is a zip");
    let mut read = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).expect(name), &mut text).expect("utf-8");
        text
    };
    let (sheet, strings, styles) = (read("xl/worksheets/sheet1.xml"), read("xl/sharedStrings.xml"), read("xl/styles.xml"));
    assert!(!sheet.contains("<f>"), "no cell is a formula");
    assert!(styles.contains("quotePrefix=\"1\""), "a formula-like answer stays text when edited");
    assert!(strings.contains("=HYPERLINK(\"http://x\")") || strings.contains("=HYPERLINK(&quot;http://x&quot;)"), "the answer stands as written, as text: {strings}");
    assert!(strings.contains("Gibt es eine Strategie?") && strings.contains("Magdeburg"));
    assert!(sheet.contains("<v>12.5</v>"), "the number is a number");
    assert_eq!(sheet.matches("<row ").count(), 4, "header and three Kommunen");
    let res = advisor_client.get(app.url(&format!("/abfragen/{id}/antworten.xlsx"))).send().await.expect("request");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

#[tokio::test]
async fn an_answer_bound_to_the_register_is_taken_over_through_its_validation_and_history() {
    use app::surveys::service::{answers, takeover};
    let app = spawn_with(test_config(), true).await;
    let actor = advisor(&app).await;
    let now = app::core::time::now();
    let ozg = strings(&app, "SELECT ozg_id FROM ozg_service ORDER BY ozg_id LIMIT 1").await.remove(0);
    let id = build::create(&app.db, &actor, survey_form("Stand der Leistungen", "arten", "kreisfreie_stadt", "").try_into().expect("form"), now).await.expect("create");
    let sec = build::add_section(&app.db, &actor, id, SectionForm { title: "Leistungen".into(), intro: String::new() }.try_into().expect("section")).await.expect("section");
    let bound = add(&app, &actor, id, QuestionForm { binding: "stand".into(), binding_ozg_id: ozg.clone(), ..question(sec, "einfach", "Wie weit ist die Leistung?") }).await.expect("bound");
    release::release(&app.db, &actor, id, 1, now).await.expect("release");
    let (a, scope) = clerk(&app, crate::common::cases::MAGDEBURG).await;
    let key = crate::common::cases::MAGDEBURG;
    // Nothing answered yet: nothing to take over, and a take-over is refused in German.
    let sheet = answers::sheet(&app.db, &scope, id, None, now).await.expect("sheet");
    assert!(sheet.takeover.is_empty());
    let e = takeover::take_over(&app.db, &a, &scope, id, key, bound, now).await.expect_err("nothing saved");
    assert_eq!(e.field_messages("question"), ["Bitte speichern Sie zuerst eine Antwort auf diese Frage."]);
    // The options are the register's stages; »online« is one of them.
    let online = strings(&app, &format!("SELECT CAST(id AS TEXT) FROM survey_option WHERE question_id = {bound} AND label = '{}'", app::register::model::Stage::Online.label())).await;
    answers::save_section(&app.db, &a, &scope, id, key, sec, 0, answers(&[(format!("q{bound}"), &online[0])]), now).await.expect("save");
    let sheet = answers::sheet(&app.db, &scope, id, None, now).await.expect("sheet");
    assert_eq!(sheet.takeover.len(), 1, "the answer differs from the register");
    assert_eq!(sheet.takeover[0].register, "nicht erfasst");
    let stage = takeover::take_over(&app.db, &a, &scope, id, key, bound, now).await.expect("take over");
    assert_eq!(stage, app::register::model::Stage::Online);
    let org = strings(&app, &format!("SELECT id FROM organisation WHERE key = '{key}'")).await.remove(0);
    assert_eq!(strings(&app, &format!("SELECT stage FROM service_record WHERE organisation_id = '{org}' AND ozg_id = '{ozg}'")).await, ["online"]);
    assert_eq!(strings(&app, &format!("SELECT source FROM service_record_history WHERE organisation_id = '{org}' AND ozg_id = '{ozg}'")).await, ["Abfrage »Stand der Leistungen«"]);
    let history = app::register::service::history(&app.db, &scope, key, &ozg).await.expect("history");
    assert_eq!(history[0].source.as_deref(), Some("Abfrage »Stand der Leistungen«"));
    assert!(history[0].changes.iter().any(|c| c.field == "stage"), "the register's own diff");
    // Taken over once; again it changes nothing and says so.
    assert!(answers::sheet(&app.db, &scope, id, None, now).await.expect("sheet").takeover.is_empty());
    let e = takeover::take_over(&app.db, &a, &scope, id, key, bound, now).await.expect_err("already");
    assert!(e.field_messages("question")[0].contains("steht bereits"), "{e:?}");
    assert_eq!(app.count(&format!("service_record_history WHERE organisation_id = '{org}'")).await, 1);
    // Another Kommune's clerk cannot take it over for Magdeburg.
    let (h, halle_scope) = clerk(&app, crate::common::cases::HALLE).await;
    assert!(matches!(takeover::take_over(&app.db, &h, &halle_scope, id, key, bound, now).await, Err(AppError::NotFound)));
}

#[tokio::test]
async fn a_file_answers_its_question_by_the_rules_of_attachments_and_only_its_kommune_and_the_land_read_it() {
    use app::surveys::service::{answers, export, files};
    let app = spawn_with(test_config(), true).await;
    let actor = advisor(&app).await;
    let now = app::core::time::now();
    let id = build::create(&app.db, &actor, survey_form("Organisation", "arten", "kreisfreie_stadt", "").try_into().expect("form"), now).await.expect("create");
    let sec = build::add_section(&app.db, &actor, id, SectionForm { title: "Unterlagen".into(), intro: String::new() }.try_into().expect("section")).await.expect("section");
    let file_q = add(&app, &actor, id, QuestionForm { required: Some("on".into()), ..question(sec, "datei", "Organigramm") }).await.expect("file question");
    release::release(&app.db, &actor, id, 1, now).await.expect("release");
    let (a, scope) = clerk(&app, crate::common::cases::MAGDEBURG).await;
    let key = crate::common::cases::MAGDEBURG;
    let config = &app.state.config;
    // Required: no submit without the file; bad files are refused in German and change nothing.
    let e = answers::submit(&app.db, &a, &scope, id, key, 0, now).await.expect_err("file missing");
    assert_eq!(e.field_messages(&format!("q{file_q}")), ["Bitte laden Sie zu »Organigramm« eine Datei hoch (Pflichtfrage)."]);
    let e = files::store(&app.db, config, &a, &scope, id, key, file_q, "leer.pdf", Vec::new(), now).await.expect_err("empty");
    assert_eq!(e.field_messages("datei"), ["»leer.pdf« ist leer."]);
    let e = files::store(&app.db, config, &a, &scope, id, key, file_q, "werkzeug.exe", b"MZ\x90\x00programm".to_vec(), now).await.expect_err("type");
    assert!(!e.field_messages("datei").is_empty(), "{e:?}");
    assert_eq!(app.count("survey_file").await, 0);
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    files::store(&app.db, config, &a, &scope, id, key, file_q, "organigramm.pdf", pdf.clone(), now).await.expect("stored");
    files::store(&app.db, config, &a, &scope, id, key, file_q, "organigramm-2026.pdf", pdf.clone(), now).await.expect("replaced");
    assert_eq!(app.count("survey_file").await, 1, "one file per question: the new one replaces the old");
    let sheet = answers::sheet(&app.db, &scope, id, None, now).await.expect("sheet");
    assert_eq!((sheet.files.len(), sheet.files[0].name.as_str(), sheet.answered, sheet.total), (1, "organigramm-2026.pdf", 1, 1));
    answers::submit(&app.db, &a, &scope, id, key, sheet.version, now).await.expect("submit");
    let e = files::store(&app.db, config, &a, &scope, id, key, file_q, "nachtrag.pdf", pdf.clone(), now).await.expect_err("submitted");
    assert!(matches!(e, AppError::Conflict(_)));
    let results = app::surveys::service::results::land(&app.db, id, 3, now).await.expect("results");
    assert_eq!(results.sections[0].questions[0].answered, 1, "the tally counts the file");
    let csv = String::from_utf8(export::csv(&app.db, id).await.expect("csv")).expect("utf-8");
    assert!(csv.contains("organigramm-2026.pdf"));
    // Read back: the Kommune and the Land; not another Kommune, not an association.
    let file_id = sheet.files[0].id.clone();
    assert_eq!(files::fetch(&app.db, &scope, id, &file_id).await.expect("own").2, pdf);
    assert!(files::fetch(&app.db, &app::access::scope::Scope::Land, id, &file_id).await.is_ok());
    let (_, halle) = clerk(&app, crate::common::cases::HALLE).await;
    assert!(matches!(files::fetch(&app.db, &halle, id, &file_id).await, Err(AppError::NotFound)));
    let sgsa = app::access::scope::Scope::Association { org_keys: ["SGSA".to_string()].into() };
    assert!(matches!(files::fetch(&app.db, &sgsa, id, &file_id).await, Err(AppError::NotFound)));
    // Over HTTP: reopened, a browser uploads a file and downloads it as an attachment.
    answers::reopen(&app.db, &a, &scope, id, key, now).await.expect("reopen");
    let (client, _) = app.signed_in(Role::Clerk, key).await;
    let form = reqwest::multipart::Form::new().part("datei", reqwest::multipart::Part::bytes(pdf.clone()).file_name("neu.pdf"));
    let res = client.post(app.url(&format!("/abfragen/{id}/antwort/{key}/datei/{file_q}"))).multipart(form).send().await.expect("upload");
    assert_eq!(res.status(), 303);
    assert!(res.headers()["location"].to_str().expect("location").ends_with(&format!("#frage-{file_q}")));
    let stored = strings(&app, "SELECT id FROM survey_file").await.remove(0);
    let res = client.get(app.url(&format!("/abfragen/{id}/dateien/{stored}"))).send().await.expect("download");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().expect("disposition").starts_with("attachment"));
    let (other, _) = app.signed_in(Role::Clerk, crate::common::cases::HALLE).await;
    assert_eq!(other.get(app.url(&format!("/abfragen/{id}/dateien/{stored}"))).send().await.expect("download").status(), 404);
}
