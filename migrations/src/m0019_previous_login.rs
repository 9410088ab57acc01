//! The sign-in before the current one, so that a person's start page and inbox can show what is
//! new since their last visit.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("app_user").add_column(timestamp_with_time_zone_null("previous_login_at")).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("app_user").drop_column("previous_login_at").to_owned()).await
    }
}
