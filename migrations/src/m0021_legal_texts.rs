//! The operator's legal texts (Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit)
//! as Markdown, every saved version kept: the newest is shown, the others are the history.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("legal_text")
                .col(string_len("page", 30))
                .col(integer("version"))
                .col(text("body"))
                .col(timestamp_with_time_zone("changed_at"))
                .col(string_len_null("changed_by", 36))
                .primary_key(Index::create().col("page").col("version"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("legal_text").to_owned()).await
    }
}
