//! Full-text indexes of one shape, for the Wissensportal's articles and the Gremien's decisions:
//! SQLite FTS5 with the row's id as rowid; PostgreSQL a German tsvector without word positions (no
//! ranking or phrases are needed) in a side table with a GIN index, read through a set-returning
//! function that answers from the index alone (the planner prices reading a document like any
//! column and would otherwise scan every one). The tables come from the rooms' migrations.

use crate::error::AppError;
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

/// The names of one index.
pub struct Index {
    /// SQLite: the FTS5 table (one column `body`).
    pub fts: &'static str,
    /// PostgreSQL: the side table (`key`, `tsv`) and the function reading its ids.
    pub table: &'static str,
    pub key: &'static str,
    pub ids: &'static str,
    /// The indexed row's id column as the outer query names it (`article.id`).
    pub outer: &'static str,
}

/// Replaces the search document of row `id`.
pub async fn write(db: &impl ConnectionTrait, ix: &Index, id: i64, doc: &str) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    match backend {
        DbBackend::Sqlite => {
            db.execute_raw(Statement::from_sql_and_values(backend, format!("DELETE FROM {} WHERE rowid = ?", ix.fts), [id.into()])).await?;
            db.execute_raw(Statement::from_sql_and_values(backend, format!("INSERT INTO {} (rowid, body) VALUES (?, ?)", ix.fts), [id.into(), doc.into()])).await?;
        }
        _ => {
            let sql = format!(
                "INSERT INTO {t} ({k}, tsv) VALUES ($1, strip(to_tsvector('german', $2))) ON CONFLICT ({k}) DO UPDATE SET tsv = EXCLUDED.tsv",
                t = ix.table,
                k = ix.key
            );
            db.execute_raw(Statement::from_sql_and_values(backend, sql, [id.into(), doc.into()])).await?;
        }
    }
    Ok(())
}

/// The statement removing the search documents of the rows `ids_sql` selects (a sub-select).
pub fn removal(backend: DbBackend, ix: &Index, ids_sql: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("DELETE FROM {} WHERE {} IN ({ids_sql})", ix.table, ix.key),
        _ => format!("DELETE FROM {} WHERE rowid IN ({ids_sql})", ix.fts),
    }
}

/// The condition "the row matches the terms", joined by `all` (every term) or else any, each as a
/// word beginning. Only letters and digits reach the statement (`search_terms`).
fn matching(backend: DbBackend, ix: &Index, terms: &[String], all: bool) -> Option<Expr> {
    if terms.is_empty() {
        return None;
    }
    Some(match backend {
        DbBackend::Sqlite => {
            let m = terms.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(if all { " " } else { " OR " });
            Expr::cust_with_values(format!("{} IN (SELECT rowid FROM {} WHERE {} MATCH ?)", ix.outer, ix.fts, ix.fts), [m])
        }
        _ => {
            let m = terms
                .iter()
                .map(|t| format!("{}:*", t.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect::<String>()))
                .collect::<Vec<_>>()
                .join(if all { " & " } else { " | " });
            Expr::cust(format!("{} IN (SELECT {}(to_tsquery('german', '{m}')))", ix.outer, ix.ids))
        }
    })
}

/// The condition "the row matches these words" (every word, as a word beginning), or `None`
/// without words.
pub fn condition(backend: DbBackend, ix: &Index, q: &str) -> Option<Expr> {
    matching(backend, ix, &crate::core::search::search_terms(q), true)
}

/// The condition "the row matches any of these word beginnings" (one index lookup).
pub fn condition_any(backend: DbBackend, ix: &Index, words: &[String]) -> Option<Expr> {
    let terms: Vec<String> = words.iter().flat_map(|w| crate::core::search::search_terms(w)).collect();
    matching(backend, ix, &terms, false)
}
