//! Accounts in the browser: invitations and password-reset links (only their hashes), the
//! Ansprechperson's right to manage its Kommune's clerks, the second factor (TOTP with
//! single-use recovery codes, a sign-in waiting for its code), and sign-in through the Land's
//! identity provider (the provider's subject per account, the flows under way).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for col in [
            boolean("manages_clerks").default(false).to_owned(),
            string_len_null("oidc_subject", 255).to_owned(),
            string_len_null("totp_secret", 64).to_owned(),
            big_integer_null("totp_last_step").to_owned(),
            string_len_null("totp_pending_secret", 64).to_owned(),
            string_len_null("totp_pending_codes", 200).to_owned(),
            timestamp_with_time_zone_null("mfa_enabled_at").to_owned(),
        ] {
            let mut col = col;
            m.alter_table(Table::alter().table("app_user").add_column(&mut col).to_owned()).await?;
        }
        m.create_index(Index::create().name("ux_app_user_oidc_subject").table("app_user").col("oidc_subject").unique().to_owned()).await?;

        // Invitation and password-reset links: single use, only the hash of the secret stored.
        m.create_table(
            Table::create()
                .table("account_link")
                .col(string_len("token_hash", 64).primary_key())
                .col(string_len("user_id", 36))
                .col(string_len("purpose", 10))
                .col(string_len_null("created_by", 36))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .col(timestamp_with_time_zone_null("withdrawn_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_account_link_user").table("account_link").col("user_id").col("purpose").to_owned()).await?;
        m.create_index(Index::create().name("ix_account_link_expires").table("account_link").col("expires_at").to_owned()).await?;

        // Recovery codes for the second factor: hashes, each usable once.
        m.create_table(
            Table::create()
                .table("recovery_code")
                .col(big_integer("id").primary_key().auto_increment())
                .col(string_len("user_id", 36))
                .col(string_len("code_hash", 64))
                .col(timestamp_with_time_zone_null("used_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_recovery_code_user").table("recovery_code").col("user_id").to_owned()).await?;

        // A sign-in whose first step succeeded and that waits for the second factor.
        m.create_table(
            Table::create()
                .table("login_challenge")
                .col(string_len("token_hash", 64).primary_key())
                .col(string_len("user_id", 36))
                .col(string_len("via", 10))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_login_challenge_expires").table("login_challenge").col("expires_at").to_owned()).await?;

        // Sign-ins at the identity provider under way: state (hashed), nonce and PKCE verifier.
        m.create_table(
            Table::create()
                .table("oidc_flow")
                .col(string_len("state_hash", 64).primary_key())
                .col(string_len("nonce", 100))
                .col(string_len("pkce_verifier", 200))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_oidc_flow_expires").table("oidc_flow").col("expires_at").to_owned()).await?;

        // The audit log is read per person and per action over time.
        m.create_index(Index::create().name("ix_audit_log_actor_at").table("audit_log").col("actor_user_id").col("at").to_owned()).await?;
        m.create_index(Index::create().name("ix_audit_log_object").table("audit_log").col("object").to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["oidc_flow", "login_challenge", "recovery_code", "account_link"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
