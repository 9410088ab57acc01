//! A data version for the set of cases an inbox filter can match (`data_version.case_set`): it
//! moves when a case is filed or deleted, when its link to an OZG-Leistung changes, or when a
//! column changes that a filter of the inbox reads — not when a note or a reply only moves a
//! case's time of last change. The inbox keeps its counts under this counter and its pages (whose
//! order follows every change) under `cases`, so a note costs the next request one page of ids,
//! not a count over every case.
//!
//! The messages of the cases move the `cases` counter themselves now (`dv_case_message`): the
//! clerk's start page keeps the Land's newest answers, and a message written beside the portal
//! without touching its case must not leave that list behind.
//!
//! The triggers compare the old and the new row, so a save that writes every column (as the
//! workflow's optimistic save does) moves the counter only when one of these values changed.
//! PostgreSQL moves it at commit, once per transaction, as the other counters (m0014).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns of `support_case` that the inbox's filters and scopes read.
pub const FILTERED: [&str; 12] = [
    "organisation_id",
    "created_by",
    "status",
    "owner_id",
    "team_id",
    "category_id",
    "priority",
    "tags",
    "created_at",
    "first_response_at",
    "response_due_at",
    "resolution_due_at",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let pg = db.get_database_backend() == DbBackend::Postgres;
        db.execute_unprepared("ALTER TABLE data_version ADD COLUMN case_set BIGINT NOT NULL DEFAULT 0").await?;
        let changed = FILTERED.iter().map(|c| format!("OLD.{c} IS DISTINCT FROM NEW.{c}")).collect::<Vec<_>>().join(" OR ");
        if pg {
            db.execute_unprepared(
                "CREATE CONSTRAINT TRIGGER dv_case_message AFTER INSERT OR UPDATE OR DELETE ON case_message \
                 DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_data_version('cases')",
            )
            .await?;
            for (name, event, table, when) in [
                ("dvs_support_case_rows", "INSERT OR DELETE", "support_case", String::new()),
                ("dvs_support_case_filtered", "UPDATE", "support_case", format!("WHEN ({changed}) ")),
                ("dvs_case_ozg", "INSERT OR UPDATE OR DELETE", "case_ozg", String::new()),
            ] {
                db.execute_unprepared(&format!(
                    "CREATE CONSTRAINT TRIGGER {name} AFTER {event} ON {table} DEFERRABLE INITIALLY DEFERRED \
                     FOR EACH ROW {when}EXECUTE FUNCTION bump_data_version('case_set')"
                ))
                .await?;
            }
        } else {
            // SQLite spells "is distinct from" as IS NOT.
            let changed = changed.replace("IS DISTINCT FROM", "IS NOT");
            for op in ["insert", "update", "delete"] {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER dv_case_message_{op} AFTER {op} ON case_message BEGIN UPDATE data_version SET cases = cases + 1 WHERE id = 1; END"
                ))
                .await?;
            }
            let bump = "BEGIN UPDATE data_version SET case_set = case_set + 1 WHERE id = 1; END";
            for sql in [
                format!("CREATE TRIGGER dvs_support_case_insert AFTER INSERT ON support_case {bump}"),
                format!("CREATE TRIGGER dvs_support_case_delete AFTER DELETE ON support_case {bump}"),
                format!("CREATE TRIGGER dvs_support_case_update AFTER UPDATE ON support_case WHEN {changed} {bump}"),
                format!("CREATE TRIGGER dvs_case_ozg_insert AFTER INSERT ON case_ozg {bump}"),
                format!("CREATE TRIGGER dvs_case_ozg_update AFTER UPDATE ON case_ozg {bump}"),
                format!("CREATE TRIGGER dvs_case_ozg_delete AFTER DELETE ON case_ozg {bump}"),
            ] {
                db.execute_unprepared(&sql).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            for (name, table) in [("dv_case_message", "case_message"), ("dvs_support_case_rows", "support_case"), ("dvs_support_case_filtered", "support_case"), ("dvs_case_ozg", "case_ozg")] {
                db.execute_unprepared(&format!("DROP TRIGGER {name} ON {table}")).await?;
            }
        } else {
            for name in ["case_message_insert", "case_message_update", "case_message_delete"] {
                db.execute_unprepared(&format!("DROP TRIGGER dv_{name}")).await?;
            }
            for name in ["support_case_insert", "support_case_delete", "support_case_update", "case_ozg_insert", "case_ozg_update", "case_ozg_delete"] {
                db.execute_unprepared(&format!("DROP TRIGGER dvs_{name}")).await?;
            }
        }
        db.execute_unprepared("ALTER TABLE data_version DROP COLUMN case_set").await?;
        Ok(())
    }
}
