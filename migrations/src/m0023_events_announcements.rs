//! Files of Wissensportal articles (under the case attachments' rules). The OZG-Sprechstunde and other events of the Land (with registrations and a waiting list),
//! announcements to all Kommunen or a selection (resolved to Kommunen when published, read per
//! person), and mail attachments (the `.ics` of an event) in the outbox.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("mail_outbox").add_column(string_len_null("attachment_name", 200)).to_owned()).await?;
        m.alter_table(Table::alter().table("mail_outbox").add_column(text_null("attachment_body")).to_owned()).await?;
        // Demo content of the Wissensportal is marked like the demo's records and cases.
        m.alter_table(Table::alter().table("article").add_column(boolean("demo").default(false)).to_owned()).await?;
        m.create_table(
            Table::create()
                .table("article_file")
                .col(string_len("id", 36).primary_key())
                .col(big_integer("article_id"))
                .col(string_len("filename", 255))
                .col(string_len("content_type", 100))
                .col(big_integer("size"))
                .col(string_len("sha256", 64))
                .col(string_len("uploaded_by", 36))
                .col(timestamp_with_time_zone("created_at"))
                .col(blob("data"))
                .foreign_key(ForeignKey::create().name("fk_article_file").from("article_file", "article_id").to("article", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_article_file_article").table("article_file").col("article_id").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("event")
                .col(big_pk_auto("id"))
                .col(string_len("title", 200))
                .col(text("description"))
                .col(timestamp_with_time_zone("starts_at"))
                .col(timestamp_with_time_zone("ends_at"))
                .col(string_len_null("online_url", 500))
                .col(string_len_null("place", 300))
                .col(integer_null("capacity"))
                .col(string_len("audience", 12))
                .col(string_len("status", 12))
                .col(boolean("demo").default(false))
                .col(text_null("materials"))
                .col(integer("version"))
                .col(string_len_null("created_by", 36))
                .col(timestamp_with_time_zone_null("reminded_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_event_starts").table("event").col("starts_at").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("event_field")
                .col(big_integer("event_id"))
                .col(string_len("themenfeld", 200))
                .primary_key(Index::create().col("event_id").col("themenfeld"))
                .foreign_key(ForeignKey::create().name("fk_event_field").from("event_field", "event_id").to("event", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("event_registration")
                .col(big_integer("event_id"))
                .col(string_len("user_id", 36))
                .col(string_len("status", 12))
                .col(timestamp_with_time_zone("registered_at"))
                .col(timestamp_with_time_zone("changed_at"))
                .primary_key(Index::create().col("event_id").col("user_id"))
                .foreign_key(ForeignKey::create().name("fk_event_registration").from("event_registration", "event_id").to("event", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_event_registration_user").table("event_registration").col("user_id").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("announcement")
                .col(big_pk_auto("id"))
                .col(string_len("title", 200))
                .col(text("body"))
                .col(string_len("target_kind", 20))
                .col(string_len("target_value", 2000))
                .col(string_len("target_label", 500))
                .col(string_len_null("created_by", 36))
                .col(timestamp_with_time_zone("published_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(boolean("demo").default(false))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("announcement_target")
                .col(big_integer("announcement_id"))
                .col(string_len("organisation_id", 36))
                .primary_key(Index::create().col("organisation_id").col("announcement_id"))
                .foreign_key(ForeignKey::create().name("fk_announcement_target").from("announcement_target", "announcement_id").to("announcement", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("announcement_read")
                .col(big_integer("announcement_id"))
                .col(string_len("user_id", 36))
                .col(timestamp_with_time_zone("read_at"))
                .primary_key(Index::create().col("user_id").col("announcement_id"))
                .foreign_key(ForeignKey::create().name("fk_announcement_read").from("announcement_read", "announcement_id").to("announcement", "id"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["announcement_read", "announcement_target", "announcement", "event_registration", "event_field", "event", "article_file"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.alter_table(Table::alter().table("article").drop_column("demo").to_owned()).await?;
        m.alter_table(Table::alter().table("mail_outbox").drop_column("attachment_body").to_owned()).await?;
        m.alter_table(Table::alter().table("mail_outbox").drop_column("attachment_name").to_owned()).await?;
        Ok(())
    }
}
