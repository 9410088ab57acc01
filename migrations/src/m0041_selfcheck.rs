//! The Selbstcheck: a survey whose purpose is a Kommune's own assessment (`survey.purpose`), its
//! sections weighted by the Land (`survey_section.weight`) and pointing to Wissensportal
//! articles and funding programmes (`survey_section_link`); every time a Kommune submits one,
//! its scores are kept (`selfcheck_take` with its kind and size class then, `selfcheck_score`
//! per section), the latest marked, so a profile compares with Kommunen of the same kind and
//! size without reading their answers.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("survey").add_column(string_len("purpose", 16).default("abfrage")).to_owned()).await?;
        m.alter_table(Table::alter().table("survey_section").add_column(integer("weight").default(1)).to_owned()).await?;
        m.create_table(
            Table::create()
                .table("survey_section_link")
                .col(big_pk_auto("id"))
                .col(big_integer("section_id"))
                .col(big_integer_null("article_id"))
                .col(big_integer_null("programme_id"))
                .foreign_key(ForeignKey::create().name("fk_section_link_section").from("survey_section_link", "section_id").to("survey_section", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_section_link_article").from("survey_section_link", "article_id").to("article", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_section_link_programme").from("survey_section_link", "programme_id").to("funding_programme", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_section_link_section").table("survey_section_link").col("section_id").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("selfcheck_take")
                .col(big_pk_auto("id"))
                .col(big_integer("survey_id"))
                .col(string_len("organisation_id", 36))
                .col(string_len("kind", 40))
                .col(string_len("size_class", 16))
                .col(double_null("score"))
                .col(boolean("latest"))
                .col(string_len_null("taken_by", 36))
                .col(timestamp_with_time_zone("taken_at"))
                .foreign_key(ForeignKey::create().name("fk_selfcheck_take_survey").from("selfcheck_take", "survey_id").to("survey", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_selfcheck_take_org").from("selfcheck_take", "organisation_id").to("organisation", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_selfcheck_take_org").table("selfcheck_take").col("survey_id").col("organisation_id").col("taken_at").to_owned()).await?;
        m.create_index(Index::create().name("ix_selfcheck_take_peers").table("selfcheck_take").col("survey_id").col("latest").col("kind").col("size_class").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("selfcheck_score")
                .col(big_integer("take_id"))
                .col(big_integer("section_id"))
                .col(double_null("score"))
                .primary_key(Index::create().col("take_id").col("section_id"))
                .foreign_key(ForeignKey::create().name("fk_selfcheck_score_take").from("selfcheck_score", "take_id").to("selfcheck_take", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_selfcheck_score_section").from("selfcheck_score", "section_id").to("survey_section", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["selfcheck_score", "selfcheck_take", "survey_section_link"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.alter_table(Table::alter().table("survey_section").drop_column("weight").to_owned()).await?;
        m.alter_table(Table::alter().table("survey").drop_column("purpose").to_owned()).await
    }
}
