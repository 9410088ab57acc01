//! Webhooks (issue "Partner und Dienste"): an administrator registers a receiver per organisation
//! with the events it wants (`webhook_receiver`, its secret for the signature beside it), every
//! event becomes one delivery per receiver in a persistent queue (`webhook_delivery`, retried
//! with backoff like the mail outbox, with its last answer), and the hosts an administrator
//! allows although they resolve to a private address (`webhook_host`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("webhook_receiver")
                .col(string_len("id", 36).primary_key())
                .col(string_len("organisation_id", 36))
                .col(string_len("url", 500))
                .col(string_len("secret", 80))
                .col(string_len("events", 200))
                .col(boolean("active").default(true))
                .col(boolean("demo").default(false))
                .col(string_len_null("created_by", 36))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(ForeignKey::create().name("fk_webhook_org").from("webhook_receiver", "organisation_id").to("organisation", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_webhook_org").table("webhook_receiver").col("organisation_id").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("webhook_delivery")
                .col(big_pk_auto("id"))
                .col(string_len("receiver_id", 36))
                .col(string_len("event", 40))
                .col(text("body"))
                .col(timestamp_with_time_zone("created_at"))
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(timestamp_with_time_zone_null("claimed_until"))
                .col(timestamp_with_time_zone_null("delivered_at"))
                .col(timestamp_with_time_zone_null("dead_at"))
                .col(integer_null("last_status"))
                .col(string_len_null("last_answer", 500))
                .foreign_key(ForeignKey::create().name("fk_delivery_receiver").from("webhook_delivery", "receiver_id").to("webhook_receiver", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_delivery_due").table("webhook_delivery").col("delivered_at").col("next_attempt_at").to_owned()).await?;
        m.create_index(Index::create().name("ix_delivery_receiver").table("webhook_delivery").col("receiver_id").col("id").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("webhook_host")
                .col(string_len("host", 253).primary_key())
                .col(string_len_null("added_by", 36))
                .col(timestamp_with_time_zone("added_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["webhook_delivery", "webhook_receiver", "webhook_host"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
