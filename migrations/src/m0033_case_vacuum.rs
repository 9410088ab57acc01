//! PostgreSQL vacuums the cases table after 1 % of its rows changed instead of 20 %. The inbox's
//! and the start pages' counts are taken again each time the set of cases moves, and PostgreSQL
//! answers a count from an index alone only for table pages its visibility map marks as all
//! visible; every update clears a page's mark until the next vacuum. With the default threshold a
//! table of 100,000 cases waits for 20,000 changes: after a few thousand, a third of its pages
//! were marked, the count of unassigned cases read the whole table (55–115 ms instead of 3–5 ms)
//! and the advisors' start page fell to 77 requests/s under 50 writes/s (1,321 once vacuumed).
//! SQLite has no visibility map; nothing changes there.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const PARAMETERS: &str = "autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DbBackend::Postgres {
            m.get_connection().execute_unprepared(&format!("ALTER TABLE support_case SET ({PARAMETERS})")).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DbBackend::Postgres {
            m.get_connection()
                .execute_unprepared("ALTER TABLE support_case RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_insert_scale_factor, autovacuum_analyze_scale_factor)")
                .await?;
        }
        Ok(())
    }
}
