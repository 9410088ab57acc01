//! What a refused form held (`form_draft`), kept from the refusal until the page shows the form
//! again: taken (deleted) on that view, gone after 15 minutes. Only the hash of its token is
//! stored; the token travels in the redirect's URL.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("form_draft")
                .col(string_len("token_hash", 64).primary_key())
                .col(string_len_null("user_id", 36))
                .col(text("fields"))
                .col(timestamp_with_time_zone("expires_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_form_draft_expires").table("form_draft").col("expires_at").to_owned()).await?;
        m.create_index(Index::create().name("ix_form_draft_user").table("form_draft").col("user_id").to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("form_draft").to_owned()).await
    }
}
