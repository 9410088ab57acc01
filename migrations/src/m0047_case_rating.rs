//! The Kommune's rating of the help it got (`case_rating`: one per case, 1–5 stars and a comment,
//! by a clerk of the case's Kommune once the case is solved), and the Land's average of the last
//! twelve months beside the case statistics (`agg_case_stand`: ratings, their sum and the
//! Kommunen that rated, for the threshold of public figures).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("case_rating")
                .col(big_integer("case_id").primary_key())
                .col(small_integer("stars"))
                .col(text("comment"))
                .col(string_len_null("rated_by", 36))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(ForeignKey::create().name("fk_case_rating_case").from("case_rating", "case_id").to("support_case", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_case_rating_user").from("case_rating", "rated_by").to("app_user", "id").on_delete(ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_case_rating_created").table("case_rating").col("created_at").to_owned()).await?;
        m.create_index(Index::create().name("ix_case_rating_rated_by").table("case_rating").col("rated_by").to_owned()).await?;
        for column in ["ratings", "rating_sum", "rating_kommunen"] {
            m.alter_table(Table::alter().table("agg_case_stand").add_column(big_integer(column).default(0)).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["rating_kommunen", "rating_sum", "ratings"] {
            m.alter_table(Table::alter().table("agg_case_stand").drop_column(column).to_owned()).await?;
        }
        m.drop_table(Table::drop().table("case_rating").to_owned()).await
    }
}
