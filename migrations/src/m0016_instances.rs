//! Several instances on one database: a lease per background job, so that each job runs on one
//! instance at a time, and a claim per outgoing mail, so that two instances never send the same
//! mail; mails the relay refused too often become dead letters.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("job_lease")
                .col(string_len("name", 50).primary_key())
                .col(string_len("holder", 36))
                .col(timestamp_with_time_zone("until"))
                .to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table("mail_outbox").add_column(timestamp_with_time_zone_null("claimed_until")).to_owned()).await?;
        // A mail the relay refused too often: kept for the administrators, not retried.
        m.alter_table(Table::alter().table("mail_outbox").add_column(timestamp_with_time_zone_null("dead_at")).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("job_lease").to_owned()).await?;
        m.alter_table(Table::alter().table("mail_outbox").drop_column("claimed_until").to_owned()).await?;
        m.alter_table(Table::alter().table("mail_outbox").drop_column("dead_at").to_owned()).await?;
        Ok(())
    }
}
