//! The deadline job finds the running cases whose deadline passed and that are not yet marked as
//! breached. Through the index by status and deadlines (m0004) it read every running case past its
//! deadline, marked long ago or not: about 30,000 of 100,000 cases, 220 and 51 ms for its two
//! searches every 30 seconds on the portal's core. These partial indexes hold only the cases not
//! yet marked, so the job reads the few it has to mark. SQLite uses both (the query repeats their
//! condition, `… IS NULL`). PostgreSQL uses the first; for the second it still expects thousands
//! of matches and plans a table scan that would stop at the job's limit (about 80 ms on 100,000
//! cases, on the database's processor, not the portal's).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE INDEX ix_case_response_unmarked ON support_case (status, response_due_at) WHERE response_breached_at IS NULL AND first_response_at IS NULL",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX ix_case_resolution_unmarked ON support_case (status, resolution_due_at) WHERE resolution_breached_at IS NULL").await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_case_resolution_unmarked").table("support_case").to_owned()).await?;
        m.drop_index(Index::drop().name("ix_case_response_unmarked").table("support_case").to_owned()).await
    }
}
