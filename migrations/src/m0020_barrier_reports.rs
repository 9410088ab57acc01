//! Reports of barriers (BITV 2.0 § 7): sent by anyone through "Barriere melden", worked by the
//! administrators. Only the SHA-256 of the sender's address is kept, to limit how often one
//! address may report.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("barrier_report")
                .col(string_len("id", 36).primary_key())
                .col(string_len("page", 500))
                .col(text("description"))
                .col(string_len_null("contact", 254))
                .col(string_len("status", 20))
                .col(string_len("address_hash", 64))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_barrier_report_address").table("barrier_report").col("address_hash").col("created_at").to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("barrier_report").to_owned()).await
    }
}
