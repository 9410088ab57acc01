//! Nachnutzung und Förderung: the Land's overview per OZG-Leistung (implementation model, EfA
//! service, priority, phase, who pays, the connection checklist), the connections of each
//! Kommune to an EfA service with their steps, checklist and costs, the rollups of the roll-out
//! (per service × Kreis × step, days from interest to live, steps per month), and the Land's
//! funding programmes with the Kommunen's applications and every step of their workflow.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("efa_service").add_column(string_len_null("operator", 200)).to_owned()).await?;
        m.alter_table(Table::alter().table("efa_service").add_column(string_len_null("marketplace_url", 500)).to_owned()).await?;
        m.alter_table(Table::alter().table("efa_service").add_column(boolean("demo").default(false)).to_owned()).await?;
        m.create_table(
            Table::create()
                .table("rollout_plan")
                .col(string_len("ozg_id", 8).primary_key())
                .col(string_len("model", 20))
                .col(string_len_null("efa_service_id", 36))
                .col(integer("priority"))
                .col(string_len("phase", 20))
                .col(boolean("land_pays").default(false))
                .col(text("checklist"))
                .col(boolean("demo").default(false))
                .col(integer("version"))
                .col(string_len_null("updated_by", 36))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(ForeignKey::create().name("fk_rollout_plan_efa").from("rollout_plan", "efa_service_id").to("efa_service", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_rollout_plan_efa").table("rollout_plan").col("efa_service_id").to_owned()).await?;
        // The overview is reference data: its changes move the counter that kept overviews
        // are labelled with (m0014; the triggers go with the table).
        let db = m.get_connection();
        if db.get_database_backend() == sea_orm_migration::sea_orm::DbBackend::Postgres {
            db.execute_unprepared(
                "CREATE CONSTRAINT TRIGGER dv_rollout_plan AFTER INSERT OR UPDATE OR DELETE ON rollout_plan \
                 DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_data_version('reference')",
            )
            .await?;
        } else {
            for op in ["insert", "update", "delete"] {
                db.execute_unprepared(&format!("CREATE TRIGGER dv_rollout_plan_{op} AFTER {op} ON rollout_plan BEGIN UPDATE data_version SET reference = reference + 1 WHERE id = 1; END"))
                    .await?;
            }
        }
        m.create_table(
            Table::create()
                .table("connection")
                .col(big_pk_auto("id"))
                .col(string_len("organisation_id", 36))
                .col(string_len("efa_service_id", 36))
                .col(string_len("state", 16))
                .col(string_len_null("paused_from", 16))
                .col(text_null("reason"))
                .col(string_len("kreis_key", 16))
                .col(timestamp_with_time_zone("interest_at"))
                .col(timestamp_with_time_zone_null("live_at"))
                .col(integer("version"))
                .col(boolean("demo").default(false))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(ForeignKey::create().name("fk_connection_org").from("connection", "organisation_id").to("organisation", "id"))
                .foreign_key(ForeignKey::create().name("fk_connection_efa").from("connection", "efa_service_id").to("efa_service", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ux_connection").table("connection").col("organisation_id").col("efa_service_id").unique().to_owned()).await?;
        m.create_index(Index::create().name("ix_connection_service").table("connection").col("efa_service_id").col("state").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("connection_step")
                .col(big_pk_auto("id"))
                .col(big_integer("connection_id"))
                .col(string_len("state", 16))
                .col(timestamp_with_time_zone("at"))
                .col(string_len_null("user_id", 36))
                .col(text_null("note"))
                .foreign_key(ForeignKey::create().name("fk_connection_step").from("connection_step", "connection_id").to("connection", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_connection_step").table("connection_step").col("connection_id").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("connection_item")
                .col(big_integer("connection_id"))
                .col(integer("position"))
                .col(string_len("label", 300))
                .col(string_len("status", 16))
                .col(text_null("note"))
                .col(big_integer_null("case_id"))
                .col(string_len_null("updated_by", 36))
                .col(timestamp_with_time_zone_null("updated_at"))
                .primary_key(Index::create().col("connection_id").col("position"))
                .foreign_key(ForeignKey::create().name("fk_connection_item").from("connection_item", "connection_id").to("connection", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("connection_cost")
                .col(big_pk_auto("id"))
                .col(big_integer("connection_id"))
                .col(string_len("kind", 12))
                .col(integer("year"))
                .col(big_integer("amount_cents"))
                .col(string_len("bearer", 12))
                .col(string_len_null("note", 300))
                .col(string_len_null("created_by", 36))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(ForeignKey::create().name("fk_connection_cost").from("connection_cost", "connection_id").to("connection", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_connection_cost").table("connection_cost").col("connection_id").to_owned()).await?;
        // Rollups of the roll-out, kept in the transaction of every step.
        m.create_table(
            Table::create()
                .table("agg_rollout")
                .col(string_len("efa_service_id", 36))
                .col(string_len("kreis_key", 16))
                .col(string_len("state", 16))
                .col(big_integer("kommunen").default(0))
                .primary_key(Index::create().col("efa_service_id").col("kreis_key").col("state"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_agg_rollout_area").table("agg_rollout").col("kreis_key").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("agg_rollout_days")
                .col(string_len("efa_service_id", 36))
                .col(integer("days"))
                .col(big_integer("connections").default(0))
                .primary_key(Index::create().col("efa_service_id").col("days"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("agg_rollout_month")
                .col(string_len("month", 7))
                .col(string_len("efa_service_id", 36))
                .col(string_len("state", 16))
                .col(big_integer("connections").default(0))
                .primary_key(Index::create().col("month").col("efa_service_id").col("state"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("funding_programme")
                .col(big_pk_auto("id"))
                .col(string_len("name", 200))
                .col(text("description"))
                .col(big_integer("budget_cents"))
                .col(integer("rate_percent"))
                .col(big_integer("max_cents"))
                .col(date("opens_on"))
                .col(date("closes_on"))
                .col(big_integer("committed_cents").default(0))
                .col(big_integer("disbursed_cents").default(0))
                .col(boolean("active").default(true))
                .col(boolean("demo").default(false))
                .col(integer("version"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ux_funding_programme_name").table("funding_programme").col("name").unique().to_owned()).await?;
        m.create_table(
            Table::create()
                .table("funding_application")
                .col(big_pk_auto("id"))
                .col(big_integer("programme_id"))
                .col(string_len("organisation_id", 36))
                .col(string_len("kreis_key", 16))
                .col(string_len("title", 200))
                .col(text("description"))
                .col(text("cost_plan"))
                .col(big_integer("total_cents"))
                .col(big_integer("requested_cents"))
                .col(big_integer_null("approved_cents"))
                .col(big_integer("disbursed_cents").default(0))
                .col(string_len("status", 16))
                .col(text_null("reason"))
                .col(text_null("report"))
                .col(string_len("idempotency_key", 64))
                .col(integer("version"))
                .col(boolean("demo").default(false))
                .col(string_len_null("created_by", 36))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(ForeignKey::create().name("fk_funding_application_programme").from("funding_application", "programme_id").to("funding_programme", "id"))
                .foreign_key(ForeignKey::create().name("fk_funding_application_org").from("funding_application", "organisation_id").to("organisation", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ux_funding_application_key").table("funding_application").col("idempotency_key").unique().to_owned()).await?;
        m.create_index(Index::create().name("ix_funding_application_programme").table("funding_application").col("programme_id").col("status").to_owned()).await?;
        m.create_index(Index::create().name("ix_funding_application_kreis").table("funding_application").col("kreis_key").col("status").to_owned()).await?;
        m.create_index(Index::create().name("ix_funding_application_org").table("funding_application").col("organisation_id").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("funding_application_ozg")
                .col(big_integer("application_id"))
                .col(string_len("ozg_id", 8))
                .primary_key(Index::create().col("application_id").col("ozg_id"))
                .foreign_key(ForeignKey::create().name("fk_funding_application_ozg").from("funding_application_ozg", "application_id").to("funding_application", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("funding_step")
                .col(big_pk_auto("id"))
                .col(big_integer("application_id"))
                .col(string_len("action", 16))
                .col(string_len("status", 16))
                .col(big_integer_null("amount_cents"))
                .col(text_null("note"))
                .col(timestamp_with_time_zone("at"))
                .col(string_len_null("user_id", 36))
                .foreign_key(ForeignKey::create().name("fk_funding_step").from("funding_step", "application_id").to("funding_application", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_funding_step").table("funding_step").col("application_id").to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "funding_step",
            "funding_application_ozg",
            "funding_application",
            "funding_programme",
            "agg_rollout_month",
            "agg_rollout_days",
            "agg_rollout",
            "connection_cost",
            "connection_item",
            "connection_step",
            "connection",
            "rollout_plan",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.alter_table(Table::alter().table("efa_service").drop_column("demo").to_owned()).await?;
        m.alter_table(Table::alter().table("efa_service").drop_column("marketplace_url").to_owned()).await?;
        m.alter_table(Table::alter().table("efa_service").drop_column("operator").to_owned()).await?;
        Ok(())
    }
}
