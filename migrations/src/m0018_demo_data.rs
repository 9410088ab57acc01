//! Demo data (`server demo`): register records and Beratungsfälle carry a mark of their own, so
//! the demo can be removed with one command and is never mistaken for, or mixed with, real data.
//! A record or case written by a demo account is demo data as well.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["service_record", "support_case"] {
            m.alter_table(Table::alter().table(table).add_column(boolean("demo").default(false)).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["service_record", "support_case"] {
            m.alter_table(Table::alter().table(table).drop_column("demo").to_owned()).await?;
        }
        Ok(())
    }
}
