//! Second hardening: the funding sums released to the public (`funding_release`), the attempts
//! a waiting second-factor sign-in has had, the browser binding of a provider sign-in, and the
//! version of an article last published (the four eyes' baseline).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("funding_release")
                .col(big_integer("programme_id"))
                .col(string_len("organisation_id", 36))
                .col(big_integer("committed_cents"))
                .col(big_integer("disbursed_cents"))
                .col(timestamp_with_time_zone("released_at"))
                .primary_key(Index::create().col("programme_id").col("organisation_id"))
                .foreign_key(ForeignKey::create().from("funding_release", "programme_id").to("funding_programme", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table("login_challenge").add_column(integer("attempts").default(0)).to_owned()).await?;
        m.alter_table(Table::alter().table("oidc_flow").add_column(string_len("browser_hash", 64).default("")).to_owned()).await?;
        m.alter_table(Table::alter().table("oidc_flow").add_column(string_len_null("link_user_id", 36)).to_owned()).await?;
        // Identities bound before were bound by the address alone: their provider's
        // multi-factor claim no longer counts until they are bound again with proof.
        m.alter_table(Table::alter().table("app_user").add_column(boolean("oidc_proven").default(false)).to_owned()).await?;
        m.alter_table(Table::alter().table("article").add_column(integer_null("published_version")).to_owned()).await?;
        // Recovery codes are stored with a salt each (`s1$salt$hash`, 90 characters), the pending
        // ones as ten such hashes. SQLite keeps no lengths (and cannot change a column's type).
        if m.get_connection().get_database_backend() == DbBackend::Postgres {
            m.alter_table(Table::alter().table("recovery_code").modify_column(ColumnDef::new("code_hash").string_len(128).not_null()).to_owned()).await?;
            m.alter_table(Table::alter().table("app_user").modify_column(ColumnDef::new("totp_pending_codes").text().null()).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_connection().get_database_backend() == DbBackend::Postgres {
            // The salted hashes do not fit the old columns: pending set-ups start again.
            m.get_connection().execute_unprepared("UPDATE app_user SET totp_pending_codes = NULL, totp_pending_secret = NULL").await?;
            m.get_connection().execute_unprepared("DELETE FROM recovery_code WHERE length(code_hash) > 64").await?;
            m.alter_table(Table::alter().table("app_user").modify_column(ColumnDef::new("totp_pending_codes").string_len(200).null()).to_owned()).await?;
            m.alter_table(Table::alter().table("recovery_code").modify_column(ColumnDef::new("code_hash").string_len(64).not_null()).to_owned()).await?;
        }
        m.alter_table(Table::alter().table("article").drop_column("published_version").to_owned()).await?;
        m.alter_table(Table::alter().table("app_user").drop_column("oidc_proven").to_owned()).await?;
        m.alter_table(Table::alter().table("oidc_flow").drop_column("link_user_id").to_owned()).await?;
        m.alter_table(Table::alter().table("oidc_flow").drop_column("browser_hash").to_owned()).await?;
        m.alter_table(Table::alter().table("login_challenge").drop_column("attempts").to_owned()).await?;
        m.drop_table(Table::drop().table("funding_release").to_owned()).await
    }
}
