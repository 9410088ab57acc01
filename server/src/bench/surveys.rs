//! `server bench abfragen`: a survey of 30 questions to every Kommune of the national data set,
//! answered by each, on a fresh database (a new SQLite file, or an empty PostgreSQL database).
//! Prints p50/p95/p99 of the Land's results page and API (from the tally), the export as CSV
//! and XLSX, the answer form, the public results and an association's members' view (counted
//! afresh), and the requests per second of the answer form and the results page on one core
//! (wrk on the other) while Kommunen reopen, save and submit beside the load.

use crate::bench::measure;
use crate::bench::rollout::insert;
use app::access::scope::Scope;
use app::identity::Role;
use app::surveys::model::{QuestionForm, SectionForm, SurveyForm};
use app::surveys::service::{answers, build, release, tally};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, DbBackend};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The questions: (kind, text, extra fields).
fn questionnaire(section: [i64; 3], focus: &[String]) -> Vec<QuestionForm> {
    let q = |s: usize, kind: &str, text: String| QuestionForm { section: section[s].to_string(), kind: kind.into(), text, ..Default::default() };
    let mut out = Vec::new();
    for i in 0..10 {
        out.push(q(i % 3, "ja_nein", format!("Ja/Nein-Frage {i}?")));
    }
    for i in 0..6 {
        out.push(QuestionForm { options: "Erstens\nZweitens\nDrittens\nViertens".into(), ..q(i % 3, "einfach", format!("Einfachauswahl {i}?")) });
    }
    for i in 0..4 {
        out.push(QuestionForm { options: "Personal\nGeld\nWissen\nZeit\nTechnik".into(), other: Some("on".into()), ..q(i % 3, "mehrfach", format!("Mehrfachauswahl {i}?")) });
    }
    for i in 0..5 {
        out.push(QuestionForm { min: "0".into(), max: "1000".into(), unit: "Stellen".into(), ..q(i % 3, "zahl", format!("Zahl {i}?")) });
    }
    for i in 0..2 {
        out.push(q(i % 3, "datum", format!("Datum {i}?")));
    }
    for i in 0..2 {
        out.push(q(i % 3, "kurztext", format!("Text {i}?")));
    }
    out.push(QuestionForm { cell_kind: "ja_nein".into(), rows: focus.join(","), ..q(2, "matrix", "Nachnutzung je Fokusleistung?".into()) });
    out
}

pub async fn run(file: &std::path::Path, rounds: usize, seconds: u64, writes: u32, postgres: Option<String>) -> anyhow::Result<()> {
    use migrations::MigratorTrait;
    let dir = tempfile::tempdir()?;
    let db_url = postgres.unwrap_or_else(|| format!("sqlite://{}/abfragen.sqlite", dir.path().display()));
    let db = app::core::db::connect(&db_url).await?;
    migrations::Migrator::up(&db, None).await?;
    let rows = db.query_one_raw(app::core::db::stmt(db.get_database_backend(), "SELECT COUNT(*) FROM survey", vec![])).await?;
    anyhow::ensure!(rows.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0) == 0, "Die Datenbank enthält schon Abfragen; die Messung braucht eine leere Datenbank.");
    let started = std::time::Instant::now();
    app::catalogue::service::import::import_shipped(&db, &mut |_, _, _| {}).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let (added, _) = crate::bench::national::add_organisations(&db, file).await?;
    println!("Referenzdaten und {added} weitere Kommunen in {:.1} s", started.elapsed().as_secs_f64());
    let backend = db.get_database_backend();
    let config = app::core::config::Config { open_data_rate: 0, cookie_secure: false, ..Default::default() };
    let state = app::core::state::AppState::new(db.clone(), config);
    let account = |role: Role, org: &str, name: &str| {
        let email = format!("mess.{}@ozg-portal.example", uuid::Uuid::now_v7().simple());
        (email.clone(), app::accounts::service::users::NewUser { email, name: name.into(), role, org_keys: vec![org.into()], password: format!("Messung {}", uuid::Uuid::new_v4()), is_demo: false })
    };
    let mut sessions = Vec::new();
    for (role, org, name) in [(Role::Advisor, "LAND", "Messung Beratung"), (Role::Clerk, "15003000", "Messung Kommune"), (Role::Association, "SGSA", "Messung Verband")] {
        let (email, new) = account(role, org, name);
        app::accounts::service::users::create(&db, &state.hasher, None, new).await.map_err(crate::fail)?;
        let user = app::accounts::service::users::find_by_email(&db, &email).await?.ok_or_else(|| anyhow::anyhow!("Messkonto fehlt"))?;
        sessions.push((user.id.clone(), app::core::session::create(&db, &user.id).await?, email));
    }
    // The cookie as the in-process router reads it (`state`), and as the portal started below
    // reads it (its own configuration, secure cookies).
    let here = |token: &str| format!("{}={token}", app::core::session::cookie_name(&state.config));
    let there = |token: &str| format!("{}={token}", app::core::session::cookie_name(&app::core::config::Config::default()));
    let (advisor, clerk, association) = ((sessions[0].0.clone(), here(&sessions[0].1)), (sessions[1].0.clone(), here(&sessions[1].1)), (sessions[2].0.clone(), here(&sessions[2].1)));
    let (advisor_there, clerk_there) = (there(&sessions[0].1), there(&sessions[1].1));
    let clerk_user = crate::ops::demo::people::current(&db, &sessions[1].2).await?;

    // The survey: three sections, thirty questions, to every Kommune (each answers itself).
    let now = app::core::time::now();
    let today = now.date_naive();
    let form = SurveyForm {
        title: "Messabfrage".into(),
        description: "Dreißig Fragen an jede Kommune.".into(),
        opens: today.format("%Y-%m-%d").to_string(),
        closes: (today + chrono::Duration::days(30)).format("%Y-%m-%d").to_string(),
        target: "alle".into(),
        answering: "mitglieder".into(),
        reminder_days: "0".into(),
        ..Default::default()
    };
    let err = crate::fail;
    let id = build::create(&db, &advisor.0, form.try_into().map_err(err)?, now).await.map_err(err)?;
    let mut sections = [0; 3];
    for (i, title) in ["Organisation", "Technik", "Leistungen"].iter().enumerate() {
        sections[i] = build::add_section(&db, &advisor.0, id, SectionForm { title: (*title).into(), intro: String::new() }.try_into().map_err(err)?).await.map_err(err)?;
    }
    let focus: Vec<String> = db
        .query_all_raw(app::core::db::stmt(backend, "SELECT ozg_id FROM ozg_service WHERE focus AND in_catalogue ORDER BY ozg_id LIMIT 5", vec![]))
        .await?
        .iter()
        .filter_map(|r| r.try_get_by_index::<String>(0).ok())
        .collect();
    for q in questionnaire(sections, &focus) {
        build::add_question(&db, &advisor.0, id, q.try_into().map_err(err)?).await.map_err(err)?;
    }
    let asked = release::release(&db, &advisor.0, id, 1, now).await.map_err(err)?;
    let view = app::surveys::service::sections(&db, id).await.map_err(err)?;
    let questions: Vec<_> = app::surveys::service::questions(&view).into_iter().cloned().collect();

    // Every asked Kommune answers every question, reproducibly.
    let targets: Vec<String> = db
        .query_all_raw(app::core::db::stmt(backend, "SELECT organisation_id FROM survey_target WHERE survey_id = ? ORDER BY organisation_id", vec![id.into()]))
        .await?
        .iter()
        .filter_map(|r| r.try_get_by_index::<String>(0).ok())
        .collect();
    let mut rng = StdRng::seed_from_u64(2026);
    let (mut responses, mut values, mut choices) = (Vec::new(), Vec::new(), Vec::new());
    for (n, org) in targets.iter().enumerate() {
        let rid = n as i64 + 1;
        let at = now - chrono::Duration::minutes(rng.gen_range(1..10_000));
        responses.push(vec![rid.into(), id.into(), org.clone().into(), "eingereicht".into(), 2.into(), false.into(), Option::<String>::None.into(), Option::<String>::None.into(), at.into(), at.into(), Some(at).into()]);
        for q in &questions {
            let value = |text: Option<String>, number: Option<f64>, yes: Option<bool>, ozg: &str| vec![rid.into(), q.id.into(), ozg.to_string().into(), text.into(), number.into(), yes.into(), Option::<String>::None.into()];
            match q.kind {
                app::surveys::model::QuestionKind::YesNo => values.push(value(None, None, Some(rng.gen_bool(0.6)), "")),
                app::surveys::model::QuestionKind::Number => values.push(value(None, Some(f64::from(rng.gen_range(0..200))), None, "")),
                app::surveys::model::QuestionKind::Date => values.push(value(Some(format!("20{:02}-{:02}-01", rng.gen_range(15..26), rng.gen_range(1..13))), None, None, "")),
                app::surveys::model::QuestionKind::ShortText => values.push(value(Some(format!("Antwort {rid}")), None, None, "")),
                app::surveys::model::QuestionKind::Single => choices.push(vec![rid.into(), q.id.into(), "".into(), q.options[rng.gen_range(0..q.options.len() - usize::from(q.options.iter().any(|o| o.2)))].0.into()]),
                app::surveys::model::QuestionKind::Multiple => {
                    for o in q.options.iter().filter(|o| !o.2) {
                        if rng.gen_bool(0.4) {
                            choices.push(vec![rid.into(), q.id.into(), "".into(), o.0.into()]);
                        }
                    }
                }
                app::surveys::model::QuestionKind::Matrix => {
                    for (ozg, _) in &q.rows {
                        values.push(value(None, None, Some(rng.gen_bool(0.5)), ozg));
                    }
                }
                _ => {}
            }
        }
    }
    let (n_values, n_choices) = (values.len(), choices.len());
    let started = std::time::Instant::now();
    let txn = app::core::db::begin_write(&db).await?;
    insert(&txn, "survey_response (id, survey_id, organisation_id, state, version, changed_after_submit, updated_by, submitted_by, created_at, updated_at, submitted_at)", 11, responses).await?;
    insert(&txn, "survey_answer (response_id, question_id, ozg_id, value_text, value_number, value_bool, other_text)", 7, values).await?;
    insert(&txn, "survey_answer_choice (response_id, question_id, ozg_id, option_id)", 4, choices).await?;
    app::surveys::service::rates::rebuild(&txn, id).await.map_err(err)?;
    txn.commit().await?;
    let written = started.elapsed();
    // The tally, counted afresh from the stored answers (per kind of Kommune).
    let started = std::time::Instant::now();
    let refs: Vec<&app::surveys::model::QuestionView> = questions.iter().collect();
    let txn = app::core::db::begin_write(&db).await?;
    tally::rebuild(&txn, id, &refs).await.map_err(err)?;
    txn.commit().await?;
    let recount = started.elapsed();
    if backend == DbBackend::Postgres {
        db.execute_unprepared("SELECT setval(pg_get_serial_sequence('survey_response', 'id'), (SELECT MAX(id) FROM survey_response))").await?;
        db.execute_unprepared("ANALYZE").await?;
    } else {
        db.execute_unprepared("PRAGMA analysis_limit = 1000; ANALYZE").await?;
    }
    println!(
        "Abfrage mit {} Fragen an {asked} Kommunen: {} Antworten, {n_values} Werte und {n_choices} gewählte Möglichkeiten in {:.1} s geschrieben; Zählung aus allen Antworten neu aufgebaut in {:.0} ms",
        questions.len(),
        targets.len(),
        written.as_secs_f64(),
        recount.as_secs_f64() * 1000.0
    );

    let addr: std::net::SocketAddr = "127.0.0.1:3000".parse()?;
    let router = crate::http::router::build(state.clone(), crate::http::router::leptos_options("target/site", addr));
    let clerk_form = format!("/abfragen/{id}/antwort");
    println!("Datenbank: {backend:?}, {rounds} Durchgänge");
    println!("{:<40} {:>7} {:>9} {:>9} {:>9} {:>9}", "ANFRAGE", "N", "p50 ms", "p95 ms", "p99 ms", "max ms");
    let (summaries, _) = measure(&router, "Auswertung (Seite, Land)", &[format!("/abfragen/{id}/auswertung")], &advisor.1, rounds, 40).await?;
    let (api, _) = measure(&router, "Ergebnisse (API, Land)", &[format!("/api/v1/surveys/{id}/results")], &advisor.1, rounds, 40).await?;
    measure(&router, "Antwortformular (Seite, Kommune)", std::slice::from_ref(&clerk_form), &clerk.1, rounds, 40).await?;
    measure(&router, "Export CSV (alle Antworten)", &[format!("/abfragen/{id}/antworten.csv")], &advisor.1, rounds.min(5), 40).await?;
    measure(&router, "Export XLSX (alle Antworten)", &[format!("/abfragen/{id}/antworten.xlsx")], &advisor.1, rounds.min(5), 40).await?;
    println!("Ziel: Zusammenfassungen p95 ≤ 50 ms: Seite {summaries:.2} ms, API {api:.2} ms → {}", if summaries.max(api) <= 50.0 { "erfüllt" } else { "NICHT erfüllt" });
    let check = crate::bench::selfcheck::prepare(&db, &advisor.0, now).await?;
    let (profile, _) = measure(&router, "Selbstcheck-Profil (Seite, Kommune)", &[format!("/abfragen/{check}/profil")], &clerk.1, rounds, 40).await?;
    println!("Ziel: Selbstcheck-Profil p95 ≤ 50 ms: {profile:.2} ms → {}", if profile <= 50.0 { "erfüllt" } else { "NICHT erfüllt" });

    // Throughput on one core while Kommunen reopen, save and submit.
    let port = 3919;
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    let mut server = crate::bench::load::spawn_portal(&db_url, port, &site_root)?;
    crate::bench::load::wait_for(port, "/readyz", None).await?;
    let pinned = std::process::Command::new("taskset").args(["-a", "-cp", "1", &std::process::id().to_string()]).output().is_ok_and(|o| o.status.success());
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let writer = {
        let (db, stop, done) = (db.clone(), stop.clone(), done.clone());
        let user = clerk_user.clone();
        let keys: Vec<(String, String)> = db
            .query_all_raw(app::core::db::stmt(backend, "SELECT o.id, o.key FROM survey_target t JOIN organisation o ON o.id = t.organisation_id WHERE t.survey_id = ? ORDER BY o.key", vec![id.into()]))
            .await?
            .iter()
            .filter_map(|r| Some((r.try_get_by_index::<String>(0).ok()?, r.try_get_by_index::<String>(1).ok()?)))
            .collect();
        let first = questions.iter().find(|q| q.kind == app::surveys::model::QuestionKind::YesNo && q.id > 0).cloned();
        let section = sections[0];
        tokio::spawn(async move {
            let period = std::time::Duration::from_secs_f64(1.0 / f64::from(writes.max(1)));
            let mut k = 0usize;
            while writes > 0 && !stop.load(Ordering::Relaxed) {
                // The clerk acts for one Kommune at a time, as a Kommune's clerk does.
                let (org, key) = &keys[(k / 3 * 97) % keys.len()];
                let scope = Scope::Municipal { org_ids: [org.clone()].into() };
                let now = app::core::time::now();
                let version = app::surveys::service::answers::sheet(&db, &scope, id, Some(key), now).await.map(|s| s.version).unwrap_or(0);
                let result = match k % 3 {
                    0 => answers::reopen(&db, &user, &scope, id, key, now).await,
                    1 => {
                        let mut form = BTreeMap::new();
                        if let Some(q) = &first {
                            form.insert(format!("q{}", q.id), if k % 2 == 0 { "ja" } else { "nein" }.to_string());
                        }
                        answers::save_section(&db, &user, &scope, id, key, section, version, form, now).await.map(|_| ())
                    }
                    _ => answers::submit(&db, &user, &scope, id, key, version, now).await.map(|_| ()),
                };
                if result.is_ok() {
                    done.fetch_add(1, Ordering::Relaxed);
                }
                k += 1;
                tokio::time::sleep(period).await;
            }
        })
    };
    println!();
    println!("Durchsatz: Portal auf CPU 0, wrk (16 Verbindungen, {seconds} s){} auf CPU 1; {writes} Schreibvorgänge/s (wieder öffnen, Abschnitt speichern, einreichen)", if pinned { " und der Schreiber" } else { "" });
    println!("{:<40} {:>8} {:>10} {:>8} {:>8} {:>6}", "ANFRAGE", "Bytes", "Anfr./s", "p50 ms", "p99 ms", "Fehler");
    let started = std::time::Instant::now();
    let mut form_rate = 0.0;
    for (label, path, cookie) in [("Antwortformular (Kommune)", clerk_form.clone(), &clerk_there), ("Auswertung (Land)", format!("/abfragen/{id}/auswertung"), &advisor_there)] {
        let body = crate::bench::load::wait_for(port, &path, Some(cookie)).await?;
        crate::bench::throughput::wrk(port, &path, Some(cookie), 2).await?;
        let w = crate::bench::throughput::wrk(port, &path, Some(cookie), seconds).await?;
        if label.starts_with("Antwortformular") {
            form_rate = w.rate;
        }
        println!("{:<40} {:>8} {:>10.0} {:>8.2} {:>8.2} {:>6}", label, body.len(), w.rate, w.p50, w.p99, w.errors);
    }
    stop.store(true, Ordering::Relaxed);
    let _ = writer.await;
    let achieved = done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
    let (peak, _) = crate::bench::load::memory_mib(&server);
    let _ = server.kill().await;
    println!("Schreiber: verlangt {writes}/s, erreicht {achieved:.1}/s; Speicher des Portals höchstens {peak} MiB");
    println!("Ziel: Antwortformular ≥ 500 Anfragen/s auf einem Kern: {form_rate:.0}/s → {}", if form_rate >= 500.0 { "erfüllt" } else { "NICHT erfüllt" });

    // Closed and published: the public results and an association's members' view.
    db.execute_raw(app::core::db::stmt(backend, "UPDATE survey SET opens_at = ?, closes_at = ?, published_at = ? WHERE id = ?", vec![(now - chrono::Duration::days(40)).into(), (now - chrono::Duration::days(1)).into(), Some(now).into(), id.into()])).await?;
    println!();
    println!("{:<40} {:>7} {:>9} {:>9} {:>9} {:>9}", "ANFRAGE (nach der Frist)", "N", "p50 ms", "p95 ms", "p99 ms", "max ms");
    measure(&router, "Ergebnisse (offene Daten, JSON)", &[format!("/api/v1/public/surveys/{id}/results")], "", rounds, 40).await?;
    measure(&router, "Ergebnisse (Seite, öffentlich)", &[format!("/abfragen/{id}/auswertung")], "", rounds, 40).await?;
    measure(&router, "Ergebnisse der Mitglieder (Verband)", &[format!("/abfragen/{id}/auswertung")], &association.1, rounds.min(5), 40).await?;
    for (user, _, _) in &sessions {
        app::core::session::destroy_all_for_user(&db, user).await?;
    }
    Ok(())
}
