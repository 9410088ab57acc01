//! Answers to questions of the kind Datei: one file per Kommune's answer and question
//! (`survey_file`, the bytes with their metadata; a new upload replaces the file); and the
//! response rate of a survey per Kreis and kind of Kommune (`survey_rate`: asked, submitted),
//! kept by release, submit and reopen.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("survey_file")
                .col(string_len("id", 36).primary_key())
                .col(big_integer("response_id"))
                .col(big_integer("question_id"))
                .col(string_len("filename", 255))
                .col(string_len("content_type", 100))
                .col(big_integer("size"))
                .col(string_len("sha256", 64))
                .col(blob("data"))
                .col(string_len_null("uploaded_by", 36))
                .col(timestamp_with_time_zone("uploaded_at"))
                .foreign_key(ForeignKey::create().name("fk_survey_file_response").from("survey_file", "response_id").to("survey_response", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_survey_file_question").from("survey_file", "question_id").to("survey_question", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ux_survey_file").table("survey_file").col("response_id").col("question_id").unique().to_owned()).await?;
        m.create_index(Index::create().name("ix_survey_file_uploader").table("survey_file").col("uploaded_by").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("survey_rate")
                .col(big_integer("survey_id"))
                .col(string_len("kreis_key", 12))
                .col(string_len("kind", 32))
                .col(big_integer("asked"))
                .col(big_integer("submitted"))
                .primary_key(Index::create().col("survey_id").col("kreis_key").col("kind"))
                .foreign_key(ForeignKey::create().name("fk_survey_rate_survey").from("survey_rate", "survey_id").to("survey", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("survey_rate").to_owned()).await?;
        m.drop_table(Table::drop().table("survey_file").to_owned()).await
    }
}
