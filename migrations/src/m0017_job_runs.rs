//! The last run of each background job, for the administrators' start page: when it ran, how
//! it ended, how often it failed. Written by whichever instance holds the jobs' lease.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("job_run")
                .col(string_len("name", 50).primary_key())
                .col(timestamp_with_time_zone("last_run_at"))
                .col(integer("last_millis"))
                .col(boolean("last_ok"))
                .col(timestamp_with_time_zone_null("last_failure_at"))
                .col(text_null("last_error"))
                .col(big_integer("runs"))
                .col(big_integer("failures"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("job_run").to_owned()).await
    }
}
