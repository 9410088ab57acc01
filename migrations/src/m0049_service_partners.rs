//! The operators of the EfA services and what is shared per service (issue "Partner und
//! Dienste"): which partner organisations operate a service (`efa_service_operator`), which
//! checklist items are the operator's (`operator` on the template and on each connection's
//! items), the dates an operator proposes for test and go-live, the service's operating state
//! (`efa_service_state`, a table of its own so that a fault does not move the reference data's
//! version and every cache keyed on it), and the Kommunen's reports of faults and requirements
//! with the Kommunen that joined them and the public answers.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(name: &str, from: (&str, &str), to: (&str, &str)) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0.to_string(), from.1.to_string()).to(to.0.to_string(), to.1.to_string()).on_delete(ForeignKeyAction::Cascade).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("efa_service_operator")
                .col(string_len("efa_service_id", 36))
                .col(string_len("organisation_id", 36))
                .primary_key(Index::create().col("efa_service_id").col("organisation_id"))
                .foreign_key(&mut fk("fk_efa_operator_service", ("efa_service_operator", "efa_service_id"), ("efa_service", "id")))
                .foreign_key(&mut fk("fk_efa_operator_org", ("efa_service_operator", "organisation_id"), ("organisation", "id")))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_efa_operator_org").table("efa_service_operator").col("organisation_id").to_owned()).await?;
        for table in ["rollout_plan_item", "connection_item"] {
            m.alter_table(Table::alter().table(table).add_column(ColumnDef::new("operator").boolean().not_null().default(false)).to_owned()).await?;
        }
        m.alter_table(Table::alter().table("connection").add_column(ColumnDef::new("planned_test").date().null()).to_owned()).await?;
        m.alter_table(Table::alter().table("connection").add_column(ColumnDef::new("planned_live").date().null()).to_owned()).await?;
        m.create_table(
            Table::create()
                .table("efa_service_state")
                .col(string_len("efa_service_id", 36).primary_key())
                .col(string_len("state", 16))
                .col(text_null("note"))
                .col(timestamp_with_time_zone_null("window_from"))
                .col(timestamp_with_time_zone_null("window_to"))
                .col(string_len_null("set_by", 36))
                .col(timestamp_with_time_zone("set_at"))
                .foreign_key(&mut fk("fk_efa_state_service", ("efa_service_state", "efa_service_id"), ("efa_service", "id")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("service_report")
                .col(big_pk_auto("id"))
                .col(string_len("efa_service_id", 36))
                .col(string_len("kind", 16))
                .col(string_len("title", 200))
                .col(text("body"))
                .col(string_len("severity", 16))
                .col(date("since"))
                .col(string_len("status", 16))
                .col(text_null("reason"))
                .col(string_len("organisation_id", 36))
                .col(boolean("named"))
                .col(string_len_null("created_by", 36))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(integer("version"))
                .col(integer("joined"))
                .col(boolean("demo").default(false))
                .foreign_key(&mut fk("fk_service_report_service", ("service_report", "efa_service_id"), ("efa_service", "id")))
                .foreign_key(&mut fk("fk_service_report_org", ("service_report", "organisation_id"), ("organisation", "id")))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_service_report_service").table("service_report").col("efa_service_id").col("status").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("service_report_join")
                .col(big_integer("report_id"))
                .col(string_len("organisation_id", 36))
                .col(string_len_null("user_id", 36))
                .col(timestamp_with_time_zone("at"))
                .primary_key(Index::create().col("report_id").col("organisation_id"))
                .foreign_key(&mut fk("fk_report_join_report", ("service_report_join", "report_id"), ("service_report", "id")))
                .foreign_key(&mut fk("fk_report_join_org", ("service_report_join", "organisation_id"), ("organisation", "id")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("service_report_answer")
                .col(big_pk_auto("id"))
                .col(big_integer("report_id"))
                .col(string_len_null("author_id", 36))
                .col(string_len("party", 16))
                .col(text("body"))
                .col(string_len_null("status", 16))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk("fk_report_answer_report", ("service_report_answer", "report_id"), ("service_report", "id")))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_report_answer_report").table("service_report_answer").col("report_id").to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["service_report_answer", "service_report_join", "service_report", "efa_service_state", "efa_service_operator"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        for (table, column) in [("connection", "planned_live"), ("connection", "planned_test"), ("connection_item", "operator"), ("rollout_plan_item", "operator")] {
            m.alter_table(Table::alter().table(table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
