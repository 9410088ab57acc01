//! The Gremien's work: meetings (`gremium_meeting`) with their agenda (`meeting_item`) and its
//! documents (`meeting_document`, kept in the database like the cases' attachments), each
//! member's answer to the invitation and attendance (`meeting_response`), the minutes
//! (`meeting_minutes`, one per meeting) with every saved version (`minutes_version`) and the
//! members' comments on a circulated draft (`minutes_comment`), and the tasks that come from a
//! meeting or a decision (`gremium_task`), reminded once per due date.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("gremium_meeting")
                .col(big_pk_auto("id"))
                .col(big_integer("gremium_id"))
                .col(string_len("title", 200))
                .col(timestamp_with_time_zone("starts_at"))
                .col(timestamp_with_time_zone("ends_at"))
                .col(string_len_null("place", 300))
                .col(string_len_null("link", 500))
                .col(boolean("cancelled").default(false))
                .col(integer("version"))
                .col(timestamp_with_time_zone_null("invited_at"))
                .col(string_len_null("created_by", 36))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(ForeignKey::create().name("fk_meeting_gremium").from("gremium_meeting", "gremium_id").to("gremium", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_meeting_gremium").table("gremium_meeting").col("gremium_id").col("starts_at").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("meeting_item")
                .col(big_pk_auto("id"))
                .col(big_integer("meeting_id"))
                .col(integer("position"))
                .col(string_len("title", 200))
                .col(string_len_null("presenter", 200))
                .col(integer_null("minutes"))
                .foreign_key(ForeignKey::create().name("fk_item_meeting").from("meeting_item", "meeting_id").to("gremium_meeting", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_item_meeting").table("meeting_item").col("meeting_id").col("position").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("meeting_document")
                .col(string_len("id", 36).primary_key())
                .col(big_integer("meeting_id"))
                .col(big_integer_null("item_id"))
                .col(string_len("filename", 255))
                .col(string_len("content_type", 100))
                .col(big_integer("size"))
                .col(string_len("sha256", 64))
                .col(blob("data"))
                .col(string_len_null("uploaded_by", 36))
                .col(timestamp_with_time_zone("uploaded_at"))
                .foreign_key(ForeignKey::create().name("fk_document_meeting").from("meeting_document", "meeting_id").to("gremium_meeting", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_document_item").from("meeting_document", "item_id").to("meeting_item", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_document_meeting").table("meeting_document").col("meeting_id").to_owned()).await?;
        m.create_index(Index::create().name("ix_document_uploader").table("meeting_document").col("uploaded_by").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("meeting_response")
                .col(big_integer("meeting_id"))
                .col(string_len("user_id", 36))
                .col(string_len_null("answer", 16))
                .col(timestamp_with_time_zone_null("answered_at"))
                .col(boolean_null("attended"))
                .primary_key(Index::create().col("meeting_id").col("user_id"))
                .foreign_key(ForeignKey::create().name("fk_response_meeting").from("meeting_response", "meeting_id").to("gremium_meeting", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_response_user").from("meeting_response", "user_id").to("app_user", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("meeting_minutes")
                .col(big_integer("meeting_id").primary_key())
                .col(string_len("state", 16))
                .col(text("body"))
                .col(integer("version"))
                .col(date_null("comments_until"))
                .col(timestamp_with_time_zone_null("circulated_at"))
                .col(timestamp_with_time_zone_null("approved_at"))
                .col(string_len_null("approved_by", 36))
                .col(string_len_null("updated_by", 36))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(ForeignKey::create().name("fk_minutes_meeting").from("meeting_minutes", "meeting_id").to("gremium_meeting", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("minutes_version")
                .col(big_pk_auto("id"))
                .col(big_integer("meeting_id"))
                .col(integer("version"))
                .col(string_len("state", 16))
                .col(text("body"))
                .col(string_len_null("saved_by", 36))
                .col(timestamp_with_time_zone("saved_at"))
                .foreign_key(ForeignKey::create().name("fk_minutes_version_meeting").from("minutes_version", "meeting_id").to("gremium_meeting", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ux_minutes_version").table("minutes_version").col("meeting_id").col("version").unique().to_owned()).await?;
        m.create_table(
            Table::create()
                .table("minutes_comment")
                .col(big_pk_auto("id"))
                .col(big_integer("meeting_id"))
                .col(integer("version"))
                .col(string_len_null("user_id", 36))
                .col(text("body"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(ForeignKey::create().name("fk_minutes_comment_meeting").from("minutes_comment", "meeting_id").to("gremium_meeting", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_minutes_comment").table("minutes_comment").col("meeting_id").col("created_at").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("gremium_task")
                .col(big_pk_auto("id"))
                .col(big_integer("gremium_id"))
                .col(big_integer_null("meeting_id"))
                .col(big_integer_null("decision_id"))
                .col(string_len("title", 200))
                .col(string_len_null("owner_user_id", 36))
                .col(string_len_null("owner_org_id", 36))
                .col(date("due_on"))
                .col(string_len("status", 16))
                .col(text("note"))
                .col(string_len_null("link_kind", 16))
                .col(string_len_null("link_value", 40))
                .col(date_null("reminded_for"))
                .col(integer("version"))
                .col(string_len_null("created_by", 36))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(ForeignKey::create().name("fk_task_gremium").from("gremium_task", "gremium_id").to("gremium", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_task_meeting").from("gremium_task", "meeting_id").to("gremium_meeting", "id").on_delete(ForeignKeyAction::SetNull))
                .foreign_key(ForeignKey::create().name("fk_task_decision").from("gremium_task", "decision_id").to("gremium_decision", "id").on_delete(ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_task_gremium").table("gremium_task").col("gremium_id").col("status").col("due_on").to_owned()).await?;
        m.create_index(Index::create().name("ix_task_owner_user").table("gremium_task").col("owner_user_id").col("status").to_owned()).await?;
        m.create_index(Index::create().name("ix_task_owner_org").table("gremium_task").col("owner_org_id").col("status").to_owned()).await?;
        m.create_index(Index::create().name("ix_task_due").table("gremium_task").col("status").col("due_on").to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["gremium_task", "minutes_comment", "minutes_version", "meeting_minutes", "meeting_response", "meeting_document", "meeting_item", "gremium_meeting"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
