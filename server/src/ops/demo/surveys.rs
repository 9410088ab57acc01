//! The demo's Abfragen: last year's survey on the state of digitalisation (released, answered by
//! about two of three Kommunen, closed, its results published) and its repetition this year (released to every Kommune, open), and a Selbstcheck (`selfcheck`), written by the demo advisor —
//! marked as demo data.

use super::people::People;
use app::core::state::AppState;
use app::surveys::model::{QuestionForm, SectionForm, SurveyForm};
use app::surveys::service::{build, release};
use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, Statement};

fn question(section: i64, kind: &str, text: &str) -> QuestionForm {
    QuestionForm { section: section.to_string(), kind: kind.into(), text: text.into(), ..Default::default() }
}

/// Writes the surveys; returns how many.
pub async fn write(state: &AppState, people: &People) -> anyhow::Result<usize> {
    let db = &state.db;
    let err = crate::fail;
    let author = &people.advisor.id;
    let now = Utc::now();
    let day = |d: chrono::DateTime<Utc>| d.format("%Y-%m-%d").to_string();
    // Built a year ago, released then, closed since; this year's is its copy.
    let then = now - Duration::days(365);
    let form = SurveyForm {
        title: "Stand der Digitalisierung".into(),
        description: "Die Landesberatung fragt einmal im Jahr, wie weit Ihre Verwaltung ist und was Ihnen fehlt. Bitte antworten Sie bis zur Frist; die Ergebnisse erscheinen zusammengefasst im Lagebild.".into(),
        opens: day(then),
        closes: day(then + Duration::days(42)),
        target: "alle".into(),
        answering: "verbandsgemeinde".into(),
        ..Default::default()
    };
    let first = build::create(db, author, form.try_into().map_err(err)?, then).await.map_err(err)?;
    let general = build::add_section(db, author, first, SectionForm { title: "Organisation".into(), intro: String::new() }.try_into().map_err(err)?).await.map_err(err)?;
    let services = build::add_section(db, author, first, SectionForm { title: "Leistungen und Nachnutzung".into(), intro: "Je Fokusleistung: planen Sie, den EfA-Dienst nachzunutzen?".into() }.try_into().map_err(err)?).await.map_err(err)?;
    let strategy = build::add_question(db, author, first, QuestionForm { required: Some("on".into()), ..question(general, "ja_nein", "Hat Ihre Verwaltung eine Digitalisierungsstrategie?") }.try_into().map_err(err)?).await.map_err(err)?;
    let since = build::add_question(db, author, first, QuestionForm { condition_question: strategy.to_string(), condition_value: "ja".into(), ..question(general, "datum", "Seit wann gilt sie?") }.try_into().map_err(err)?).await.map_err(err)?;
    let staff = build::add_question(db, author, first, QuestionForm { unit: "Vollzeitstellen".into(), min: "0".into(), max: "500".into(), ..question(general, "zahl", "Wie viele Stellen arbeiten an der Digitalisierung?") }.try_into().map_err(err)?).await.map_err(err)?;
    let lacking = build::add_question(db, author, first, QuestionForm { options: "Personal\nGeld\nWissen\nZeit".into(), other: Some("on".into()), ..question(general, "mehrfach", "Was fehlt Ihnen am meisten?") }.try_into().map_err(err)?).await.map_err(err)?;
    build::add_question(db, author, first, QuestionForm { hint: "Als PDF oder Bild; freiwillig.".into(), ..question(general, "datei", "Organigramm Ihrer Verwaltung") }.try_into().map_err(err)?).await.map_err(err)?;
    let focus: Vec<String> = {
        let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT ozg_id FROM ozg_service WHERE focus ORDER BY ozg_id LIMIT 5")).await?;
        rows.iter().filter_map(|r| r.try_get_by_index::<String>(0).ok()).collect()
    };
    let mut matrix = None;
    if !focus.is_empty() {
        matrix = Some(build::add_question(db, author, first, QuestionForm { cell_kind: "ja_nein".into(), rows: focus.join(","), ..question(services, "matrix", "Nachnutzung geplant?") }.try_into().map_err(err)?).await.map_err(err)?);
    }
    if let Some(first_focus) = focus.first() {
        // Bound to the register: the form shows its stage and offers to take an answer over.
        build::add_question(db, author, first, QuestionForm { binding: "stand".into(), binding_ozg_id: first_focus.clone(), ..question(services, "einfach", "Wie weit ist die erste Fokusleistung bei Ihnen?") }.try_into().map_err(err)?).await.map_err(err)?;
    }
    let wish = build::add_question(db, author, first, question(services, "langtext", "Was wünschen Sie sich vom Land?").try_into().map_err(err)?).await.map_err(err)?;
    release::release(db, author, first, 1, then).await.map_err(err)?;
    let q = Questions { sections: (general, services), strategy, since, staff, lacking, matrix: matrix.map(|m| (m, focus.clone())), wish };
    answer_last_year(state, people, first, &q, then + Duration::days(3)).await?;
    // Its results are published: aggregates only, suppressed.
    app::surveys::service::publish::set(db, author, first, true, state.config.suppression_threshold, now).await.map_err(err)?;
    let second = release::copy(db, author, first, now).await.map_err(err)?;
    // This year's opens today and runs six weeks.
    let version = app::core::entities::survey::Entity::find_by_id(second).one(db).await?.map(|s| s.version).unwrap_or(1);
    let form = SurveyForm { title: "Stand der Digitalisierung".into(), opens: day(now), closes: day(now + Duration::days(42)), target: "alle".into(), answering: "verbandsgemeinde".into(), ..Default::default() };
    build::update(db, author, second, version, form.try_into().map_err(err)?, now).await.map_err(err)?;
    release::release(db, author, second, version + 1, now).await.map_err(err)?;
    let third = super::selfcheck::write(state, people).await?;
    db.execute_unprepared(&format!("UPDATE survey SET demo = true WHERE id IN ({first}, {second}, {third})")).await?;
    Ok(3)
}

/// The questions of last year's survey the demo answers.
struct Questions {
    sections: (i64, i64),
    strategy: i64,
    since: i64,
    staff: i64,
    lacking: i64,
    /// The matrix and its OZG-IDs.
    matrix: Option<(i64, Vec<String>)>,
    wish: i64,
}

/// About two of three asked Kommunen answered last year's survey, each a little differently.
async fn answer_last_year(state: &AppState, people: &People, id: i64, q: &Questions, at: chrono::DateTime<Utc>) -> anyhow::Result<()> {
    use app::surveys::service::answers;
    use std::collections::BTreeMap;
    let db = &state.db;
    let err = crate::fail;
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), format!("SELECT o.id, o.key FROM survey_target t JOIN organisation o ON o.id = t.organisation_id WHERE t.survey_id = {id} ORDER BY o.key"))).await?;
    let asked: Vec<(String, String)> = rows.iter().filter_map(|r| Some((r.try_get_by_index::<String>(0).ok()?, r.try_get_by_index::<String>(1).ok()?))).collect();
    let scope = app::access::scope::Scope::Municipal { org_ids: asked.iter().map(|a| a.0.clone()).collect() };
    let options: Vec<String> = {
        let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), format!("SELECT CAST(id AS TEXT) FROM survey_option WHERE question_id = {} ORDER BY position", q.lacking))).await?;
        rows.iter().filter_map(|r| r.try_get_by_index::<String>(0).ok()).collect()
    };
    for (i, (_, key)) in asked.iter().enumerate().filter(|(i, _)| i % 3 != 2) {
        let mut general: BTreeMap<String, String> = BTreeMap::new();
        let strategy = i % 4 != 0;
        general.insert(format!("q{}", q.strategy), if strategy { "ja" } else { "nein" }.into());
        if strategy {
            general.insert(format!("q{}", q.since), format!("01.0{}.20{}", 1 + i % 9, 18 + i % 6));
        }
        general.insert(format!("q{}", q.staff), format!("{}", 1 + (i * 7) % 23));
        for (j, o) in options.iter().enumerate() {
            if (i >> j) & 1 == 1 || (j == 0 && i % 3 == 0) {
                general.insert(format!("q{}_o{o}", q.lacking), "on".into());
            }
        }
        let mut services: BTreeMap<String, String> = BTreeMap::new();
        if let Some((m, focus)) = &q.matrix {
            for (j, ozg) in focus.iter().enumerate() {
                services.insert(format!("q{m}_r{ozg}"), if (i / 3 + j) % 3 != 0 { "ja" } else { "nein" }.into());
            }
        }
        if i % 5 == 0 {
            services.insert(format!("q{}", q.wish), "Mehr Beratung zur Anbindung der EfA-Dienste und feste Ansprechpartner.".into());
        }
        let clerk = &people.clerk;
        answers::save_section(db, clerk, &scope, id, key, q.sections.0, 0, general, at).await.map_err(err)?;
        answers::save_section(db, clerk, &scope, id, key, q.sections.1, 1, services, at).await.map_err(err)?;
        answers::submit(db, clerk, &scope, id, key, 2, at).await.map_err(err)?;
    }
    Ok(())
}
