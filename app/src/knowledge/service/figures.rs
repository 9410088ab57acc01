//! The Land's view of the Wissensportal (counts only), and the daily reminder to authors whose
//! articles are due for review.

use crate::knowledge::model::ArticleStatus;
use crate::core::config::Config;
use crate::core::entities::{article, ozg_service};
use crate::error::AppError;
use crate::knowledge::model::KnowledgeFigures;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement};

fn day(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| crate::core::time::format_berlin(t).chars().take(10).collect()).unwrap_or_else(|| "nie".into())
}

async fn count(db: &impl ConnectionTrait, sql: &str) -> Result<u64, AppError> {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
    Ok(row.and_then(|r| r.try_get_by_index::<i64>(0).ok()).unwrap_or(0).clamp(0, i64::MAX) as u64)
}

/// The figures of the advisors' page.
#[tracing::instrument(skip_all)]
pub async fn figures(db: &impl ConnectionTrait, review_days: i64, now: DateTime<Utc>) -> Result<KnowledgeFigures, AppError> {
    let published = || article::Entity::find().filter(article::Column::Status.eq(ArticleStatus::Published));
    // OZG-Leistungen by their number of cases, without a published article about them.
    let sql = "SELECT co.ozg_id, COUNT(*) AS n FROM case_ozg co \
               WHERE co.ozg_id NOT IN (SELECT ao.ozg_id FROM article_ozg ao JOIN article a ON a.id = ao.article_id WHERE a.status = ?) \
               GROUP BY co.ozg_id ORDER BY n DESC, co.ozg_id LIMIT 10";
    let rows = db.query_all_raw(crate::core::db::stmt(db.get_database_backend(), sql, vec![ArticleStatus::Published.into()])).await?;
    let mut uncovered = Vec::new();
    for r in rows {
        let (ozg, n): (String, i64) = (r.try_get_by_index(0)?, r.try_get_by_index(1)?);
        let name = ozg_service::Entity::find_by_id(ozg.clone()).one(db).await?.map(|s| s.name).unwrap_or_default();
        uncovered.push((ozg, name, Ord::max(n, 0) as u64));
    }
    let due = published()
        .filter(article::Column::ReviewedAt.lt(now - Duration::days(review_days)))
        .order_by_asc(article::Column::ReviewedAt)
        .limit(20)
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.title, day(a.reviewed_at)))
        .collect();
    let most_read = published().order_by_desc(article::Column::Views).limit(10).all(db).await?.into_iter().filter(|a| a.views > 0).map(|a| (a.id, a.title, a.views)).collect();
    let most_helpful = published()
        .filter(article::Column::HelpfulYes.gt(0))
        .order_by_desc(Expr::col(article::Column::HelpfulYes).sub(Expr::col(article::Column::HelpfulNo)))
        .order_by_desc(article::Column::HelpfulYes)
        .limit(10)
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.title, a.helpful_yes, a.helpful_no))
        .collect();
    // A filing counts as avoided once its day is over without a case from that clerk.
    let today = super::feedback::filing_token("", now);
    let shown_on_filing = count(db, "SELECT COUNT(*) FROM article_suggestion").await?;
    let avoided = count(db, &format!("SELECT COUNT(DISTINCT token) FROM article_suggestion WHERE NOT filed AND substr(token, length(token) - 9) < '{}'", &today[1..])).await?;
    Ok(KnowledgeFigures {
        uncovered,
        due,
        most_read,
        most_helpful,
        shown_on_filing,
        avoided,
        published: published().count(db).await?,
        drafts: article::Entity::find().filter(article::Column::Status.ne(ArticleStatus::Published)).count(db).await?,
    })
}

/// Reminds each author once when an article of theirs is due for review; returns how many.
#[tracing::instrument(skip_all)]
pub async fn remind(db: &DatabaseConnection, config: &Config, now: DateTime<Utc>) -> Result<usize, AppError> {
    let due = article::Entity::find()
        .filter(article::Column::Status.eq(ArticleStatus::Published))
        .filter(article::Column::ReviewedAt.lt(now - Duration::days(config.knowledge_review_days)))
        .filter(article::Column::ReviewRemindedAt.is_null())
        .filter(article::Column::AuthorId.is_not_null())
        .limit(200)
        .all(db)
        .await?;
    let mut n = 0;
    for a in due {
        let txn = crate::core::db::begin_write(db).await?;
        let res = article::Entity::update_many()
            .col_expr(article::Column::ReviewRemindedAt, Expr::value(now))
            .filter(article::Column::Id.eq(a.id))
            .filter(article::Column::ReviewRemindedAt.is_null())
            .exec(&txn)
            .await?;
        if res.rows_affected == 1 {
            let text = format!(
                "Ihr Artikel {} wurde zuletzt am {} geprüft. Bitte prüfen Sie, ob er noch stimmt, und bestätigen oder ändern Sie ihn.",
                crate::ui::format::quoted(&a.title),
                day(a.reviewed_at)
            );
            let author = a.author_id.clone().unwrap_or_default();
            let link = format!("/wissen/{}", a.id);
            crate::core::notify::notify(&txn, config, &[author], None, None, Some(&link), crate::vocabulary::notify::NotificationKind::ArticleDue, &text, now).await?;
            n += 1;
        }
        txn.commit().await?;
    }
    Ok(n)
}
