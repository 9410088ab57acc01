//! The weekly digest (issue "Partner und Dienste"): who asked for it, and the week its mail was
//! last composed for, claimed by a conditional update so that several instances send it once.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("digest_subscription")
                .col(string_len("user_id", 36).primary_key())
                .col(date_null("sent_for"))
                .col(timestamp_with_time_zone("since"))
                .foreign_key(ForeignKey::create().name("fk_digest_user").from("digest_subscription", "user_id").to("app_user", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("digest_subscription").to_owned()).await
    }
}
