//! Lagebild trend for every area and slice: instead of a few precomputed figures per area and
//! slice (m0009's `agg_trend`), the job keeps each area's counters per OZG-Leistung at the end of
//! each month — a row only where a cell differs from the month before — and, per area and month,
//! the cells left out for everyone but the Land. Any slice's figures of any month then follow
//! from them as today's follow from `agg_service_area`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The counters of a cell, as in m0006's `agg_service_area`.
const COUNTERS: [&str; 22] = [
    "other_n", "other_pop", "planned", "in_progress", "pilot", "online", "discontinued", "online_pop", "m11_0", "m11_1", "m11_2", "m11_3",
    "m11_4", "m20_0", "m20_1", "m20_2", "m20_3", "m20_4", "m20_5", "m20_6", "m20_7", "efa",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("agg_trend").to_owned()).await?;
        let mut t = Table::create();
        t.table("agg_trend_cell").col(string_len("area_key", 16)).col(string_len("month", 7)).col(string_len("ozg_id", 8));
        for c in COUNTERS {
            t.col(big_integer(c).default(0));
        }
        t.primary_key(Index::create().col("area_key").col("month").col("ozg_id"));
        m.create_table(t.to_owned()).await?;
        m.create_table(
            Table::create()
                .table("agg_trend_hidden")
                .col(string_len("area_key", 16))
                .col(string_len("month", 7))
                .col(text("ozg_ids"))
                .primary_key(Index::create().col("area_key").col("month"))
                .to_owned(),
        )
        .await?;
        // The job computes the trend afresh.
        m.get_connection().execute_unprepared("DELETE FROM agg_trend_stand").await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("agg_trend_hidden").to_owned()).await?;
        m.drop_table(Table::drop().table("agg_trend_cell").to_owned()).await?;
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
        m.get_connection().execute_unprepared("DELETE FROM agg_trend_stand").await?;
        Ok(())
    }
}
