//! Hardening: login and password-check throttling shared by every instance (counters and known
//! devices in the database), the open-data rate shared across instances, API token scopes, the
//! curated list of EfA services that public figures may name, and a version of each case that
//! only changes with what the Kommune can see; an index for the register history's foreign key.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One row per throttled key (account, address, known device, password check).
        m.create_table(
            Table::create()
                .table("throttle")
                .col(string_len("key", 320).primary_key())
                .col(integer("failures").default(0))
                .col(timestamp_with_time_zone("window_start"))
                .col(timestamp_with_time_zone_null("last_failure_at"))
                .col(timestamp_with_time_zone_null("blocked_until"))
                .col(timestamp_with_time_zone_null("busy_until"))
                .col(timestamp_with_time_zone_null("audited_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_throttle_last").table("throttle").col("last_failure_at").to_owned()).await?;

        // Browsers that signed in to an account before (OWASP device cookie): only the hash.
        m.create_table(
            Table::create()
                .table("login_device")
                .col(string_len("token_hash", 64))
                .col(string_len("email", 254))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("last_used_at"))
                .primary_key(Index::create().col("token_hash").col("email"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_login_device_used").table("login_device").col("last_used_at").to_owned()).await?;

        // Requests per client address and second, per instance, for rates shared by all instances.
        m.create_table(
            Table::create()
                .table("rate_usage")
                .col(string_len("key", 100))
                .col(string_len("instance", 36))
                .col(big_integer("second"))
                .col(integer("requests").default(0))
                .primary_key(Index::create().col("key").col("instance").col("second"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_rate_usage_second").table("rate_usage").col("second").to_owned()).await?;

        m.alter_table(Table::alter().table("api_token").add_column(string_len("scope", 10).default("write")).to_owned()).await?;

        m.create_table(
            Table::create()
                .table("efa_service")
                .col(string_len("id", 36).primary_key())
                .col(string_len("name", 200))
                .col(string_len_uniq("name_key", 200))
                .col(string_len_null("provider", 100))
                .col(boolean("active").default(true))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;

        m.alter_table(Table::alter().table("support_case").add_column(integer("public_version").default(1)).to_owned()).await?;
        m.get_connection().execute_unprepared("UPDATE support_case SET public_version = version").await?;
        m.create_index(
            Index::create()
                .name("ix_support_case_org_public")
                .table("support_case")
                .col("organisation_id")
                .col("last_public_activity_at")
                .to_owned(),
        )
        .await?;
        // Foreign-key checks look up a record's history entries by `record_id`: without this
        // index every write of a register record scanned the whole history.
        m.create_index(Index::create().name("ix_service_record_history_record").table("service_record_history").col("record_id").to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_service_record_history_record").table("service_record_history").to_owned()).await?;
        m.drop_index(Index::drop().name("ix_support_case_org_public").table("support_case").to_owned()).await?;
        m.alter_table(Table::alter().table("support_case").drop_column("public_version").to_owned()).await?;
        m.drop_table(Table::drop().table("efa_service").to_owned()).await?;
        m.alter_table(Table::alter().table("api_token").drop_column("scope").to_owned()).await?;
        m.drop_table(Table::drop().table("rate_usage").to_owned()).await?;
        m.drop_table(Table::drop().table("login_device").to_owned()).await?;
        m.drop_table(Table::drop().table("throttle").to_owned()).await?;
        Ok(())
    }
}
