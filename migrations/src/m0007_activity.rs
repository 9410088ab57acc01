//! Lagebild: the last register change of each Kommune, for the reporting gaps ("not updated for
//! 90 days") without scanning the register.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("agg_kommune_activity")
                .col(string_len("organisation_id", 36).primary_key())
                .col(timestamp_with_time_zone("last_change_at"))
                .foreign_key(ForeignKey::create().name("fk_agg_activity_org").from("agg_kommune_activity", "organisation_id").to("organisation", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_agg_activity_at").table("agg_kommune_activity").col("last_change_at").to_owned()).await?;
        // Filled from the register as it stands (the application keeps it from now on).
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO agg_kommune_activity (organisation_id, last_change_at) SELECT organisation_id, MAX(updated_at) FROM service_record GROUP BY organisation_id",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("agg_kommune_activity").to_owned()).await?;
        Ok(())
    }
}
