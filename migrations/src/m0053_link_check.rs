//! The weekly check of the online addresses in the register (issue "Nutzung und Abgleich"): one
//! row per address (keyed by its SHA-256, since an address may be 2,000 characters long), when it
//! was checked and is due again, who claimed it (several instances check each address once), what
//! was found and since when it is broken.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("link_check")
                .col(string_len("url_hash", 64).primary_key())
                .col(string_len("url", 2000))
                .col(timestamp_with_time_zone_null("checked_at"))
                .col(timestamp_with_time_zone("next_check_at"))
                .col(timestamp_with_time_zone_null("claimed_until"))
                .col(string_len_null("outcome", 32))
                .col(integer_null("http_status"))
                .col(string_len_null("detail", 300))
                .col(timestamp_with_time_zone_null("broken_since"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_link_check_due").table("link_check").col("next_check_at").to_owned()).await?;
        m.create_index(Index::create().name("ix_link_check_broken").table("link_check").col("broken_since").to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("link_check").to_owned()).await
    }
}
