//! What readers give back: "War dieser Artikel hilfreich?" (one answer per account; a comment
//! goes to the author as a notification, never public), and the articles shown while a case is
//! filed, counted to learn how many cases they avoided.

use crate::knowledge::model::ArticleStatus;
use super::index;
use crate::access::scope::Scope;
use crate::core::config::Config;
use crate::core::entities::{article, article_ozg, article_suggestion, article_vote};
use crate::error::AppError;
use crate::knowledge::model::Suggestion;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

/// Words of case subjects that say nothing about the topic.
const GENERIC: [&str; 16] = [
    "frage", "fragen", "problem", "probleme", "hilfe", "bitte", "unsere", "unser", "kommune", "leistung", "leistungen", "online", "anfrage", "wegen",
    "umsetzung", "beratung",
];

/// The longest comment.
pub const MAX_COMMENT: usize = 2_000;

/// Records (or changes) the caller's answer; a comment reaches the author.
#[tracing::instrument(skip_all)]
pub async fn vote(db: &DatabaseConnection, config: &Config, user_id: &str, id: i64, helpful: bool, comment: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let comment = comment.trim();
    if comment.chars().count() > MAX_COMMENT {
        return Err(AppError::field("kommentar", "Der Kommentar darf höchstens 2.000 Zeichen lang sein."));
    }
    let txn = crate::core::db::begin_write(db).await?;
    let a = article::Entity::find_by_id(id).one(&txn).await?.filter(|a| a.status == ArticleStatus::Published).ok_or(AppError::NotFound)?;
    let before = article_vote::Entity::find_by_id((id, user_id.to_string())).one(&txn).await?;
    let given = !comment.is_empty();
    let comment = given.then(|| comment.to_string()).or_else(|| before.as_ref().and_then(|b| b.comment.clone()));
    let (yes, no) = match before.as_ref().map(|b| b.helpful) {
        None => (helpful as i64, !helpful as i64),
        Some(old) if old == helpful => (0, 0),
        Some(_) => (if helpful { 1 } else { -1 }, if helpful { -1 } else { 1 }),
    };
    let row = article_vote::ActiveModel { article_id: Set(id), user_id: Set(user_id.to_string()), helpful: Set(helpful), comment: Set(comment.clone()), created_at: Set(now) };
    match before {
        Some(_) => row.update(&txn).await?,
        None => row.insert(&txn).await?,
    };
    let sql = "UPDATE article SET helpful_yes = helpful_yes + ?, helpful_no = helpful_no + ? WHERE id = ?";
    txn.execute_raw(crate::core::db::stmt(txn.get_database_backend(), sql, vec![yes.into(), no.into(), id.into()])).await?;
    if given && let Some(author) = &a.author_id {
        let text = format!("Rückmeldung zum Artikel {} ({}): {}", crate::ui::format::quoted(&a.title), if helpful { "hilfreich" } else { "nicht hilfreich" }, comment.as_deref().unwrap_or_default());
        let link = format!("/wissen/{id}");
        crate::core::notify::notify(&txn, config, std::slice::from_ref(author), Some(user_id), None, Some(&link), crate::vocabulary::notify::NotificationKind::ArticleFeedback, &text, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The published articles (that the caller may read) matching a case being filed: its subject's
/// words, or one of its OZG-Leistungen; at most five.
#[tracing::instrument(skip_all)]
pub async fn matching(db: &impl ConnectionTrait, scope: &Scope, subject: &str, ozg_ids: &[String]) -> Result<Vec<Suggestion>, AppError> {
    let mut any = Condition::any();
    let backend = db.get_database_backend();
    // The subject's telling words (any of them: a question rarely uses an article's exact
    // words), as word beginnings without the usual German endings ("Gebührenbescheiden" finds
    // "Gebührenbescheide"), in one lookup of the index.
    let stems: Vec<String> = crate::core::search::search_terms(subject)
        .into_iter()
        .filter(|w| w.chars().count() >= 5 && !GENERIC.contains(&w.to_lowercase().as_str()))
        .map(|w| {
            let n = w.chars().count();
            w.chars().take(if n > 6 { n - 2 } else { n }).collect()
        })
        .collect();
    if let Some(c) = index::condition_any(backend, &stems) {
        any = any.add(c);
    }
    let visible = || {
        let mut cond = Condition::all().add(article::Column::Status.eq(ArticleStatus::Published));
        if let Some(audiences) = crate::access::policy::article_audiences(scope) {
            cond = cond.add(article::Column::Audience.is_in(audiences.iter().copied()));
        }
        cond
    };
    let find = |cond: Condition, limit: u64| {
        article::Entity::find().filter(cond).order_by_desc(article::Column::HelpfulYes).order_by_desc(Expr::col(article::Column::PublishedAt)).limit(limit).all(db)
    };
    // The articles of the chosen OZG-Leistungen come first, then those matching the subject.
    let mut rows = Vec::new();
    if !ozg_ids.is_empty() {
        let sub = Query::select().column(article_ozg::Column::ArticleId).from(article_ozg::Entity).and_where(article_ozg::Column::OzgId.is_in(ozg_ids.to_vec())).to_owned();
        rows = find(visible().add(article::Column::Id.in_subquery(sub)), SUGGESTIONS).await?;
    }
    if !any.is_empty() && (rows.len() as u64) < SUGGESTIONS {
        let mut cond = visible().add(any);
        if !rows.is_empty() {
            cond = cond.add(article::Column::Id.is_not_in(rows.iter().map(|a| a.id).collect::<Vec<_>>()));
        }
        rows.extend(find(cond, SUGGESTIONS - rows.len() as u64).await?);
    }
    Ok(rows.into_iter().map(|a| Suggestion { id: a.id, title: a.title, summary: a.summary }).collect())
}

/// Articles suggested while a case is filed, at most.
const SUGGESTIONS: u64 = 5;

/// The token of one clerk's filing on one day: reloading the form counts once.
pub fn filing_token(user_id: &str, now: DateTime<Utc>) -> String {
    format!("{user_id}:{}", now.with_timezone(&chrono_tz::Europe::Berlin).format("%Y-%m-%d"))
}

/// Counts the suggestions as shown (once per clerk, day and article; a reload writes nothing).
pub async fn shown(db: &impl ConnectionTrait, token: &str, articles: &[i64], now: DateTime<Utc>) -> Result<(), AppError> {
    let known: Vec<i64> = article_suggestion::Entity::find()
        .select_only()
        .column(article_suggestion::Column::ArticleId)
        .filter(article_suggestion::Column::Token.eq(token))
        .filter(article_suggestion::Column::ArticleId.is_in(articles.to_vec()))
        .into_tuple()
        .all(db)
        .await?;
    for id in articles.iter().filter(|a| !known.contains(a)) {
        let row = article_suggestion::ActiveModel { token: Set(token.to_string()), article_id: Set(*id), shown_at: Set(now), filed: Set(false) };
        article_suggestion::Entity::insert(row)
            .on_conflict(OnConflict::columns([article_suggestion::Column::Token, article_suggestion::Column::ArticleId]).do_nothing().to_owned())
            .try_insert()
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The clerk filed a case after all: that day's suggestions did not avoid it.
pub async fn filed(db: &impl ConnectionTrait, token: &str) -> Result<(), AppError> {
    article_suggestion::Entity::update_many()
        .col_expr(article_suggestion::Column::Filed, Expr::value(true))
        .filter(article_suggestion::Column::Token.eq(token))
        .exec(db)
        .await?;
    Ok(())
}
