//! Telling the Kommunen about a survey: when its Kommunen were told that it opened
//! (`opened_notified_at`), how many days before its deadline those that have not submitted are
//! reminded (`reminder_days`, 0: never) and when that happened (`reminded_at`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("survey").add_column(integer("reminder_days").default(7)).to_owned()).await?;
        m.alter_table(Table::alter().table("survey").add_column(timestamp_with_time_zone_null("opened_notified_at")).to_owned()).await?;
        m.alter_table(Table::alter().table("survey").add_column(timestamp_with_time_zone_null("reminded_at")).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["reminded_at", "opened_notified_at", "reminder_days"] {
            m.alter_table(Table::alter().table("survey").drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
