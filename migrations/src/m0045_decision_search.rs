//! The decisions' full-text index for the register's search, of the shape of the articles'
//! (m0022): SQLite FTS5 with the decision's id as rowid; PostgreSQL a German tsvector in
//! `decision_search` with a GIN index, read by `decision_search_ids`. Decisions recorded before
//! are indexed with their title and text. The register's reach (bodies and visibilities) with
//! the years is read from one covering index instead of every decision's row.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(Index::create().name("ix_gremium_decision_reach").table("gremium_decision").col("gremium_id").col("visibility").col("year").col("decided_on").to_owned()).await?;
        let db = m.get_connection();
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                db.execute_unprepared("CREATE VIRTUAL TABLE decision_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')").await?;
                db.execute_unprepared("INSERT INTO decision_fts (rowid, body) SELECT id, title || char(10) || text FROM gremium_decision").await?;
            }
            _ => {
                db.execute_unprepared("CREATE TABLE decision_search (decision_id BIGINT PRIMARY KEY REFERENCES gremium_decision (id), tsv TSVECTOR NOT NULL)").await?;
                db.execute_unprepared("CREATE INDEX ix_decision_search_tsv ON decision_search USING GIN (tsv)").await?;
                db.execute_unprepared(
                    "CREATE FUNCTION decision_search_ids(q tsquery) RETURNS SETOF bigint \
                     LANGUAGE sql STABLE SET enable_seqscan = off SET enable_indexscan = off \
                     AS $$ SELECT decision_id FROM decision_search WHERE tsv @@ q $$",
                )
                .await?;
                db.execute_unprepared("INSERT INTO decision_search (decision_id, tsv) SELECT id, strip(to_tsvector('german', title || ' ' || text)) FROM gremium_decision").await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DbBackend::Sqlite {
            db.execute_unprepared("DROP TABLE decision_fts").await?;
        } else {
            db.execute_unprepared("DROP FUNCTION decision_search_ids(tsquery)").await?;
            db.execute_unprepared("DROP TABLE decision_search").await?;
        }
        m.drop_index(Index::drop().name("ix_gremium_decision_reach").table("gremium_decision").to_owned()).await
    }
}
