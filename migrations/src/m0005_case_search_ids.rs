//! PostgreSQL: the matches of a case search collected through the GIN index.
//!
//! The planner prices reading a search document like reading any column, so for words of middle
//! frequency it prefers a sequential scan over all documents (hundreds of milliseconds at 100,000
//! cases) to the index. This function lets a search ask for its matches from the index alone.
//! SQLite searches through FTS5 and needs nothing here.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(
                "CREATE FUNCTION case_search_ids(q tsquery, with_internal boolean) RETURNS SETOF bigint \
                 LANGUAGE sql STABLE SET enable_seqscan = off SET enable_indexscan = off \
                 AS $$ SELECT case_id FROM case_search WHERE tsv @@ q AND (with_internal OR NOT internal) $$",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared("DROP FUNCTION case_search_ids(tsquery, boolean)").await?;
        }
        Ok(())
    }
}
