//! An index on the Kommunen's Kreis key: the Lagebild's reporting gaps read the Kommunen of one
//! Land as a key range instead of every Kommune that changed lately, nationwide.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(Index::create().name("ix_organisation_kreis").table("organisation").col("kreis_key").to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_organisation_kreis").table("organisation").to_owned()).await
    }
}
