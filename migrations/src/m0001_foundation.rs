//! Foundation schema: organisations, OZG catalogue, users, memberships, sessions and the audit log.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn ts(name: &'static str) -> ColumnDef {
    timestamp_with_time_zone(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("organisation")
                .col(string_len("id", 36).primary_key())
                .col(string_len_uniq("key", 16))
                .col(string_len("kind", 32))
                .col(string_len("name", 200))
                .col(string_len_null("ags", 8))
                .col(string_len_null("ars", 12))
                .col(string_len_null("kreis_key", 16))
                .col(string_len_null("verband_id", 36))
                .col(big_integer_null("population"))
                .col(big_integer_null("area_ha"))
                .col(boolean("active").default(true))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_organisation_verband")
                        .from("organisation", "verband_id")
                        .to("organisation", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_organisation_kind").table("organisation").col("kind").to_owned()).await?;
        m.create_index(Index::create().name("ix_organisation_verband").table("organisation").col("verband_id").to_owned()).await?;

        m.create_table(
            Table::create()
                .table("ozg_service")
                .col(string_len("ozg_id", 8).primary_key())
                .col(string_len("name", 300))
                .col(string_len("themenfeld", 100))
                .col(string_len("lebenslage", 150))
                .col(boolean("focus").default(false))
                .col(boolean("in_catalogue").default(true))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("leika_service")
                .col(pk_auto("id"))
                .col(string_len("ozg_id", 8))
                .col(string_len("natural_key", 320))
                .col(string_len_null("leika_key", 14))
                .col(text("name"))
                .col(string_len("leika_typ", 16))
                .col(boolean("sdg1"))
                .col(boolean("sdg2"))
                .col(string_len("law", 200))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_leika_service_ozg")
                        .from("leika_service", "ozg_id")
                        .to("ozg_service", "ozg_id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ux_leika_service_key").table("leika_service").col("ozg_id").col("natural_key").unique().to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_leika_service_leika_key").table("leika_service").col("leika_key").to_owned()).await?;

        m.create_table(
            Table::create()
                .table("app_user")
                .col(string_len("id", 36).primary_key())
                .col(string_len_uniq("email", 254))
                .col(string_len("name", 200))
                .col(string_len("role", 16))
                .col(string_len("password_hash", 200))
                .col(boolean("active").default(true))
                .col(boolean("is_demo").default(false))
                .col(integer("version").default(1))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .col(ts("password_changed_at"))
                .col(timestamp_with_time_zone_null("last_login_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("user_organisation")
                .col(string_len("user_id", 36))
                .col(string_len("organisation_id", 36))
                .primary_key(Index::create().col("user_id").col("organisation_id"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_user_organisation_user")
                        .from("user_organisation", "user_id")
                        .to("app_user", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_user_organisation_org")
                        .from("user_organisation", "organisation_id")
                        .to("organisation", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_user_organisation_org").table("user_organisation").col("organisation_id").to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("session")
                .col(string_len("id_hash", 64).primary_key())
                .col(string_len("user_id", 36))
                .col(ts("created_at"))
                .col(ts("last_seen_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_session_user")
                        .from("session", "user_id")
                        .to("app_user", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_session_user").table("session").col("user_id").to_owned()).await?;

        m.create_table(
            Table::create()
                .table("audit_log")
                .col(big_pk_auto("id"))
                .col(ts("at"))
                .col(string_len_null("actor_user_id", 36))
                .col(string_len("action", 64))
                .col(string_len_null("object", 200))
                .col(string_len_null("ip", 64))
                .col(text_null("detail"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_audit_log_at").table("audit_log").col("at").to_owned()).await?;
        m.create_index(Index::create().name("ix_audit_log_action").table("audit_log").col("action").to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["audit_log", "session", "user_organisation", "app_user", "leika_service", "ozg_service", "organisation"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
