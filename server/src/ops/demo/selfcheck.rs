//! The demo's Selbstcheck: four weighted sections with recommendations of the demo's articles
//! and funding programmes, open for a year, taken by about two of three Kommunen (each a little
//! differently, so the profiles have groups to compare with) — not by the demo clerks' own
//! Kommunen, whose clerks take it themselves.

use super::people::People;
use app::core::state::AppState;
use app::surveys::model::{QuestionForm, SectionForm, SurveyForm};
use app::surveys::selfcheck::SectionSettingsForm;
use app::surveys::service::{answers, build, release, selfcheck};
use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, Statement};
use std::collections::BTreeMap;

fn ids(rows: Vec<sea_orm::QueryResult>) -> Vec<i64> {
    rows.iter().filter_map(|r| r.try_get_by_index::<i64>(0).ok()).collect()
}

/// Writes the Selbstcheck and its results; returns its id.
pub async fn write(state: &AppState, people: &People) -> anyhow::Result<i64> {
    let db = &state.db;
    let err = crate::fail;
    let author = &people.advisor.id;
    let now = Utc::now();
    let day = |d: chrono::DateTime<Utc>| d.format("%Y-%m-%d").to_string();
    let form = SurveyForm {
        title: "Digitalisierungs-Selbstcheck".into(),
        description: "Wie digital ist Ihre Verwaltung? Beantworten Sie die Fragen, sooft Sie wollen; Ihr Profil zeigt je Abschnitt, wo Sie stehen, neben dem Durchschnitt von Kommunen Ihrer Art und Größe, und was Ihnen weiterhilft.".into(),
        opens: day(now - Duration::days(30)),
        closes: day(now + Duration::days(335)),
        purpose: "selbstcheck".into(),
        ..Default::default()
    };
    let id = build::create(db, author, form.try_into().map_err(err)?, now - Duration::days(30)).await.map_err(err)?;
    let q = |section: i64, kind: &str, text: &str| QuestionForm { section: section.to_string(), kind: kind.into(), text: text.into(), required: Some("on".into()), ..Default::default() };
    let mut sections = Vec::new();
    for title in ["Strategie und Steuerung", "Online-Leistungen", "Personal und Kompetenz", "Informationssicherheit"] {
        sections.push(build::add_section(db, author, id, SectionForm { title: title.into(), intro: String::new() }.try_into().map_err(err)?).await.map_err(err)?);
    }
    let add = |form: QuestionForm| async move { build::add_question(db, author, id, form.try_into().map_err(err)?).await.map_err(err) };
    let strategy = add(q(sections[0], "ja_nein", "Hat Ihre Kommune eine beschlossene Digitalisierungsstrategie?")).await?;
    let steering = add(QuestionForm { options: "nicht eigens\nnebenbei durch eine Person\neine feste Stelle\nein Team mit eigenem Budget".into(), ..q(sections[0], "einfach", "Wer steuert die Digitalisierung?") }).await?;
    let online = add(QuestionForm { unit: "Leistungen".into(), min: "0".into(), max: "100".into(), ..q(sections[1], "zahl", "Wie viele OZG-Leistungen bietet Ihre Kommune online an?") }).await?;
    let account = add(q(sections[1], "ja_nein", "Ist Ihre Kommune an das Servicekonto angebunden?")).await?;
    let training = add(QuestionForm { options: "niemand\neinzelne\netwa ein Viertel\nmehr als die Hälfte".into(), ..q(sections[2], "einfach", "Wie viele Beschäftigte haben in diesem Jahr eine Fortbildung zur Digitalisierung besucht?") }).await?;
    let concept = add(q(sections[3], "ja_nein", "Gibt es ein Informationssicherheitskonzept?")).await?;
    let officer = add(q(sections[3], "ja_nein", "Ist eine Person für die Informationssicherheit benannt?")).await?;
    // The Land weighs online services most; each section recommends what the demo has.
    let articles = ids(db.query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT id FROM article WHERE demo AND status = 'veroeffentlicht' ORDER BY id LIMIT 4")).await?);
    let programmes = ids(db.query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT id FROM funding_programme WHERE demo AND active ORDER BY id LIMIT 2")).await?);
    for (n, (section, weight)) in sections.iter().zip([2, 3, 1, 2]).enumerate() {
        let form = SectionSettingsForm {
            weight: weight.to_string(),
            articles: articles.iter().skip(n).take(1).map(|a| a.to_string()).collect(),
            programmes: programmes.iter().skip(n % 2).take(usize::from(n != 2)).map(|p| p.to_string()).collect(),
        };
        selfcheck::set_section(db, author, id, *section, form.try_into().map_err(err)?).await.map_err(err)?;
    }
    release::release(db, author, id, 1, now - Duration::days(30)).await.map_err(err)?;
    let options = |question: i64| async move {
        let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), format!("SELECT id FROM survey_option WHERE question_id = {question} ORDER BY position"))).await?;
        anyhow::Ok(ids(rows))
    };
    let (steering_options, training_options) = (options(steering).await?, options(training).await?);
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), format!("SELECT o.id, o.key FROM survey_target t JOIN organisation o ON o.id = t.organisation_id WHERE t.survey_id = {id} ORDER BY o.key"))).await?;
    let own: Vec<&String> = people.clerk_orgs.iter().map(|o| &o.0).collect();
    let asked: Vec<(String, String)> = rows.iter().filter_map(|r| Some((r.try_get_by_index::<String>(0).ok()?, r.try_get_by_index::<String>(1).ok()?))).filter(|(org, _)| !own.contains(&org)).collect();
    let scope = app::access::scope::Scope::Municipal { org_ids: asked.iter().map(|a| a.0.clone()).collect() };
    let yes = |b: bool| if b { "ja" } else { "nein" }.to_string();
    let at = now - Duration::days(20);
    for (i, (_, key)) in asked.iter().enumerate().filter(|(i, _)| i % 3 != 2) {
        let values: [BTreeMap<String, String>; 4] = [
            BTreeMap::from([(format!("q{strategy}"), yes(i % 3 == 0)), (format!("q{steering}"), steering_options[i % steering_options.len()].to_string())]),
            BTreeMap::from([(format!("q{online}"), ((i * 13) % 90 + 5).to_string()), (format!("q{account}"), yes(i % 4 != 1))]),
            BTreeMap::from([(format!("q{training}"), training_options[(i / 2) % training_options.len()].to_string())]),
            BTreeMap::from([(format!("q{concept}"), yes(i % 5 > 1)), (format!("q{officer}"), yes(i % 2 == 0))]),
        ];
        for (version, (section, values)) in sections.iter().zip(values).enumerate() {
            answers::save_section(db, &people.clerk, &scope, id, key, *section, version as i32, values, at).await.map_err(err)?;
        }
        answers::submit(db, &people.clerk, &scope, id, key, sections.len() as i32, at).await.map_err(err)?;
    }
    Ok(id)
}
