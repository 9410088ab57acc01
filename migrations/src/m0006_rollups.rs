//! Lagebild rollups: per area (Land, Kreis, Verbandsgemeinde) the Kommunen and inhabitants, and
//! per area × OZG-Leistung the counters every aggregate figure is computed from. Maintained in
//! the transaction of each register change, rebuilt in full by `server rollup rebuild`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The counters of `agg_service_area`, in this order (frozen here; the application lists the
/// same names).
const COUNTERS: [&str; 22] = [
    "other_n", "other_pop", "planned", "in_progress", "pilot", "online", "discontinued", "online_pop", "m11_0", "m11_1", "m11_2", "m11_3",
    "m11_4", "m20_0", "m20_1", "m20_2", "m20_3", "m20_4", "m20_5", "m20_6", "m20_7", "efa",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("agg_area")
                .col(string_len("area_key", 16).primary_key())
                .col(string_len("level", 8))
                .col(string_len("name", 200))
                .col(string_len_null("parent_key", 16))
                .col(integer("kommunen"))
                .col(big_integer("population"))
                .col(timestamp_with_time_zone("updated_at"))
                // Raised with every change in the area: readers keep counters while it stands.
                .col(big_integer("version").default(0))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_agg_area_parent").table("agg_area").col("parent_key").to_owned()).await?;
        let mut t = Table::create();
        t.table("agg_service_area").col(string_len("area_key", 16)).col(string_len("ozg_id", 8));
        for c in COUNTERS {
            t.col(big_integer(c).default(0));
        }
        t.primary_key(Index::create().col("area_key").col("ozg_id"));
        m.create_table(t.to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("agg_service_area").to_owned()).await?;
        m.drop_table(Table::drop().table("agg_area").to_owned()).await?;
        Ok(())
    }
}
