//! Usage figures (issue "Nutzung und Abgleich"): the monthly transactions per online service and
//! area as the Zentrale Statistik-Komponente reports them, or as a Kommune enters them itself;
//! and their rollup per month, OZG-Leistung and area (Kreis or Land), rebuilt in the transaction
//! of each import or entry, so the figures page never sums the figures themselves.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("usage_figure")
                .col(big_pk_auto("id"))
                .col(date("month"))
                .col(string_len("ozg_id", 20))
                .col(string_len_null("leika_key", 20))
                .col(string_len("online_service", 300))
                .col(string_len("online_service_id", 100))
                .col(string_len("ars", 12))
                .col(string_len("area", 16))
                .col(string_len("organisation_id", 36))
                .col(big_integer("transactions"))
                .col(string_len("source", 16))
                .col(string_len_null("entered_by", 36))
                .col(timestamp_with_time_zone("created_at"))
                .col(boolean("demo").default(false))
                .foreign_key(ForeignKey::create().name("fk_usage_org").from("usage_figure", "organisation_id").to("organisation", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ux_usage_figure").table("usage_figure").col("source").col("month").col("ars").col("ozg_id").col("online_service_id").unique().to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_usage_org_month").table("usage_figure").col("organisation_id").col("month").to_owned()).await?;
        m.create_index(Index::create().name("ix_usage_ozg_month").table("usage_figure").col("ozg_id").col("month").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("usage_rollup")
                .col(date("month"))
                .col(string_len("ozg_id", 20))
                .col(string_len("area_key", 12))
                .col(big_integer("transactions"))
                .col(integer("contributors"))
                .primary_key(Index::create().col("area_key").col("month").col("ozg_id"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("usage_rollup").to_owned()).await?;
        m.drop_table(Table::drop().table("usage_figure").to_owned()).await
    }
}
