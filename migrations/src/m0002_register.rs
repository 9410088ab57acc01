//! Leistungsregister: one record per Kommune × OZG-Leistung, its complete change history, and
//! advisors' annotations visible to the Kommune.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("service_record")
                .col(string_len("id", 36).primary_key())
                .col(string_len("organisation_id", 36))
                .col(string_len("ozg_id", 8))
                .col(boolean("offered"))
                .col(string_len("responsibility", 8))
                .col(text_null("responsibility_note"))
                .col(string_len("stage", 16))
                .col(text("stage_dates"))
                .col(date_null("planned_go_live"))
                .col(string_len_null("maturity_model", 4))
                .col(small_integer_null("maturity_level"))
                .col(string_len_null("solution_kind", 16))
                .col(string_len_null("solution_name", 200))
                .col(string_len_null("solution_provider", 200))
                .col(string_len_null("url", 2000))
                .col(string_len_null("contact", 300))
                .col(text_null("note"))
                .col(integer("version"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(string_len_null("updated_by", 36))
                .col(string_len_null("acting_org_id", 36))
                .foreign_key(ForeignKey::create().name("fk_service_record_org").from("service_record", "organisation_id").to("organisation", "id"))
                .foreign_key(ForeignKey::create().name("fk_service_record_ozg").from("service_record", "ozg_id").to("ozg_service", "ozg_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ux_service_record_org_ozg").table("service_record").col("organisation_id").col("ozg_id").unique().to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("service_record_history")
                .col(big_pk_auto("id"))
                .col(string_len("record_id", 36))
                .col(string_len("organisation_id", 36))
                .col(string_len("ozg_id", 8))
                .col(integer("version"))
                .col(timestamp_with_time_zone("changed_at"))
                .col(string_len_null("user_id", 36))
                .col(string_len_null("acting_org_id", 36))
                .col(text("changes"))
                .foreign_key(
                    ForeignKey::create().name("fk_service_record_history_record").from("service_record_history", "record_id").to("service_record", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_service_record_history_org_ozg")
                .table("service_record_history")
                .col("organisation_id")
                .col("ozg_id")
                .col("changed_at")
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("service_annotation")
                .col(string_len("id", 36).primary_key())
                .col(string_len("organisation_id", 36))
                .col(string_len("ozg_id", 8))
                .col(string_len("author_id", 36))
                .col(text("body"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(ForeignKey::create().name("fk_service_annotation_org").from("service_annotation", "organisation_id").to("organisation", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_service_annotation_org_ozg").table("service_annotation").col("organisation_id").col("ozg_id").to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["service_annotation", "service_record_history", "service_record"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
