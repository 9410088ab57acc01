//! Closing the loop with the partners (issue "Partner und Dienste", second part): a Beratungsfall
//! can be shared with the operator of an EfA service (`support_case.partner_org_id`), who then
//! answers in it; a granted funding application has the date its Verwendungsnachweis is due
//! and the due date its reminder went out for, so that each reminder goes out once whatever instance
//! runs the job.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("support_case").add_column(ColumnDef::new("partner_org_id").string_len(36).null()).to_owned()).await?;
        m.create_index(Index::create().name("ix_case_partner").table("support_case").col("partner_org_id").to_owned()).await?;
        m.alter_table(Table::alter().table("funding_application").add_column(ColumnDef::new("proof_due_on").date().null()).to_owned()).await?;
        m.alter_table(Table::alter().table("funding_application").add_column(ColumnDef::new("proof_reminded_for").date().null()).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_case_partner").table("support_case").to_owned()).await?;
        for (table, column) in [("support_case", "partner_org_id"), ("funding_application", "proof_due_on"), ("funding_application", "proof_reminded_for")] {
            m.alter_table(Table::alter().table(table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
