//! An index of the cases by Kommune and status: a clerk's start page counts its Kommune's cases
//! that wait for it and that it can confirm as solved, as the inbox filtered by Kommune and status
//! does. Without it each count walked every case of the Kommune in the table (hundreds of rows
//! read for a large Kommune) on every change of the set of cases.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(Index::create().name("ix_case_org_status").table("support_case").col("organisation_id").col("status").to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_case_org_status").table("support_case").to_owned()).await
    }
}
