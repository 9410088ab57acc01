//! `server bench wissen`: the Wissensportal's search on a fresh database (a new SQLite file, or an
//! empty PostgreSQL database) with generated published articles (10,000 by default): server time
//! of the search API and page by words of different frequency, two words, Themenfeld and
//! OZG-Leistung, and of the filing form's suggestions. Prints p50/p95/p99/max per kind.

use app::knowledge::model::Audience;
use crate::bench::cases_seed::{Vocabulary, WORDS};
use crate::bench::measure;
use app::core::entities::{article, article_field, article_ozg, ozg_service};
use app::identity::Role;
use app::knowledge::service::{index, store::ArticleInput};
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, Set, TransactionTrait};

fn urlencode(v: &str) -> String {
    form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

pub async fn run(articles: usize, rounds: usize, postgres: Option<String>) -> anyhow::Result<()> {
    use migrations::MigratorTrait;
    let dir = tempfile::tempdir()?;
    let db_url = postgres.unwrap_or_else(|| format!("sqlite://{}/wissen.sqlite", dir.path().display()));
    let db = app::core::db::connect(&db_url).await?;
    migrations::Migrator::up(&db, None).await?;
    anyhow::ensure!(
        article::Entity::find().one(&db).await?.is_none(),
        "Die Datenbank enthält schon Artikel; die Messung braucht eine leere Datenbank."
    );
    app::catalogue::service::import::import_shipped(&db, &mut |_, _, _| {}).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let vocabulary = Vocabulary::load(&db).await?;
    let services: Vec<ozg_service::Model> = ozg_service::Entity::find().all(&db).await?;
    let mut fields: Vec<String> = services.iter().map(|s| s.themenfeld.clone()).collect();
    fields.sort();
    fields.dedup();

    let mut rng = StdRng::seed_from_u64(2026);
    let bar = ProgressBar::new(articles as u64).with_style(ProgressStyle::with_template("Artikel anlegen {bar:40} {pos}/{len}")?);
    let started = std::time::Instant::now();
    let now = app::core::time::now();
    for chunk in (0..articles).collect::<Vec<_>>().chunks(500) {
        let txn = db.begin().await?;
        for _ in chunk {
            let n = rng.gen_range(1..=3);
            let chosen: Vec<&ozg_service::Model> = services.choose_multiple(&mut rng, n).collect();
            let paragraphs: Vec<String> = (0..rng.gen_range(3..=8))
                .map(|_| {
                    let words = rng.gen_range(15..=40);
                    vocabulary.sentence(&mut rng, words)
                })
                .collect();
            let title_words = rng.gen_range(3..=7);
            let input = ArticleInput {
                title: vocabulary.sentence(&mut rng, title_words),
                summary: vocabulary.sentence(&mut rng, 15),
                body: format!("## {}\n\n{}", vocabulary.sentence(&mut rng, 3), paragraphs.join("\n\n")),
                category: "Umsetzung".into(),
                tags: vocabulary.sentence(&mut rng, 3).replace(' ', ", "),
                audience: Some(if rng.gen_bool(0.7) { Audience::Public } else { Audience::Kommunen }),
                ozg_ids: chosen.iter().map(|s| s.ozg_id.clone()).collect(),
                themenfelder: {
                    let mut t: Vec<String> = chosen.iter().map(|s| s.themenfeld.clone()).collect();
                    t.sort();
                    t.dedup();
                    t
                },
                version: 1,
            };
            let published = now - chrono::Duration::minutes(rng.gen_range(0..525_600));
            let row = article::ActiveModel {
                title: Set(input.title.clone()),
                summary: Set(input.summary.clone()),
                body: Set(input.body.clone()),
                category: Set(input.category.clone()),
                tags: Set(input.tags.clone()),
                audience: Set(input.audience.unwrap_or_default()),
                status: Set(app::knowledge::model::ArticleStatus::Published),
                version: Set(1),
                author_id: Set(None),
                source_case: Set(None),
                pending_version: Set(None),
                reviewed_by: Set(None),
                reviewed_at: Set(Some(published)),
                published_at: Set(Some(published)),
                review_reminded_at: Set(None),
                views: Set(rng.gen_range(0..500)),
                helpful_yes: Set(rng.gen_range(0..20)),
                helpful_no: Set(rng.gen_range(0..5)),
                created_at: Set(published),
                updated_at: Set(published),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            for o in &input.ozg_ids {
                article_ozg::ActiveModel { article_id: Set(row.id), ozg_id: Set(o.clone()) }.insert(&txn).await?;
            }
            for t in &input.themenfelder {
                article_field::ActiveModel { article_id: Set(row.id), themenfeld: Set(t.clone()) }.insert(&txn).await?;
            }
            index::write(&txn, row.id, &index::document(&input.title, &input.summary, &input.tags, &input.themenfelder, &input.body)).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        txn.commit().await?;
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("ANALYZE article; ANALYZE article_field; ANALYZE article_ozg; ANALYZE article_search;").await?;
    }
    println!("{articles} veröffentlichte Artikel angelegt in {:.1} s", started.elapsed().as_secs_f64());

    // The anonymous rate limit is off for the measurement (it would answer 429, not search).
    let config = app::core::config::Config { open_data_rate: 0, cookie_secure: false, ..Default::default() };
    let state = app::core::state::AppState::new(db.clone(), config);
    let email = "mess.wissen@ozg-portal.example";
    app::accounts::service::users::create(
        &db,
        &state.hasher,
        None,
        app::accounts::service::users::NewUser { email: email.into(), name: "Messung Wissen".into(), role: Role::Clerk, org_keys: vec!["15003000".into()], password: format!("Messung {}", uuid::Uuid::new_v4()), is_demo: false },
    )
    .await
    .map_err(crate::fail)?;
    let clerk = app::accounts::service::users::find_by_email(&db, email).await?.ok_or_else(|| anyhow::anyhow!("Messkonto fehlt"))?;
    let cookie = format!("{}={}", app::core::session::cookie_name(&state.config), app::core::session::create(&db, &clerk.id).await?);
    let addr: std::net::SocketAddr = "127.0.0.1:3000".parse()?;
    let router = crate::http::router::build(state.clone(), crate::http::router::leptos_options("target/site", addr));

    let rare = &vocabulary.rare;
    let api = |q: String| format!("/api/v1/articles?q={q}");
    let middle: Vec<String> = rare.iter().skip(rare.len() / 4).step_by((rare.len() / 40).max(1)).take(10).map(|w| api(urlencode(w))).collect();
    let tail: Vec<String> = rare.iter().rev().step_by((rare.len() / 40).max(1)).take(10).map(|w| api(urlencode(w))).collect();
    let frequent: Vec<String> = WORDS.iter().step_by(10).map(|w| api(urlencode(w))).collect();
    let pairs: Vec<String> = WORDS.iter().zip(rare.iter().skip(rare.len() / 3)).step_by(10).map(|(a, b)| api(format!("{}+{}", urlencode(a), urlencode(b)))).collect();
    let by_field: Vec<String> = fields.iter().map(|f| format!("/api/v1/articles?themenfeld={}", urlencode(f))).collect();
    let by_service: Vec<String> = services.iter().step_by((services.len() / 20).max(1)).map(|s| format!("/api/v1/articles?leistung={}", s.ozg_id)).collect();
    let pages: Vec<String> = rare.iter().skip(rare.len() / 2).step_by((rare.len() / 20).max(1)).take(8).map(|w| format!("/wissen?q={}", urlencode(w))).collect();
    let filing: Vec<String> = WORDS.iter().zip(rare.iter().skip(rare.len() / 5)).step_by(12).map(|(a, b)| format!("/faelle/neu?schritt=2&betreff={}+{}", urlencode(a), urlencode(b))).collect();
    let kinds: Vec<(&str, Vec<String>, &str)> = vec![
        ("Wort mittel (API, anonym)", middle.clone(), ""),
        ("Wort mittel (API, Kommune)", middle, &cookie),
        ("Wort selten (API, anonym)", tail, ""),
        ("Allerweltswort (API, anonym)", frequent, ""),
        ("Wort + Wort (API, anonym)", pairs, ""),
        ("Themenfeld (API, anonym)", by_field, ""),
        ("OZG-Leistung (API, anonym)", by_service, ""),
        ("Suche (Seite, Kommune)", pages, &cookie),
        ("Vorschläge beim Fall (Seite)", filing, &cookie),
    ];
    println!("Datenbank: {:?}, {articles} Artikel, {rounds} Durchgänge", db.get_database_backend());
    println!("{:<32} {:>7} {:>9} {:>9} {:>9} {:>9}", "ANFRAGE", "N", "p50 ms", "p95 ms", "p99 ms", "max ms");
    let mut worst = 0.0_f64;
    for (label, paths, cookie) in kinds {
        worst = worst.max(measure(&router, label, &paths, cookie, rounds, 32).await?.0);
    }
    println!("Ziel: p95 ≤ 50 ms je Anfrageart. Schlechtestes p95: {worst:.2} ms → {}", if worst <= 50.0 { "erfüllt" } else { "NICHT erfüllt" });
    Ok(())
}
