//! The Kommunen's answers to a survey: one answer per Kommune (`survey_response`: draft or
//! submitted, a version for saves side by side, whether it changed after a submit), its values
//! per question and, for a matrix, per OZG-Leistung (`survey_answer`), and the options chosen
//! (`survey_answer_choice`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("survey_response")
                .col(big_pk_auto("id"))
                .col(big_integer("survey_id"))
                .col(string_len("organisation_id", 36))
                .col(string_len("state", 16))
                .col(integer("version"))
                .col(boolean("changed_after_submit").default(false))
                .col(string_len_null("updated_by", 36))
                .col(string_len_null("submitted_by", 36))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("submitted_at"))
                .foreign_key(ForeignKey::create().name("fk_survey_response_survey").from("survey_response", "survey_id").to("survey", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_survey_response_org").from("survey_response", "organisation_id").to("organisation", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ux_survey_response").table("survey_response").col("survey_id").col("organisation_id").unique().to_owned()).await?;
        m.create_table(
            Table::create()
                .table("survey_answer")
                .col(big_integer("response_id"))
                .col(big_integer("question_id"))
                // The OZG-ID of a matrix row; empty for every other question.
                .col(string_len("ozg_id", 8))
                .col(text_null("value_text"))
                .col(double_null("value_number"))
                .col(boolean_null("value_bool"))
                .col(string_len_null("other_text", 500))
                .primary_key(Index::create().col("response_id").col("question_id").col("ozg_id"))
                .foreign_key(ForeignKey::create().name("fk_survey_answer_response").from("survey_answer", "response_id").to("survey_response", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_survey_answer_question").from("survey_answer", "question_id").to("survey_question", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_survey_answer_question").table("survey_answer").col("question_id").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("survey_answer_choice")
                .col(big_integer("response_id"))
                .col(big_integer("question_id"))
                .col(string_len("ozg_id", 8))
                .col(big_integer("option_id"))
                .primary_key(Index::create().col("response_id").col("question_id").col("ozg_id").col("option_id"))
                .foreign_key(ForeignKey::create().name("fk_survey_choice_response").from("survey_answer_choice", "response_id").to("survey_response", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_survey_choice_option").from("survey_answer_choice", "option_id").to("survey_option", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_survey_choice_option").table("survey_answer_choice").col("option_id").to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["survey_answer_choice", "survey_answer", "survey_response"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
