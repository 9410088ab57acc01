//! When the Land last answered a case publicly (`support_case.land_answered_at`): a clerk's start
//! page lists the cases of the Kommune with an answer newer than the clerk's last look. Read from
//! the messages, that meant every message of the Kommune's cases in the last 60 days (about 6 ms
//! for a Kommune of 3,000 cases), again after every change of any case; from this column it is a
//! range of one index. A trigger on `case_message` keeps it in the transaction that writes the
//! answer, so no write path can forget it (messages are never changed, only added, and removed
//! only with their case).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let pg = db.get_database_backend() == DbBackend::Postgres;
        m.alter_table(Table::alter().table("support_case").add_column(timestamp_with_time_zone_null("land_answered_at")).to_owned()).await?;
        m.create_index(Index::create().name("ix_case_land_answered").table("support_case").col("organisation_id").col("land_answered_at").to_owned()).await?;
        if pg {
            db.execute_unprepared(
                "CREATE FUNCTION case_land_answered() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN \
                   UPDATE support_case SET land_answered_at = NEW.created_at \
                   WHERE id = NEW.case_id AND (land_answered_at IS NULL OR land_answered_at < NEW.created_at); \
                   RETURN NULL; \
                 END $$",
            )
            .await?;
            db.execute_unprepared(
                "CREATE TRIGGER case_land_answered AFTER INSERT ON case_message FOR EACH ROW \
                 WHEN (NEW.author_side = 'land' AND NOT NEW.internal) EXECUTE FUNCTION case_land_answered()",
            )
            .await?;
        } else {
            db.execute_unprepared(
                "CREATE TRIGGER case_land_answered AFTER INSERT ON case_message \
                 WHEN NEW.author_side = 'land' AND NEW.internal = 0 BEGIN \
                   UPDATE support_case SET land_answered_at = NEW.created_at \
                   WHERE id = NEW.case_id AND (land_answered_at IS NULL OR land_answered_at < NEW.created_at); \
                 END",
            )
            .await?;
        }
        // Last: on PostgreSQL the update queues the data versions' deferred triggers, and a table
        // with pending trigger events takes no index in the same transaction.
        let public = if pg { "NOT m.internal" } else { "m.internal = 0" };
        db.execute_unprepared(&format!(
            "UPDATE support_case SET land_answered_at = (SELECT MAX(m.created_at) FROM case_message m \
             WHERE m.case_id = support_case.id AND m.author_side = 'land' AND {public})"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared("DROP TRIGGER case_land_answered ON case_message").await?;
            db.execute_unprepared("DROP FUNCTION case_land_answered()").await?;
        } else {
            db.execute_unprepared("DROP TRIGGER case_land_answered").await?;
        }
        m.drop_index(Index::drop().name("ix_case_land_answered").table("support_case").to_owned()).await?;
        m.alter_table(Table::alter().table("support_case").drop_column("land_answered_at").to_owned()).await
    }
}
