//! Data versions: one row of counters that every change to the cases, the register, the people
//! or the reference data moves forward, in the same transaction as the change (database triggers, so no
//! write path can forget it). Each instance keeps what it computed from those tables (inbox
//! counts, the directory of names, catalogue figures, a Kommune's register list) for as long as the counters it read before
//! computing stand still; a change on any instance is seen by all of them on their next request.
//!
//! `epoch` tells databases apart: a process that talks to several databases (the tests) never
//! meets results kept for other data under equal counters. (A backup copied back is started with
//! fresh processes, whose memory holds nothing yet.)
//!
//! PostgreSQL moves the counters at commit (deferred constraint triggers), once per transaction
//! and counter: the row's lock is then always the last one a transaction takes, so two writers
//! cannot deadlock over it. SQLite has one writer at a time and moves them per row.
//!
//! Also an index for the duplicates of a case (read on every case page).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (counter, tables whose changes move it).
pub const COUNTERS: [(&str, &[&str]); 4] = [
    ("cases", &["support_case", "case_ozg"]),
    ("register", &["service_record", "service_record_history"]),
    ("people", &["app_user", "user_organisation"]),
    (
        "reference",
        &["organisation", "case_team", "case_category", "sla_target", "case_setting", "ozg_service", "leika_service", "efa_service", "maturity_criterion"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let pg = db.get_database_backend() == DbBackend::Postgres;
        db.execute_unprepared(
            "CREATE TABLE data_version (id INTEGER PRIMARY KEY, epoch VARCHAR(40) NOT NULL, \
             cases BIGINT NOT NULL DEFAULT 0, register BIGINT NOT NULL DEFAULT 0, people BIGINT NOT NULL DEFAULT 0, reference BIGINT NOT NULL DEFAULT 0)",
        )
        .await?;
        let epoch = if pg { "md5(random()::text || clock_timestamp()::text)" } else { "lower(hex(randomblob(16)))" };
        db.execute_unprepared(&format!("INSERT INTO data_version (id, epoch) VALUES (1, {epoch})")).await?;
        if pg {
            db.execute_unprepared(
                "CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 DECLARE flag text := 'ozg.bumped_' || TG_ARGV[0]; \
                 BEGIN \
                   IF current_setting(flag, true) IS DISTINCT FROM txid_current()::text THEN \
                     EXECUTE format('UPDATE data_version SET %I = %I + 1 WHERE id = 1', TG_ARGV[0], TG_ARGV[0]); \
                     PERFORM set_config(flag, txid_current()::text, true); \
                   END IF; \
                   RETURN NULL; \
                 END $$",
            )
            .await?;
        }
        for (counter, tables) in COUNTERS {
            for table in tables {
                if pg {
                    db.execute_unprepared(&format!(
                        "CREATE CONSTRAINT TRIGGER dv_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} \
                         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_data_version('{counter}')"
                    ))
                    .await?;
                } else {
                    for op in ["insert", "update", "delete"] {
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER dv_{table}_{op} AFTER {op} ON {table} BEGIN UPDATE data_version SET {counter} = {counter} + 1 WHERE id = 1; END"
                        ))
                        .await?;
                    }
                }
            }
        }
        m.create_index(Index::create().name("ix_case_duplicate_of").table("support_case").col("duplicate_of").to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let pg = db.get_database_backend() == DbBackend::Postgres;
        m.drop_index(Index::drop().name("ix_case_duplicate_of").table("support_case").to_owned()).await?;
        for (_, tables) in COUNTERS {
            for table in tables {
                if pg {
                    db.execute_unprepared(&format!("DROP TRIGGER dv_{table} ON {table}")).await?;
                } else {
                    for op in ["insert", "update", "delete"] {
                        db.execute_unprepared(&format!("DROP TRIGGER dv_{table}_{op}")).await?;
                    }
                }
            }
        }
        if pg {
            db.execute_unprepared("DROP FUNCTION bump_data_version()").await?;
        }
        db.execute_unprepared("DROP TABLE data_version").await?;
        Ok(())
    }
}
