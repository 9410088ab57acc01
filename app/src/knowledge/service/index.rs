//! The articles' full-text index (`core::fulltext`, tables of m0022). The document is the text a
//! reader sees, not the Markdown.

use crate::core::fulltext::{self, Index};
use crate::error::AppError;
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, DbBackend};

/// The searchable text of an article: title, summary, tags, Themenfelder and the text (Markdown).
pub fn document(title: &str, summary: &str, tags: &str, themenfelder: &[String], markdown: &str) -> String {
    let text = crate::core::markdown::parse(markdown).plain();
    format!("{title}\n{summary}\n{tags}\n{}\n{text}", themenfelder.join(" "))
}

/// The articles' index (m0022).
pub const ARTICLES: Index = Index { fts: "article_fts", table: "article_search", key: "article_id", ids: "article_search_ids", outer: "article.id" };

/// Replaces the article's search document.
pub async fn write(db: &impl ConnectionTrait, id: i64, doc: &str) -> Result<(), AppError> {
    fulltext::write(db, &ARTICLES, id, doc).await
}

/// The SQL condition "the article matches any of these word beginnings" (one index lookup).
pub fn condition_any(backend: DbBackend, words: &[String]) -> Option<Expr> {
    fulltext::condition_any(backend, &ARTICLES, words)
}

/// The SQL condition "the article matches these words" (every word, as a word beginning), or
/// `None` without words.
pub fn condition(backend: DbBackend, q: &str) -> Option<Expr> {
    fulltext::condition(backend, &ARTICLES, q)
}
