//! The third service-level timer of a case: the answer the Land owes once the Kommune wrote
//! again after the Land's answer (Folgeantwort). Its target per priority stands beside the other
//! two (the first response's target, to begin with); the case holds when the Kommune wrote
//! (`followup_since`), the pause counted until then (`followup_paused_base`: later pauses move the
//! deadline, as they move the others), the deadline, the answer and the escalation. The trigger on
//! the inbox's filtered columns (m0030) learns the new deadline and answer, as the views on
//! deadlines read them; a partial index holds the follow-ups not yet answered nor escalated for
//! the deadline job (as m0034 does for the other two).
//!
//! The statements run as one batch: on SQLite another connection of the pool may still read the
//! schema as it was before the trigger was dropped, and would refuse to create it again.

use crate::m0030_case_set_version::FILTERED;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const FOLLOWUP: [&str; 2] = ["followup_due_at", "followup_answered_at"];

/// The statements that (re)create the trigger moving `data_version.case_set` when one of these
/// columns changes.
fn filtered_trigger(backend: DbBackend, columns: &[&str]) -> Vec<String> {
    let changed = columns.iter().map(|c| format!("OLD.{c} IS DISTINCT FROM NEW.{c}")).collect::<Vec<_>>().join(" OR ");
    if backend == DbBackend::Postgres {
        vec![
            "DROP TRIGGER dvs_support_case_filtered ON support_case".into(),
            format!(
                "CREATE CONSTRAINT TRIGGER dvs_support_case_filtered AFTER UPDATE ON support_case DEFERRABLE INITIALLY DEFERRED \
                 FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION bump_data_version('case_set')"
            ),
        ]
    } else {
        let changed = changed.replace("IS DISTINCT FROM", "IS NOT");
        vec![
            "DROP TRIGGER dvs_support_case_update".into(),
            format!("CREATE TRIGGER dvs_support_case_update AFTER UPDATE ON support_case WHEN {changed} BEGIN UPDATE data_version SET case_set = case_set + 1 WHERE id = 1; END"),
        ]
    }
}

async fn batch(m: &SchemaManager<'_>, statements: Vec<String>) -> Result<(), DbErr> {
    m.get_connection().execute_unprepared(&statements.join(";\n")).await.map(|_| ())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        let alter = |table: &str, column: ColumnDef| backend.build(&Table::alter().table(table.to_string()).add_column(column).to_owned()).to_string();
        let mut sql = vec![
            alter("sla_target", ColumnDef::new("followup_minutes").integer().not_null().default(0).to_owned()),
            "UPDATE sla_target SET followup_minutes = first_response_minutes".into(),
        ];
        for column in ["followup_since", "followup_due_at", "followup_answered_at", "followup_breached_at"] {
            sql.push(alter("support_case", ColumnDef::new(column).timestamp_with_time_zone().null().to_owned()));
        }
        sql.push(alter("support_case", ColumnDef::new("followup_paused_base").integer().not_null().default(0).to_owned()));
        sql.push(
            "CREATE INDEX ix_case_followup_unmarked ON support_case (status, followup_due_at) \
             WHERE followup_breached_at IS NULL AND followup_answered_at IS NULL AND followup_due_at IS NOT NULL"
                .into(),
        );
        let columns: Vec<&str> = FILTERED.iter().chain(FOLLOWUP.iter()).copied().collect();
        sql.extend(filtered_trigger(backend, &columns));
        batch(m, sql).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        let mut sql = filtered_trigger(backend, &FILTERED);
        sql.push("DROP INDEX ix_case_followup_unmarked".into());
        for column in ["followup_paused_base", "followup_breached_at", "followup_answered_at", "followup_due_at", "followup_since"] {
            sql.push(format!("ALTER TABLE support_case DROP COLUMN {column}"));
        }
        sql.push("ALTER TABLE sla_target DROP COLUMN followup_minutes".into());
        batch(m, sql).await
    }
}
