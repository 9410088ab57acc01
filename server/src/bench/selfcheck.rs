//! The Selbstcheck at national scale for `bench abfragen`: a Selbstcheck of four weighted
//! sections to every Kommune, a result of every Kommune (written as rows, spread over kinds and
//! size classes), and the p95 of a Kommune's profile (its scores beside the mean of its group).

use app::surveys::model::{QuestionForm, SectionForm, SurveyForm};
use app::surveys::service::{build, release};
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// Builds and fills the Selbstcheck; returns its id.
pub async fn prepare(db: &DatabaseConnection, advisor: &str, now: chrono::DateTime<chrono::Utc>) -> anyhow::Result<i64> {
    let err = crate::fail;
    let today = now.date_naive();
    let form = SurveyForm { title: "Mess-Selbstcheck".into(), opens: today.format("%Y-%m-%d").to_string(), closes: (today + chrono::Duration::days(300)).format("%Y-%m-%d").to_string(), purpose: "selbstcheck".into(), ..Default::default() };
    let id = build::create(db, advisor, form.try_into().map_err(err)?, now).await.map_err(err)?;
    for title in ["Strategie", "Leistungen", "Personal", "Sicherheit"] {
        let section = build::add_section(db, advisor, id, SectionForm { title: title.into(), intro: String::new() }.try_into().map_err(err)?).await.map_err(err)?;
        let q = QuestionForm { section: section.to_string(), kind: "ja_nein".into(), text: format!("{title}: gibt es ein Konzept?"), ..Default::default() };
        build::add_question(db, advisor, id, q.try_into().map_err(err)?).await.map_err(err)?;
    }
    release::release(db, advisor, id, 1, now).await.map_err(err)?;
    let backend = db.get_database_backend();
    let started = std::time::Instant::now();
    let txn = app::core::db::begin_write(db).await?;
    // Every asked Kommune's result, its group as the submit would keep it, scores spread by key.
    app::core::db::exec(
        &txn,
        "INSERT INTO selfcheck_take (survey_id, organisation_id, kind, size_class, score, latest, taken_by, taken_at) \
         SELECT t.survey_id, o.id, o.kind, CASE WHEN COALESCE(o.population, 0) < 5000 THEN 'bis5000' WHEN o.population < 20000 THEN 'bis20000' WHEN o.population < 100000 THEN 'bis100000' ELSE 'ueber100000' END, \
         CAST(LENGTH(o.name) * 7 % 101 AS DOUBLE PRECISION), ?, NULL, ? FROM survey_target t JOIN organisation o ON o.id = t.organisation_id WHERE t.survey_id = ?",
        vec![true.into(), now.into(), id.into()],
    )
    .await
    .map_err(err)?;
    app::core::db::exec(
        &txn,
        "INSERT INTO selfcheck_score (take_id, section_id, score) SELECT k.id, s.id, CAST((k.id * 13 + s.id * 7) % 101 AS DOUBLE PRECISION) FROM selfcheck_take k JOIN survey_section s ON s.survey_id = k.survey_id WHERE k.survey_id = ?",
        vec![id.into()],
    )
    .await
    .map_err(err)?;
    txn.commit().await?;
    if backend == sea_orm::DbBackend::Postgres {
        db.execute_unprepared("ANALYZE selfcheck_take; ANALYZE selfcheck_score").await?;
    }
    let takes = db.query_one_raw(app::core::db::stmt(backend, "SELECT COUNT(*) FROM selfcheck_take WHERE survey_id = ?", vec![id.into()])).await?.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0);
    println!("Selbstcheck an alle Kommunen: {takes} Ergebnisse mit je 4 Abschnitten in {:.1} s geschrieben", started.elapsed().as_secs_f64());
    Ok(id)
}
