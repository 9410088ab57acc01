//! The articles' full-text index: SQLite FTS5 (rowid = article id), PostgreSQL a German tsvector
//! without word positions (no ranking or phrases are needed), read through its GIN index by
//! `article_search_ids` (m0022). The document is the text a reader sees, not the Markdown.

use crate::error::AppError;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

/// The searchable text of an article: title, summary, tags, Themenfelder and the text (Markdown).
pub fn document(title: &str, summary: &str, tags: &str, themenfelder: &[String], markdown: &str) -> String {
    let text = crate::core::markdown::parse(markdown).plain();
    format!("{title}\n{summary}\n{tags}\n{}\n{text}", themenfelder.join(" "))
}

/// Replaces the article's search document.
pub async fn write(db: &impl ConnectionTrait, id: i64, doc: &str) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    match backend {
        DbBackend::Sqlite => {
            db.execute_raw(Statement::from_sql_and_values(backend, "DELETE FROM article_fts WHERE rowid = ?", [id.into()])).await?;
            db.execute_raw(Statement::from_sql_and_values(backend, "INSERT INTO article_fts (rowid, body) VALUES (?, ?)", [id.into(), doc.into()])).await?;
        }
        _ => {
            db.execute_raw(Statement::from_sql_and_values(
                backend,
                "INSERT INTO article_search (article_id, tsv) VALUES ($1, strip(to_tsvector('german', $2))) ON CONFLICT (article_id) DO UPDATE SET tsv = EXCLUDED.tsv",
                [id.into(), doc.into()],
            ))
            .await?;
        }
    }
    Ok(())
}

/// The SQL condition "the article matches any of these word beginnings" (one index lookup).
pub fn condition_any(backend: DbBackend, words: &[String]) -> Option<sea_orm::sea_query::Expr> {
    let terms: Vec<String> = words.iter().flat_map(|w| crate::core::search::search_terms(w)).collect();
    if terms.is_empty() {
        return None;
    }
    Some(match backend {
        DbBackend::Sqlite => {
            let m = terms.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" OR ");
            sea_orm::sea_query::Expr::cust_with_values("article.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)", [m])
        }
        _ => {
            let m = terms.iter().map(|t| format!("{}:*", t.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect::<String>())).collect::<Vec<_>>().join(" | ");
            sea_orm::sea_query::Expr::cust(format!("article.id IN (SELECT article_search_ids(to_tsquery('german', '{m}')))"))
        }
    })
}

/// The SQL condition "the article matches these words" (every word, as a word beginning), or
/// `None` without words. Only letters and digits reach the statement (`search_terms`).
pub fn condition(backend: DbBackend, q: &str) -> Option<sea_orm::sea_query::Expr> {
    let terms = crate::core::search::search_terms(q);
    if terms.is_empty() {
        return None;
    }
    Some(match backend {
        DbBackend::Sqlite => {
            let m = terms.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" ");
            sea_orm::sea_query::Expr::cust_with_values("article.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)", [m])
        }
        _ => {
            let m = terms
                .iter()
                .map(|t| format!("{}:*", t.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect::<String>()))
                .collect::<Vec<_>>()
                .join(" & ");
            sea_orm::sea_query::Expr::cust(format!("article.id IN (SELECT article_search_ids(to_tsquery('german', '{m}')))"))
        }
    })
}
