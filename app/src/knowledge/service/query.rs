//! Reading articles: the search (full text, Themenfeld, OZG-Leistung), one article with what
//! the caller may see of it, the editor's content, and an OZG-Leistung's articles.

use crate::knowledge::model::{ArticleStatus, Audience};
use super::index;
use super::store::{input_of, may_approve, themenfelder};
use crate::access::policy;
use crate::access::scope::Scope;
use crate::core::entities::{app_user, article, article_field, article_ozg, article_version, article_vote, ozg_service};
use crate::core::session::CurrentUser;
use crate::core::time::format_berlin;
use crate::error::AppError;
use crate::knowledge::model::*;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::BTreeMap;

fn day(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(|t| format_berlin(t).chars().take(10).collect())
}

async fn fields_of(db: &impl ConnectionTrait, ids: &[i64]) -> Result<BTreeMap<i64, Vec<String>>, AppError> {
    let mut out: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for f in article_field::Entity::find().filter(article_field::Column::ArticleId.is_in(ids.to_vec())).all(db).await? {
        out.entry(f.article_id).or_default().push(f.themenfeld);
    }
    Ok(out)
}

async fn summaries(db: &impl ConnectionTrait, rows: Vec<article::Model>) -> Result<Vec<ArticleSummary>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut fields = fields_of(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| ArticleSummary {
            id: r.id,
            themenfelder: fields.remove(&r.id).unwrap_or_default(),
            title: r.title,
            summary: r.summary,
            category: r.category,
            audience: r.audience,
            status: r.status,
            reviewed: day(r.reviewed_at),
        })
        .collect())
}

/// What of the articles the caller may list: advisors any state they ask for, everyone else
/// published ones of their audiences.
fn visible(scope: &Scope, status: Option<ArticleStatus>) -> Condition {
    let mut c = Condition::all();
    if let Some(status) = status.filter(|s| policy::is_advisor(scope) && *s != ArticleStatus::Published) {
        return c.add(article::Column::Status.eq(status));
    }
    c = c.add(article::Column::Status.eq(ArticleStatus::Published));
    if let Some(audiences) = policy::article_audiences(scope) {
        c = c.add(article::Column::Audience.is_in(audiences.iter().copied()));
    }
    c
}

/// A page of articles matching the query, newest publication first.
#[tracing::instrument(skip_all)]
pub async fn search(db: &impl ConnectionTrait, scope: &Scope, q: &ArticleQuery) -> Result<ArticleResults, AppError> {
    let mut cond = visible(scope, q.status);
    if let Some(text) = index::condition(db.get_database_backend(), &q.q) {
        cond = cond.add(text);
    }
    if !q.themenfeld.trim().is_empty() {
        let sub = Query::select().column(article_field::Column::ArticleId).from(article_field::Entity).and_where(article_field::Column::Themenfeld.eq(q.themenfeld.trim())).to_owned();
        cond = cond.add(article::Column::Id.in_subquery(sub));
    }
    if !q.leistung.trim().is_empty() {
        let sub = Query::select().column(article_ozg::Column::ArticleId).from(article_ozg::Entity).and_where(article_ozg::Column::OzgId.eq(q.leistung.trim())).to_owned();
        cond = cond.add(article::Column::Id.in_subquery(sub));
    }
    let select = article::Entity::find().filter(cond);
    let total = select.clone().count(db).await?;
    let paging = crate::vocabulary::paging::Paging::of(q.seite, PAGE_SIZE, total);
    let rows = select
        .order_by_desc(Expr::col(article::Column::PublishedAt))
        .order_by_desc(article::Column::UpdatedAt)
        .order_by_desc(article::Column::Id)
        .offset(paging.offset())
        .limit(PAGE_SIZE)
        .all(db)
        .await?;
    Ok(ArticleResults { total, page: paging.page, pages: paging.pages, articles: summaries(db, rows).await? })
}

/// The published articles about an OZG-Leistung the caller may read (its record page lists them).
pub async fn for_service(db: &impl ConnectionTrait, scope: &Scope, ozg_id: &str) -> Result<Vec<ArticleSummary>, AppError> {
    let q = ArticleQuery { leistung: ozg_id.to_string(), ..Default::default() };
    Ok(search(db, scope, &q).await?.articles)
}

async fn name_of(db: &impl ConnectionTrait, id: Option<&str>) -> Result<String, AppError> {
    Ok(match id {
        Some(id) => app_user::Entity::find_by_id(id.to_string()).one(db).await?.map(|u| u.name).unwrap_or_else(|| "gelöschtes Konto".into()),
        None => "unbekannt".into(),
    })
}

/// Settings of the Wissensportal the views need.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub second_review: bool,
    pub review_days: i64,
}

/// One article as `user` may see it; advisors may ask for an older `version`. A reader's visit
/// is counted (`count`).
#[tracing::instrument(skip_all)]
pub async fn view(db: &impl ConnectionTrait, user: Option<&CurrentUser>, id: i64, version: Option<i32>, rules: Rules, count: bool, now: DateTime<Utc>) -> Result<ArticleView, AppError> {
    let scope = Scope::of(user);
    let a = article::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    policy::article_read(&scope, a.status, a.audience)?;
    let advisor = policy::is_advisor(&scope);
    let shown = match version.filter(|_| advisor) {
        Some(v) => Some(input_of(&article_version::Entity::find_by_id((id, v)).one(db).await?.ok_or(AppError::NotFound)?)),
        None => None,
    };
    let (ozg_ids, fields) = match &shown {
        Some(s) => (s.ozg_ids.clone(), s.themenfelder.clone()),
        None => (
            article_ozg::Entity::find().filter(article_ozg::Column::ArticleId.eq(id)).all(db).await?.into_iter().map(|o| o.ozg_id).collect(),
            fields_of(db, &[id]).await?.remove(&id).unwrap_or_default(),
        ),
    };
    let names: BTreeMap<String, String> =
        ozg_service::Entity::find().filter(ozg_service::Column::OzgId.is_in(ozg_ids.clone())).all(db).await?.into_iter().map(|s| (s.ozg_id, s.name)).collect();
    let services = ozg_ids.iter().map(|o| ArticleService { ozg_id: o.clone(), name: names.get(o).cloned().unwrap_or_default() }).collect();
    let my_vote = match user {
        Some(u) => article_vote::Entity::find_by_id((id, u.id.clone())).one(db).await?.map(|v| v.helpful),
        None => None,
    };
    if count && !advisor && a.status == ArticleStatus::Published {
        note_view(id);
    }
    let desk = if advisor { Some(desk(db, user, &a, rules, now).await?) } else { None };
    let (title, summary, body, category, tags, audience) = match shown {
        Some(s) => (s.title, s.summary, s.body, s.category, s.tags, s.audience.unwrap_or_default()),
        None => (a.title, a.summary, a.body, a.category, a.tags, a.audience),
    };
    Ok(ArticleView {
        id,
        title,
        summary,
        text: crate::core::markdown::parse(&body),
        category,
        tags: tags.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect(),
        themenfelder: fields,
        services,
        audience,
        status: a.status,
        reviewed: day(a.reviewed_at),
        published: day(a.published_at),
        version: version.unwrap_or(a.version),
        my_vote,
        may_vote: user.is_some_and(|u| !u.via_token && !u.read_only),
        desk,
        files: super::files::list(db, id).await?,
    })
}

/// An article for the REST API (what `view` shows, with the Markdown instead of the tree).
pub async fn document(db: &impl ConnectionTrait, user: Option<&CurrentUser>, id: i64, rules: Rules, now: DateTime<Utc>) -> Result<ArticleDocument, AppError> {
    let v = view(db, user, id, None, rules, true, now).await?;
    let a = article::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    Ok(ArticleDocument {
        id,
        title: v.title,
        summary: v.summary,
        markdown: a.body,
        category: v.category,
        tags: v.tags,
        themenfelder: v.themenfelder,
        services: v.services,
        audience: v.audience,
        status: v.status,
        reviewed: v.reviewed,
        published: v.published,
    })
}

/// Reads counted on this instance and not yet added to the database: a read writes nothing
/// (a public page must not cost a write per request); the job adds them every run.
static VIEWS: std::sync::Mutex<BTreeMap<i64, i64>> = std::sync::Mutex::new(BTreeMap::new());

fn note_view(id: i64) {
    if let Ok(mut v) = VIEWS.lock() {
        *v.entry(id).or_default() += 1;
    }
}

/// Adds the reads counted since the last run to the articles (additive, so every instance may
/// do it); returns how many articles changed.
pub async fn flush_views(db: &sea_orm::DatabaseConnection) -> Result<usize, AppError> {
    let taken = std::mem::take(&mut *VIEWS.lock().map_err(|_| AppError::Internal)?);
    if taken.is_empty() {
        return Ok(0);
    }
    let txn = crate::core::db::begin_write(db).await?;
    for (id, n) in &taken {
        let stmt = crate::core::db::stmt(txn.get_database_backend(), "UPDATE article SET views = views + ? WHERE id = ?", vec![(*n).into(), (*id).into()]);
        txn.execute_raw(stmt).await?;
    }
    txn.commit().await?;
    Ok(taken.len())
}

/// Whether an article checked at `reviewed` is due for review.
pub fn review_due(reviewed: Option<DateTime<Utc>>, review_days: i64, now: DateTime<Utc>) -> bool {
    reviewed.is_some_and(|r| now - r > chrono::Duration::days(review_days))
}

async fn desk(db: &impl ConnectionTrait, user: Option<&CurrentUser>, a: &article::Model, rules: Rules, now: DateTime<Utc>) -> Result<ArticleDesk, AppError> {
    let rows = article_version::Entity::find().filter(article_version::Column::ArticleId.eq(a.id)).order_by_desc(article_version::Column::Version).all(db).await?;
    let mut versions = Vec::with_capacity(rows.len());
    for r in &rows {
        versions.push(ArticleVersionItem { version: r.version, change: r.change.clone(), changed: format_berlin(r.changed_at), by: name_of(db, r.changed_by.as_deref()).await? });
    }
    let under_review = rows.iter().find(|r| r.version == a.pending_version.unwrap_or(a.version));
    let votes = article_vote::Entity::find().filter(article_vote::Column::ArticleId.eq(a.id)).filter(article_vote::Column::Comment.is_not_null()).order_by_desc(article_vote::Column::CreatedAt).limit(100).all(db).await?;
    let mut feedback = Vec::with_capacity(votes.len());
    for v in votes {
        feedback.push(ArticleFeedback { helpful: v.helpful, comment: v.comment.unwrap_or_default(), from: name_of(db, Some(&v.user_id)).await?, at: format_berlin(v.created_at) });
    }
    Ok(ArticleDesk {
        author: name_of(db, a.author_id.as_deref()).await?,
        versions,
        feedback,
        helpful_yes: a.helpful_yes,
        helpful_no: a.helpful_no,
        views: a.views,
        pending_version: a.pending_version,
        second_review: rules.second_review,
        may_approve: match user {
            Some(u) => may_approve(&u.id, &super::store::changers_since_publication(db, a).await?, rules.second_review),
            None => false,
        },
        review_version: under_review.map(|r| r.version),
        review_due: a.status == ArticleStatus::Published && review_due(a.reviewed_at, rules.review_days, now),
        source_case: a.source_case,
    })
}

/// The editor's content: empty for a new article, else the newest version (a pending change
/// included).
pub async fn editor(db: &impl ConnectionTrait, id: Option<i64>, from_case: Option<i64>) -> Result<ArticleDraft, AppError> {
    let all_themenfelder = themenfelder(db).await?;
    let Some(id) = id else {
        if let Some(case_id) = from_case {
            let i = super::from_case::starting_text(db, case_id).await?;
            return Ok(ArticleDraft {
                title: i.title,
                summary: i.summary,
                body: i.body,
                category: i.category,
                audience: i.audience.unwrap_or_default(),
                ozg_ids: i.ozg_ids.join(", "),
                status: ArticleStatus::Draft,
                source_case: Some(case_id),
                all_themenfelder,
                ..Default::default()
            });
        }
        return Ok(ArticleDraft { audience: Audience::Kommunen, status: ArticleStatus::Draft, all_themenfelder, ..Default::default() });
    };
    let a = article::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let v = article_version::Entity::find_by_id((id, a.version)).one(db).await?.ok_or(AppError::NotFound)?;
    let i = input_of(&v);
    Ok(ArticleDraft {
        id: Some(id),
        title: i.title,
        summary: i.summary,
        body: i.body,
        category: i.category,
        tags: i.tags,
        audience: i.audience.unwrap_or_default(),
        ozg_ids: i.ozg_ids.join(", "),
        themenfelder: i.themenfelder,
        version: a.version,
        status: a.status,
        source_case: a.source_case,
        all_themenfelder,
    })
}
