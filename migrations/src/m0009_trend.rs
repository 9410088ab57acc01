//! Lagebild trend: the figures of each area and slice at the end of each of the last months,
//! replayed from the register's history by a job (in full for the Land, and with today's
//! left-out cells for everyone else).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = Table::create();
        t.table("agg_trend")
            .col(string_len("area_key", 16))
            .col(string_len("slice", 120))
            .col(string_len("month", 7))
            .col(string_len("variant", 10));
        for c in ["responsible", "online", "reifegrad_3", "flaechendeckend", "population_responsible", "population_online"] {
            t.col(big_integer(c));
        }
        t.primary_key(Index::create().col("area_key").col("slice").col("variant").col("month"));
        m.create_table(t.to_owned()).await?;
        m.create_table(
            Table::create()
                .table("agg_trend_stand")
                .col(string_len("land", 2).primary_key())
                .col(timestamp_with_time_zone("computed_at"))
                .col(big_integer("threshold"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("agg_trend_stand").to_owned()).await?;
        m.drop_table(Table::drop().table("agg_trend").to_owned()).await?;
        Ok(())
    }
}
