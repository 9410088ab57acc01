//! Lagebild: statistics of the Beratungsfälle per area, month and category, and the
//! OZG-Leistungen most asked about — computed by a job (with its time as "Stand"), counts and
//! durations only.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("agg_case_stats")
                .col(string_len("area_key", 16))
                .col(string_len("month", 7))
                .col(string_len("category", 40))
                .col(big_integer("cases"))
                .col(big_integer("kommunen"))
                .col(big_integer("responded"))
                .col(big_integer("responded_in_time"))
                .col(big_integer("solved"))
                .col(big_integer("solved_in_time"))
                .col(big_integer_null("median_response_minutes"))
                .col(big_integer_null("median_solution_minutes"))
                .col(boolean("hidden"))
                .primary_key(Index::create().col("area_key").col("month").col("category"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("agg_case_ozg")
                .col(string_len("area_key", 16))
                .col(string_len("ozg_id", 8))
                .col(big_integer("cases"))
                .col(big_integer("kommunen"))
                .primary_key(Index::create().col("area_key").col("ozg_id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("agg_case_stand")
                .col(integer("id").primary_key())
                .col(timestamp_with_time_zone("computed_at"))
                .col(big_integer("threshold"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["agg_case_stand", "agg_case_ozg", "agg_case_stats"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
