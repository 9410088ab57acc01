//! Where a change of a register record came from when a person did not type it into the
//! register itself (`service_record_history.source`: »Abfrage »…««, »Nachnutzung: …«).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("service_record_history").add_column(string_len_null("source", 300)).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("service_record_history").drop_column("source").to_owned()).await
    }
}
