//! The results of a survey: a tally of the submitted answers kept in the transaction of every
//! submit and reopen (`survey_tally`: per question, OZG-Leistung of a matrix, value and kind of
//! Kommune, how many Kommunen gave it), and when the Land published the results (`survey.published_at`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("survey_tally")
                .col(big_integer("survey_id"))
                .col(big_integer("question_id"))
                .col(string_len("ozg_id", 8))
                // »a« answered, »ja«/»nein«, »o<Option>«, »n<Zahl>«, »d<JJJJ-MM-TT>«.
                .col(string_len("value_key", 40))
                // The kind of the Kommunen counted: an association's members are Kommunen of kinds.
                .col(string_len("kind", 32))
                .col(big_integer("n"))
                .primary_key(Index::create().col("survey_id").col("question_id").col("ozg_id").col("value_key").col("kind"))
                .foreign_key(ForeignKey::create().name("fk_survey_tally_survey").from("survey_tally", "survey_id").to("survey", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_survey_tally_question").from("survey_tally", "question_id").to("survey_question", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table("survey").add_column(timestamp_with_time_zone_null("published_at")).to_owned()).await?;
        m.alter_table(Table::alter().table("survey").add_column(string_len_null("published_by", 36)).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["published_by", "published_at"] {
            m.alter_table(Table::alter().table("survey").drop_column(column).to_owned()).await?;
        }
        m.drop_table(Table::drop().table("survey_tally").to_owned()).await
    }
}
