//! Abfragen of the Land to the Kommunen: a survey (title, period, the selection of Kommunen it
//! asks, whether a Verbandsgemeinde answers for its members), its sections and questions (a kind,
//! required or not, the options of a choice, the unit and range of a number, the OZG-Leistungen
//! of a matrix, a condition on an earlier question's answer, a binding to the register) and the
//! Kommunen it was resolved to when released.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("survey")
                .col(big_pk_auto("id"))
                .col(string_len("title", 200))
                .col(text("description"))
                .col(string_len("state", 16))
                .col(timestamp_with_time_zone("opens_at"))
                .col(timestamp_with_time_zone("closes_at"))
                .col(string_len("target_kind", 20))
                .col(string_len("target_value", 500))
                .col(string_len("target_label", 500))
                .col(string_len("answering", 20))
                .col(big_integer_null("predecessor_id"))
                .col(integer("version"))
                .col(boolean("demo").default(false))
                .col(string_len_null("created_by", 36))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("released_at"))
                .foreign_key(ForeignKey::create().name("fk_survey_predecessor").from("survey", "predecessor_id").to("survey", "id").on_delete(ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("survey_section")
                .col(big_pk_auto("id"))
                .col(big_integer("survey_id"))
                .col(integer("position"))
                .col(string_len("title", 200))
                .col(text("intro"))
                .foreign_key(ForeignKey::create().name("fk_survey_section").from("survey_section", "survey_id").to("survey", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_survey_section_survey").table("survey_section").col("survey_id").col("position").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("survey_question")
                .col(big_pk_auto("id"))
                .col(big_integer("survey_id"))
                .col(big_integer("section_id"))
                .col(integer("position"))
                .col(string_len("kind", 16))
                .col(string_len("text", 500))
                .col(string_len("hint", 1000))
                .col(boolean("required"))
                .col(string_len_null("unit", 30))
                .col(double_null("min_value"))
                .col(double_null("max_value"))
                .col(string_len_null("cell_kind", 16))
                .col(big_integer_null("condition_question_id"))
                .col(string_len_null("condition_value", 200))
                .col(string_len_null("binding", 16))
                .col(string_len_null("binding_ozg_id", 8))
                .col(boolean("added_after_release").default(false))
                .foreign_key(ForeignKey::create().name("fk_survey_question_survey").from("survey_question", "survey_id").to("survey", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_survey_question_section").from("survey_question", "section_id").to("survey_section", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_survey_question_condition").from("survey_question", "condition_question_id").to("survey_question", "id").on_delete(ForeignKeyAction::SetNull))
                .foreign_key(ForeignKey::create().name("fk_survey_question_binding").from("survey_question", "binding_ozg_id").to("ozg_service", "ozg_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_survey_question_section").table("survey_question").col("section_id").col("position").to_owned()).await?;
        m.create_index(Index::create().name("ix_survey_question_survey").table("survey_question").col("survey_id").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("survey_option")
                .col(big_pk_auto("id"))
                .col(big_integer("question_id"))
                .col(integer("position"))
                .col(string_len("label", 200))
                .col(boolean("other").default(false))
                .foreign_key(ForeignKey::create().name("fk_survey_option").from("survey_option", "question_id").to("survey_question", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_survey_option_question").table("survey_option").col("question_id").col("position").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("survey_matrix_row")
                .col(big_integer("question_id"))
                .col(integer("position"))
                .col(string_len("ozg_id", 8))
                .primary_key(Index::create().col("question_id").col("position"))
                .foreign_key(ForeignKey::create().name("fk_survey_matrix_row").from("survey_matrix_row", "question_id").to("survey_question", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_survey_matrix_row_ozg").from("survey_matrix_row", "ozg_id").to("ozg_service", "ozg_id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("survey_target")
                .col(big_integer("survey_id"))
                .col(string_len("organisation_id", 36))
                .primary_key(Index::create().col("survey_id").col("organisation_id"))
                .foreign_key(ForeignKey::create().name("fk_survey_target").from("survey_target", "survey_id").to("survey", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_survey_target_org").from("survey_target", "organisation_id").to("organisation", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_survey_target_org").table("survey_target").col("organisation_id").to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["survey_target", "survey_matrix_row", "survey_option", "survey_question", "survey_section", "survey"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
